package homelink

import (
	"errors"
	"slices"
	"strings"
)

// Typed call hours judged against a home's hours, every line at once: a
// teacher who sends five lines hears about each bad one, and nothing is
// saved until all are good. And a slot length typed rather than tapped.

// ErrTooShort: a window is shorter than one call of the home's slot
// length, so nobody could ever book it.
var ErrTooShort = errors.New("homelink: window too short for one call")

// LineErrors is every refused line of typed text, in the order typed.
// errors.Is finds any line's reason; errors.As to a *HoursError finds the
// first refused line.
type LineErrors []*HoursError

func (e LineErrors) Error() string {
	parts := make([]string, len(e))
	for i, he := range e {
		parts[i] = he.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap is each refused line's error, for errors.Is and errors.As.
func (e LineErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, he := range e {
		out[i] = he
	}
	return out
}

// AddTypedWindows reads typed call hours as ParseWindows does and merges
// them into existing as AddWindows does, judging every line rather than
// stopping at the first: a line not understood, ending before it starts,
// overlapping the hours or an earlier line, shorter than one call of
// slotMinutes, or beyond MaxWindows is refused. It returns the merged
// windows (sorted) and those added (in the order typed), or a LineErrors
// naming every refused line as typed, and then nothing is to be saved.
func AddTypedWindows(existing []Window, text string, slotMinutes int) (merged, added []Window, err error) {
	merged = slices.Clone(existing)
	var refused LineErrors
	lines := 0
	for n, line := range splitLines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		ws, err := typedLineWindows(line, merged, slotMinutes)
		if err != nil {
			refused = append(refused, &HoursError{Line: n + 1, Text: strings.TrimSpace(line), Err: err})
			continue
		}
		merged = append(merged, ws...)
		added = append(added, ws...)
	}
	if lines == 0 {
		return nil, nil, LineErrors{{Line: 1, Text: strings.TrimSpace(text), Err: ErrBadLine}}
	}
	if len(refused) > 0 {
		return nil, nil, refused
	}
	sortWindows(merged)
	return merged, added, nil
}

// typedLineWindows reads one typed line's windows, each checked against
// the hours so far and the line's own.
func typedLineWindows(line string, have []Window, slotMinutes int) ([]Window, error) {
	dts, err := parseDayTimes(foldLine(line))
	if err != nil {
		return nil, err
	}
	if len(dts) == 0 {
		return nil, ErrBadLine
	}
	var out []Window
	for _, dt := range dts {
		w := Window{Day: dt.day, Start: dt.start, End: dt.end}
		if w.End == 0 {
			w.End = 24 * 60 // "22:00-0:00" ends at midnight
		}
		if err := w.check(); err != nil {
			return nil, err
		}
		switch {
		case w.TooShort(slotMinutes):
			return nil, ErrTooShort
		case overlapsAny(w, have) || overlapsAny(w, out):
			return nil, ErrOverlap
		case len(have)+len(out) >= MaxWindows:
			return nil, ErrTooMany
		}
		out = append(out, w)
	}
	return out, nil
}

// TooShort reports whether w cannot hold one call of slotMinutes.
func (w Window) TooShort(slotMinutes int) bool { return w.End-w.Start < slotMinutes }

// SpareMinutes is how many minutes of w no call of slotMinutes can use:
// what is left at its end after the last whole slot, or all of w when it
// is too short for one.
func (w Window) SpareMinutes(slotMinutes int) int {
	if slotMinutes <= 0 || w.End <= w.Start {
		return 0
	}
	return (w.End - w.Start) % slotMinutes
}

// ParseSlotMinutes reads a typed slot length: "25", "２５分钟", "25 min".
// A number outside MinSlotMinutes to MaxSlotMinutes is ErrBadSlot;
// anything else ErrBadLine.
func ParseSlotMinutes(text string) (int, error) {
	rs := foldLine(strings.TrimSpace(text))
	v, n := digitsAt(rs, 0)
	if n == 0 {
		return 0, ErrBadLine
	}
	switch strings.TrimSpace(strings.TrimSuffix(string(rs[n:]), ".")) {
	case "", "m", "min", "mins", "minute", "minutes", "分", "分钟", "分鐘":
	default:
		return 0, ErrBadLine
	}
	if v < MinSlotMinutes || v > MaxSlotMinutes {
		return 0, ErrBadSlot
	}
	return v, nil
}
