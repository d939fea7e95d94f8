package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/homelink/homelink"
)

// What happens to a call after it was booked: a teacher decides, proposes
// other times or marks it; either side cancels; the agenda expires it.
// Each is one script that checks the right and the state where it writes;
// a change someone made first is homelink.ErrStateChanged with the call as
// it now is.

// change runs call script name on call id of home h with the clock block
// (in the home's zone) and args after it.
func (s *Store) change(ctx context.Context, op, name string, h, id int64, args ...any) (homelink.Booking, error) {
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return homelink.Booking{}, err
	}
	all := append(append(s.clockArgs(s.clock.Now(), zone), h, id), args...)
	return s.callOp(ctx, op, name, []string{s.k.call(h, id)}, all...)
}

// Decide confirms or declines request id of home h, for a teacher of the
// home (homelink.ErrNotAllowed otherwise). A call no longer requested is
// homelink.ErrStateChanged, returned as it is (By and At say who acted).
// Confirming an occurrence of a requested standing call confirms the
// standing call and its other requested occurrences ahead; declining one
// declines the standing call: it ends (State Declined, no more renewals)
// and its other requested occurrences are declined with it, their lines
// freed (Series and Booking read them).
func (s *Store) Decide(ctx context.Context, by homelink.By, h, id int64, to homelink.BookingState) (homelink.Booking, error) {
	if to != homelink.Confirmed && to != homelink.Declined {
		return homelink.Booking{}, fmt.Errorf("store: decide %d to %q: %w", id, to, homelink.ErrStateChanged)
	}
	return s.change(ctx, "decide", "call_decide", h, id, by.User, string(to))
}

// Propose keeps up to homelink.MaxProposals other times a teacher offers
// for request id of home h, until the guardian chooses one (Reschedule to
// Confirmed) or none. Times must lie ahead.
func (s *Store) Propose(ctx context.Context, by homelink.By, h, id int64, times []time.Time) (homelink.Booking, error) {
	if len(times) == 0 || len(times) > homelink.MaxProposals {
		return homelink.Booking{}, fmt.Errorf("store: propose %d times for %d: %w", len(times), id, homelink.ErrTooMany)
	}
	now := s.clock.Now()
	ms := make([]string, len(times))
	for i, t := range times {
		if !t.After(now) {
			return homelink.Booking{}, homelink.ErrSlotPast
		}
		ms[i] = itoa(t.UnixMilli())
	}
	return s.change(ctx, "propose", "call_propose", h, id, by.User, strings.Join(ms, ","))
}

// Cancel cancels active call id of home h, for the guardian who booked it
// or the home's teachers and coordinators, keeping who, when and reason
// (at most homelink.MaxReason characters: homelink.ErrTextTooLong).
func (s *Store) Cancel(ctx context.Context, by homelink.By, h, id int64, reason string) (homelink.Booking, error) {
	if utf8.RuneCountInString(reason) > homelink.MaxReason {
		return homelink.Booking{}, homelink.ErrTextTooLong
	}
	return s.change(ctx, "cancel", "call_cancel", h, id, by.User, reason)
}

// Mark records confirmed call id of home h held or missed, for a teacher
// of the home, once it has started; before its start, or when it is not
// confirmed, homelink.ErrStateChanged with the call as it is.
func (s *Store) Mark(ctx context.Context, by homelink.By, h, id int64, to homelink.BookingState) (homelink.Booking, error) {
	if to != homelink.Held && to != homelink.Missed {
		return homelink.Booking{}, fmt.Errorf("store: mark %d %q: %w", id, to, homelink.ErrStateChanged)
	}
	return s.change(ctx, "mark", "call_mark", h, id, by.User, string(to))
}

// Expire expires request id of home h if it is still unanswered at its
// expiry (the agenda's call.expire), freeing its line; false when it was
// decided, moved, cancelled or is gone. An occurrence of a standing call
// still requested takes it along: the standing call ends (State Expired)
// and its other requested occurrences expire too.
func (s *Store) Expire(ctx context.Context, h, id int64) (homelink.Booking, bool, error) {
	b, err := s.change(ctx, "expire", "call_expire", h, id)
	switch {
	case err == nil:
		return b, true, nil
	case isStateChanged(err):
		return b, false, nil
	}
	return b, false, err
}

func isStateChanged(err error) bool {
	return errors.Is(err, homelink.ErrStateChanged) || errors.Is(err, homelink.ErrNotFound)
}
