package homelink

import "strings"

// ParseClosed reads typed closed dates, one date or range per line with
// an optional note after it: "2027-02-10", "2027/2/10", "2/10" (month,
// day), "2027-02-10 - 2027-02-17 Spring Festival", "2月10日-17日",
// "2月10日-2月17日 春节", "2027年2月10日至2月17日", "Feb 10 - Feb 17",
// "10 Feb". A date without a year is its next occurrence on or after
// today, and a range without years that is under way today is the
// current one (Dec 30 – Jan 3 spans the year). Ranges ending before
// today are refused (ErrPastDate); a note is at most MaxClosedNote
// characters. An error is a LineErrors naming every refused line (up to
// the first beyond MaxClosed), so a teacher hears about each at once.
func ParseClosed(text string, today Date) ([]DateRange, error) {
	var out []DateRange
	var refused LineErrors
	lines := 0
	for n, line := range splitLines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		refuse := func(err error) {
			refused = append(refused, &HoursError{Line: n + 1, Text: strings.TrimSpace(line), Err: err})
		}
		if lines > MaxClosed {
			refuse(ErrTooMany)
			break
		}
		r, err := parseClosedLine([]rune(line), today)
		if err != nil {
			refuse(err)
			continue
		}
		out = append(out, r)
	}
	switch {
	case lines == 0:
		return nil, LineErrors{{Line: 1, Text: strings.TrimSpace(text), Err: ErrBadLine}}
	case len(refused) > 0:
		return nil, refused
	}
	return out, nil
}

// parseClosedLine reads one line; orig is the line as typed.
func parseClosedLine(orig []rune, today Date) (DateRange, error) {
	rs := make([]rune, len(orig))
	for i, r := range orig {
		rs[i] = foldRune(r)
	}
	st, j, ok := scanDate(rs, skipSpaces(rs, 0))
	if !ok || st.m == 0 {
		return DateRange{}, ErrBadDate
	}
	k := skipSpaces(rs, j)
	sepEnd, sep := rangeSepAt(rs, k)
	if sep {
		k = skipSpaces(rs, sepEnd)
	}
	et, e, ok := scanDate(rs, k)
	if !ok && sep {
		et, e, ok = scanBareDay(rs, k)
		if !ok {
			return DateRange{}, ErrBadDate
		}
	}
	var r DateRange
	var err error
	if ok {
		r.From, r.To, err = resolveRange(st, et, today)
		j = e
	} else {
		r.From, err = st.onOrAfter(today)
		r.To = r.From
	}
	if err != nil {
		return DateRange{}, err
	}
	if r.To.Before(today) {
		return DateRange{}, ErrPastDate
	}
	r.Note, err = noteAfter(orig, rs, j)
	return r, err
}

// rangeSepAt reads what people type between a start and an end.
func rangeSepAt(rs []rune, i int) (int, bool) {
	if i < len(rs) && (rs[i] == '-' || rs[i] == '~' || rs[i] == '到' || rs[i] == '至') {
		return i + 1, true
	}
	if i < len(rs) && isLetter(rs[i]) {
		switch w := wordAt(rs, i); w {
		case "to", "till", "until", "through", "thru":
			return i + len(w), true
		}
	}
	return i, false
}

// noteAfter is the typed text after the dates, cleaned.
func noteAfter(orig, rs []rune, j int) (string, error) {
	for j < len(rs) && strings.ContainsRune(" ,;:、", rs[j]) {
		j++
	}
	note := strings.TrimSpace(string(orig[j:]))
	if note == "" {
		return "", nil
	}
	return CleanName(note, MaxClosedNote)
}

// resolveRange turns a typed start and end into dates.
func resolveRange(st, et dateText, today Date) (from, to Date, err error) {
	if st.y == 0 && et.y == 0 {
		// A range under way today is the current one, not next year's.
		last := st
		last.y = today.Year - 1
		if f, err := last.date(); err == nil {
			if t, err := endOf(f, et); err == nil && !t.Before(today) {
				return f, t, nil
			}
		}
	}
	if from, err = st.onOrAfter(today); err != nil {
		return from, to, err
	}
	to, err = endOf(from, et)
	return from, to, err
}

// endOf is a range's end typed as et after its start from: a bare day is
// in from's month; a date without a year is the first on or after from.
func endOf(from Date, et dateText) (Date, error) {
	switch {
	case et.m == 0:
		et.y, et.m = from.Year, int(from.Month)
	case et.y == 0:
		// Across a year end (Dec 30 – Jan 3) the end is next year's.
		et.y = from.Year
		if d, err := et.date(); err == nil && d.Before(from) && d.Month < from.Month {
			et.y++
		}
	}
	to, err := et.date()
	if err != nil {
		return to, err
	}
	if to.Before(from) {
		return to, ErrEndBeforeStart
	}
	return to, nil
}

// date is dt with its year, or ErrBadDate.
func (dt dateText) date() (Date, error) {
	d := Date{dt.y, timeMonth(dt.m), dt.d}
	if dt.m < 1 || dt.m > 12 || !d.valid() {
		return d, ErrBadDate
	}
	return d, nil
}

// onOrAfter is dt, or when typed without a year its first occurrence on
// or after today. Years more than ten ahead are refused.
func (dt dateText) onOrAfter(today Date) (Date, error) {
	if dt.y != 0 {
		d, err := dt.date()
		if err == nil && d.Year > today.Year+10 {
			err = ErrBadDate
		}
		return d, err
	}
	for y := today.Year; y <= today.Year+8; y++ {
		dt.y = y
		if d, err := dt.date(); err == nil && !d.Before(today) {
			return d, nil
		}
	}
	return Date{}, ErrBadDate
}

// nearest is dt, or when typed without a year its occurrence nearest
// today: the start of a rotation typed "12月1日起" a few days later.
func (dt dateText) nearest(today Date) (Date, error) {
	if dt.y != 0 {
		d, err := dt.date()
		if err == nil && (d.Year > today.Year+10 || d.Year < today.Year-10) {
			err = ErrBadDate
		}
		return d, err
	}
	best, bestGap := Date{}, -1
	for y := today.Year - 1; y <= today.Year+1; y++ {
		dt.y = y
		if d, err := dt.date(); err == nil {
			gap := dayNumber(d) - dayNumber(today)
			if gap < 0 {
				gap = -gap
			}
			if bestGap < 0 || gap < bestGap {
				best, bestGap = d, gap
			}
		}
	}
	if bestGap < 0 {
		return Date{}, ErrBadDate
	}
	return best, nil
}
