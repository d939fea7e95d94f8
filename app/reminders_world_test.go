package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// Helpers of the reminder tests: calls confirmed through the store, the
// clock moved to a reminder's moment, and a barrier that says the agenda
// and the outbox have done everything due so far, so that "nothing came
// yet" is a finding and not a guess.

// sunday6Dec is a call time in the home's zone a week after the
// harness's clock starts: far enough ahead for a reminder a day ahead.
func sunday6Dec(hh, mm int) time.Time { return at(2026, 12, 6, hh, mm) }

// confirmedCall books a call for guardian of child at start through the
// store and has the first teacher confirm it, as the buttons would; no
// message is sent for it.
func (w *bookingWorld) confirmedCall(guardian, child int64, start time.Time, kind homelink.CallKind) homelink.Booking {
	w.t.Helper()
	ctx, st := context.Background(), w.h.store()
	c, err := st.Book(ctx, homelink.By{User: guardian}, homelink.BookingRequest{HomeID: w.f.home, ChildID: child, Start: start, Kind: kind})
	if err != nil {
		w.t.Fatalf("book %v: %v", start, err)
	}
	if c.State == homelink.Confirmed {
		return c
	}
	c, err = st.Decide(ctx, homelink.By{User: w.f.teacher}, w.f.home, c.ID, homelink.Confirmed)
	if err != nil {
		w.t.Fatalf("confirm %v: %v", start, err)
	}
	return c
}

// settle waits until the agenda holds nothing due at the clock's time,
// waiting or being handled, and the outbox nothing waiting or being sent:
// whatever was due by now has reached the fake Bot API. It ticks every
// replica's agenda itself, at once, rather than wait for their
// schedulers' next second. It reads the agenda's due and claimed sets
// and the outbox's in-flight set by their key names (agenda/_agenda.lua,
// outbox/keys.go): neither package says how much it holds due by now.
func (h *harness) settle() { h.t.Helper(); h.settleWithin(30 * time.Second) }

func (h *harness) settleWithin(limit time.Duration) {
	h.t.Helper()
	ctx := context.Background()
	agendaDue, agendaHeld := h.prefix+"{agenda}:due", h.prefix+"{agenda}:inflight"
	outboxHeld := h.prefix + "{ob}:inflight"
	var why string
	ok := h.tg.WaitFor(limit, func() bool {
		var wg sync.WaitGroup
		for _, r := range h.reps {
			wg.Add(1)
			go func() { defer wg.Done(); r.app.Agenda.Tick(ctx) }() // a stopped replica's fails at once
		}
		wg.Wait()
		now := h.clock.Now().UnixMilli()
		due, err1 := h.rdb.ZCount(ctx, agendaDue, "-inf", strconv.FormatInt(now, 10)).Result()
		claimed, err2 := h.rdb.ZCard(ctx, agendaHeld).Result()
		sending, err3 := h.rdb.ZCard(ctx, outboxHeld).Result()
		depth, err4 := h.reps[len(h.reps)-1].app.Outbox.Depth(ctx)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			why = err.Error()
			return false
		}
		waiting := depth[0] + depth[1] + depth[2]
		why = fmt.Sprintf("agenda: %d due, %d claimed; outbox: %d waiting, %d sending", due, claimed, waiting, sending)
		return due+claimed+sending+waiting == 0
	})
	if !ok {
		h.t.Fatalf("the agenda and the outbox did not settle at %v: %s", h.clock.Now(), why)
	}
}

// justBefore sets the clock one second before t and waits until
// everything due by then has been sent: a reminder due at t must not be
// among it.
func (w *bookingWorld) justBefore(t time.Time) {
	w.t.Helper()
	w.h.clock.Set(t.Add(-time.Second))
	w.h.settle()
}

// arrival is a message someone should be shown at a moment: before it,
// nothing containing early; at it, text, once.
type arrival struct {
	p           *person
	early, text string
}

// comesAt checks each arrival at moment: with the clock one second
// before it and everything due by then sent, its person has not been
// shown its early text; with the clock at it, and one tick of the agenda
// (settle's, sooner than the scheduler's next second), they are shown
// its text, once. It returns the messages shown, in the order of want.
func (w *bookingWorld) comesAt(moment time.Time, want ...arrival) []emulator.Message {
	w.t.Helper()
	w.justBefore(moment)
	for _, a := range want {
		notYet(w.t, a.p, a.early)
	}
	w.h.clock.Set(moment)
	w.h.settle()
	ms := make([]emulator.Message, len(want))
	for i, a := range want {
		ms[i] = onlyOnce(w.t, a.p, a.text)
	}
	return ms
}

// notYet fails when p has been shown a message containing text.
func notYet(t *testing.T, p *person, text string) {
	t.Helper()
	if n := count(p, text); n > 0 {
		t.Fatalf("user %d was shown %q %d time(s) before its time (%v):\n%s", p.ID, text, n, p.h.clock.Now(), transcript(p.Messages()))
	}
}

// onlyOnce fails unless exactly one of p's messages contains text.
func onlyOnce(t *testing.T, p *person, text string) emulator.Message {
	t.Helper()
	m := p.Sees(text)
	if n := count(p, text); n != 1 {
		t.Fatalf("user %d was shown %q %d times:\n%s", p.ID, text, n, transcript(p.Messages()))
	}
	return m
}

// wantLines fails unless m says every one of want.
func wantLines(t *testing.T, m emulator.Message, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(m.Text, s) {
			t.Errorf("message lacks %q:\n%s", s, m.Text)
		}
	}
}

// wantSilent fails unless m came without a sound (disable_notification) as
// want says.
func wantSilent(t *testing.T, m emulator.Message, want bool) {
	t.Helper()
	if m.DisableNotification != want {
		t.Errorf("message sent with disable_notification=%v, want %v:\n%s", m.DisableNotification, want, m.Text)
	}
}

// reminders is the count of reminders of kind with outcome across the
// harness's replicas (homelink_reminders_total).
func (h *harness) reminders(kind, outcome string) int {
	n := 0.0
	for _, r := range h.reps {
		n += testutil.ToFloat64(r.app.Metrics.Reminders.WithLabelValues(kind, outcome))
	}
	return int(n)
}

// tapStarting taps p's newest button whose label starts with prefix (a
// day whose count of free times the test need not know).
func tapStarting(t *testing.T, p *person, prefix string) {
	t.Helper()
	var label string
	p.h.tg.WaitFor(5*time.Second, func() bool {
		ms := p.Messages()
		for i := len(ms) - 1; i >= 0 && label == ""; i-- {
			for _, b := range ms[i].Buttons() {
				if strings.HasPrefix(b, prefix) {
					label = b
					break
				}
			}
		}
		return label != ""
	})
	if label == "" {
		t.Fatalf("user %d has no button starting %q:\n%s", p.ID, prefix, transcript(p.Messages()))
	}
	p.Tap(label)
}

// seesButtonsKept waits until p's message containing first also says
// then and still has its buttons (an answered reminder can be answered
// again).
func seesButtonsKept(t *testing.T, p *person, first, then string) emulator.Message {
	t.Helper()
	var m emulator.Message
	ok := p.h.tg.WaitFor(5*time.Second, func() bool {
		for _, x := range p.Messages() {
			if strings.Contains(x.Text, first) && strings.Contains(x.Text, then) && len(x.Keyboard) > 0 {
				m = x
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("user %d: no message with %q edited to say %q with its buttons; they see:\n%s", p.ID, first, then, transcript(p.Messages()))
	}
	return m
}

// handled waits until every update was taken and p's taps answered.
func (w *bookingWorld) handled(p *person) {
	w.t.Helper()
	if !w.h.tg.WaitFor(5*time.Second, func() bool { return w.h.tg.PendingUpdates() == 0 && p.Answered() }) {
		w.t.Fatalf("user %d's updates were not handled", p.ID)
	}
}

// mustZone is the IANA zone name.
func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// down stops replica r, as a deploy or an outage would (gracefully),
// leaving its place in h.reps (its cleanup then finds it stopped).
func (h *harness) down(r *replica) {
	h.t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			h.t.Fatalf("replica stopped with %v", err)
		}
	case <-time.After(ShutdownTimeout):
		h.t.Fatal("replica did not stop within the shutdown timeout")
	}
	r.done <- nil // for the cleanup's stop
}

// seesTimes waits until n of p's messages contain text, and fails when
// more do.
func seesTimes(t *testing.T, p *person, text string, n int) {
	t.Helper()
	p.h.tg.WaitFor(5*time.Second, func() bool { return count(p, text) >= n })
	if got := count(p, text); got != n {
		t.Fatalf("user %d was shown %q %d times, want %d:\n%s", p.ID, text, got, n, transcript(p.Messages()))
	}
}
