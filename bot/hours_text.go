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

// closedLines are closed dates, each with its note.
func (r *request) closedLines(cs []homelink.DateRange) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		if c.Note == "" {
			out = append(out, r.dateRange(c))
			continue
		}
		out = append(out, r.text("ClosedWithNote", "Dates", r.dateRange(c), "Note", c.Note))
	}
	return out
}

// dateRange is closed dates as a reader writes them: "2月10日至2月17日",
// or one day.
func (r *request) dateRange(c homelink.DateRange) string {
	if c.From == c.To {
		return r.shortDate(c.From)
	}
	return r.text("DateSpan", "From", r.shortDate(c.From), "To", r.shortDate(c.To))
}

// shortDate is a date without weekday ("2月10日", "10 Feb"), with its
// year when it is not this year.
func (r *request) shortDate(d homelink.Date) string {
	id := "DateShort"
	if d.Year != r.b.Clock.Now().Year() {
		id = "DateShortYear"
	}
	return r.text(id, "Year", d.Year, "Month", int(d.Month), "MonthName", r.text("Month_"+strconv.Itoa(int(d.Month))), "Day", d.Day)
}

// whyIDs name each refusal of typed hours, shifts or dates.
var whyIDs = []struct {
	err error
	id  string
}{
	{homelink.ErrUnknownDay, "Why_day"}, {homelink.ErrBadTime, "Why_time"},
	{homelink.ErrEndBeforeStart, "Why_endBeforeStart"}, {homelink.ErrOverlap, "Why_overlap"},
	{homelink.ErrBadSlot, "Why_slot"}, {homelink.ErrBadLines, "Why_lines"},
	{homelink.ErrTooMany, "Why_tooMany"}, {homelink.ErrBadDate, "Why_date"},
	{homelink.ErrPastDate, "Why_past"},
}

// typedError says what is wrong with typed hours, shifts or dates: the
// line and why, then the example message (none when example is "").
func (r *request) typedError(err error, example string) string {
	why := "Why_line"
	for _, w := range whyIDs {
		if errors.Is(err, w.err) {
			why = w.id
			break
		}
	}
	reason := r.text(why, "MaxWindows", homelink.MaxWindows, "MaxClosed", homelink.MaxClosed)
	var text string
	var he *homelink.HoursError
	if errors.As(err, &he) && he.Line > 0 {
		text = r.html("TypedLineError", "Line", he.Line, "Text", strings.TrimSpace(he.Text), "Why", reason)
	} else {
		text = r.html("TypedError", "Why", reason)
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
