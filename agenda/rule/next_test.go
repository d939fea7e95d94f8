package rule

import (
	"testing"
	"time"
)

// Firings are written as RFC 3339 in the rule's zone, so the offset shows
// which side of a daylight-saving change each one falls on.
func TestNextAcrossDaylightSaving(t *testing.T) {
	tests := []struct {
		name, rule, zone, from string
		want                   []string
	}{
		{"Berlin 02:30 daily, spring forward: the skipped 02:30 fires at 03:00, then 02:30 again",
			"every day at 02:30", "Europe/Berlin", "2026-03-27T12:00:00+01:00", []string{
				"2026-03-28T02:30:00+01:00",
				"2026-03-29T03:00:00+02:00",
				"2026-03-30T02:30:00+02:00",
				"2026-03-31T02:30:00+02:00",
			}},
		{"Berlin 02:30 daily, fall back: the repeated 02:30 fires once, the first time",
			"every day at 02:30", "Europe/Berlin", "2026-10-24T12:00:00+02:00", []string{
				"2026-10-25T02:30:00+02:00",
				"2026-10-26T02:30:00+01:00",
				"2026-10-27T02:30:00+01:00",
			}},
		{"Berlin, from just before the gap",
			"every day at 02:30", "Europe/Berlin", "2026-03-29T01:59:59+01:00", []string{
				"2026-03-29T03:00:00+02:00",
			}},
		{"Berlin, from the end of the gap itself: strictly after",
			"every day at 02:30", "Europe/Berlin", "2026-03-29T03:00:00+02:00", []string{
				"2026-03-30T02:30:00+02:00",
			}},
		{"Berlin, from inside the repeated hour's second pass",
			"every day at 02:30", "Europe/Berlin", "2026-10-25T02:10:00+01:00", []string{
				"2026-10-26T02:30:00+01:00",
			}},
		{"Berlin, as a cron spec with CRON_TZ, behaves the same",
			"CRON_TZ=Europe/Berlin 30 2 * * *", "UTC", "2026-03-28T12:00:00+01:00", []string{
				"2026-03-29T03:00:00+02:00",
				"2026-03-30T02:30:00+02:00",
			}},
		{"several skipped times collapse into one firing at the end of the gap",
			"*/20 2 * * *", "Europe/Berlin", "2026-03-28T23:00:00+01:00", []string{
				"2026-03-29T03:00:00+02:00",
				"2026-03-30T02:00:00+02:00",
			}},
		{"a repeated hour fires once, on its first pass",
			"*/20 2 * * *", "Europe/Berlin", "2026-10-25T00:00:00+02:00", []string{
				"2026-10-25T02:00:00+02:00",
				"2026-10-25T02:20:00+02:00",
				"2026-10-25T02:40:00+02:00",
				"2026-10-26T02:00:00+01:00",
			}},
		{"Monday 08:00 in Asia/Shanghai, which has no daylight saving",
			"every Monday at 08:00", "Asia/Shanghai", "2026-03-01T00:00:00+08:00", []string{
				"2026-03-02T08:00:00+08:00",
				"2026-03-09T08:00:00+08:00",
				"2026-03-16T08:00:00+08:00",
			}},
		{"Monday 08:00 in America/New_York across 2026-03-08: still 08:00, an hour earlier in UTC",
			"every Monday at 08:00", "America/New_York", "2026-03-01T00:00:00-05:00", []string{
				"2026-03-02T08:00:00-05:00",
				"2026-03-09T08:00:00-04:00",
			}},
		{"Monday 08:00 in America/New_York across 2026-11-01: still 08:00, an hour later in UTC",
			"every Monday at 08:00", "America/New_York", "2026-10-25T00:00:00-04:00", []string{
				"2026-10-26T08:00:00-04:00",
				"2026-11-02T08:00:00-05:00",
			}},
		{"CRON_TZ=America/New_York overrides a home in Shanghai",
			"CRON_TZ=America/New_York 0 8 * * MON", "Asia/Shanghai", "2026-03-01T00:00:00-05:00", []string{
				"2026-03-02T08:00:00-05:00",
				"2026-03-09T08:00:00-04:00",
			}},
		{"29 February waits for the next leap year",
			"0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", []string{
				"2028-02-29T00:00:00Z",
				"2032-02-29T00:00:00Z",
			}},
		{"Samoa skipped 30 December 2011 whole: its firing moves to the day's end",
			"every day at 02:30", "Pacific/Apia", "2011-12-29T12:00:00-10:00", []string{
				"2011-12-31T00:00:00+14:00",
				"2011-12-31T02:30:00+14:00",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.rule, zone(t, tt.zone))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.rule, err)
			}
			at := mustTime(t, tt.from)
			for i, want := range tt.want {
				at = r.Next(at)
				if got := at.Format(time.RFC3339); got != want {
					t.Fatalf("firing %d: got %s, want %s", i+1, got, want)
				}
			}
		})
	}
}

// TestCronSpecScheduleMissesDaylightSaving records why Next does not call
// robfig/cron's SpecSchedule.Next: it skips the spring-forward day and fires
// twice on the fall-back day. If this test fails, robfig/cron changed.
func TestCronSpecScheduleMissesDaylightSaving(t *testing.T) {
	sched, err := parser.Parse("CRON_TZ=Europe/Berlin 30 2 * * *")
	if err != nil {
		t.Fatal(err)
	}
	berlin := zone(t, "Europe/Berlin")
	chain := func(from string, n int) []string {
		at, out := mustTime(t, from).In(berlin), []string(nil)
		for range n {
			at = sched.Next(at)
			out = append(out, at.Format(time.RFC3339))
		}
		return out
	}
	spring := chain("2026-03-28T12:00:00+01:00", 1)
	if spring[0] != "2026-03-30T02:30:00+02:00" {
		t.Errorf("robfig/cron in spring: %v", spring)
	}
	fall := chain("2026-10-24T12:00:00+02:00", 2)
	if fall[0] != "2026-10-25T02:30:00+02:00" || fall[1] != "2026-10-25T02:30:00+01:00" {
		t.Errorf("robfig/cron in fall: %v", fall)
	}
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
