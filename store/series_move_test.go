package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Moving a standing call books the new one and ends the old one in one
// step: the old slots are free as soon as it returns, the new standing
// call keeps kind and note, and the guardian's limit is not spent twice.
func TestMovingAStandingCallFreesTheOldSlotsInTheSameStep(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	old, oldCalls, _ := w.bookSeries(t, mom, w.at(1, 15, 0))
	w.mustBook(t, mom, w.child.ID, w.at(2, 10, 0)) // the limit (2) is now held
	if _, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, oldCalls[0].ID, homelink.Confirmed); err != nil {
		t.Fatal(err)
	}

	// The new time overlaps none of the old occurrences but the first
	// week's slot is next to it: moving by a quarter of an hour.
	s, booked, skipped, err := w.s.MoveSeries(ctx, homelink.By{User: mom}, w.home.ID, old.ID, w.at(1, 15, 15))
	if err != nil || len(booked) != homelink.SeriesWeeks || len(skipped) != 0 {
		t.Fatalf("move = %+v, %d booked, %v, %v", s, len(booked), skipped, err)
	}
	if s.ID == old.ID || s.Minute != 15*60+15 || s.Day != time.Sunday || s.Note != "周日见" || s.Kind != homelink.VideoCall ||
		s.State != homelink.Requested || s.ChildID != w.child.ID || s.Guardian != mom {
		t.Fatalf("new standing call %+v", s)
	}
	if got, _ := w.s.Series(ctx, w.home.ID, old.ID); got.State != homelink.Cancelled {
		t.Fatalf("old standing call %s", got.State)
	}
	if _, ok := w.agendaOf(t, seriesKey(old))[KindSeriesRenew]; ok {
		t.Fatal("the old renewal is kept")
	}
	if _, ok := w.agendaOf(t, seriesKey(s))[KindSeriesRenew]; !ok {
		t.Fatal("the new standing call has no renewal")
	}
	for _, b := range oldCalls {
		got, _ := w.s.Booking(ctx, w.home.ID, b.ID)
		if got.State != homelink.Cancelled {
			t.Fatalf("old occurrence %d %s", b.ID, got.State)
		}
		w.wantHolding(t, got, false)
	}
	for _, b := range booked {
		w.wantHolding(t, b, true)
	}
	// Lines: the one-off call and the new occurrences only.
	if n := w.s.rdb.ZCard(ctx, w.s.k.lines(w.home.ID)).Val(); n != 1+homelink.SeriesWeeks {
		t.Fatalf("%d calls hold lines", n)
	}
	// Someone else may take the old slots at once.
	other := w.addChild(t, "丽丽")
	for i, b := range oldCalls {
		w.link(t, other.ID, int64(600+i))
		w.mustBook(t, int64(600+i), other.ID, b.Start)
	}
	// A move is no new request, nor a cancel, in the week's counts.
	if c := w.totals(t); c[homelink.Requested] != 2+homelink.SeriesWeeks || c[homelink.Cancelled] != 0 || c[homelink.Confirmed] != 1 {
		t.Fatalf("counts %v", c)
	}
	// Confirming the moved standing call is not counted again.
	if _, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, booked[1].ID, homelink.Confirmed); err != nil {
		t.Fatal(err)
	}
	if c := w.totals(t); c[homelink.Confirmed] != 1 {
		t.Fatalf("counts after confirming the moved call %v", c)
	}
	// The old one cannot be moved again.
	if _, _, _, err := w.s.MoveSeries(ctx, homelink.By{User: mom}, w.home.ID, old.ID, w.at(1, 16, 0)); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("moving an ended standing call: %v", err)
	}
}

// A move that cannot take its new first slot changes nothing; only the
// guardian who booked the standing call may move it.
func TestARefusedMoveChangesNothing(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	old, oldCalls, _ := w.bookSeries(t, mom, w.at(1, 15, 0))
	w.link(t, w.child.ID, 503) // the child's father
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, 502)
	taken := w.mustBook(t, 502, other.ID, w.at(1, 16, 0))
	snapshot := func() map[string]string {
		keys, _ := w.s.rdb.Keys(ctx, w.s.k.prefix+"*").Result()
		out := map[string]string{}
		for _, k := range keys {
			if k == w.s.k.seq("call") || k == w.s.k.seq("series") {
				continue // ids are reserved before the script runs
			}
			out[k] = w.s.rdb.Dump(ctx, k).Val()
		}
		return out
	}
	before := snapshot()
	if _, _, _, err := w.s.MoveSeries(ctx, homelink.By{User: mom}, w.home.ID, old.ID, taken.Start); !errors.Is(err, homelink.ErrSlotTaken) {
		t.Fatalf("a move onto a taken slot: %v", err)
	}
	for _, who := range []int64{503, 502, w.teacher, 77} {
		if _, _, _, err := w.s.MoveSeries(ctx, homelink.By{User: who}, w.home.ID, old.ID, w.at(1, 17, 0)); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("%d moved the standing call: %v", who, err)
		}
	}
	after := snapshot()
	if len(after) != len(before) {
		t.Fatalf("keys %d before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("%s changed", k)
		}
	}
	for _, b := range oldCalls {
		w.wantHolding(t, b, true)
	}
}
