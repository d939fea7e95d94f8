package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Fifty parents of fifty children tap the last free line of a slot at the
// same moment: one call is booked, 49 hear the slot was taken, and Redis
// holds exactly the two calls.
func TestFiftyParentsRaceForTheLastLine(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	start := w.at(1, 10, 0)
	first := w.mustBook(t, mom, w.child.ID, start)
	parents := make([]int64, 50)
	kids := make([]int64, 50)
	for i := range parents {
		kids[i] = w.addChild(t, "孩子").ID
		parents[i] = int64(600 + i)
		w.link(t, kids[i], parents[i])
	}
	errs := make([]error, 50)
	booked := make([]homelink.Booking, 50)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range parents {
		wg.Go(func() {
			<-gate
			booked[i], errs[i] = w.book(parents[i], kids[i], start)
		})
	}
	close(gate)
	wg.Wait()
	var won []homelink.Booking
	for i, err := range errs {
		switch {
		case err == nil:
			won = append(won, booked[i])
		case !errors.Is(err, homelink.ErrSlotTaken):
			t.Fatalf("parent %d: %v", i, err)
		}
	}
	if len(won) != 1 {
		t.Fatalf("%d bookings won the last line", len(won))
	}
	if n := w.s.rdb.ZCard(ctx, w.s.k.lines(w.home.ID)).Val(); n != 2 {
		t.Fatalf("lines index holds %d calls", n)
	}
	if n := w.s.rdb.ZCard(ctx, w.s.k.homeCalls(w.home.ID)).Val(); n != 2 {
		t.Fatalf("home's calls hold %d", n)
	}
	if c := w.counts(t); c[homelink.Requested] != 2 {
		t.Fatalf("counts %v", c)
	}
	w.wantHolding(t, first, true)
	w.wantHolding(t, won[0], true)
	expiries := 0
	for _, b := range []homelink.Booking{first, won[0]} {
		if _, ok := w.agendaOf(t, callKeyOf(b))[KindCallExpire]; ok {
			expiries++
		}
	}
	// Two items of each call, and the home's morning digest, weekly
	// report and its coordinator's weekly summary.
	if n := w.s.rdb.ZCard(ctx, w.s.k.prefix+"{agenda}:due").Val(); expiries != 2 || n != 7 {
		t.Fatalf("agenda holds %d items, %d expiries of the two calls", n, expiries)
	}
}

// Two teachers answer the same request at the same moment, one confirming
// and one declining: one decision stands, the other hears who acted.
func TestTwoTeachersDecideAtOnce(t *testing.T) {
	for round := range 10 {
		w := newCallWorld(t, 1)
		ctx := context.Background()
		inv := newInvite(t, w.s, w.clock, homelink.Invite{Role: homelink.RoleTeacher, HomeID: w.home.ID})
		if _, err := w.s.RedeemInvite(ctx, inv.ID, 1002, ""); err != nil {
			t.Fatal(err)
		}
		b := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
		var wg sync.WaitGroup
		type answer struct {
			b   homelink.Booking
			err error
		}
		answers := make([]answer, 2)
		gate := make(chan struct{})
		for i, d := range []struct {
			who int64
			to  homelink.BookingState
		}{{w.teacher, homelink.Confirmed}, {1002, homelink.Declined}} {
			wg.Go(func() {
				<-gate
				got, err := w.s.Decide(ctx, homelink.By{User: d.who}, w.home.ID, b.ID, d.to)
				answers[i] = answer{got, err}
			})
		}
		close(gate)
		wg.Wait()
		won, lost := answers[0], answers[1]
		if won.err != nil {
			won, lost = lost, won
		}
		if won.err != nil || !errors.Is(lost.err, homelink.ErrStateChanged) {
			t.Fatalf("round %d: answers %v and %v", round, won.err, lost.err)
		}
		if lost.b.By != won.b.By || lost.b.State != won.b.State || !lost.b.At.Equal(won.b.At) {
			t.Fatalf("round %d: the second was told %+v, the first did %+v", round, lost.b, won.b)
		}
		c := w.counts(t)
		if c[homelink.Confirmed]+c[homelink.Declined] != 1 {
			t.Fatalf("round %d: counts %v", round, c)
		}
		w.wantHolding(t, won.b, won.b.State == homelink.Confirmed)
	}
}

// Two guardians of one child book the same slot at once in a home with
// lines to spare: the child gets one call.
func TestAChildIsNeverDoubleBooked(t *testing.T) {
	w := newCallWorld(t, 5)
	w.link(t, w.child.ID, 503)
	for round := range 10 {
		start := w.at(1+round%5, 10+round/5, 0)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i, who := range []int64{mom, 503} {
			wg.Go(func() {
				<-gate
				_, errs[i] = w.book(who, w.child.ID, start)
			})
		}
		close(gate)
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: %v, %v", round, errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, homelink.ErrChildBusy) {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		a, _ := w.s.Availability(context.Background(), w.home.ID, w.child.ID, start, start.Add(time.Hour))
		if len(a.ChildBusy) != 1 {
			t.Fatalf("round %d: the child has %d calls then", round, len(a.ChildBusy))
		}
		// Keep under each guardian's limit for the next round.
		calls, _ := w.s.GuardianCalls(context.Background(), mom)
		calls2, _ := w.s.GuardianCalls(context.Background(), 503)
		for _, c := range append(calls, calls2...) {
			w.s.Cancel(context.Background(), homelink.By{User: c.Guardian}, c.HomeID, c.ID, "")
		}
	}
}
