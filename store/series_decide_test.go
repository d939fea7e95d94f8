package store

import (
	"context"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// wantSeriesEnded checks that standing call s ended in state, its
// renewal withdrawn, and every occurrence of booked in state, its line
// and the child's index freed, no expiry waiting.
func (w *callWorld) wantSeriesEnded(t *testing.T, s homelink.Series, booked []homelink.Booking, state homelink.BookingState) {
	t.Helper()
	ctx := context.Background()
	if got, err := w.s.Series(ctx, w.home.ID, s.ID); err != nil || got.State != state {
		t.Fatalf("standing call %+v, %v; want %s", got, err, state)
	}
	if _, ok := w.agendaOf(t, seriesKey(s))[KindSeriesRenew]; ok {
		t.Fatal("the renewal is kept")
	}
	for _, b := range booked {
		got, err := w.s.Booking(ctx, w.home.ID, b.ID)
		if err != nil || got.State != state {
			t.Fatalf("occurrence %d: %+v, %v; want %s", b.ID, got, err, state)
		}
		w.wantHolding(t, got, false)
		w.wantAgenda(t, got, map[string]time.Time{KindCallForget: got.End().Add(homelink.DefaultHistoryRetention)})
	}
	if n := w.s.rdb.ZCard(ctx, w.s.k.lines(w.home.ID)).Val(); n != 0 {
		t.Fatalf("%d calls still hold lines", n)
	}
}

// Declining a weekly request declines the standing call: it ends, and
// every requested occurrence goes with it, counted once.
func TestDecliningAWeeklyRequestDeclinesItAll(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	s, booked, _ := w.bookSeries(t, mom, w.at(1, 15, 0))
	if len(booked) != homelink.SeriesWeeks {
		t.Fatalf("booked %d", len(booked))
	}
	got, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, booked[0].ID, homelink.Declined)
	if err != nil || got.State != homelink.Declined {
		t.Fatalf("decline = %+v, %v", got, err)
	}
	w.wantSeriesEnded(t, s, booked, homelink.Declined)
	if c := w.counts(t); c[homelink.Requested] != 1 || c[homelink.Declined] != 1 || len(c) != 2 {
		t.Fatalf("counts %v", c)
	}
	// The slots are free for someone else.
	w.mustBook(t, mom, w.child.ID, booked[2].Start)
}

// A weekly request left unanswered expires as a whole: its first
// occurrence's expiry takes the standing call and the others along.
func TestAnUnansweredWeeklyRequestExpiresAsAWhole(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	s, booked, _ := w.bookSeries(t, mom, w.at(3, 15, 0))
	w.clock.Set(w.agendaOf(t, callKeyOf(booked[0]))[KindCallExpire])
	got, expired, err := w.s.Expire(ctx, w.home.ID, booked[0].ID)
	if err != nil || !expired || got.State != homelink.Expired {
		t.Fatalf("expire = %+v, %v, %v", got, expired, err)
	}
	w.wantSeriesEnded(t, s, booked, homelink.Expired)
	total := w.totals(t)
	if total[homelink.Requested] != 1 || total[homelink.Expired] != 1 || len(total) != 2 {
		t.Fatalf("counts %v", total)
	}
	// An expiry of another occurrence, fired late, changes nothing.
	if _, expired, err := w.s.Expire(ctx, w.home.ID, booked[1].ID); err != nil || expired {
		t.Fatalf("a second expiry = %v, %v", expired, err)
	}
	if b, sk, err := w.s.RenewSeries(ctx, w.home.ID, s.ID); err != nil || len(b)+len(sk) != 0 {
		t.Fatalf("renewal of an expired standing call: %v %v %v", b, sk, err)
	}
}

// A confirmed standing call is not ended when one of its occurrences,
// moved by the guardian and so asked for again, is declined.
func TestDecliningAMovedOccurrenceKeepsTheConfirmedStandingCall(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	teacher := homelink.By{User: w.teacher}
	s, booked, _ := w.bookSeries(t, mom, w.at(1, 15, 0))
	if _, err := w.s.Decide(ctx, teacher, w.home.ID, booked[0].ID, homelink.Confirmed); err != nil {
		t.Fatal(err)
	}
	moved, err := w.s.Reschedule(ctx, homelink.By{User: mom}, w.home.ID, booked[1].ID, w.at(8, 16, 0), homelink.Requested)
	if err != nil || moved.State != homelink.Requested {
		t.Fatalf("move = %+v, %v", moved, err)
	}
	if _, err := w.s.Decide(ctx, teacher, w.home.ID, moved.ID, homelink.Declined); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.s.Series(ctx, w.home.ID, s.ID); got.State != homelink.Confirmed {
		t.Fatalf("standing call %s", got.State)
	}
	for _, b := range []homelink.Booking{booked[0], booked[2], booked[3]} {
		if got, _ := w.s.Booking(ctx, w.home.ID, b.ID); got.State != homelink.Confirmed {
			t.Fatalf("occurrence %d %s", b.ID, got.State)
		}
	}
}
