package agenda

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Metrics are the agenda's collectors: lag from due to claimed, items
// dropped as too late, released and failed by kind, bookkeeping retries; Gauges adds
// items by kind and state, read from Redis at scrape time.
type Metrics struct {
	lag         prometheus.Histogram
	dropped     *prometheus.CounterVec
	failed      *prometheus.CounterVec
	released    *prometheus.CounterVec
	bookkeeping *prometheus.CounterVec
}

// NewMetrics makes the collectors; Register exports them.
func NewMetrics() *Metrics {
	return &Metrics{
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "homelink_agenda_lag_seconds", Help: "Time from an item's due time to its claim (app clock).",
			Buckets: []float64{.1, .5, 1, 2, 5, 10, 30, 60, 300, 3600},
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homelink_agenda_dropped_total", Help: "Items dropped unhandled, by kind and reason.",
		}, []string{"kind", "reason"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homelink_agenda_failed_total", Help: "Items kept as failed after their last attempt, by kind.",
		}, []string{"kind"}),
		released: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homelink_agenda_released_total", Help: "Items given back unrun because their batch ran out of time before their turn, by kind.",
		}, []string{"kind"}),
		bookkeeping: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homelink_agenda_bookkeeping_total", Help: "Records of handled items retried or given up on.",
		}, []string{"result"}),
	}
}

// Register exports m and the agenda's gauges (a's items by kind and state)
// through reg.
func (m *Metrics) Register(reg prometheus.Registerer, a *Agenda) error {
	for _, c := range []prometheus.Collector{m.lag, m.dropped, m.failed, m.released, m.bookkeeping, &gauges{a: a}} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// gauges reads the agenda's counts at scrape time: two small hashes and a
// ZCARD, whatever the number of items.
type gauges struct{ a *Agenda }

var itemsDesc = prometheus.NewDesc("homelink_agenda_items",
	"Items by kind and state: stored (waiting or claimed), failed (kept); claimed is for all kinds.",
	[]string{"kind", "state"}, nil)

func (g *gauges) Describe(ch chan<- *prometheus.Desc) { ch <- itemsDesc }

func (g *gauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var stored, failed *redis.MapStringStringCmd
	var claimed *redis.IntCmd
	_, err := g.a.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		stored = p.HGetAll(ctx, g.a.key("n"))
		failed = p.HGetAll(ctx, g.a.key("f"+"n"))
		claimed = p.ZCard(ctx, g.a.key("inflight"))
		return nil
	})
	if err != nil {
		return
	}
	emit := func(m map[string]string, state string) {
		for kind, v := range m {
			n, _ := strconv.ParseFloat(v, 64)
			ch <- prometheus.MustNewConstMetric(itemsDesc, prometheus.GaugeValue, n, kind, state)
		}
	}
	emit(stored.Val(), "stored")
	emit(failed.Val(), "failed")
	ch <- prometheus.MustNewConstMetric(itemsDesc, prometheus.GaugeValue, float64(claimed.Val()), "all", "claimed")
}
