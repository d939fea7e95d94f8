package bot

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
)

// Call hours, closed dates and typed mistakes, written out for a reader.

// span is a stretch of the day: "09:00–11:30".
func span(start, end int) string { return clockText(start) + "–" + clockText(end) }

// windowLines are a home's windows grouped by day, Monday first: one line
// per day ("周六 09:00–11:30、14:00–17:00").
func (r *request) windowLines(ws []homelink.Window) []string {
	var out []string
	for _, d := range weekOrder {
		var spans []string
		for _, w := range ws {
			if w.Day == d {
				spans = append(spans, span(w.Start, w.End))
			}
		}
		if len(spans) > 0 {
			out = append(out, r.weekday(d)+" "+strings.Join(spans, r.text("ListSeparator")))
		}
	}
	return out
}

// closedLines are closed dates in date order, each with its note.
func (r *request) closedLines(cs []homelink.DateRange) []string {
	out := make([]string, 0, len(cs))
	for _, c := range sortedClosed(cs) {
		if c.Note == "" {
			out = append(out, r.dateRange(c))
			continue
		}
		out = append(out, r.text("ClosedWithNote", "Dates", r.dateRange(c), "Note", c.Note))
	}
	return out
}

// sortedClosed is closed dates by start, then end: a copy.
func sortedClosed(cs []homelink.DateRange) []homelink.DateRange {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b homelink.DateRange) int {
		switch {
		case a.From != b.From:
			return compareDates(a.From, b.From)
		default:
			return compareDates(a.To, b.To)
		}
	})
	return out
}

func compareDates(a, b homelink.Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// dateRange is closed dates as a reader writes them, the year once and
// only when it is not this one: "2月10日至17日", "10–17 Feb 2027",
// "1月30日至2月3日", "2026年12月30日至2027年1月3日".
func (r *request) dateRange(c homelink.DateRange) string { return r.dates(c, true) }

// dates is c written out; without withYear the year is left out too
// when both ends are in one year (a button's short label).
func (r *request) dates(c homelink.DateRange, withYear bool) string {
	year := 0
	if withYear && c.From.Year != r.b.Clock.Now().Year() {
		year = c.From.Year
	}
	from, to := c.From, c.To
	switch {
	case from == to:
		return r.calendarDate(from, year)
	case from.Year != to.Year:
		return r.text("DateSpan", "From", r.calendarDate(from, from.Year), "To", r.calendarDate(to, to.Year))
	case from.Month == to.Month:
		return r.text("DateRangeDays", "Year", year, "Month", int(from.Month), "MonthName", r.monthName(from.Month),
			"From", from.Day, "To", to.Day)
	}
	return r.text("DateRangeMonths", "Year", year, "From", r.calendarDate(from, 0), "To", r.calendarDate(to, 0))
}

// calendarDate is a date without weekday ("2月10日", "10 Feb"), with
// year when it is not 0.
func (r *request) calendarDate(d homelink.Date, year int) string {
	id := "DateShort"
	if year != 0 {
		id = "DateShortYear"
	}
	return r.text(id, "Year", d.Year, "Month", int(d.Month), "MonthName", r.monthName(d.Month), "Day", d.Day)
}

func (r *request) monthName(m time.Month) string { return r.text("Month_" + strconv.Itoa(int(m))) }

// shortDate is a date without weekday ("2月10日", "10 Feb"), with its
// year when it is not this year.
func (r *request) shortDate(d homelink.Date) string {
	year := 0
	if d.Year != r.b.Clock.Now().Year() {
		year = d.Year
	}
	return r.calendarDate(d, year)
}

// whyIDs name each refusal of typed hours, shifts or dates.
var whyIDs = []struct {
	err error
	id  string
}{
	{homelink.ErrUnknownDay, "Why_day"}, {homelink.ErrBadTime, "Why_time"},
	{homelink.ErrEndBeforeStart, "Why_endBeforeStart"}, {homelink.ErrOverlap, "Why_overlap"},
	{homelink.ErrTooShort, "Why_tooShort"},
	{homelink.ErrBadSlot, "Why_slot"}, {homelink.ErrBadLines, "Why_lines"},
	{homelink.ErrTooMany, "Why_tooMany"}, {homelink.ErrBadDate, "Why_date"},
	{homelink.ErrPastDate, "Why_past"},
	{homelink.ErrQuietEmpty, "Why_quietEmpty"}, {homelink.ErrQuietTooLong, "Why_quietLong"},
}

// why says why err refused something; slot is the home's slot length,
// for a window too short for one call.
func (r *request) why(err error, slot int) string {
	id := "Why_line"
	for _, w := range whyIDs {
		if errors.Is(err, w.err) {
			id = w.id
			break
		}
	}
	return r.text(id, "MaxWindows", homelink.MaxWindows, "MaxClosed", homelink.MaxClosed, "Minutes", slot)
}

// typedError says what is wrong with typed hours, shifts or dates: each
// refused line as typed and why, that nothing was saved, then the example
// message (none when example is "").
func (r *request) typedError(err error, example string) string {
	return r.typedErrorIn(err, example, 0)
}

// typedErrorIn is typedError for a home whose calls last slot minutes.
func (r *request) typedErrorIn(err error, example string, slot int) string {
	var lines homelink.LineErrors
	var he *homelink.HoursError
	var text string
	switch {
	case errors.As(err, &lines) && len(lines) > 1:
		text = r.html("TypedLinesError")
		for _, l := range lines {
			text += "\n• " + r.html("TypedLine", "Line", l.Line, "Text", strings.TrimSpace(l.Text), "Why", r.why(l.Err, slot))
		}
		text += "\n" + r.html("TypedNothingSaved")
	case errors.As(err, &he) && he.Line > 0:
		text = r.html("TypedLineError", "Line", he.Line, "Text", strings.TrimSpace(he.Text), "Why", r.why(he.Err, slot))
	default:
		text = r.html("TypedError", "Why", r.why(err, slot))
	}
	if example != "" {
		text += "\n" + r.html(example)
	}
	return text
}

// weekdaySpan names days of the week, Monday first, runs of three or more
// joined ("周一至周六", "Mon–Sat"), others listed.
func (r *request) weekdaySpan(days []time.Weekday) string {
	var parts []string
	short := func(d time.Weekday) string { return r.text("WeekdayShort_" + strconv.Itoa(int(d))) }
	for i := 0; i < len(weekOrder); {
		if !slices.Contains(days, weekOrder[i]) {
			i++
			continue
		}
		j := i
		for j+1 < len(weekOrder) && slices.Contains(days, weekOrder[j+1]) {
			j++
		}
		switch {
		case j-i >= 2:
			parts = append(parts, r.text("DaySpan", "From", short(weekOrder[i]), "To", short(weekOrder[j])))
		default:
			for k := i; k <= j; k++ {
				parts = append(parts, short(weekOrder[k]))
			}
		}
		i = j + 1
	}
	return strings.Join(parts, r.text("ListSeparator"))
}
