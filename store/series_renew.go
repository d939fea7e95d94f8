package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/homelink/homelink"
)

// RenewSeries books the occurrence of standing call id of home h that
// lies homelink.SeriesWeeks ahead (the agenda's weekly series.renew) and
// puts the next renewal a week later, in the same step: the booked call,
// or the start it skipped (a closed date, no free line, the child busy).
// It does nothing for a standing call that ended, or when the renewal is
// not due (one run twice books once); a standing call whose guardian is
// no longer one of the child ends.
func (s *Store) RenewSeries(ctx context.Context, h, id int64) ([]homelink.Booking, []time.Time, error) {
	booked, skipped, err := s.renewSeriesOnce(ctx, h, id)
	if errors.Is(err, errHoursChanged) {
		booked, skipped, err = s.renewSeriesOnce(ctx, h, id)
	}
	if errors.Is(err, errHoursChanged) {
		return nil, nil, fmt.Errorf("store: renew series %d: %w", id, err) // the agenda retries
	}
	return booked, skipped, err
}

func (s *Store) renewSeriesOnce(ctx context.Context, h, id int64) ([]homelink.Booking, []time.Time, error) {
	r, callID, err := s.bookRules(ctx, h, "call", 1)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.rdb.HGetAll(ctx, s.k.series(h, id)).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("store: renew series %d: %w", id, err)
	}
	if !homelink.BookingState(m["state"]).Active() { // gone, or ended (cancelled, declined, expired)
		return nil, nil, nil
	}
	last, err := time.Parse(time.DateOnly, m["last"])
	if err != nil {
		return nil, nil, fmt.Errorf("store: renew series %d: last %q: %w", id, m["last"], err)
	}
	series := seriesFrom(m)
	next := addDays(homelink.DateOf(last), 7)
	now := s.clock.Now()
	if now.Before(occurrence(addDays(next, -7*homelink.SeriesWeeks), series.Minute, r.zone)) {
		return nil, nil, nil
	}
	start := occurrence(next, series.Minute, r.zone)
	nextDue := occurrence(addDays(next, -7*(homelink.SeriesWeeks-1)), series.Minute, r.zone)
	book := itoa(callID)
	if checkSlot(r, start, now) != nil {
		book = ""
	}
	args := append(s.clockArgs(now, r.zone), h, id, m["last"], next.String(), nextDue.UnixMilli(), book,
		start.UnixMilli(), homelink.RequestExpiry(now, start).UnixMilli(), r.version, r.hrs.Lines)
	res, err := s.run(ctx, "series_renew", []string{s.k.hours(h), s.k.series(h, id)}, args...).Slice()
	if err != nil {
		return nil, nil, fmt.Errorf("store: renew series %d: %w", id, err)
	}
	if status := res[0].(string); status != "ok" {
		if status == "hours" {
			return nil, nil, errHoursChanged
		}
		return nil, nil, nil // changed meanwhile, or ended
	}
	var booked []homelink.Booking
	if flat, _ := res[1].([]any); len(flat) > 0 {
		booked = []homelink.Booking{bookingFrom(flatMap(flat))}
	}
	var skipped []time.Time
	if at, _ := res[2].(string); at != "" && start.After(now) {
		skipped = []time.Time{start}
	}
	return booked, skipped, nil
}
