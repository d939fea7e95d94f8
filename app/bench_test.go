package app

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// BenchmarkWebhookToReply measures the whole path of one update: an HTTP
// POST to the webhook, the take into Redis, the handler, and the reply
// arriving at the fake Bot API (limits off), from 32 concurrent senders as
// fast as they can, for 1,000 users. It reports the updates per second the
// machine sustains (its latencies are queueing time at saturation).
func BenchmarkWebhookToReply(b *testing.B) { benchWebhook(b, 0) }

// BenchmarkWebhookToReplyAt2000PerSecond offers 2,000 updates a second, the
// floor homelink must carry on this machine, and reports p50/p99 latency
// from the POST to the reply at that load.
func BenchmarkWebhookToReplyAt2000PerSecond(b *testing.B) { benchWebhook(b, 2000) }

// BenchmarkWebhookDurability is BenchmarkWebhookToReply on a Redis of
// its own under each durability setting the README offers: an AOF synced
// every second, an AOF synced at every write, and a primary with one
// replica and REDIS_WAIT_REPLICAS=1.
func BenchmarkWebhookDurability(b *testing.B) {
	unlimited := func(c *Config) { c.RatePerSecond, c.ChatPerSecond = 1e6, 1e6 }
	b.Run("everysec", func(b *testing.B) {
		srv := redistest.NewServer(b, "--appendonly", "yes", "--appendfsync", "everysec")
		benchWebhookOn(b, 0, startOn(b, srv.URL(), srv.Client(), "b:", webhook, unlimited))
	})
	b.Run("always", func(b *testing.B) {
		srv := redistest.NewServer(b, "--appendonly", "yes", "--appendfsync", "always")
		benchWebhookOn(b, 0, startOn(b, srv.URL(), srv.Client(), "b:", webhook, unlimited))
	})
	b.Run("wait1", func(b *testing.B) {
		srv := redistest.NewServer(b, "--appendonly", "yes", "--appendfsync", "everysec")
		redistest.NewServer(b).ReplicaOf(srv)
		h := startOn(b, srv.URL(), srv.Client(), "b:", webhook, func(c *Config) {
			unlimited(c)
			c.RedisWaitReplicas = 1
		})
		benchWebhookOn(b, 0, h)
	})
}

func benchWebhook(b *testing.B, rate float64) {
	// The fake's limits are off, and so are the outbox's: this measures
	// homelink's own path, not Telegram's pacing.
	benchWebhookOn(b, rate, startWith(b, webhook, func(c *Config) { c.RatePerSecond, c.ChatPerSecond = 1e6, 1e6 }))
}

func benchWebhookOn(b *testing.B, rate float64, h *harness) {
	l := newLoad(b, h, 1000, 32)
	// Warm up (connections, pools, first-time users), outside the figures.
	l.run(2000, 2000)
	b.ResetTimer()
	elapsed, latencies := l.run(b.N, rate)
	b.StopTimer()
	pct := func(p float64) float64 {
		return float64(latencies[int(float64(len(latencies)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(testutil.ToFloat64(h.reps[0].app.Metrics.OutboxQueued.WithLabelValues("interactive")), "replies-queued")
}

// load posts "/help" updates from many users to the webhook and times each
// until its reply reaches the fake Bot API.
type load struct {
	b       *testing.B
	url     string
	client  *http.Client
	users   []int64
	senders int
	nextID  int64

	mu        sync.Mutex
	starts    map[int64][]time.Time // chat → send times of updates awaiting a reply
	latencies []time.Duration
	want      int
	done      chan struct{}
}

func newLoad(b *testing.B, h *harness, users, senders int) *load {
	l := &load{b: b, url: h.reps[0].url + "/telegram/webhook", senders: senders, nextID: 1_000_000,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}},
		starts: map[int64][]time.Time{}}
	for i := 0; i < users; i++ {
		l.users = append(l.users, h.tg.NewUser(int64(900000+i), "P", "en").ID)
	}
	h.tg.OnSend(l.replied)
	return l
}

func (l *load) replied(m emulator.Message) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if q := l.starts[m.ChatID]; len(q) > 0 {
		l.latencies = append(l.latencies, now.Sub(q[0]))
		l.starts[m.ChatID] = q[1:]
		if len(l.latencies) == l.want {
			close(l.done)
		}
	}
}

// run sends n updates, at rate per second (0: as fast as the senders go),
// waits for every reply, and returns the time taken and sorted latencies.
func (l *load) run(n int, rate float64) (time.Duration, []time.Duration) {
	l.mu.Lock()
	l.latencies, l.want, l.done = nil, n, make(chan struct{})
	l.mu.Unlock()
	began := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for s := 0; s < l.senders; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				if rate > 0 { // open loop: update i leaves at i/rate
					time.Sleep(time.Until(began.Add(time.Duration(float64(i) / rate * float64(time.Second)))))
				}
				if !l.send(l.users[int(i)%len(l.users)], atomic.AddInt64(&l.nextID, 1)) {
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-l.done:
	case <-time.After(60 * time.Second):
		l.b.Fatalf("only %d of %d replies arrived", len(l.latencies), n)
	}
	elapsed := time.Since(began)
	l.mu.Lock()
	defer l.mu.Unlock()
	slices.Sort(l.latencies)
	return elapsed, l.latencies
}

func (l *load) send(user, updateID int64) bool {
	l.mu.Lock()
	l.starts[user] = append(l.starts[user], time.Now())
	l.mu.Unlock()
	req, _ := http.NewRequest(http.MethodPost, l.url, strings.NewReader(textUpdate(updateID, user, "/help")))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := l.client.Do(req)
	if err != nil || resp.StatusCode != 200 {
		l.b.Errorf("webhook: %v %v", err, resp)
		return false
	}
	resp.Body.Close()
	return true
}
