package homelink

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxClosedNote bounds a closed range's note ("Spring Festival").
const MaxClosedNote = 40

// ParseWindows reads typed call hours, one window per line or several
// separated by ";" or "，": "Sat 09:00-11:30", "周六 9:00-11:30",
// "Sat, Sun 14:00-17:00", "周一至周五 18:00-20:00". Full-width digits and
// punctuation, 点/分/半 and the dashes people type (-, –, —, ~, 到, 至) are
// understood. An error is a *HoursError naming the first refused line.
// Windows come in the order typed, a day range's days Monday first; a
// window overlapping another typed one is refused (ErrOverlap).
func ParseWindows(text string) ([]Window, error) {
	var out []Window
	lines := 0
	for n, line := range splitLines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		refuse := func(err error) error { return &HoursError{Line: n + 1, Text: strings.TrimSpace(line), Err: err} }
		dts, err := parseDayTimes(foldLine(line))
		if err != nil {
			return nil, refuse(err)
		}
		for _, dt := range dts {
			w := Window{Day: dt.day, Start: dt.start, End: dt.end}
			if w.End == 0 {
				w.End = 24 * 60 // "22:00-0:00" ends at midnight
			}
			if err := w.check(); err != nil {
				return nil, refuse(err)
			}
			if overlapsAny(w, out) {
				return nil, refuse(ErrOverlap)
			}
			if len(out) == MaxWindows {
				return nil, refuse(ErrTooMany)
			}
			out = append(out, w)
		}
	}
	if lines == 0 {
		return nil, &HoursError{Line: 1, Text: strings.TrimSpace(text), Err: ErrBadLine}
	}
	return out, nil
}

// AddWindows returns existing with added merged in, sorted by day (Monday
// first) and start; a window overlapping another, ending before it
// starts, or more than MaxWindows in all is refused: the *HoursError's
// Line is the 1-based index in added and its Text the window as
// "Sat 09:00-11:30". Touching windows (09:00-10:00, 10:00-11:00) are fine.
func AddWindows(existing, added []Window) ([]Window, error) {
	out := slices.Clone(existing)
	for i, w := range added {
		refuse := func(err error) error { return &HoursError{Line: i + 1, Text: w.String(), Err: err} }
		if err := w.check(); err != nil {
			return nil, refuse(err)
		}
		if overlapsAny(w, out) {
			return nil, refuse(ErrOverlap)
		}
		if len(out) >= MaxWindows {
			return nil, refuse(ErrTooMany)
		}
		out = append(out, w)
	}
	sortWindows(out)
	return out, nil
}

// sortWindows sorts ws by day, Monday first, then start.
func sortWindows(ws []Window) {
	slices.SortFunc(ws, compareWindows)
}

func compareWindows(a, b Window) int {
	if da, db := (a.Day+6)%7, (b.Day+6)%7; da != db {
		return int(da) - int(db)
	}
	return a.Start - b.Start
}

// check reports whether w is a day and a start before an end within it.
func (w Window) check() error {
	switch {
	case w.Day < time.Sunday || w.Day > time.Saturday:
		return ErrUnknownDay
	case w.Start < 0 || w.Start >= 24*60 || w.End < 0 || w.End > 24*60:
		return ErrBadTime
	case w.End <= w.Start:
		return ErrEndBeforeStart
	}
	return nil
}

// overlaps reports whether w and v share a moment (touching is fine).
func (w Window) overlaps(v Window) bool {
	return w.Day == v.Day && w.Start < v.End && v.Start < w.End
}

func overlapsAny(w Window, ws []Window) bool {
	for _, v := range ws {
		if w.overlaps(v) {
			return true
		}
	}
	return false
}

// String is w as "Sat 09:00-11:30", a form ParseWindows reads back.
func (w Window) String() string {
	return w.Day.String()[:3] + " " + clockString(w.Start) + "-" + clockString(w.End)
}

// clockString is minutes after midnight as "09:05" (24*60 is "24:00").
func clockString(min int) string {
	if min < 0 || min > 24*60 {
		return "??:??"
	}
	return twoDigits(min/60) + ":" + twoDigits(min%60)
}

// Validate checks hours as a whole: slot length, lines, windows, closed
// dates (the store refuses hours that fail it).
func (h Hours) Validate() error {
	if h.SlotMinutes < MinSlotMinutes || h.SlotMinutes > MaxSlotMinutes {
		return ErrBadSlot
	}
	if h.Lines < MinLines || h.Lines > MaxLines {
		return ErrBadLines
	}
	if len(h.Windows) > MaxWindows {
		return ErrTooMany
	}
	if h.Reminders != nil {
		if err := h.Reminders.Validate(); err != nil {
			return err
		}
	}
	for i, w := range h.Windows {
		if err := w.check(); err != nil {
			return err
		}
		if overlapsAny(w, h.Windows[:i]) {
			return ErrOverlap
		}
	}
	if len(h.Closed) > MaxClosed {
		return ErrTooMany
	}
	for _, c := range h.Closed {
		if err := c.check(); err != nil {
			return err
		}
	}
	return nil
}

// check reports whether r is two real dates in order with a clean note.
func (r DateRange) check() error {
	if !r.From.valid() || !r.To.valid() {
		return ErrBadDate
	}
	if r.To.Before(r.From) {
		return ErrEndBeforeStart
	}
	if r.Note != "" {
		if n, err := CleanName(r.Note, MaxClosedNote); err != nil || n != r.Note || !utf8.ValidString(n) {
			return ErrBadLine
		}
	}
	return nil
}
