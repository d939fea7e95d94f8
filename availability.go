package homelink

import (
	"cmp"
	"slices"
	"time"
)

// Free lists the slots starting in [from, to) that have a free line and
// do not overlap the child's calls; with shifts, the slots overlapping
// them (read in the guardian's zone, personal; nil means a.Zone) are left
// out and counted in hidden (only slots that would otherwise be free).
// It sorts and sweeps: the slots, the calls and the shifts are each
// walked once.
func (a Availability) Free(from, to time.Time, shifts Shifts, personal *time.Location) (free []time.Time, hidden int) {
	slots := a.Hours.Slots(a.Zone, from, to)
	if len(slots) == 0 {
		return nil, 0
	}
	dur := int64(a.Hours.SlotMinutes) * int64(time.Minute)
	lines := max(a.Hours.Lines, 1)
	taken := newSweep(a.Taken)
	busy := newSweep(a.ChildBusy)
	var work sweep
	if !shifts.IsZero() {
		personal = cmp.Or(personal, a.Zone, time.UTC)
		work = newSweep(shifts.intervals(personal, slots[0], slots[len(slots)-1].Add(time.Duration(dur))))
	}
	free = slots[:0]
	for _, s := range slots {
		start := s.UnixNano()
		end := start + dur
		if taken.count(start, end) >= lines || busy.count(start, end) > 0 {
			continue
		}
		if work.count(start, end) > 0 {
			hidden++
			continue
		}
		free = append(free, s)
	}
	return free, hidden
}

// FreeAt reports whether the slot at start has a free line and does not
// overlap the child's calls; a time that is not one of the hours' slots
// (closed that day, outside the windows) is not free.
func (a Availability) FreeAt(start time.Time) bool {
	if !a.Hours.IsSlot(a.Zone, start) {
		return false
	}
	slot := Interval{start, start.Add(time.Duration(a.Hours.SlotMinutes) * time.Minute)}
	held := 0
	for _, t := range a.Taken {
		if t.Start.Before(t.End) && slot.Overlaps(t) {
			held++
		}
	}
	if held >= max(a.Hours.Lines, 1) {
		return false
	}
	for _, b := range a.ChildBusy {
		if b.Start.Before(b.End) && slot.Overlaps(b) {
			return false
		}
	}
	return true
}

// sweep counts the intervals overlapping [s, e) as s and e only move
// forward: those starting before e less those ending by s (an interval
// that ends by s started before e).
type sweep struct {
	starts, ends []int64
	i, j         int
}

// newSweep sorts the starts and ends of the intervals that have a length.
func newSweep(ivs []Interval) sweep {
	if len(ivs) == 0 {
		return sweep{}
	}
	buf := make([]int64, 0, 2*len(ivs))
	for _, iv := range ivs {
		if iv.Start.Before(iv.End) {
			buf = append(buf, iv.Start.UnixNano())
		}
	}
	n := len(buf)
	for _, iv := range ivs {
		if iv.Start.Before(iv.End) {
			buf = append(buf, iv.End.UnixNano())
		}
	}
	w := sweep{starts: buf[:n:n], ends: buf[n:]}
	if !slices.IsSorted(w.starts) {
		slices.Sort(w.starts)
	}
	if !slices.IsSorted(w.ends) {
		slices.Sort(w.ends)
	}
	return w
}

// count is how many intervals overlap [s, e).
func (w *sweep) count(s, e int64) int {
	for w.i < len(w.starts) && w.starts[w.i] < e {
		w.i++
	}
	for w.j < len(w.ends) && w.ends[w.j] <= s {
		w.j++
	}
	return w.i - w.j
}
