package outbox

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// slowLink relays connections to Redis, each way after a delay: a Redis
// in another zone, or behind a TLS proxy.
func slowLink(t *testing.T, to string, d time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	relay := func(dst, src net.Conn) {
		buf := make([]byte, 64<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				b := append([]byte(nil), buf[:n]...)
				time.Sleep(d) // the distance to Redis
				dst.Write(b)
			}
			if err != nil {
				dst.Close()
				return
			}
		}
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			go relay(r, c)
			go relay(c, r)
		}
	}()
	return ln.Addr().String()
}

// A Redis 8 ms away (each way) does not stall the queue: a worker's pause
// check takes a round trip, which delays every worker alike and is not
// lateness. Before, every message that waited for its slot was given back.
func TestAFarRedisDoesNotStallTheQueue(t *testing.T) {
	srv := redistest.NewServer(t)
	tg := emulator.New(emulator.WithLimits(emulator.TelegramLimits))
	t.Cleanup(tg.Close)
	rdb := redis.NewClient(&redis.Options{Addr: slowLink(t, srv.Addr(), 8*time.Millisecond), PoolSize: 32})
	t.Cleanup(func() { rdb.Close() })
	api, err := bot.New(tg.Token(), bot.WithServerURL(tg.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	o := New(api, rdb, Options{Prefix: "far:", RatePerSecond: 30})
	ctx := context.Background()
	if err := o.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range users(tg, 5000, 200) {
		if _, err := o.Enqueue(ctx, Message{Lane: Reminder, ChatID: u.ID, Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	run(t, o)
	// At 30 a second, 60 messages take 2 s; give it 5.
	if !tg.WaitFor(5*time.Second, func() bool { return len(sends(tg)) >= 60 }) {
		t.Fatalf("%d of 200 messages sent in 5 s with Redis 8 ms away, want 60 or more", len(sends(tg)))
	}
	if n := count429(tg); n != 0 {
		t.Fatalf("%d × 429", n)
	}
}
