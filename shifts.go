package homelink

import (
	"cmp"
	"slices"
	"time"
)

// Shifts are when a guardian works, in their own time zone: /book offers
// only slots outside them. Either weekly (a day shift Mon–Sat 07:00–19:00,
// a night shift that crosses midnight) or a rotation of blocks of days
// (2 days, 2 nights, 2 off) from a start date.
type Shifts struct {
	// Weekly are shifts that repeat each week. End <= Start means the
	// shift runs past midnight into the next day.
	Weekly []ShiftWindow `json:"w,omitempty"`
	// Rotation, when set, replaces Weekly.
	Rotation *Rotation `json:"r,omitempty"`
}

// ShiftWindow is one weekly shift starting on Day.
type ShiftWindow struct {
	Day   time.Weekday `json:"d"`
	Start int          `json:"s"`
	End   int          `json:"e"`
}

// Rotation is a repeating cycle of blocks starting on Start.
type Rotation struct {
	Start  Date         `json:"s"`
	Blocks []ShiftBlock `json:"b"`
}

// ShiftBlock is Days days of the same shift (Start to End, minutes after
// midnight, crossing midnight when End <= Start), or Days days off.
type ShiftBlock struct {
	Days  int  `json:"n"`
	Off   bool `json:"o,omitempty"`
	Start int  `json:"s"`
	End   int  `json:"e"`
}

// IsZero reports whether no shifts are set.
func (s Shifts) IsZero() bool { return len(s.Weekly) == 0 && s.Rotation == nil }

// Limits of shifts.
const (
	// MaxWeeklyShifts bounds a guardian's weekly shifts.
	MaxWeeklyShifts = 14
	// MaxRotationBlocks and MaxRotationDays bound a rotation.
	MaxRotationBlocks = 6
	MaxRotationDays   = 28
)

// Overlaps reports whether i meets any shift, reading shifts in loc.
func (s Shifts) Overlaps(i Interval, loc *time.Location) bool {
	if s.IsZero() || !i.Start.Before(i.End) {
		return false
	}
	if loc == nil {
		loc = time.UTC
	}
	first := dayNumber(DateOf(i.Start.In(loc))) - 1
	last := dayNumber(DateOf(i.End.In(loc)))
	if last-first > 8+MaxRotationDays {
		// Longer than any cycle: it meets every shift there is.
		return s.hasWork()
	}
	hit := false
	s.each(loc, first, last, func(w Interval) bool {
		hit = w.Overlaps(i)
		return !hit
	})
	return hit
}

// intervals lists the shifts that may meet [from, to), read in loc.
func (s Shifts) intervals(loc *time.Location, from, to time.Time) []Interval {
	loc = cmp.Or(loc, time.UTC)
	first := dayNumber(DateOf(from.In(loc))) - 1
	last := dayNumber(DateOf(to.In(loc)))
	var out []Interval
	s.each(loc, first, last, func(w Interval) bool {
		out = append(out, w)
		return true
	})
	if !slices.IsSortedFunc(out, func(a, b Interval) int { return a.Start.Compare(b.Start) }) {
		slices.SortFunc(out, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	}
	return out
}

// each calls fn with every shift starting on day numbers first to last,
// in loc, until fn returns false.
func (s Shifts) each(loc *time.Location, first, last int, fn func(Interval) bool) {
	for n := first; n <= last; n++ {
		d := dateOfDay(n)
		if r := s.Rotation; r != nil {
			b, ok := r.blockOn(n)
			if ok && !b.Off && !fn(shiftOn(loc, d, b.Start, b.End)) {
				return
			}
			continue
		}
		wd := weekdayOfDay(n)
		for _, w := range s.Weekly {
			if w.Day == wd && !fn(shiftOn(loc, d, w.Start, w.End)) {
				return
			}
		}
	}
}

// blockOn is the rotation's block on day number n; the cycle repeats
// both ways from Start.
func (r *Rotation) blockOn(n int) (ShiftBlock, bool) {
	cycle := 0
	for _, b := range r.Blocks {
		cycle += max(b.Days, 0)
	}
	if cycle == 0 {
		return ShiftBlock{}, false
	}
	k := floorMod(n-dayNumber(r.Start), cycle)
	for _, b := range r.Blocks {
		if k < b.Days {
			return b, true
		}
		k -= max(b.Days, 0)
	}
	return ShiftBlock{}, false
}

// shiftOn is a shift from start to end minutes on local date d, crossing
// midnight when end <= start.
func shiftOn(loc *time.Location, d Date, start, end int) Interval {
	s := time.Date(d.Year, d.Month, d.Day, start/60, start%60, 0, 0, loc)
	ed := d.Day
	if end <= start {
		ed++
	}
	return Interval{s, time.Date(d.Year, d.Month, ed, end/60, end%60, 0, 0, loc)}
}

// hasWork reports whether any shift is work (not only days off).
func (s Shifts) hasWork() bool {
	if s.Rotation != nil {
		for _, b := range s.Rotation.Blocks {
			if !b.Off && b.Days > 0 {
				return true
			}
		}
		return false
	}
	return len(s.Weekly) > 0
}

// Validate checks shifts as ParseShifts makes them: at most
// MaxWeeklyShifts weekly shifts, or a rotation of 1 to MaxRotationBlocks
// blocks, MaxRotationDays days in all, with work in it; times within the
// day.
func (s Shifts) Validate() error {
	if s.Rotation != nil {
		return s.Rotation.validate()
	}
	if len(s.Weekly) > MaxWeeklyShifts {
		return ErrTooMany
	}
	for _, w := range s.Weekly {
		if w.Day < time.Sunday || w.Day > time.Saturday {
			return ErrUnknownDay
		}
		if !shiftTimesOK(w.Start, w.End) {
			return ErrBadTime
		}
	}
	return nil
}

func (r *Rotation) validate() error {
	if len(r.Blocks) == 0 || len(r.Blocks) > MaxRotationBlocks {
		return ErrTooMany
	}
	if !r.Start.valid() {
		return ErrBadDate
	}
	days, work := 0, false
	for _, b := range r.Blocks {
		if b.Days < 1 {
			return ErrBadLine
		}
		days += b.Days
		if b.Off {
			continue
		}
		work = true
		if !shiftTimesOK(b.Start, b.End) {
			return ErrBadTime
		}
	}
	if days > MaxRotationDays {
		return ErrTooMany
	}
	if !work {
		return ErrBadLine
	}
	return nil
}

func shiftTimesOK(start, end int) bool {
	return start >= 0 && start < 24*60 && end >= 0 && end <= 24*60
}
