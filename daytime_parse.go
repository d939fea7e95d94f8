package homelink

import "time"

// The grammar shared by call hours and weekly shifts: days, then one or
// more time ranges that apply to them, then perhaps more days and ranges
// on the same line: "Sat, Sun 9:00-11:30", "周一至周五 18:00-20:00",
// "Sat 9-11, 14-17; Sun 14-17".

// dayTime is one day's start and end as typed, minutes after midnight.
type dayTime struct {
	day        time.Weekday
	start, end int
}

// dayOrder lists the days as a week is read: Monday first.
func dayOrder() [7]time.Weekday {
	return [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
}

// dayRange is the days from a to b, wrapping past Sunday (Fri-Mon).
func dayRange(a, b time.Weekday) uint8 {
	var m uint8
	for d := a; ; d = (d + 1) % 7 {
		m |= 1 << d
		if d == b {
			return m
		}
	}
}

// parseDayTimes reads one folded line. Times are checked (ErrBadTime);
// whether an end may come before its start is the caller's rule.
func parseDayTimes(rs []rune) ([]dayTime, error) {
	toks := lexLine(rs)
	lastTime := lastOf(toks, tokTime)
	var out []dayTime
	var days uint8
	afterTime := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case tokDays:
			if afterTime {
				days, afterTime = 0, false
			}
			mask := t.days
			if t.single && i+2 < len(toks) && toks[i+1].kind == tokRange && toks[i+2].kind == tokDays && toks[i+2].single {
				mask = dayRange(t.day, toks[i+2].day)
				i += 2
			}
			days |= mask
		case tokTime:
			if i+2 >= len(toks) || toks[i+1].kind != tokRange || toks[i+2].kind != tokTime {
				return nil, ErrBadLine
			}
			start, end, err := clockRange(t.clock, toks[i+2].clock)
			if err != nil {
				return nil, err
			}
			if days == 0 {
				return nil, ErrUnknownDay
			}
			out = appendDays(out, days, start, end)
			i += 2
			afterTime = true
		case tokBadDay:
			return nil, ErrUnknownDay
		case tokWord:
			if i < lastTime {
				return nil, ErrUnknownDay
			}
			return nil, ErrBadLine
		case tokRange:
			return nil, ErrBadLine
		}
	}
	if len(out) == 0 {
		return nil, ErrBadLine
	}
	return out, nil
}

// appendDays appends start to end on each of days, Monday first.
func appendDays(out []dayTime, days uint8, start, end int) []dayTime {
	for _, d := range dayOrder() {
		if days&(1<<d) != 0 {
			out = append(out, dayTime{d, start, end})
		}
	}
	return out
}

// lastOf is the index of the last token of kind k, or -1.
func lastOf(toks []token, k tokKind) int {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].kind == k {
			return i
		}
	}
	return -1
}
