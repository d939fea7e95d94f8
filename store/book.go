package store

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/homelink/homelink"
)

// Booking and moving a call: Go checks the slot against the home's hours
// (read with their version), then one script checks, where it writes, the
// guardian's right, that the hours did not change, the free lines, the
// child's other calls and the guardian's limit, and writes everything.

// bookRules reads what checking a slot of home h needs and reserves n ids
// of seq (none when n is 0), in one round trip; first is the first id.
func (s *Store) bookRules(ctx context.Context, h int64, seq string, n int) (r slotRules, first int64, err error) {
	pipe := s.rdb.Pipeline()
	hours := pipe.HMGet(ctx, s.k.hours(h), "json", "v")
	tz := pipe.HGet(ctx, s.k.home(h), "tz")
	var next interface{ Val() int64 }
	if n > 0 {
		next = pipe.IncrBy(ctx, s.k.seq(seq), int64(n))
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return slotRules{}, 0, fmt.Errorf("store: hours of %d: %w", h, err)
	}
	if n > 0 {
		first = next.Val() - int64(n) + 1
	}
	vals := hours.Val()
	raw, _ := vals[0].(string)
	version, _ := vals[1].(string)
	if version == "" {
		version = "0"
	}
	return slotRules{hrs: hoursFrom(raw), version: version, zone: s.zoneFrom(tz)}, first, nil
}

// checkSlot checks that start is a slot a call can be booked or moved to:
// homelink.ErrSlotPast once it has begun, homelink.ErrClosed on a day the
// home is closed, homelink.ErrSlotTaken when it is not one of the hours'
// slots (any more).
func checkSlot(r slotRules, start, now time.Time) error {
	if !start.After(now) {
		return homelink.ErrSlotPast
	}
	if r.hrs.ClosedOn(homelink.DateOf(start.In(r.zone))) {
		return homelink.ErrClosed
	}
	if !r.hrs.IsSlot(r.zone, start) {
		return homelink.ErrSlotTaken
	}
	return nil
}

// checkRequest checks what a guardian typed or chose, before any slot.
func checkRequest(req homelink.BookingRequest) error {
	if !req.Kind.Valid() {
		return fmt.Errorf("store: book: kind %q: %w", req.Kind, homelink.ErrBadLine)
	}
	if utf8.RuneCountInString(req.Note) > homelink.MaxNote {
		return homelink.ErrTextTooLong
	}
	return nil
}

// maxUpcoming is the guardian's limit for one child.
func maxUpcoming(req homelink.BookingRequest) int {
	if req.MaxUpcoming > 0 {
		return req.MaxUpcoming
	}
	return homelink.DefaultMaxUpcoming
}

// retryOnHours runs try, and once more when the hours changed under it;
// hours that keep changing leave the slot refused as taken.
func retryOnHours[T any](try func() (T, error)) (T, error) {
	v, err := try()
	if errors.Is(err, errHoursChanged) {
		v, err = try()
	}
	if errors.Is(err, errHoursChanged) {
		err = homelink.ErrSlotTaken
	}
	return v, err
}

// Book requests a call of the home's slot length at req.Start for
// by.User, who must be a guardian of the child at that home (checked as
// it writes). It is Confirmed at once when the home auto-confirms.
// homelink.ErrSlotPast, ErrClosed, ErrSlotTaken, ErrChildBusy,
// ErrTooManyUpcoming, ErrNotAllowed or ErrTextTooLong (the note) refuse
// it and change nothing.
func (s *Store) Book(ctx context.Context, by homelink.By, req homelink.BookingRequest) (homelink.Booking, error) {
	if err := checkRequest(req); err != nil {
		return homelink.Booking{}, err
	}
	return retryOnHours(func() (homelink.Booking, error) {
		r, id, err := s.bookRules(ctx, req.HomeID, "call", 1)
		if err != nil {
			return homelink.Booking{}, err
		}
		now := s.clock.Now()
		if err := checkSlot(r, req.Start, now); err != nil {
			return homelink.Booking{}, err
		}
		state := homelink.Requested
		if r.hrs.AutoConfirm {
			state = homelink.Confirmed
		}
		args := append(s.clockArgs(now, r.zone), id, req.HomeID, req.ChildID, by.User, req.Start.UnixMilli(),
			r.hrs.SlotMinutes, string(req.Kind), req.Note, string(state),
			homelink.RequestExpiry(now, req.Start).UnixMilli(), r.version, r.hrs.Lines, maxUpcoming(req))
		return s.callOp(ctx, "book", "call_book", []string{s.k.hours(req.HomeID)}, args...)
	})
}

// Reschedule moves active call id of home h to start, for the guardian who
// booked it or the home's staff: the old slot is freed only when the new
// one is taken, and any refusal keeps the old one. to is the state after
// the move: Requested, or Confirmed (the home's staff, a guardian taking
// a time a teacher proposed, or any move in a home that auto-confirms).
// Proposals are cleared and the agenda items follow the new time.
func (s *Store) Reschedule(ctx context.Context, by homelink.By, h, id int64, start time.Time, to homelink.BookingState) (homelink.Booking, error) {
	if to != homelink.Requested && to != homelink.Confirmed {
		return homelink.Booking{}, fmt.Errorf("store: reschedule %d to %q: %w", id, to, homelink.ErrStateChanged)
	}
	return retryOnHours(func() (homelink.Booking, error) {
		r, _, err := s.bookRules(ctx, h, "", 0)
		if err != nil {
			return homelink.Booking{}, err
		}
		now := s.clock.Now()
		if err := checkSlot(r, start, now); err != nil {
			return homelink.Booking{}, err
		}
		state, auto := to, "0"
		if r.hrs.AutoConfirm {
			state, auto = homelink.Confirmed, "1"
		}
		args := append(s.clockArgs(now, r.zone), h, id, by.User, start.UnixMilli(), r.hrs.SlotMinutes,
			string(state), homelink.RequestExpiry(now, start).UnixMilli(), r.version, r.hrs.Lines, auto)
		return s.callOp(ctx, "reschedule", "call_reschedule", []string{s.k.hours(h)}, args...)
	})
}
