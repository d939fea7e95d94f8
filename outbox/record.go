package outbox

import (
	"context"
	"log/slog"
	"time"

	"github.com/homelink/homelink/internal/backoff"
)

// The waits between tries of a record: from recordFirstWait, doubling up
// to recordMostWait, with jitter, so replicas that lost Redis together do
// not all come back in the same millisecond.
const (
	recordFirstWait = 50 * time.Millisecond
	recordMostWait  = 2 * time.Second
	// recordWhileStopping bounds the tries once the outbox is stopping, so
	// a replica shutting down while Redis is away still stops in time.
	recordWhileStopping = 3 * time.Second
)

// record runs write, a record of what became of a message c held (a
// script that acts only for c's claim and may safely run twice), until it
// succeeds. While Redis is away it tries again with backoff for as long
// as the message's lease holds (extending the lease whenever Redis
// answers), so that a blip does not leave a sent message to be sent again
// when its lease runs out. Each retry is counted, and a record given up
// is counted and logged: the message may be sent once more. It returns
// what write returned, or 0 and false when it gave up.
func (o *Outbox) record(stop context.Context, c *claimed, write func(context.Context) (int, error)) (int, bool) {
	m := o.metrics()
	var stopBy time.Time
	for attempt := 0; ; attempt++ {
		deadline := earliest(c.until, stopBy)
		// One try even when the lease is over: the record is refused if
		// another worker took the message meanwhile.
		ctx, cancel := context.WithTimeout(context.Background(), max(time.Until(deadline), time.Second))
		n, err := write(ctx)
		cancel()
		if err == nil {
			return n, true
		}
		if stop.Err() != nil && stopBy.IsZero() {
			stopBy = time.Now().Add(recordWhileStopping)
		}
		d := backoff.Wait(recordFirstWait, recordMostWait, attempt)
		if time.Now().Add(d).After(earliest(c.until, stopBy)) {
			m.BookkeepingFailures.WithLabelValues("send_record").Inc()
			o.opt.Log.Error("could not record a send: it may be sent again", slog.String("message", c.id), errAttr(err))
			return 0, false
		}
		m.BookkeepingRetries.WithLabelValues("send_record").Inc()
		wait(context.Background(), d)
		o.extend(c)
	}
}

// extend pushes c's lease a full lease further, if c still holds the
// message and Redis answers.
func (o *Outbox) extend(c *claimed) {
	ctx, cancel := context.WithDeadline(context.Background(), c.until)
	defer cancel()
	now := time.Now()
	n, err := o.scripts["extend"].Run(ctx, o.rdb, []string{o.k.inflight(), o.k.msg(c.id)},
		o.k.base(), c.id, c.token, o.opt.Lease.Milliseconds()).Int()
	if err == nil && n == 1 {
		c.until = now.Add(o.opt.Lease)
	}
}

// earliest is the earlier of a and b, ignoring a zero b.
func earliest(a, b time.Time) time.Time {
	if !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}
