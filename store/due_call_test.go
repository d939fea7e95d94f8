package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// DueCall reads in one step what the separate reads give: the call, the
// hours, the home (without its counts), the child and the guardian who
// booked it; a removed child reads as the zero Child, a gone call as
// ErrNotFound.
func TestDueCallReadsWhatTheSeparateReadsDo(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	hrs := allWeek(1)
	hrs.AutoConfirm = true
	hrs.Reminders = &homelink.Reminders{DayAhead: 12 * time.Hour, Soon: 30 * time.Minute, Nudge: 5 * time.Minute}
	w.setHours(t, hrs)
	if err := w.s.UpdateHome(ctx, homelink.By{User: 1}, w.home.ID, homelink.HomeInstructions, "请拨打 0851-1234"); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetName(ctx, mom, "李秀兰"); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetRelationship(ctx, w.home.ID, w.child.ID, mom, homelink.Mother); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetTimeZone(ctx, mom, "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	b := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))

	key := callKeyOf(b)
	w.claimed(t, KindRemindSoon, key, "tok")
	if _, err := w.s.DueCall(ctx, w.home.ID, b.ID, KindRemindSoon, key, "other"); !errors.Is(err, homelink.ErrMovedOn) {
		t.Fatalf("another claim's item: %v, want ErrMovedOn", err)
	}
	got, err := w.s.DueCall(ctx, w.home.ID, b.ID, KindRemindSoon, key, "tok")
	if err != nil {
		t.Fatal(err)
	}
	call, err1 := w.s.Booking(ctx, w.home.ID, b.ID)
	hours, err2 := w.s.Hours(ctx, w.home.ID)
	home, err3 := w.s.Home(ctx, w.home.ID)
	child, err4 := w.s.Child(ctx, w.home.ID, w.child.ID)
	user, err5 := w.s.User(ctx, mom)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		t.Fatal(err)
	}
	home.Children, home.Guardians = 0, 0
	want := homelink.DueCall{Call: call, Reminders: hours.ReminderOffsets(), Home: home, Child: child, Guardian: user}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DueCall =\n%+v\nwant\n%+v", got, want)
	}
	if got.Home.Instructions != "请拨打 0851-1234" || got.Guardian.Name != "李秀兰" || got.Guardian.TimeZone != "Europe/Berlin" ||
		got.Reminders != *hrs.Reminders || len(got.Child.Guardians) != 1 || len(got.Home.Teachers) != 1 {
		t.Fatalf("DueCall misses what reminders need: %+v", got)
	}

	if _, err := w.s.RemoveChild(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.DueCall(ctx, w.home.ID, b.ID, KindRemindSoon, key, "tok"); !errors.Is(err, homelink.ErrMovedOn) {
		t.Fatalf("the cancelled call's reminder is still the claim's: %v", err)
	}
	w.claimed(t, KindRemindSoon, key, "tok")
	got, err = w.s.DueCall(ctx, w.home.ID, b.ID, KindRemindSoon, key, "tok")
	if err != nil || !reflect.DeepEqual(got.Child, homelink.Child{}) || got.Call.State != homelink.Cancelled {
		t.Fatalf("after the child's removal: %+v, %v", got, err)
	}
	w.clock.Advance(homelink.DefaultHistoryRetention + 48*time.Hour)
	if err := w.s.ForgetCall(ctx, w.home.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	w.claimed(t, KindRemindSoon, key, "tok")
	if _, err := w.s.DueCall(ctx, w.home.ID, b.ID, KindRemindSoon, key, "tok"); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("a gone call: %v, want ErrNotFound", err)
	}
}

// claimed writes the agenda's record of item kind/key as a claim with
// token holds it ("attempts|token|due|payload", _agenda.lua).
func (w *callWorld) claimed(t testing.TB, kind, key, token string) {
	t.Helper()
	h := w.s.k.prefix + "{agenda}:i:" + kind + ":" + sha4(key)
	if err := w.s.rdb.HSet(context.Background(), h, key, "0|"+token+"|0|").Err(); err != nil {
		t.Fatal(err)
	}
}
