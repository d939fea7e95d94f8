package app

import (
	"bytes"
	"context"
	"image"
	_ "image/png"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// Helpers of the report tests: a home with call hours every day, a tally
// of what happened kept by the test itself (the figures the report must
// show, computed without the store), and readers of the reports a phone
// was shown.

// everyDay are call hours every day 08:00–20:00, 15-minute slots, two lines.
func everyDay() homelink.Hours {
	hrs := homelink.Hours{SlotMinutes: 15, Lines: 2, Set: true}
	for d := time.Sunday; d <= time.Saturday; d++ {
		hrs.Windows = append(hrs.Windows, homelink.Window{Day: d, Start: 8 * 60, End: 20 * 60})
	}
	return hrs
}

// tally is the test's own account of a home's weeks: what each week's
// report must say, counted as the product describes it, not read back.
type tally struct {
	loc   *time.Location
	weeks map[string]*homelink.WeekFigures
	// reached are the children with a contact, per week; last is each
	// child's last contact, added when it came.
	reached     map[string]map[int64]bool
	last, added map[int64]time.Time
}

func newTally(loc *time.Location) *tally {
	return &tally{loc: loc, weeks: map[string]*homelink.WeekFigures{}, reached: map[string]map[int64]bool{},
		last: map[int64]time.Time{}, added: map[int64]time.Time{}}
}

// monday is the Monday (YYYY-MM-DD, home time) of the week at falls in.
func (t *tally) monday(at time.Time) string {
	l := at.In(t.loc)
	return time.Date(l.Year(), l.Month(), l.Day()-(int(l.Weekday())+6)%7, 0, 0, 0, 0, t.loc).Format(time.DateOnly)
}

func (t *tally) week(at time.Time) *homelink.WeekFigures {
	m := t.monday(at)
	if t.weeks[m] == nil {
		t.weeks[m] = &homelink.WeekFigures{}
	}
	return t.weeks[m]
}

// contact notes a call held, a message left or a reply of child at at.
func (t *tally) contact(at time.Time, child int64) {
	m := t.monday(at)
	if t.reached[m] == nil {
		t.reached[m] = map[int64]bool{}
	}
	t.reached[m][child] = true
	t.last[child] = at
}

// figures are the week of monday as the report must show them.
func (t *tally) figures(monday string) homelink.WeekFigures {
	var f homelink.WeekFigures
	if w := t.weeks[monday]; w != nil {
		f = *w
	}
	start, _ := time.ParseInLocation(time.DateOnly, monday, t.loc)
	f.Reached = len(t.reached[monday])
	for _, at := range t.added {
		if at.Before(start.AddDate(0, 0, 7)) {
			f.Children++
		}
	}
	return f
}

// gaps are the children with no contact for days or more at now, with
// how many whole days, longest first.
func (t *tally) gaps(now time.Time, days int) map[int64]int {
	out := map[int64]int{}
	for c, added := range t.added {
		since, ok := t.last[c]
		if !ok {
			since = added
		}
		if d := int(now.Sub(since) / (24 * time.Hour)); d >= days {
			out[c] = d
		}
	}
	return out
}

// render is message id in lang, as the bot writes it (HTML).
func (h *harness) render(lang, id string, kv ...any) string {
	return h.reps[0].app.Bot.Renderer.HTML(lang, id, kv...)
}

// reportAfter returns the last message p was shown containing title, and
// the photo that follows it, failing when there is none.
func reportAfter(t *testing.T, p *person, title string) (emulator.Message, emulator.Message) {
	t.Helper()
	p.Sees(title)
	ms := p.Messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if !strings.Contains(ms[i].Text, title) {
			continue
		}
		for j := i + 1; j < len(ms) && j < i+4; j++ {
			if ms[j].Kind == "photo" {
				return ms[i], ms[j]
			}
		}
		if !p.h.tg.WaitFor(5*time.Second, func() bool {
			ms = p.Messages()
			return len(ms) > i+1 && ms[len(ms)-1].Kind == "photo"
		}) {
			t.Fatalf("user %d got no chart after %q:\n%s", p.ID, title, transcript(ms))
		}
		return ms[i], ms[len(ms)-1]
	}
	t.Fatalf("user %d has no %q", p.ID, title)
	return emulator.Message{}, emulator.Message{}
}

// wantChart fails unless m is a photo of a PNG chart whose caption names
// the colours in lang.
func wantChart(t *testing.T, h *harness, m emulator.Message, lang string) {
	t.Helper()
	if m.Kind != "photo" || len(m.File) == 0 {
		t.Fatalf("the chart is a %q of %d bytes", m.Kind, len(m.File))
	}
	if _, format, err := image.Decode(bytes.NewReader(m.File)); err != nil || format != "png" {
		t.Fatalf("the chart is not a PNG: %v", err)
	}
	for _, id := range []string{"ReportSeriesHeld", "ReportSeriesMissed", "ReportSeriesToChild", "ReportSeriesFromChild", "ReportSeriesNotReached"} {
		if line := h.render(lang, id); !strings.Contains(m.Raw, line) {
			t.Fatalf("the chart's caption lacks %q: %q", line, m.Raw)
		}
	}
}

// wantFigures fails unless the report text m shows f in lang.
func wantFigures(t *testing.T, h *harness, m emulator.Message, lang string, f homelink.WeekFigures) {
	t.Helper()
	for _, line := range []string{
		h.render(lang, "ReportCallsLine", "Requested", f.Requested, "Confirmed", f.Confirmed, "Held", f.Held,
			"Missed", f.Missed, "Cancelled", f.Cancelled),
		h.render(lang, "ReportMessagesLine", "ToChild", f.ToChild, "FromChild", f.FromChild),
		h.render(lang, "ReportChildrenLine", "Reached", f.Reached, "NotReached", f.NotReached(), "Children", f.Children),
	} {
		if !strings.Contains(m.Raw, line) {
			t.Fatalf("the report lacks %q:\n%s", line, m.Raw)
		}
	}
}

// storeCtx is a context for the store calls a test makes.
var storeCtx = context.Background()

// isReport says whether m is a weekly report, a summary or their chart:
// the tests of other features whose clocks cross a Monday 08:00 leave
// them out of what they count.
func isReport(m emulator.Message) bool {
	return strings.HasPrefix(m.Text, "📊") || m.Kind == "photo" && strings.Contains(m.Text, "🟦")
}

// withoutReports is ms without the weekly reports (isReport).
func withoutReports(ms []emulator.Message) []emulator.Message {
	var out []emulator.Message
	for _, m := range ms {
		if !isReport(m) {
			out = append(out, m)
		}
	}
	return out
}
