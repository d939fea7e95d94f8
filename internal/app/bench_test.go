package app

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/homelink/homelink/internal/telegramtest"
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

func benchWebhook(b *testing.B, rate float64) {
	h := start(b, webhook)
	const users, senders = 1000, 32
	ppl := make([]*telegramtest.User, users)
	for i := range ppl {
		ppl[i] = h.tg.NewUser(int64(900000+i), "P", "en")
	}
	var mu sync.Mutex
	starts := map[int64][]time.Time{} // chat → send times of updates awaiting a reply
	var latencies []time.Duration
	var replies atomic.Int64
	done := make(chan struct{})
	var total int64
	h.tg.OnSend(func(m telegramtest.Message) {
		now := time.Now()
		mu.Lock()
		q := starts[m.ChatID]
		if len(q) > 0 {
			latencies = append(latencies, now.Sub(q[0]))
			starts[m.ChatID] = q[1:]
		}
		mu.Unlock()
		if replies.Add(1) == atomic.LoadInt64(&total) {
			close(done)
		}
	})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	url := h.reps[0].url + "/telegram/webhook"
	b.ResetTimer()
	atomic.StoreInt64(&total, int64(b.N))
	began := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				if rate > 0 { // open-loop pacing: update i leaves at i/rate
					time.Sleep(time.Until(began.Add(time.Duration(float64(i) / rate * float64(time.Second)))))
				}
				user := ppl[i%users].ID
				body := textUpdate(1_000_000+i, user, "/help")
				mu.Lock()
				starts[user] = append(starts[user], time.Now())
				mu.Unlock()
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != 200 {
					b.Errorf("webhook: %v %v", err, resp)
					return
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		b.Fatalf("only %d of %d replies arrived", replies.Load(), b.N)
	}
	elapsed := time.Since(began)
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(float64(len(latencies)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
