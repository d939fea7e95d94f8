package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/homelink/homelink"
)

// A standing weekly call is a series hash and its occurrences, each a call
// of its own with Series set, booked homelink.SeriesWeeks ahead. Its
// weekly agenda item (series.renew) books the next one. Occurrences
// follow the home's local wall time across daylight-saving changes: their
// local dates are computed here and their starts handed to the scripts.

// occurrence is the start of a standing call on local date d at minute
// (after local midnight) in loc.
func occurrence(d homelink.Date, minute int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, minute/60, minute%60, 0, 0, loc)
}

// addDays is the date n days after d.
func addDays(d homelink.Date, n int) homelink.Date {
	return homelink.DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// seriesPlan is what booking a standing call computed in Go.
type seriesPlan struct {
	minute  int
	local   time.Time
	args    []any       // three per occurrence to book: id, start, expiry
	skipped []time.Time // occurrences the hours leave out (closed, no slot)
	last    homelink.Date
}

// planSeries lays out the first SeriesWeeks occurrences from start, the
// first id first.
func planSeries(r slotRules, start, now time.Time, first int64) seriesPlan {
	local := start.In(r.zone)
	p := seriesPlan{minute: local.Hour()*60 + local.Minute(), local: local}
	d0 := homelink.DateOf(local)
	for i := range homelink.SeriesWeeks {
		d := addDays(d0, 7*i)
		at := occurrence(d, p.minute, r.zone)
		p.last = d
		if i > 0 && checkSlot(r, at, now) != nil {
			p.skipped = append(p.skipped, at)
			continue
		}
		p.args = append(p.args, first+int64(i), at.UnixMilli(), homelink.RequestExpiry(now, at).UnixMilli())
	}
	return p
}

// BookSeries makes a standing weekly call at req.Start's local weekday and
// time for by.User and books its first homelink.SeriesWeeks occurrences.
// The first must be bookable, refused as Book refuses; later ones the
// hours leave out (closed dates) or with no free line or the child busy
// are skipped and returned. The guardian's limit (req.MaxUpcoming) counts
// the standing call once, as one commitment: its own occurrences are not
// held against it, while one-off calls still are.
func (s *Store) BookSeries(ctx context.Context, by homelink.By, req homelink.BookingRequest) (homelink.Series, []homelink.Booking, []time.Time, error) {
	if err := checkRequest(req); err != nil {
		return homelink.Series{}, nil, nil, err
	}
	m, err := retryOnHours(func() (made, error) {
		series, booked, skipped, err := s.bookSeriesOnce(ctx, by, req)
		return made{series, booked, skipped}, err
	})
	return m.series, m.booked, m.skipped, err
}

func (s *Store) bookSeriesOnce(ctx context.Context, by homelink.By, req homelink.BookingRequest) (homelink.Series, []homelink.Booking, []time.Time, error) {
	r, first, err := s.bookRules(ctx, req.HomeID, "call", homelink.SeriesWeeks)
	if err != nil {
		return homelink.Series{}, nil, nil, err
	}
	now := s.clock.Now()
	if err := checkSlot(r, req.Start, now); err != nil {
		return homelink.Series{}, nil, nil, err
	}
	sid, err := s.rdb.Incr(ctx, s.k.seq("series")).Result()
	if err != nil {
		return homelink.Series{}, nil, nil, fmt.Errorf("store: book series: %w", err)
	}
	p := planSeries(r, req.Start, now, first)
	state := homelink.Requested
	if r.hrs.AutoConfirm {
		state = homelink.Confirmed
	}
	args := append(s.clockArgs(now, r.zone), sid, req.HomeID, req.ChildID, by.User, int(p.local.Weekday()),
		p.minute, r.hrs.SlotMinutes, string(req.Kind), req.Note, string(state), r.version, r.hrs.Lines,
		maxUpcoming(req), p.last.String(), req.Start.UnixMilli())
	res, err := s.run(ctx, "series_book", []string{s.k.hours(req.HomeID)}, append(args, p.args...)...).Slice()
	if err != nil {
		return homelink.Series{}, nil, nil, fmt.Errorf("store: book series: %w", err)
	}
	if err := callStatus(res[0].(string)); err != nil {
		return homelink.Series{}, nil, nil, err
	}
	skipped := append(p.skipped, startsOf(res[2])...)
	slices.SortFunc(skipped, func(a, b time.Time) int { return a.Compare(b) })
	series := homelink.Series{ID: sid, HomeID: req.HomeID, ChildID: req.ChildID, Guardian: by.User,
		Day: p.local.Weekday(), Minute: p.minute, Minutes: r.hrs.SlotMinutes, Kind: req.Kind, Note: req.Note, State: state}
	return series, bookingsOf(res[1]), skipped, nil
}

// bookingsOf reads a list of calls' field lists a script returned.
func bookingsOf(v any) []homelink.Booking {
	list, _ := v.([]any)
	var out []homelink.Booking
	for _, item := range list {
		if flat, ok := item.([]any); ok && len(flat) > 0 {
			out = append(out, bookingFrom(flatMap(flat)))
		}
	}
	return out
}

// startsOf reads a list of unix ms a script returned.
func startsOf(v any) []time.Time {
	list, _ := v.([]any)
	var out []time.Time
	for _, item := range list {
		if ms, ok := item.(string); ok && ms != "" {
			out = append(out, msTime(ms))
		}
	}
	return out
}

// Series reads standing call id of home h; homelink.ErrNotFound when
// there is none (any more).
func (s *Store) Series(ctx context.Context, h, id int64) (homelink.Series, error) {
	m, err := s.rdb.HGetAll(ctx, s.k.series(h, id)).Result()
	if err != nil {
		return homelink.Series{}, fmt.Errorf("store: series %d of %d: %w", id, h, err)
	}
	if len(m) == 0 {
		return homelink.Series{}, homelink.ErrNotFound
	}
	return seriesFrom(m), nil
}

// seriesFrom reads a series hash (see keys.go).
func seriesFrom(m map[string]string) homelink.Series {
	num := func(k string) int64 { n, _ := strconv.ParseInt(m[k], 10, 64); return n }
	return homelink.Series{ID: num("id"), HomeID: num("home"), ChildID: num("child"), Guardian: num("g"),
		Day: time.Weekday(num("day")), Minute: int(num("minute")), Minutes: int(num("min")),
		Kind: homelink.CallKind(m["kind"]), Note: m["note"], State: homelink.BookingState(m["state"])}
}

// CancelSeries ends standing call id of home h, for its guardian or the
// home's staff, and cancels its active occurrences still ahead (returned);
// no renewal follows. One that had ended is homelink.ErrStateChanged.
func (s *Store) CancelSeries(ctx context.Context, by homelink.By, h, id int64, reason string) (homelink.Series, []homelink.Booking, error) {
	if len([]rune(reason)) > homelink.MaxReason {
		return homelink.Series{}, nil, homelink.ErrTextTooLong
	}
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return homelink.Series{}, nil, err
	}
	args := append(s.clockArgs(s.clock.Now(), zone), h, id, by.User, reason)
	res, err := s.run(ctx, "series_cancel", []string{s.k.series(h, id)}, args...).Slice()
	if err != nil {
		return homelink.Series{}, nil, fmt.Errorf("store: cancel series %d: %w", id, err)
	}
	if err := callStatus(res[0].(string)); err != nil {
		var series homelink.Series
		if len(res) > 1 {
			flat, _ := res[1].([]any)
			series = seriesFrom(flatMap(flat))
		}
		return series, nil, err
	}
	flat, _ := res[1].([]any)
	return seriesFrom(flatMap(flat)), bookingsOf(res[2]), nil
}
