package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Moving the sandbox's clock to the coming Monday 08:00, as someone
// trying it would: the teacher's phone shows, in Chinese, the home's
// report of the week just ended (its calls, messages and children) and
// its chart as a photo whose caption names the colours; the
// coordinator's phone shows the summary of their home and its chart.
func TestSandboxMondayBringsTheReportAndItsChart(t *testing.T) {
	sb, c, stop := start(t, Options{Seed: true})
	defer stop()
	coord, teacher := demoPeople[0].ID, demoPeople[1].ID
	zh := func(id string, kv ...any) string { return sb.app.Bot.Renderer.HTML("zh-Hans", id, kv...) }
	// The title of a message as the phone shows it, up to its first variable.
	head := func(id string) string {
		title, _, _ := strings.Cut(zh(id, "Home", "\x00", "Count", 1, "Requested", "\x00", "ToChild", "\x00", "Reached", "\x00"), "\x00")
		return title
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := sb.Clock.Now().In(loc)
	monday := time.Date(now.Year(), now.Month(), now.Day()+(8-int(now.Weekday()))%7, 8, 0, 0, 0, loc)
	if !monday.After(now) {
		monday = monday.AddDate(0, 0, 7)
	}
	set := monday.In(sb.cfg.DefaultTimezone).Format("2006-01-02T15:04")
	if code := c.post("/api/clock", map[string]string{"set": set}); code != http.StatusNoContent {
		t.Fatalf("clock to %s: %d", set, code)
	}
	report := c.sees(teacher, head("ReportHomeTitle"))
	if !strings.Contains(report.HTML, head("ReportCallsLine")) || !strings.Contains(report.HTML, head("ReportMessagesLine")) ||
		!strings.Contains(report.HTML, head("ReportChildrenLine")) {
		t.Errorf("the teacher's report: %q", report.HTML)
	}
	if chart := c.sees(teacher, zh("ReportSeriesHeld")); chart.Kind != "photo" {
		t.Errorf("the teacher's chart came as a %q", chart.Kind)
	}
	c.sees(coord, head("ReportSummaryTitle"))
	if chart := c.sees(coord, zh("ReportSeriesNotReached")); chart.Kind != "photo" {
		t.Errorf("the coordinator's chart came as a %q", chart.Kind)
	}
}
