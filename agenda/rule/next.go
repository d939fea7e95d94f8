package rule

import (
	"math/bits"
	"time"
)

// searchDays bounds Next's look-ahead: nine years covers the longest wait
// a satisfiable spec can have (29 February across 2100, which is no leap year).
const searchDays = 9 * 366

// Next returns the rule's first firing strictly after after, in the rule's
// zone, or the zero time for the zero Rule. Local times are resolved as the
// package documents: a repeated time fires at its first occurrence only, a
// skipped time at the first instant after the gap.
func (r Rule) Next(after time.Time) time.Time {
	if r.loc == nil {
		return time.Time{}
	}
	// Start a day early: a local date's first instants can lie before the
	// local date of after once clocks move.
	y, m, d := after.In(r.loc).Date()
	for i := -1; i < searchDays; i++ {
		date := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC)
		if !r.f.dayMatches(date) {
			continue
		}
		if t, ok := r.firstOn(date, after); ok {
			return t
		}
	}
	return time.Time{}
}

// firstOn is the rule's first firing on a civil date that falls after
// after. Resolved times rise with the wall clock, so an hour whose last
// minute resolves to after or earlier is skipped whole.
func (r Rule) firstOn(date time.Time, after time.Time) (time.Time, bool) {
	last := bits.Len64(r.f.minute&all(0, 59)) - 1
	for h := 0; h < 24; h++ {
		if r.f.hour&(1<<uint(h)) == 0 || !r.resolve(date, h, last).After(after) {
			continue
		}
		for minute := 0; minute <= last; minute++ {
			if r.f.minute&(1<<uint(minute)) == 0 {
				continue
			}
			if t := r.resolve(date, h, minute); t.After(after) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// resolve turns a local wall-clock time into an instant: the earlier one if
// the wall clock shows it twice, the end of the gap if it never shows it.
// time.Date alone does neither: in Europe/Berlin it gives 02:30 CET (the
// second) on 2026-10-25 and 03:30 CEST on 2026-03-29.
func (r Rule) resolve(date time.Time, hour, minute int) time.Time {
	wall := time.Date(date.Year(), date.Month(), date.Day(), hour, minute, 0, 0, time.UTC)
	t := time.Date(date.Year(), date.Month(), date.Day(), hour, minute, 0, 0, r.loc)
	start, end := t.ZoneBounds()
	switch shown := wallOf(t); {
	case shown.After(wall): // skipped; t landed past the gap, which ends where t's zone starts
		return nonZero(start, t)
	case shown.Before(wall): // skipped; t landed before the gap, which ends with t's zone
		return nonZero(end, t)
	}
	if start.IsZero() {
		return t
	}
	_, before := start.Add(-time.Nanosecond).Zone()
	_, now := t.Zone()
	earlier := t.Add(time.Duration(now-before) * time.Second)
	if earlier.Before(start) && wallOf(earlier).Equal(wall) {
		return earlier
	}
	return t
}

// wallOf is t's wall clock in its own zone, written as if it were UTC, so
// wall clocks compare as instants do.
func wallOf(t time.Time) time.Time {
	y, m, d := t.Date()
	h, min, s := t.Clock()
	return time.Date(y, m, d, h, min, s, t.Nanosecond(), time.UTC)
}

func nonZero(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t.In(fallback.Location())
}
