package store

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// sha4 is the agenda's bucket of a key (agenda_itemskey).
func sha4(key string) string {
	sum := sha1.Sum([]byte(key))
	return hex.EncodeToString(sum[:2])
}

// remindersOf is call b's reminder items, kind → due.
func (w *callWorld) remindersOf(t testing.TB, b homelink.Booking) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	for kind, due := range w.agendaOf(t, callKeyOf(b)) {
		for _, k := range ReminderKinds {
			if kind == k {
				out[kind] = due
			}
		}
	}
	return out
}

func (w *callWorld) wantReminders(t testing.TB, b homelink.Booking, want map[string]time.Time) {
	t.Helper()
	got := w.remindersOf(t, b)
	if len(got) != len(want) {
		t.Fatalf("reminders of call %d = %v, want %v", b.ID, got, want)
	}
	for k, due := range want {
		if !got[k].Equal(due) {
			t.Fatalf("reminders of call %d: %s due %v, want %v (all: %v)", b.ID, k, got[k], due, got)
		}
	}
}

// defaultReminders are the items of a call at start confirmed more than
// a day ahead, with the default offsets.
func defaultReminders(start time.Time) map[string]time.Time {
	return map[string]time.Time{KindRemindDay: start.Add(-24 * time.Hour), KindRemindSoon: start.Add(-time.Hour),
		KindRemindStart: start, KindRemindNudge: start.Add(-10 * time.Minute)}
}

// A request has no reminders; confirming gives it all four; declining,
// cancelling or a move takes them away or with it, in the same step.
func TestRemindersFollowTheCall(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	start := w.at(3, 10, 0)
	b := w.mustBook(t, mom, w.child.ID, start)
	w.wantReminders(t, b, nil)
	c, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
	if err != nil {
		t.Fatal(err)
	}
	w.wantReminders(t, c, defaultReminders(start))

	to := w.at(4, 15, 0)
	m, err := w.s.Reschedule(ctx, homelink.By{User: mom}, w.home.ID, b.ID, to, homelink.Confirmed)
	if err != nil {
		t.Fatal(err)
	}
	w.wantReminders(t, m, defaultReminders(to))

	if _, err := w.s.Cancel(ctx, homelink.By{User: mom}, w.home.ID, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	w.wantReminders(t, m, nil)
}

// The guardian's answer is kept for them alone, only while the call is
// confirmed and not over, and a move clears it.
func TestAnswerCall(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	start := w.at(3, 10, 0)
	b := w.mustBook(t, mom, w.child.ID, start)
	if _, err := w.s.AnswerCall(ctx, homelink.By{User: mom}, w.home.ID, b.ID, homelink.AnswerYes); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("answered a request: %v", err)
	}
	w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
	for _, who := range []int64{w.teacher, 999} {
		if _, err := w.s.AnswerCall(ctx, homelink.By{User: who}, w.home.ID, b.ID, homelink.AnswerNo); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("%d answered the parent's call: %v", who, err)
		}
	}
	if _, err := w.s.AnswerCall(ctx, homelink.By{User: mom}, w.home.ID, b.ID, "maybe"); err == nil {
		t.Fatal("an unknown answer was kept")
	}
	c, err := w.s.AnswerCall(ctx, homelink.By{User: mom}, w.home.ID, b.ID, homelink.AnswerNo)
	if err != nil || c.Answer != homelink.AnswerNo || !c.AnsweredAt.Equal(w.clock.Now().Truncate(time.Millisecond)) {
		t.Fatalf("answer = %+v, %v", c, err)
	}
	if got, _ := w.s.Booking(ctx, w.home.ID, b.ID); got.Answer != homelink.AnswerNo {
		t.Fatalf("read back %q", got.Answer)
	}
	m, err := w.s.Reschedule(ctx, homelink.By{User: mom}, w.home.ID, b.ID, w.at(4, 10, 0), homelink.Confirmed)
	if err != nil || m.Answer != homelink.AnswerNone {
		t.Fatalf("a moved call keeps the answer about its old time: %+v, %v", m, err)
	}
	w.clock.Set(w.at(4, 10, 15))
	if _, err := w.s.AnswerCall(ctx, homelink.By{User: mom}, w.home.ID, b.ID, homelink.AnswerYes); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("answered a call that is over: %v", err)
	}
}

// Switching off the reminder a day ahead takes it from the guardian's
// confirmed calls ahead at once, and switching it on puts it back; one
// whose time has passed is not put back.
func TestDayAheadSwitch(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	later, soon := w.at(3, 10, 0), w.at(1, 10, 0) // 17:00 now: soon is 17 hours ahead
	var calls []homelink.Booking
	for _, start := range []time.Time{later, soon} {
		b := w.mustBook(t, mom, w.child.ID, start)
		c, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	withoutDay := func(start time.Time) map[string]time.Time {
		r := defaultReminders(start)
		delete(r, KindRemindDay)
		return r
	}
	w.wantReminders(t, calls[1], withoutDay(soon)) // confirmed less than a day ahead
	if err := w.s.SetDayAhead(ctx, mom, false); err != nil {
		t.Fatal(err)
	}
	if u, _ := w.s.User(ctx, mom); !u.DayAheadOff {
		t.Fatal("the choice was not kept")
	}
	w.wantReminders(t, calls[0], withoutDay(later))
	// A call confirmed while it is off gets none either.
	next := w.mustBook(t, mom, w.addChildLinked(t, "丽丽").ID, w.at(5, 9, 0))
	next, _ = w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, next.ID, homelink.Confirmed)
	w.wantReminders(t, next, withoutDay(w.at(5, 9, 0)))

	if err := w.s.SetDayAhead(ctx, mom, true); err != nil {
		t.Fatal(err)
	}
	w.wantReminders(t, calls[0], defaultReminders(later))
	w.wantReminders(t, calls[1], withoutDay(soon))
	w.wantReminders(t, next, defaultReminders(w.at(5, 9, 0)))
}

func (w *callWorld) addChildLinked(t testing.TB, name string) homelink.Child {
	t.Helper()
	c := w.addChild(t, name)
	w.link(t, c.ID, mom)
	return c
}

// Changing the home's offsets moves its confirmed calls' reminders in the
// same step; an offset switched off takes its reminders away; offsets
// outside the choices are refused.
func TestHomeOffsetsMoveReminders(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	start := w.at(4, 10, 0)
	b := w.mustBook(t, mom, w.child.ID, start)
	c, _ := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
	w.wantReminders(t, c, defaultReminders(start))

	hrs, _ := w.s.Hours(ctx, w.home.ID)
	hrs.Reminders = &homelink.Reminders{DayAhead: 48 * time.Hour, Soon: 0, Nudge: 30 * time.Minute}
	if err := w.s.SetHours(ctx, homelink.By{User: w.teacher}, w.home.ID, hrs); err != nil {
		t.Fatal(err)
	}
	w.wantReminders(t, c, map[string]time.Time{KindRemindDay: start.Add(-48 * time.Hour), KindRemindStart: start,
		KindRemindNudge: start.Add(-30 * time.Minute)})
	if got, _ := w.s.Hours(ctx, w.home.ID); got.ReminderOffsets() != *hrs.Reminders {
		t.Fatalf("offsets read back %+v", got.ReminderOffsets())
	}

	bad, _ := w.s.Hours(ctx, w.home.ID)
	bad.Reminders = &homelink.Reminders{DayAhead: 72 * time.Hour, Soon: time.Hour, Nudge: 10 * time.Minute}
	if err := w.s.SetHours(ctx, homelink.By{User: w.teacher}, w.home.ID, bad); !errors.Is(err, homelink.ErrBadReminder) {
		t.Fatalf("72 hours ahead: %v", err)
	}
	w.wantReminders(t, c, map[string]time.Time{KindRemindDay: start.Add(-48 * time.Hour), KindRemindStart: start,
		KindRemindNudge: start.Add(-30 * time.Minute)})
}

// Quiet hours are kept as chosen, off is kept as off, and nil returns to
// the default.
func TestQuietHoursStored(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	if u, _ := w.s.User(ctx, mom); u.Quiet != nil || u.QuietHours() != homelink.DefaultQuietHours {
		t.Fatalf("default %+v", u.Quiet)
	}
	day := homelink.QuietHours{Start: 8 * 60, End: 16 * 60}
	for _, q := range []homelink.QuietHours{day, homelink.QuietOff} {
		if err := w.s.SetQuietHours(ctx, mom, &q); err != nil {
			t.Fatal(err)
		}
		if u, _ := w.s.User(ctx, mom); u.QuietHours() != q {
			t.Fatalf("read back %+v, want %+v", u.QuietHours(), q)
		}
	}
	if err := w.s.SetQuietHours(ctx, mom, nil); err != nil {
		t.Fatal(err)
	}
	if u, _ := w.s.User(ctx, mom); u.Quiet != nil {
		t.Fatalf("not back to the default: %+v", u.Quiet)
	}
}

// A home gets its morning digest when it is made; EnsureDigests adds one
// to a home without and leaves a planned one alone; PlanDigest puts each
// teacher's copy and the next digest in one step.
func TestDigestItems(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	key := itoa(w.home.ID)
	first := homelink.NextDigest(w.clock.Now(), w.zone)
	if got := w.agendaOf(t, key)[KindDigest]; !got.Equal(first) {
		t.Fatalf("a new home's digest is due %v, want %v", got, first)
	}
	next := first.AddDate(0, 0, 1)
	day := homelink.DateOf(first.In(w.zone)).String()
	if err := w.s.PlanDigest(ctx, w.home.ID, day, map[int64]time.Time{w.teacher: first}, next, "2026-11-30"); err != nil {
		t.Fatal(err)
	}
	if got := w.agendaOf(t, key)[KindDigest]; !got.Equal(next) {
		t.Fatalf("next digest %v, want %v", got, next)
	}
	if got := w.agendaOf(t, key+"."+itoa(w.teacher))[KindDigestTo]; !got.Equal(first) {
		t.Fatalf("the teacher's copy is due %v", got)
	}
	if err := w.s.EnsureDigests(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.agendaOf(t, key)[KindDigest]; !got.Equal(next) {
		t.Fatalf("EnsureDigests moved a planned digest to %v", got)
	}
	// A home whose digest was lost gets one again.
	w.s.rdb.ZRem(ctx, w.s.k.prefix+"{agenda}:due", KindDigest+"\x1f"+key)
	if err := w.s.EnsureDigests(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.agendaOf(t, key)[KindDigest]; !got.Equal(first) {
		t.Fatalf("EnsureDigests planned %v, want %v", got, first)
	}
}

// A reminder already sent is never put again when the home's offsets
// change after it (the parent would be reminded twice), one held by
// quiet hours stays where it was held, and one still waiting follows.
func TestOffsetsChangedAfterAReminderWentOut(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	start := w.at(4, 10, 0)
	b := w.mustBook(t, mom, w.child.ID, start)
	c, _ := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
	key := callKeyOf(c)
	// The day-ahead one went out (its item is gone); the nudge's is held.
	w.s.rdb.ZRem(ctx, w.s.k.prefix+"{agenda}:due", KindRemindDay+"\x1f"+key)
	heldAt := start.Add(-5 * time.Minute)
	w.s.rdb.ZAdd(ctx, w.s.k.prefix+"{agenda}:due", redis.Z{Score: float64(heldAt.UnixMilli()), Member: KindRemindNudge + "\x1f" + key})
	w.s.rdb.HSet(ctx, w.s.k.prefix+"{agenda}:i:"+KindRemindNudge+":"+sha4(key), key, "0|||held")

	hrs, _ := w.s.Hours(ctx, w.home.ID)
	hrs.Reminders = &homelink.Reminders{DayAhead: 12 * time.Hour, Soon: 2 * time.Hour, Nudge: 30 * time.Minute}
	if err := w.s.SetHours(ctx, homelink.By{User: w.teacher}, w.home.ID, hrs); err != nil {
		t.Fatal(err)
	}
	w.wantReminders(t, c, map[string]time.Time{KindRemindSoon: start.Add(-2 * time.Hour), KindRemindStart: start,
		KindRemindNudge: heldAt})
}
