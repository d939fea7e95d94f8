package sandbox

import (
	"sync"
	"time"
)

// Clock is the sandbox's time: the wall clock moved by an offset that the
// clock panel changes. The bot, the scheduler and the Bot API emulator all
// read it, so reminders can be watched as they fire.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the sandbox's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d (never backward: time in homelink
// only goes forward).
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// Set moves the clock to t, if t is later than now.
func (c *Clock) Set(t time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := time.Until(t) - c.offset
	if d <= 0 {
		return false
	}
	c.offset += d
	return true
}
