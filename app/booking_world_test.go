package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// bookingWorld is the fixture's home with call hours, a coordinator, two
// teachers (one reading English, one Chinese) and two parents of 小明
// (mom in Chinese, dad in English). The harness's clock stands at
// Saturday 28 Nov 2026 17:00 in the home's zone (Asia/Shanghai).
type bookingWorld struct {
	t                   *testing.T
	h                   *harness
	f                   fixture
	mom, dad            *person
	teacher, teacher2   *person
	coord, otherTeacher *person
}

// teacher2ID is the second teacher of the fixture's home.
const teacher2ID = 7101

// weekendHours are the demonstration home's hours: Saturday 09:00–11:30
// and Sunday 14:00–17:00, 15-minute slots, on lines lines.
func weekendHours(lines int) homelink.Hours {
	return homelink.Hours{Windows: []homelink.Window{
		{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}, {Day: time.Sunday, Start: 14 * 60, End: 17 * 60}},
		SlotMinutes: 15, Lines: lines, Set: true}
}

func newBookingWorld(t *testing.T, hrs homelink.Hours) *bookingWorld {
	t.Helper()
	return newBookingWorldWith(t, hrs, nil)
}

func newBookingWorldWith(t *testing.T, hrs homelink.Hours, tune func(*Config)) *bookingWorld {
	t.Helper()
	h := startWith(t, webhook, tune)
	f := seed(t, h)
	ctx := context.Background()
	st := h.store()
	_, inv := inviteFor(t, h, homelink.Invite{Role: homelink.RoleTeacher, HomeID: f.home})
	if _, err := st.RedeemInvite(ctx, inv, teacher2ID, "zh-Hans"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetName(ctx, teacher2ID, "李老师"); err != nil {
		t.Fatal(err)
	}
	if hrs.Set {
		if err := st.SetHours(ctx, homelink.By{User: f.teacher}, f.home, hrs); err != nil {
			t.Fatal(err)
		}
	}
	return &bookingWorld{t: t, h: h, f: f,
		mom: h.person(f.mom, "秀兰", "zh-hans"), dad: h.person(f.dad, "Jian", "en"),
		teacher: h.person(f.teacher, "Wang", "en"), teacher2: h.person(teacher2ID, "Li", "zh-hans"),
		coord: h.person(f.coord, "Zhou", "en"), otherTeacher: h.person(f.otherTeacher, "Lin", "en")}
}

// at is a moment in the home's zone.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return time.Date(y, m, d, hh, mm, 0, 0, loc)
}

// sunday1400 is the first Sunday slot after the clock's start.
var sunday1400 = at(2026, 11, 29, 14, 0)

// books has p book a call for 小明 by buttons in English: day, time,
// kind, an optional note, Send.
func (w *bookingWorld) books(p *person, day, clock, kind, note string) {
	w.t.Helper()
	p.Types("/book")
	p.Sees("When would you like to call")
	p.Tap(day)
	p.Sees("Choose a time on")
	p.Tap(clock)
	p.Sees("How would you like to talk")
	p.Tap(kind)
	p.Sees("Anything the teacher should know?")
	if note == "" {
		p.Tap("Skip")
	} else {
		p.Types(note)
	}
	p.Sees("Please check your call")
	p.Tap("Send request")
}

// dadBooksSunday has dad ask for Sunday 29 Nov 14:00, a video call.
func (w *bookingWorld) dadBooksSunday() {
	w.t.Helper()
	w.books(w.dad, "Sun 29 Nov (12)", "14:00", "Video call", "She has a cold")
	w.dad.Sees("Request sent.")
}

// only returns the one call of the home, failing otherwise.
func (w *bookingWorld) only() homelink.Booking {
	w.t.Helper()
	calls, err := w.h.store().HomeCalls(context.Background(), w.f.home, at(2026, 1, 1, 0, 0), at(2028, 1, 1, 0, 0))
	if err != nil || len(calls) != 1 {
		w.t.Fatalf("want one call, have %d (%v): %+v", len(calls), err, calls)
	}
	return calls[0]
}

// wantState waits until the call is in state s.
func (w *bookingWorld) wantState(id int64, s homelink.BookingState) homelink.Booking {
	w.t.Helper()
	var c homelink.Booking
	ok := w.h.tg.WaitFor(5*time.Second, func() bool {
		var err error
		c, err = w.h.store().Booking(context.Background(), w.f.home, id)
		return err == nil && c.State == s
	})
	if !ok {
		w.t.Fatalf("call %d is %s, want %s", id, c.State, s)
	}
	return c
}

// message is p's newest message containing text.
func message(p *person, text string) (emulator.Message, bool) {
	ms := p.Messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if strings.Contains(ms[i].Text, text) {
			return ms[i], true
		}
	}
	return emulator.Message{}, false
}

// seesEdited waits until p's message containing first also says then,
// and has no buttons left.
func seesEdited(t *testing.T, h *harness, p *person, first, then string) emulator.Message {
	t.Helper()
	var m emulator.Message
	ok := h.tg.WaitFor(5*time.Second, func() bool {
		for _, x := range p.Messages() {
			if strings.Contains(x.Text, first) && strings.Contains(x.Text, then) && len(x.Keyboard) == 0 {
				m = x
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("user %d: no message with %q edited to say %q without buttons; they see:\n%s", p.ID, first, then, transcript(p.Messages()))
	}
	return m
}

// count is how many of p's messages contain text.
func count(p *person, text string) int {
	return strings.Count(transcript(p.Messages()), text)
}

// seesButton waits until p is shown a button labelled label.
func seesButton(t *testing.T, h *harness, p *person, label string) {
	t.Helper()
	if !h.tg.WaitFor(5*time.Second, func() bool { return hasButton(p, label) }) {
		t.Fatalf("user %d never saw a button %q; they see:\n%s", p.ID, label, transcript(p.Messages()))
	}
}
