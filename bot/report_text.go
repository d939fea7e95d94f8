package bot

import (
	"strings"
	"time"
	"unicode/utf16"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/report"
)

// The words of the reports, in the reader's language. The chart carries
// none (report.Chart): its caption names each colour.

// reportLimit is the most one report message may hold: Telegram's 4,096
// characters (UTF-16 code units), counted on the HTML, which is never
// shorter than the text it shows. A photo's caption holds 1,024.
const reportLimit = 4096

// Caps on the lists, so a home with many children not reached, or a
// coordinator of 200 homes, gets a few messages rather than dozens: the
// rest is counted in a last line, and /report shows any one home whole.
const (
	maxGapLines     = 60 // children in one home's list
	maxSummaryGaps  = 5  // children per home in a coordinator's list
	maxSummaryHomes = 30 // homes in a coordinator's list of children not reached
)

// weekLine says which week figures are about: "Mon 23 Nov – Sun 29 Nov",
// or, for the week under way, "Mon 30 Nov to now"; dates in loc.
func (r *request) weekLine(monday time.Time, loc *time.Location, soFar bool) string {
	from := r.day(monday, loc)
	if soFar {
		return r.html("ReportWeekSoFar", "From", from)
	}
	return r.html("ReportWeekEnded", "From", from, "To", r.day(monday.AddDate(0, 0, 6), loc))
}

// figuresLines are a week's figures: calls, messages, children.
func (r *request) figuresLines(f homelink.WeekFigures) []string {
	return []string{
		r.html("ReportCallsLine", "Requested", f.Requested, "Confirmed", f.Confirmed, "Held", f.Held,
			"Missed", f.Missed, "Cancelled", f.Cancelled),
		r.html("ReportMessagesLine", "ToChild", f.ToChild, "FromChild", f.FromChild),
		r.html("ReportChildrenLine", "Reached", f.Reached, "NotReached", f.NotReached(), "Children", f.Children),
	}
}

// gapLines are a home's children not reached for days or more, each with
// the days since its last contact (or since it came, when never), at most
// max of them and a line counting the rest; one line saying all were
// reached when none is missing.
func (r *request) gapLines(gaps []homelink.Gap, days, max int) []string {
	if len(gaps) == 0 {
		return []string{r.html("ReportGapsNone", "GapDays", days)}
	}
	out := []string{r.html("ReportGapsTitle", "GapDays", days, "Count", len(gaps))}
	for i, g := range gaps {
		if i == max {
			out = append(out, r.html("ReportMore", "Count", len(gaps)-max))
			break
		}
		out = append(out, r.gapLine(g))
	}
	return out
}

func (r *request) gapLine(g homelink.Gap) string {
	if g.Last.IsZero() {
		return r.html("ReportGapNever", "Name", g.Name, "Count", g.Days)
	}
	return r.html("ReportGapLine", "Name", g.Name, "Count", g.Days)
}

// gapShort is a child in a coordinator's list: "小明（21 天）".
func (r *request) gapShort(g homelink.Gap) string {
	if g.Last.IsZero() {
		return r.text("ReportGapShortNever", "Name", g.Name, "Count", g.Days)
	}
	return r.text("ReportGapShort", "Name", g.Name, "Count", g.Days)
}

// chartCaption names the chart's weeks and each colour, in the order the
// bars stand: "🟦 蓝色：通话完成" ….
func (r *request) chartCaption() string {
	lines := []string{r.html("ReportChartTitle", "Count", homelink.ReportWeeks)}
	for _, s := range report.AllSeries {
		lines = append(lines, r.seriesLine(s))
	}
	return strings.Join(lines, "\n")
}

// seriesLine is one series' line of the caption.
func (r *request) seriesLine(s report.Series) string {
	switch s {
	case report.Held:
		return r.html("ReportSeriesHeld")
	case report.Missed:
		return r.html("ReportSeriesMissed")
	case report.ToChild:
		return r.html("ReportSeriesToChild")
	case report.FromChild:
		return r.html("ReportSeriesFromChild")
	}
	return r.html("ReportSeriesNotReached")
}

// packParts joins lines into as few messages as fit reportLimit, each line
// whole; a blank line ("") between blocks is kept, but none starts a
// message.
func packParts(lines []string) []string {
	var parts []string
	var cur []string
	size := 0
	for _, l := range lines {
		n := len(utf16.Encode([]rune(l))) + 1
		if size+n > reportLimit && len(cur) > 0 {
			parts = append(parts, strings.TrimRight(strings.Join(cur, "\n"), "\n"))
			cur, size = nil, 0
		}
		if len(cur) == 0 && l == "" {
			continue
		}
		cur, size = append(cur, l), size+n
	}
	if len(cur) > 0 {
		parts = append(parts, strings.TrimRight(strings.Join(cur, "\n"), "\n"))
	}
	return parts
}
