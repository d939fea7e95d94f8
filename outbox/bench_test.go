package outbox

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// roundTrips counts Redis round trips: a command or a pipeline each.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { r.n.Add(1); return next(ctx, cmd) }
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { r.n.Add(1); return next(ctx, cmds) }
}

func benchOutbox(b *testing.B, tg *emulator.Server, opt Options) (*Outbox, *roundTrips) {
	api, err := bot.New(tg.Token(), bot.WithServerURL(tg.URL()), bot.WithSkipGetMe(),
		bot.WithHTTPClient(time.Minute, BufferedClient{HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}}))
	if err != nil {
		b.Fatal(err)
	}
	rdb, prefix := redistest.Client(b)
	rt := &roundTrips{}
	rdb.AddHook(rt)
	opt.Prefix = prefix
	o := New(api, rdb, opt)
	o.LoadScripts(context.Background())
	return o, rt
}

// bulk queues n bulk messages to n users and sends them with o's workers,
// returning the time from the first enqueue to the last send.
func bulk(b *testing.B, tg *emulator.Server, o *Outbox, n int, first int64) time.Duration {
	ctx := context.Background()
	people := users(tg, first, n)
	b.ResetTimer()
	start := time.Now()
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { o.Run(rctx); close(done) }()
	// Producers queue while the workers send, as a broadcast job would.
	var next atomic.Int64
	var wg sync.WaitGroup
	for p := 0; p < 4; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				if _, err := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: people[i].ID, Text: "Friday reminder", Batch: "bench"}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ok := tg.WaitFor(5*time.Minute, func() bool { s, _ := o.Batch(ctx, "bench"); return s.Sent+s.Failed == n })
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-done
	if !ok {
		b.Fatal("batch did not finish")
	}
	return elapsed
}

// BenchmarkThroughputLimitsOff: messages per second through Redis and
// HTTP on loopback with every limit switched off, and Redis round trips
// per message (enqueue, claim, finish, and the claims that found nothing).
func BenchmarkThroughputLimitsOff(b *testing.B) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	defer tg.Close()
	o, rt := benchOutbox(b, tg, Options{RatePerSecond: 1e6, ChatPerSecond: 1e6, Workers: 16})
	elapsed := bulk(b, tg, o, b.N, 1_000_000)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "redis-trips/msg")
}

// BenchmarkAchievedRateAtLimit: the share of the configured rate achieved
// for a bulk send (the fake enforcing the same limit), in percent, with
// the busiest sliding second and the 429s. The outbox paces at 97.5% of
// the limit and aims to achieve at least 97% on an idle machine; this is
// where that is measured, not in the tests, whose machine may be busy. A
// figure under half the limit fails: on an idle machine only a bug, or a
// machine too busy to measure on, gets that far from 97%.
func BenchmarkAchievedRateAtLimit(b *testing.B) {
	tg := scaledFake(b)
	o, _ := benchOutbox(b, tg, Options{RatePerSecond: testRate, Workers: 8})
	n := max(b.N, 2*testRate)
	bulk(b, tg, o, n, 2_000_000)
	all := sends(tg)
	rate := float64(len(all)-1) / all[len(all)-1].At.Sub(all[0].At).Seconds()
	share := 100 * rate / testRate
	b.ReportMetric(share, "%-of-limit")
	b.ReportMetric(float64(maxInWindow(all, time.Second))/testRate*100, "%-busiest-second")
	b.ReportMetric(float64(count429(tg)), "429s")
	switch {
	case share < 50:
		b.Fatalf("achieved %.1f/s of %d/s, under half: a bug, or a machine too busy to measure on", rate, testRate)
	case share < 97:
		b.Logf("achieved %.1f%% of the limit, under the 97%% aimed at: is the machine busy?", share)
	}
}

// BenchmarkInteractiveDuringBulk: how long a reply waits while a bulk send
// runs at the limit (Send to the reply arriving at the fake), p50 and p99.
func BenchmarkInteractiveDuringBulk(b *testing.B) {
	tg := scaledFake(b)
	o, _ := benchOutbox(b, tg, Options{RatePerSecond: testRate, Workers: 8})
	ctx := context.Background()
	for _, u := range users(tg, 3_000_000, 3000) {
		o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "news", Batch: "bg"})
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go o.Run(rctx)
	tg.WaitFor(5*time.Second, func() bool { return len(sends(tg)) > 300 })
	repliers := users(tg, 4_000_000, b.N)
	var waits []time.Duration
	b.ResetTimer()
	for _, u := range repliers {
		start := time.Now()
		o.Send(ctx, Message{ChatID: u.ID, Text: "Booked"})
		u.WaitForMessage("Booked", 5*time.Second)
		waits = append(waits, time.Since(start))
		time.Sleep(20 * time.Millisecond) // replies spread out, as users tap
	}
	b.StopTimer()
	slices.Sort(waits)
	b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-ms")
	if st, _ := o.Batch(ctx, "bg"); st.Pending() == 0 {
		b.Log("the bulk send ended before the replies did; the figure is not under load")
	}
}

// mailboxPage is 11 messages as the teacher's mailbox queues a page: ten
// items (voice notes and texts with their header) and the closing menu,
// interactive, to one chat, as a Reply.
func mailboxPage(chat int64) []Message {
	ms := make([]Message, 0, 11)
	for i := range 10 {
		m := Message{ChatID: chat, Reply: true, Text: "李秀兰 (小明's mother) · Sat 5 Dec 14:05"}
		if i%2 == 0 {
			m.Kind, m.FileID = Voice, "AwACAgUAAxkBAAIBZ2VvaWNlLW5vdGUtZmlsZS1pZA"
		}
		ms = append(ms, m)
	}
	return append(ms, Message{ChatID: chat, Reply: true, Text: "Played up to 10 of 13.",
		Keyboard: [][]Button{{{Text: "✅ The child heard them", Data: "m:h"}, {Text: "▶ More (3)", Data: "m:n"}}}})
}

// BenchmarkEnqueueAll: queueing a mailbox page of 11 messages with one
// EnqueueAll (one script), per page, with its Redis round trips;
// BenchmarkEnqueueEach is the same page queued by 11 Enqueue calls.
func BenchmarkEnqueueAll(b *testing.B) {
	tg := emulator.New()
	defer tg.Close()
	o, rt := benchOutbox(b, tg, Options{})
	ctx := context.Background()
	rt.n.Store(0)
	b.ResetTimer()
	for i := range b.N {
		if _, err := o.EnqueueAll(ctx, mailboxPage(int64(5_000_000+i))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "redis-trips/op")
}

func BenchmarkEnqueueEach(b *testing.B) {
	tg := emulator.New()
	defer tg.Close()
	o, rt := benchOutbox(b, tg, Options{})
	ctx := context.Background()
	rt.n.Store(0)
	b.ResetTimer()
	for i := range b.N {
		for _, m := range mailboxPage(int64(6_000_000 + i)) {
			if _, err := o.Enqueue(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "redis-trips/op")
}

// slowest records the longest single Redis command (a script run counts
// as one): how long Redis was held at a time.
type slowest struct {
	roundTrips
	mu  sync.Mutex
	max time.Duration
}

func (s *slowest) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		start := time.Now()
		err := next(ctx, cmd)
		d := time.Since(start)
		s.mu.Lock()
		s.max = max(s.max, d)
		s.mu.Unlock()
		return err
	}
}

// broadcastChunk is 200 bulk messages of one broadcast run's batch, as
// the broadcast engine queues a chunk of its audience.
func broadcastChunk(batch string, first int64) []Message {
	ms := make([]Message, 200)
	for i := range ms {
		ms[i] = Message{Lane: Bulk, ChatID: first + int64(i), Batch: batch,
			Text: "<b>青溪村儿童之家</b>\n李秀兰您好：本周六上午 10:00 开放日，欢迎来看看小明和丽丽。"}
	}
	return ms
}

// BenchmarkEnqueueAllBroadcastChunk: queueing one chunk of a broadcast,
// 200 bulk messages of one batch in one EnqueueAll (sealed, counted in the
// batch), per chunk and per message.
func BenchmarkEnqueueAllBroadcastChunk(b *testing.B) {
	tg := emulator.New()
	defer tg.Close()
	o, rt := benchOutbox(b, tg, Options{})
	ctx := context.Background()
	rt.n.Store(0)
	b.ResetTimer()
	for i := range b.N {
		if _, err := o.EnqueueAll(ctx, broadcastChunk("bc1.1", int64(7_000_000+200*i))); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(200*b.N), "ns/msg")
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "redis-trips/op")
}

// BenchmarkCancelBatch: cancelling a 10,000-message batch that waits in
// the bulk lane (no worker runs), per cancel, with the longest single
// Redis command it made (a slice of withdraw.lua): how long Redis was
// held at a time.
func BenchmarkCancelBatch(b *testing.B) {
	tg := emulator.New()
	defer tg.Close()
	o, _ := benchOutbox(b, tg, Options{})
	slow := &slowest{}
	o.rdb.AddHook(slow)
	ctx := context.Background()
	const n = 10_000
	var longest time.Duration
	b.StopTimer()
	for i := range b.N {
		batch := "bc2." + strconv.Itoa(i)
		for c := 0; c < n; c += 200 {
			if _, err := o.EnqueueAll(ctx, broadcastChunk(batch, int64(8_000_000+c))); err != nil {
				b.Fatal(err)
			}
		}
		slow.mu.Lock()
		slow.max = 0
		slow.mu.Unlock()
		b.StartTimer()
		got, err := o.CancelBatch(ctx, batch)
		b.StopTimer()
		if err != nil || got != n {
			b.Fatalf("withdrew %d, %v", got, err)
		}
		longest = max(longest, slow.max)
	}
	b.ReportMetric(float64(longest.Microseconds())/1000, "longest-command-ms")
}
