package emulator

import (
	"math"
	"time"
)

// Limits are the send limits the fake enforces, answering 429 with
// retry_after past them. Telegram's own figures are the defaults; tests of
// the delivery pipeline scale them up to finish quickly.
type Limits struct {
	// Off switches every limit off (benchmarks of our own code).
	Off bool
	// PerSecond is the bot-wide rate of sends (Telegram: about 30).
	PerSecond float64
	// PerChatPerSecond is the rate into one private chat (about 1), with
	// PerChatBurst sends allowed at once.
	PerChatPerSecond float64
	PerChatBurst     float64
	// GroupPerMinute is the rate into one group (20).
	GroupPerMinute float64
}

// TelegramLimits are the limits Telegram documents.
var TelegramLimits = Limits{PerSecond: 30, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}

type bucket struct {
	rate, capacity, tokens float64
	last                   time.Time
}

func newBucket(rate, capacity float64, now time.Time) *bucket {
	return &bucket{rate: rate, capacity: capacity, tokens: capacity, last: now}
}

// take spends one token, or says how long until one is there.
func (b *bucket) take(now time.Time) (bool, time.Duration) {
	b.tokens = math.Min(b.capacity, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// limiter holds the buckets. Not safe for concurrent use: the server's
// mutex guards it.
type limiter struct {
	l      Limits
	global *bucket
	chats  map[int64]*bucket
}

func newLimiter(l Limits, now time.Time) *limiter {
	lim := &limiter{l: l, chats: map[int64]*bucket{}}
	if !l.Off {
		lim.global = newBucket(l.PerSecond, l.PerSecond, now)
	}
	return lim
}

// allow reports whether a send to chat may go now; when not, it returns the
// retry_after Telegram would answer (whole seconds, at least 1).
func (lim *limiter) allow(chat int64, now time.Time) (bool, int) {
	if lim.l.Off {
		return true, 0
	}
	cb, ok := lim.chats[chat]
	if !ok {
		if chat < 0 {
			cb = newBucket(lim.l.GroupPerMinute/60, lim.l.GroupPerMinute, now)
		} else {
			cb = newBucket(lim.l.PerChatPerSecond, lim.l.PerChatBurst, now)
		}
		lim.chats[chat] = cb
	}
	// Check both before spending either, so a refused send costs nothing.
	if ok, wait := peek(cb, now); !ok {
		return false, retryAfter(wait)
	}
	if ok, wait := lim.global.take(now); !ok {
		return false, retryAfter(wait)
	}
	cb.take(now)
	return true, 0
}

func peek(b *bucket, now time.Time) (bool, time.Duration) {
	c := *b
	return c.take(now)
}

func retryAfter(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
