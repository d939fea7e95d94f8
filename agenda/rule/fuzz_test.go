package rule

import (
	"testing"
	"time"
)

// fuzzZones are zones with awkward histories: half-hour and two-hour
// shifts, a skipped day, midnight changes, shifts that come and go.
var fuzzZones = []string{
	"UTC", "Europe/Berlin", "America/New_York", "Asia/Shanghai",
	"Australia/Lord_Howe", "Pacific/Apia", "America/Sao_Paulo",
	"Pacific/Chatham", "America/Santiago", "Africa/Casablanca",
	"Antarctica/Troll", "Asia/Kathmandu",
}

// FuzzParse checks that Parse never panics, that a parsed rule's text
// parses to the same rule, and that its firings rise strictly, each one a
// time the rule names or the end of a daylight-saving gap, never the same
// wall-clock time twice.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"every day at 02:30", "every Friday at 18:00", "every sun at 0:00",
		"30 2 * * *", "*/7 1-3 * * *", "0 0 29 2 *", "0 0 1,15 * MON",
		"CRON_TZ=Europe/Berlin 0 * * * *", "@weekly", "@every 5m", "every day at 24:00",
	} {
		f.Add(seed, uint8(1), int64(1774652400)) // 2026-03-28
		f.Add(seed, uint8(4), int64(1775343600)) // Lord Howe, April 2026
	}
	f.Fuzz(func(t *testing.T, text string, zoneIndex uint8, unix int64) {
		loc := zone(t, fuzzZones[int(zoneIndex)%len(fuzzZones)])
		r, err := Parse(text, loc)
		if err != nil {
			return
		}
		if again, err := Parse(r.String(), loc); err != nil || again.f != r.f {
			t.Fatalf("%q does not round-trip through %q: %v", text, r, err)
		}
		// 1970 to 2100: zone data has whole-minute offsets there.
		at := time.Unix(unix%(130*365*86400), 0)
		if unix < 0 {
			at = time.Unix(-unix%(130*365*86400), 0)
		}
		checkFirings(t, r, at, 30)
	})
}

func checkFirings(t *testing.T, r Rule, at time.Time, n int) {
	var lastWall time.Time
	for i := range n {
		next := r.Next(at)
		if !next.After(at) {
			t.Fatalf("%q in %s: firing %d after %s is %s, not later", r, r.Location(), i, at, next)
		}
		wall := wallOf(next)
		if !r.f.matches(wall) && !endsGap(next) {
			t.Fatalf("%q in %s: %s is neither a time of the rule nor the end of a gap", r, r.Location(), next)
		}
		if wall.Equal(lastWall) {
			t.Fatalf("%q in %s: wall clock %s fired twice", r, r.Location(), wall)
		}
		at, lastWall = next, wall
	}
}

// matches reports whether a wall clock (written as UTC) is one the fields name.
func (f fields) matches(wall time.Time) bool {
	return wall.Second() == 0 && f.dayMatches(wall) &&
		f.hour&(1<<uint(wall.Hour())) != 0 && f.minute&(1<<uint(wall.Minute())) != 0
}

// endsGap reports whether the clocks jumped forward at t.
func endsGap(t time.Time) bool {
	_, before := t.Add(-time.Nanosecond).Zone()
	_, after := t.Zone()
	return after > before
}
