package homelink

import (
	"slices"
	"time"
)

// Availability is what listing a home's free slots needs, read in one
// round trip: the hours, the home's zone, the calls holding a line, and
// the calls of the child being booked for.
type Availability struct {
	Hours Hours
	Zone  *time.Location
	// Taken are the home's active calls (requested or confirmed) in the
	// range asked for; each holds one line for its interval.
	Taken []Interval
	// ChildBusy are the child's active calls, whichever guardian booked
	// them: a child never has two overlapping calls.
	ChildBusy []Interval
}

// Slots lists the start of every slot of h that starts in [from, to), in
// loc (the home's zone), skipping closed dates. Around a daylight-saving
// change a local time that does not exist is skipped and one that occurs
// twice is offered once (its first occurrence). Slots are laid from each
// window's start every SlotMinutes; a last slot that would end after the
// window's end is not offered. The result is in time order.
func (h Hours) Slots(loc *time.Location, from, to time.Time) []time.Time {
	if loc == nil {
		loc = time.UTC
	}
	if !from.Before(to) || h.SlotMinutes <= 0 || len(h.Windows) == 0 {
		return nil
	}
	ws := h.Windows
	if !slices.IsSortedFunc(ws, compareWindows) {
		ws = slices.Clone(ws)
		sortWindows(ws)
	}
	first, last := dayNumber(DateOf(from.In(loc))), dayNumber(DateOf(to.In(loc)))
	var perDay [7]int
	for _, w := range ws {
		if w.End > w.Start {
			perDay[w.Day%7] += (w.End - w.Start) / h.SlotMinutes
		}
	}
	size := 0
	for n := first; n <= last; n++ {
		size += perDay[weekdayOfDay(n)]
	}
	if size == 0 {
		return nil
	}
	out := make([]time.Time, 0, size)
	for n := first; n <= last; n++ {
		out = h.daySlots(out, ws, loc, n, from, to)
	}
	return out
}

// daySlots appends the slots of day number n that start in [from, to).
func (h Hours) daySlots(out []time.Time, ws []Window, loc *time.Location, n int, from, to time.Time) []time.Time {
	d := dateOfDay(n)
	wd := weekdayOfDay(n)
	if h.ClosedOn(d) {
		return out
	}
	day := newDayClock(loc, d)
	for _, w := range ws {
		if w.Day != wd {
			continue
		}
		for m := w.Start; m+h.SlotMinutes <= w.End; m += h.SlotMinutes {
			t, ok := day.at(m)
			if !ok || t.Before(from) {
				continue
			}
			if !t.Before(to) {
				return out
			}
			out = append(out, t)
		}
	}
	return out
}

// dayClock turns wall times of one local date into instants. On a day
// with no zone change (nearly all) that is midnight plus the minutes;
// around a change each time is built from its wall time.
type dayClock struct {
	loc      *time.Location
	d        Date
	midnight time.Time
	uniform  bool
}

func newDayClock(loc *time.Location, d Date) dayClock {
	mid := d.In(loc)
	_, end := mid.ZoneBounds()
	uniform := mid.Hour() == 0 && mid.Minute() == 0 && mid.Day() == d.Day &&
		(end.IsZero() || !end.Before(mid.Add(24*time.Hour)))
	return dayClock{loc: loc, d: d, midnight: mid, uniform: uniform}
}

// at is the first instant whose wall time on the day is m minutes after
// midnight; false when the clocks skip it.
func (c dayClock) at(m int) (time.Time, bool) {
	if c.uniform {
		return c.midnight.Add(time.Duration(m) * time.Minute), true
	}
	t := time.Date(c.d.Year, c.d.Month, c.d.Day, m/60, m%60, 0, 0, c.loc)
	if !c.wallIs(t, m) {
		return t, false
	}
	// Clocks turned back: the same wall time came earlier under the
	// zone before the change.
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t, true
	}
	_, off := t.Zone()
	_, prev := start.Add(-time.Second).Zone()
	if prev > off {
		if e := t.Add(-time.Duration(prev-off) * time.Second); e.Before(start) && c.wallIs(e, m) {
			return e, true
		}
	}
	return t, true
}

func (c dayClock) wallIs(t time.Time, m int) bool {
	y, mo, d := t.Date()
	return y == c.d.Year && mo == c.d.Month && d == c.d.Day && t.Hour()*60+t.Minute() == m
}

// IsSlot reports whether start is the start of one of h's slots in loc
// on a day the home is open (the first occurrence of a wall time that a
// daylight-saving change repeats).
func (h Hours) IsSlot(loc *time.Location, start time.Time) bool {
	if loc == nil {
		loc = time.UTC
	}
	if h.SlotMinutes <= 0 {
		return false
	}
	local := start.In(loc)
	if local.Second() != 0 || local.Nanosecond() != 0 {
		return false
	}
	d := DateOf(local)
	if h.ClosedOn(d) {
		return false
	}
	m := local.Hour()*60 + local.Minute()
	for _, w := range h.Windows {
		if w.Day == local.Weekday() && m >= w.Start && m+h.SlotMinutes <= w.End && (m-w.Start)%h.SlotMinutes == 0 {
			t, ok := newDayClock(loc, d).at(m)
			return ok && t.Equal(start)
		}
	}
	return false
}

// ClosedOn reports whether the home is closed on d.
func (h Hours) ClosedOn(d Date) bool {
	for _, c := range h.Closed {
		if !d.Before(c.From) && !c.To.Before(d) {
			return true
		}
	}
	return false
}
