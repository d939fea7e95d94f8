package backoff

import (
	"testing"
	"time"
)

// Each wait lies in the upper half of first·2^attempt, capped at most.
func TestWaitDoublesToItsMostWithJitter(t *testing.T) {
	for attempt, want := range []time.Duration{50, 100, 200, 400, 800, 1600, 2000, 2000} {
		want *= time.Millisecond
		for range 100 {
			if d := Wait(50*time.Millisecond, 2*time.Second, attempt); d < want/2 || d > want {
				t.Fatalf("attempt %d waited %v, want %v to %v", attempt, d, want/2, want)
			}
		}
	}
	if d := Wait(time.Second, time.Hour, 1000); d < 30*time.Minute || d > time.Hour {
		t.Fatalf("a late attempt waited %v, want its most", d)
	}
}
