package homelink

import (
	"testing"
	"time"
)

// A request expires 24 hours before its call, but the teachers always get
// at least two hours to answer, or until the call starts.
func TestRequestExpiryAroundTheDayBefore(t *testing.T) {
	created := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		ahead time.Duration
		want  time.Duration // after created
	}{
		{"30 minutes ahead: at its start", 30 * time.Minute, 30 * time.Minute},
		{"23 hours ahead: two hours", 23 * time.Hour, 2 * time.Hour},
		{"exactly 24 hours ahead: two hours", 24 * time.Hour, 2 * time.Hour},
		{"24h01m ahead: two hours, not one minute", 24*time.Hour + time.Minute, 2 * time.Hour},
		{"26 hours ahead: the day before, two hours on", 26 * time.Hour, 2 * time.Hour},
		{"30 hours ahead: the day before", 30 * time.Hour, 6 * time.Hour},
		{"a week ahead: the day before", 7 * 24 * time.Hour, 6 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := RequestExpiry(created, created.Add(tc.ahead))
			if want := created.Add(tc.want); !got.Equal(want) {
				t.Fatalf("RequestExpiry(+%v) = %v, want %v", tc.ahead, got, want)
			}
		})
	}
}
