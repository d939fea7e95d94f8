package sandbox

import (
	"context"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// embeddedRedis is an in-process Redis (miniredis) for trying homelink
// without installing one. It keeps nothing when the sandbox stops.
type embeddedRedis struct {
	m    *miniredis.Miniredis
	stop context.CancelFunc
	done chan struct{}
}

// startRedis starts miniredis on a free loopback port. miniredis expires
// keys only when told time passed, so a ticker tells it the wall clock's
// progress: leases and TTLs then run out as on a real server.
func startRedis() (*embeddedRedis, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &embeddedRedis{m: m, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				m.FastForward(now.Sub(last))
				last = now
			}
		}
	}()
	return r, nil
}

// URL is the redis:// address of the embedded server.
func (r *embeddedRedis) URL() string { return "redis://" + r.m.Addr() + "/0" }

// Close stops it.
func (r *embeddedRedis) Close() {
	r.stop()
	<-r.done
	r.m.Close()
}
