package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// A guardian moves a request: the new slot is taken and the old freed in
// one step, the expiry follows the new time; a refused move keeps the old
// slot exactly.
func TestRescheduleMovesTheSlotAndItsAgendaOrNothing(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, 502)
	b := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	blocker := w.mustBook(t, 502, other.ID, w.at(2, 10, 0))
	mine := homelink.By{User: mom}

	// Refusals: the line is taken, the past, not a slot, a stranger.
	for _, tc := range []struct {
		who   int64
		start time.Time
		want  error
	}{
		{mom, blocker.Start, homelink.ErrSlotTaken},
		{mom, w.at(0, 16, 0), homelink.ErrSlotPast},
		{mom, w.at(2, 10, 7), homelink.ErrSlotTaken},
		{502, w.at(3, 10, 0), homelink.ErrNotAllowed},
		{teacherOf(3), w.at(3, 10, 0), homelink.ErrNotAllowed},
	} {
		if _, err := w.s.Reschedule(ctx, homelink.By{User: tc.who}, w.home.ID, b.ID, tc.start, homelink.Requested); !errors.Is(err, tc.want) {
			t.Fatalf("move by %d to %v: %v, want %v", tc.who, tc.start, err, tc.want)
		}
		got, _ := w.s.Booking(ctx, w.home.ID, b.ID)
		if !got.Start.Equal(b.Start) || got.State != homelink.Requested {
			t.Fatalf("a refused move changed the call: %+v", got)
		}
		w.wantHolding(t, got, true)
		w.wantAgenda(t, got, map[string]time.Time{KindCallExpire: homelink.RequestExpiry(b.CreatedAt, b.Start),
			KindCallForget: b.End().Add(homelink.DefaultHistoryRetention)})
	}
	// A guardian may not confirm a move themselves.
	if _, err := w.s.Reschedule(ctx, mine, w.home.ID, b.ID, w.at(3, 10, 0), homelink.Confirmed); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("a guardian confirmed their own move: %v", err)
	}

	w.clock.Advance(time.Hour)
	to := w.at(3, 10, 0)
	m, err := w.s.Reschedule(ctx, mine, w.home.ID, b.ID, to, homelink.Requested)
	if err != nil || m.ID != b.ID || !m.Start.Equal(to) || m.State != homelink.Requested {
		t.Fatalf("move = %+v, %v", m, err)
	}
	w.wantHolding(t, m, true)
	member := itoa(b.ID) + ":15"
	for _, key := range []string{w.s.k.lines(w.home.ID), w.s.k.childCalls(w.home.ID, w.child.ID)} {
		if at := w.s.rdb.ZScore(ctx, key, member).Val(); int64(at) != to.UnixMilli() {
			t.Fatalf("%s holds the call at %v, want the new start", key, at)
		}
	}
	w.wantAgenda(t, m, map[string]time.Time{KindCallExpire: homelink.RequestExpiry(w.clock.Now(), to),
		KindCallForget: m.End().Add(homelink.DefaultHistoryRetention)})
	if a, _ := w.s.Availability(ctx, w.home.ID, other.ID, b.Start, b.End()); len(a.Taken) != 0 {
		t.Fatalf("the old slot still taken: %v", a.Taken)
	}
	// The teacher moves a confirmed call: the end items follow.
	w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
	to = w.at(3, 11, 0)
	m, err = w.s.Reschedule(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, to, homelink.Confirmed)
	if err != nil || m.State != homelink.Confirmed {
		t.Fatalf("teacher's move = %+v, %v", m, err)
	}
	w.wantAgenda(t, m, map[string]time.Time{KindCallEnded: m.End(), KindCallUnmarked: m.End().Add(homelink.MarkAgainAfter),
		KindCallForget: m.End().Add(homelink.DefaultHistoryRetention), KindRemindDay: to.Add(-24 * time.Hour),
		KindRemindSoon: to.Add(-time.Hour), KindRemindStart: to, KindRemindNudge: to.Add(-10 * time.Minute)})
	// A cancelled call does not move.
	w.s.Cancel(ctx, mine, w.home.ID, b.ID, "")
	if _, err := w.s.Reschedule(ctx, mine, w.home.ID, b.ID, w.at(4, 10, 0), homelink.Requested); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("moved a cancelled call: %v", err)
	}
}

// A teacher proposes other times; the guardian takes one and the call is
// confirmed there, the proposals gone.
func TestAGuardianTakesATeachersProposal(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	b := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	times := []time.Time{w.at(2, 9, 0), w.at(2, 9, 30), w.at(3, 14, 0)}
	if _, err := w.s.Propose(ctx, homelink.By{User: mom}, w.home.ID, b.ID, times); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("a guardian proposed: %v", err)
	}
	if _, err := w.s.Propose(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, append(times, w.at(4, 9, 0))); err == nil {
		t.Fatal("four proposals taken")
	}
	if _, err := w.s.Propose(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, []time.Time{w.at(0, 9, 0)}); !errors.Is(err, homelink.ErrSlotPast) {
		t.Fatalf("a proposal in the past: %v", err)
	}
	p, err := w.s.Propose(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, times)
	if err != nil || len(p.Proposals) != 3 || !p.Proposals[1].Equal(times[1]) || p.State != homelink.Requested {
		t.Fatalf("propose = %+v, %v", p, err)
	}
	m, err := w.s.Reschedule(ctx, homelink.By{User: mom}, w.home.ID, b.ID, times[1], homelink.Confirmed)
	if err != nil || m.State != homelink.Confirmed || len(m.Proposals) != 0 || !m.Start.Equal(times[1]) {
		t.Fatalf("take proposal = %+v, %v", m, err)
	}
	if got, _ := w.s.Booking(ctx, w.home.ID, b.ID); len(got.Proposals) != 0 || got.State != homelink.Confirmed {
		t.Fatalf("read back %+v", got)
	}
	if c := w.counts(t); c[homelink.Confirmed] != 1 {
		t.Fatalf("counts %v", c)
	}
	if _, err := w.s.Propose(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, times[:1]); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("proposed for a confirmed call: %v", err)
	}
}

// The agenda's call.forget deletes a call and every trace of it once its
// time has come, and only then.
func TestForgetCallLeavesNoTrace(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	b := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
	if err := w.s.ForgetCall(ctx, w.home.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Booking(ctx, w.home.ID, b.ID); err != nil {
		t.Fatalf("forgotten before its time: %v", err)
	}
	w.clock.Set(b.End().Add(homelink.DefaultHistoryRetention))
	if err := w.s.ForgetCall(ctx, w.home.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Booking(ctx, w.home.ID, b.ID); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("still there: %v", err)
	}
	calls, lines, child, guardian := w.indexes(t, b)
	if calls || lines || child || guardian || len(w.agendaOf(t, callKeyOf(b))) != 0 {
		t.Fatalf("traces: %v %v %v %v %v", calls, lines, child, guardian, w.agendaOf(t, callKeyOf(b)))
	}
	if err := w.s.ForgetCall(ctx, w.home.ID, b.ID); err != nil {
		t.Fatalf("forgetting twice: %v", err)
	}
}

// A shorter retention (BOOKING_HISTORY_RETENTION) plans the forget item
// sooner.
func TestHistoryRetentionIsTheStoresOption(t *testing.T) {
	w := newCallWorld(t, 1)
	w.s.UseHistoryRetention(30 * 24 * time.Hour)
	b := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	if due := w.agendaOf(t, callKeyOf(b))[KindCallForget]; !due.Equal(b.End().Add(30 * 24 * time.Hour)) {
		t.Fatalf("forget due %v", due)
	}
}
