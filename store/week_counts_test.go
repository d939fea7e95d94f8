package store

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// The week counts follow one rule (keys.go): a request counts requested
// once when made and confirmed, declined or expired once when decided (a
// standing call is one request; moves and renewals add none); held,
// missed and cancelled count per call that would have been held, in the
// week the change happens. One-off calls and a standing call walk through
// their lives across two weeks.
func TestWeekCountsFollowEachCallsLife(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	teacher := homelink.By{User: w.teacher}
	for _, g := range []int64{503, 504, 505, 506} {
		w.link(t, w.child.ID, g)
	}
	must := func(b homelink.Booking, err error) homelink.Booking {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// Saturday 28 November (week 48).
	a := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	must(w.s.Propose(ctx, teacher, w.home.ID, a.ID, []time.Time{w.at(1, 11, 0)}))
	must(w.s.Reschedule(ctx, homelink.By{User: mom}, w.home.ID, a.ID, w.at(1, 11, 0), homelink.Confirmed))
	must(w.s.Reschedule(ctx, homelink.By{User: mom}, w.home.ID, a.ID, w.at(1, 12, 0), homelink.Requested))
	must(w.s.Decide(ctx, teacher, w.home.ID, a.ID, homelink.Confirmed)) // confirmed again: not counted again
	declined := w.mustBook(t, 503, w.child.ID, w.at(2, 10, 0))
	must(w.s.Decide(ctx, teacher, w.home.ID, declined.ID, homelink.Declined))
	unanswered := w.mustBook(t, 504, w.child.ID, w.at(3, 10, 0))
	cancelled := w.mustBook(t, 505, w.child.ID, w.at(2, 11, 0))
	must(w.s.Decide(ctx, teacher, w.home.ID, cancelled.ID, homelink.Confirmed))
	must(w.s.Cancel(ctx, homelink.By{User: 505}, w.home.ID, cancelled.ID, ""))
	unmarked := w.mustBook(t, 506, w.child.ID, w.at(1, 9, 0))
	must(w.s.Decide(ctx, teacher, w.home.ID, unmarked.ID, homelink.Confirmed))
	series, occ, _, err := w.s.BookSeries(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: w.home.ID,
		ChildID: w.child.ID, Start: w.at(1, 15, 0), Kind: homelink.VoiceCall, Weekly: true, MaxUpcoming: 5})
	if err != nil || len(occ) != homelink.SeriesWeeks {
		t.Fatalf("standing call: %d booked, %v", len(occ), err)
	}
	must(w.s.Decide(ctx, teacher, w.home.ID, occ[0].ID, homelink.Confirmed))
	w.wantCounts(t, w.at(0, 17, 0), map[homelink.BookingState]int{homelink.Requested: 6, homelink.Confirmed: 4,
		homelink.Declined: 1, homelink.Cancelled: 1})

	// Sunday 29 November: the unmarked call has ended and is then removed
	// with its guardian: not counted cancelled.
	w.clock.Set(w.at(1, 9, 30))
	if _, err := w.s.Forget(ctx, 506); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(w.at(1, 12, 15))
	must(w.s.Mark(ctx, teacher, w.home.ID, a.ID, homelink.Held))
	w.clock.Set(w.at(1, 15, 0))
	if b, _, err := w.s.RenewSeries(ctx, w.home.ID, series.ID); err != nil || len(b) != 1 {
		t.Fatalf("renewal %v, %v", b, err)
	}
	must(w.s.Mark(ctx, teacher, w.home.ID, occ[0].ID, homelink.Held))
	w.wantCounts(t, w.at(1, 15, 0), map[homelink.BookingState]int{homelink.Requested: 6, homelink.Confirmed: 4,
		homelink.Declined: 1, homelink.Cancelled: 1, homelink.Held: 2})

	// Monday 30 November (week 49): the unanswered request expires.
	w.clock.Set(w.at(2, 10, 0))
	if _, ok, err := w.s.Expire(ctx, w.home.ID, unanswered.ID); err != nil || !ok {
		t.Fatalf("expire %v, %v", ok, err)
	}
	// Sunday 6 December: an occurrence missed, one cancelled, then the
	// standing call with the two still ahead (one renewed).
	w.clock.Set(w.at(8, 15, 0))
	must(w.s.Mark(ctx, teacher, w.home.ID, occ[1].ID, homelink.Missed))
	must(w.s.Cancel(ctx, homelink.By{User: mom}, w.home.ID, occ[2].ID, ""))
	if _, gone, err := w.s.CancelSeries(ctx, homelink.By{User: mom}, w.home.ID, series.ID, ""); err != nil || len(gone) != 2 {
		t.Fatalf("cancel standing call: %d, %v", len(gone), err)
	}
	w.wantCounts(t, w.at(8, 15, 0), map[homelink.BookingState]int{homelink.Expired: 1, homelink.Missed: 1, homelink.Cancelled: 3})
	w.wantCounts(t, w.at(1, 15, 0), map[homelink.BookingState]int{homelink.Requested: 6, homelink.Confirmed: 4,
		homelink.Declined: 1, homelink.Cancelled: 1, homelink.Held: 2})
}

// wantCounts checks the counts of the week at falls in.
func (w *callWorld) wantCounts(t *testing.T, at time.Time, want map[homelink.BookingState]int) {
	t.Helper()
	got, err := w.s.WeekCounts(context.Background(), w.home.ID, homelink.WeekOf(at, w.zone))
	if err != nil || !maps.Equal(got, want) {
		t.Fatalf("counts of %s = %v, %v; want %v", homelink.WeekOf(at, w.zone), got, err, want)
	}
}
