package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// /forget cancels a guardian's calls still ahead (returned with the
// child's departure, so its teachers can be told), deletes every call
// and standing call they booked, and counts the cancels of calls that had
// not ended.
func TestForgetCancelsAndDeletesAGuardiansCalls(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	w.link(t, w.child.ID, 503)
	past := w.mustBook(t, mom, w.child.ID, w.at(0, 17, 30))
	w.clock.Set(w.at(0, 17, 45)) // past has ended, unmarked
	ahead := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	confirmed := w.mustBook(t, mom, w.child.ID, w.at(2, 10, 0))
	w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, confirmed.ID, homelink.Confirmed)
	dads := w.mustBook(t, 503, w.child.ID, w.at(1, 11, 0))
	series, _, _, err := w.s.BookSeries(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: w.home.ID,
		ChildID: w.child.ID, Start: w.at(1, 15, 0), Kind: homelink.VoiceCall, Weekly: true, MaxUpcoming: 3})
	if err != nil {
		t.Fatal(err)
	}

	left, err := w.s.Forget(ctx, mom)
	if err != nil || len(left) != 1 || left[0].ChildID != w.child.ID {
		t.Fatalf("forget = %+v, %v", left, err)
	}
	got := map[int64]homelink.BookingState{}
	for _, b := range left[0].Cancelled {
		got[b.ID] = b.State
	}
	if len(got) != 2+homelink.SeriesWeeks || got[ahead.ID] != homelink.Cancelled || got[confirmed.ID] != homelink.Cancelled {
		t.Fatalf("cancelled %v", got)
	}
	if _, ok := got[past.ID]; ok {
		t.Fatal("a call that had ended was reported cancelled")
	}
	for _, b := range []homelink.Booking{ahead, confirmed, past} {
		if _, err := w.s.Booking(ctx, w.home.ID, b.ID); !errors.Is(err, homelink.ErrNotFound) {
			t.Fatalf("call %d kept: %v", b.ID, err)
		}
		if len(w.agendaOf(t, callKeyOf(b))) != 0 {
			t.Fatalf("call %d's agenda kept", b.ID)
		}
	}
	if _, err := w.s.Series(ctx, w.home.ID, series.ID); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("standing call kept: %v", err)
	}
	if _, ok := w.agendaOf(t, itoa(w.home.ID)+"."+itoa(series.ID))[KindSeriesRenew]; ok {
		t.Fatal("renewal kept")
	}
	for _, key := range []string{w.s.k.userCalls(mom), w.s.k.userSeries(mom)} {
		if w.s.rdb.Exists(ctx, key).Val() != 0 {
			t.Fatalf("%s kept", key)
		}
	}
	// The father's call stands, alone on the lines.
	if n := w.s.rdb.ZCard(ctx, w.s.k.lines(w.home.ID)).Val(); n != 1 {
		t.Fatalf("%d calls hold lines", n)
	}
	w.wantHolding(t, dads, true)
	// Counted cancelled: the calls still ahead (two one-off calls and the
	// standing call's occurrences), not the one that had ended unmarked.
	// Requested: four one-off calls and the standing call once.
	if c := w.counts(t); c[homelink.Cancelled] != 2+homelink.SeriesWeeks || c[homelink.Requested] != 5 {
		t.Fatalf("counts %v", c)
	}
}

// Removing a child cancels its calls, whoever booked them; unlinking a
// guardian cancels only the calls that guardian booked for that child.
func TestRemovingAChildOrUnlinkingAGuardianCancelsCalls(t *testing.T) {
	w := newCallWorld(t, 3)
	ctx := context.Background()
	w.link(t, w.child.ID, 503)
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, mom)
	moms := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	dads := w.mustBook(t, 503, w.child.ID, w.at(1, 11, 0))
	sisters := w.mustBook(t, mom, other.ID, w.at(1, 10, 0))

	if ok, err := w.s.UnlinkGuardian(ctx, w.home.ID, w.child.ID, mom, w.teacher, 0); err != nil || !ok {
		t.Fatalf("unlink = %v, %v", ok, err)
	}
	if b, _ := w.s.Booking(ctx, w.home.ID, moms.ID); b.State != homelink.Cancelled || b.By != w.teacher {
		t.Fatalf("unlinked guardian's call %+v", b)
	}
	for _, b := range []homelink.Booking{dads, sisters} {
		if got, _ := w.s.Booking(ctx, w.home.ID, b.ID); got.State != homelink.Requested {
			t.Fatalf("call %d of another link %s", b.ID, got.State)
		}
	}
	if _, err := w.s.RemoveChild(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID); err != nil {
		t.Fatal(err)
	}
	if b, _ := w.s.Booking(ctx, w.home.ID, dads.ID); b.State != homelink.Cancelled {
		t.Fatalf("removed child's call %+v", b)
	}
	w.wantAgenda(t, dads, map[string]time.Time{KindCallForget: dads.End().Add(homelink.DefaultHistoryRetention)})
	if got, _ := w.s.Booking(ctx, w.home.ID, sisters.ID); got.State != homelink.Requested {
		t.Fatalf("the other child's call %s", got.State)
	}
	if n := w.s.rdb.ZCard(ctx, w.s.k.lines(w.home.ID)).Val(); n != 1 {
		t.Fatalf("%d calls hold lines", n)
	}
	if w.s.rdb.Exists(ctx, w.s.k.childCalls(w.home.ID, w.child.ID)).Val() != 0 {
		t.Fatal("the removed child's index is kept")
	}
}

// A stranger, a parent of another child and a teacher of another home can
// neither decide, cancel, move nor mark a home's call.
func TestOutsidersCannotTouchAHomesCalls(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, 502)
	homeWithChild(t, w.s, 3)
	b := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	for _, who := range []int64{77, 502, teacherOf(3), 3} {
		by := homelink.By{User: who}
		if _, err := w.s.Decide(ctx, by, w.home.ID, b.ID, homelink.Confirmed); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("%d decided: %v", who, err)
		}
		if _, err := w.s.Propose(ctx, by, w.home.ID, b.ID, []time.Time{w.at(2, 9, 0)}); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("%d proposed: %v", who, err)
		}
		if _, err := w.s.Cancel(ctx, by, w.home.ID, b.ID, ""); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("%d cancelled: %v", who, err)
		}
		if _, err := w.s.Reschedule(ctx, by, w.home.ID, b.ID, w.at(2, 9, 0), homelink.Confirmed); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("%d moved: %v", who, err)
		}
		if _, err := w.s.Mark(ctx, by, w.home.ID, b.ID, homelink.Held); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("%d marked: %v", who, err)
		}
	}
	if got, _ := w.s.Booking(ctx, w.home.ID, b.ID); got.State != homelink.Requested || got.By != mom || !got.Start.Equal(b.Start) {
		t.Fatalf("outsiders changed the call: %+v", got)
	}
}
