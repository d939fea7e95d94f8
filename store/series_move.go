package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/homelink/homelink"
)

// MoveSeries moves standing call series of home h to start's local
// weekday and time, for the guardian who booked it (homelink.ErrNotAllowed
// for anyone else, or once they are no longer one of the child), in one
// step: a new standing call is made at start with the old one's child,
// kind and note, its occurrences booked homelink.SeriesWeeks ahead as
// BookSeries books them (the first must be bookable, refused as Book
// refuses; later ones closed or not bookable are skipped and returned),
// and only then does the old one end, its active occurrences still ahead
// cancelled. The old one's own occurrences do not count against the
// lines, the child's other calls or the guardian's limit: the move swaps
// one commitment for another, so the limit is not checked again. The new
// standing call is Requested unless the home auto-confirms. A refusal
// changes nothing; an old standing call that had ended is
// homelink.ErrStateChanged. It returns the new standing call, its booked
// occurrences and the skipped starts.
func (s *Store) MoveSeries(ctx context.Context, by homelink.By, h, series int64, start time.Time) (homelink.Series, []homelink.Booking, []time.Time, error) {
	m, err := retryOnHours(func() (made, error) {
		return s.moveSeriesOnce(ctx, by, h, series, start)
	})
	return m.series, m.booked, m.skipped, err
}

// made is what making a standing call gave.
type made struct {
	series  homelink.Series
	booked  []homelink.Booking
	skipped []time.Time
}

func (s *Store) moveSeriesOnce(ctx context.Context, by homelink.By, h, old int64, start time.Time) (made, error) {
	r, first, err := s.bookRules(ctx, h, "call", homelink.SeriesWeeks)
	if err != nil {
		return made{}, err
	}
	now := s.clock.Now()
	if err := checkSlot(r, start, now); err != nil {
		return made{}, err
	}
	sid, err := s.rdb.Incr(ctx, s.k.seq("series")).Result()
	if err != nil {
		return made{}, fmt.Errorf("store: move series %d: %w", old, err)
	}
	p := planSeries(r, start, now, first)
	state := homelink.Requested
	if r.hrs.AutoConfirm {
		state = homelink.Confirmed
	}
	args := append(s.clockArgs(now, r.zone), sid, h, old, by.User, int(p.local.Weekday()), p.minute,
		r.hrs.SlotMinutes, string(state), r.version, r.hrs.Lines, 0, p.last.String(), start.UnixMilli())
	res, err := s.run(ctx, "series_move", []string{s.k.hours(h), s.k.series(h, old)}, append(args, p.args...)...).Slice()
	if err != nil {
		return made{}, fmt.Errorf("store: move series %d: %w", old, err)
	}
	if err := callStatus(res[0].(string)); err != nil {
		return made{}, err
	}
	skipped := append(p.skipped, startsOf(res[2])...)
	slices.SortFunc(skipped, func(a, b time.Time) int { return a.Compare(b) })
	booked := bookingsOf(res[1])
	series := homelink.Series{ID: sid, HomeID: h, Guardian: by.User, Day: p.local.Weekday(), Minute: p.minute,
		Minutes: r.hrs.SlotMinutes, State: state}
	if len(booked) > 0 {
		series.ChildID, series.Kind, series.Note = booked[0].ChildID, booked[0].Kind, booked[0].Note
	}
	return made{series, booked, skipped}, nil
}
