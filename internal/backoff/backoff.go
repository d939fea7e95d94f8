// Package backoff is the one wait between retries that homelink uses: a
// first wait doubling with each attempt up to a most, with jitter on its
// upper half, so replicas that failed together do not retry in step.
package backoff

import (
	"math/rand/v2"
	"time"
)

// Wait is the wait before retry attempt+1 (attempt counts from 0):
// first·2^attempt, at most most, drawn from its upper half.
func Wait(first, most time.Duration, attempt int) time.Duration {
	d := min(first<<min(max(attempt, 0), 20), most)
	return d/2 + rand.N(d/2+1)
}
