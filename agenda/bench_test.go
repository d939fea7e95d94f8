package agenda_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda"
)

func store(b *testing.B, w *world, n int, due time.Time, payload string) {
	ctx := context.Background()
	for from := 0; from < n; from += 1000 {
		args := []any{w.prefix, "reminder", due.UnixMilli(), payload}
		for i := from; i < min(from+1000, n); i++ {
			args = append(args, fmt.Sprintf("call:%07d", i))
		}
		if err := putMany.Run(ctx, w.rdb, nil, args...).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// putMany: ARGV[1] prefix, ARGV[2] kind, ARGV[3] first due ms, ARGV[4]
// payload, then keys, each due a millisecond after the one before.
var putMany = redis.NewScript(agenda.Lua + `
local due = tonumber(ARGV[3])
for i = 5, #ARGV do
  agenda_put(ARGV[1], ARGV[2], ARGV[i], string.format('%.0f', due + i), ARGV[4])
end
return 1
`)

// BenchmarkTickNothingDue is the cost of a tick when nothing is due, with
// 1,000 and 1,000,000 items stored (due tomorrow).
func BenchmarkTickNothingDue(b *testing.B) {
	for _, n := range []int{1000, 1000000} {
		b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
			w := newWorld(b)
			a := w.instance(agenda.Options{})
			store(b, w, n, t0.Add(24*time.Hour), "")
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if err := a.Tick(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMemoryPerItem is Redis's used_memory per stored item, from
// INFO memory before and after storing 1,000,000.
func BenchmarkMemoryPerItem(b *testing.B) {
	for _, payload := range []string{"", "1234567890abcdef"} {
		b.Run(fmt.Sprintf("payload=%dB", len(payload)), func(b *testing.B) {
			for b.Loop() {
				w := newWorld(b)
				before := usedMemory(b, w.rdb)
				store(b, w, 1000000, t0, payload)
				after := usedMemory(b, w.rdb)
				b.ReportMetric(float64(after-before)/1e6, "bytes/item")
				w.rdb.FlushDB(context.Background())
			}
		})
	}
}

func usedMemory(b *testing.B, rdb *redis.Client) int64 {
	info := rdb.Info(context.Background(), "memory").Val()
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	b.Fatal("no used_memory in INFO")
	return 0
}

// BenchmarkTenThousandDueInOneMinute puts 10,000 items due within one
// minute and measures the time from the first tick until every one was
// handed to its handler, by 3 instances.
func BenchmarkTenThousandDueInOneMinute(b *testing.B) {
	for b.Loop() {
		w := newWorld(b)
		var handled atomic.Int64
		var replicas []*agenda.Agenda
		for range 3 {
			a := w.instance(agenda.Options{})
			a.Register("reminder", agenda.Handler{Handle: func(context.Context, agenda.Item) error {
				handled.Add(1)
				return nil
			}})
			replicas = append(replicas, a)
		}
		ctx := context.Background()
		for from := 0; from < 10000; from += 1000 {
			args := []any{w.prefix, "reminder", t0.UnixMilli(), ""}
			for i := from; i < from+1000; i++ {
				args = append(args, fmt.Sprintf("call:%07d", i))
			}
			putMany.Run(ctx, w.rdb, nil, args...)
		}
		w.clock.Advance(time.Minute)
		start := time.Now()
		var wg sync.WaitGroup
		for _, a := range replicas {
			wg.Go(func() { a.Tick(ctx) })
		}
		wg.Wait()
		if handled.Load() != 10000 {
			b.Fatalf("handled %d", handled.Load())
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/10k")
	}
}

// BenchmarkLagUnderThreeInstances runs three instances on the wall clock,
// each ticking every second as the scheduler does (at different offsets),
// with 3,000 items due over 5 s, and reports the lag from due to claimed.
func BenchmarkLagUnderThreeInstances(b *testing.B) {
	for b.Loop() {
		w := newWorld(b)
		var mu sync.Mutex
		var lags []time.Duration
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for r := range 3 {
			a := agenda.New(w.rdb, homelink.SystemClock{}, nil, agenda.Options{Prefix: w.prefix})
			a.Register("reminder", agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
				mu.Lock()
				lags = append(lags, time.Since(it.Due))
				mu.Unlock()
				return nil
			}})
			wg.Go(func() {
				time.Sleep(time.Duration(r) * 333 * time.Millisecond)
				t := time.NewTicker(time.Second)
				defer t.Stop()
				for {
					a.Tick(ctx)
					select {
					case <-ctx.Done():
						return
					case <-t.C:
					}
				}
			})
		}
		putter := w.instance(agenda.Options{})
		start := time.Now().Add(time.Second)
		for i := range 3000 {
			w.put(putter, "reminder", fmt.Sprint(i), start.Add(time.Duration(i)*5*time.Second/3000), "")
		}
		for {
			mu.Lock()
			n := len(lags)
			mu.Unlock()
			if n == 3000 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		slices.Sort(lags)
		b.ReportMetric(float64(lags[len(lags)/2].Milliseconds()), "p50-ms")
		b.ReportMetric(float64(lags[len(lags)*99/100].Milliseconds()), "p99-ms")
	}
}
