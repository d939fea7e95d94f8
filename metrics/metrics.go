// Package metrics defines homelink's Prometheus metrics in one registry that
// the parts share, and an HTTP transport that counts Bot API calls.
package metrics

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the collectors homelink exports.
type Metrics struct {
	Registry *prometheus.Registry
	// Updates counts updates by type (message, callback_query, …) and
	// outcome (handled, ignored, duplicate, failed, panic, rejected).
	Updates *prometheus.CounterVec
	// HandlerSeconds is the time from taking an update to finishing it.
	HandlerSeconds prometheus.Histogram
	// APICalls counts Bot API requests by method and result.
	APICalls *prometheus.CounterVec
	// Denied counts actions refused by authorization, and InviteCodes
	// invitation codes tried, by result (ok, invalid, used, throttled).
	Denied      prometheus.Counter
	InviteCodes *prometheus.CounterVec
	// OutboxQueued counts messages queued, by lane.
	OutboxQueued *prometheus.CounterVec
	// OutboxSends counts send attempts by lane and result (sent, retried,
	// too_many_requests, migrated, dead_letter_<reason>).
	OutboxSends *prometheus.CounterVec
	// Outbox429 counts Telegram's "too many requests" answers.
	Outbox429 prometheus.Counter
	// OutboxSeconds is the time from queueing to sent, by lane.
	OutboxSeconds *prometheus.HistogramVec
	// BookkeepingRetries counts retried writes of what was done, by op
	// (inbox_ack: an update was handled; send_record: a message was sent),
	// and BookkeepingFailures those given up on: each is a future repeat.
	BookkeepingRetries  *prometheus.CounterVec
	BookkeepingFailures *prometheus.CounterVec
	// InboxRescued counts inboxes a sweep took over after their lease ran out.
	InboxRescued prometheus.Counter
	// WebhookRefused counts webhook calls refused, by reason (wrong_secret,
	// bad_json, too_large, method, unavailable, not_durable).
	WebhookRefused *prometheus.CounterVec
	// Reminders counts what became of due reminders and digests, by kind
	// and outcome (sent, late, silent, held, dropped_ended,
	// dropped_superseded, dropped_changed, dropped_quiet, dropped_empty,
	// blocked). A nudge counts once per teacher told.
	Reminders *prometheus.CounterVec
}

// New makes the collectors in a fresh registry, with Go and process metrics.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homelink_updates_total", Help: "Telegram updates by type and outcome.",
		}, []string{"type", "outcome"}),
		HandlerSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "homelink_handler_seconds", Help: "Time to handle one update.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
		APICalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homelink_bot_api_calls_total", Help: "Bot API requests by method and result.",
		}, []string{"method", "result"}),
	}
	m.Denied = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homelink_denied_total", Help: "Commands and buttons refused by authorization.",
	})
	m.InviteCodes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homelink_invite_codes_total", Help: "Invitation codes tried, by result.",
	}, []string{"result"})
	m.OutboxQueued = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homelink_outbox_queued_total", Help: "Messages queued, by lane.",
	}, []string{"lane"})
	m.OutboxSends = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homelink_outbox_sends_total", Help: "Send attempts by lane and result.",
	}, []string{"lane", "result"})
	m.Outbox429 = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homelink_outbox_429_total", Help: "Too Many Requests answers from Telegram.",
	})
	m.OutboxSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "homelink_outbox_send_seconds", Help: "Time from queueing a message to Telegram accepting it, by lane.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 1800},
	}, []string{"lane"})
	m.BookkeepingRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homelink_bookkeeping_retries_total", Help: "Retried records of handled updates (inbox_ack) and sent messages (send_record).",
	}, []string{"op"})
	m.BookkeepingFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homelink_bookkeeping_failures_total", Help: "Records of handled updates (inbox_ack) and sent messages (send_record) given up on: each is a future repeat.",
	}, []string{"op"})
	m.InboxRescued = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homelink_inbox_rescued_total", Help: "Inboxes taken over by a sweep after their lease ran out.",
	})
	m.WebhookRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homelink_webhook_refused_total", Help: "Webhook calls refused, by reason.",
	}, []string{"reason"})
	m.Reminders = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homelink_reminders_total", Help: "Due reminders and digests, by kind and outcome (sent, late, silent, held, dropped_ended, dropped_superseded, dropped_changed, dropped_quiet, dropped_empty, blocked); a nudge counts once per teacher.",
	}, []string{"kind", "outcome"})
	m.Registry.MustRegister(m.Updates, m.Denied, m.InviteCodes, m.HandlerSeconds, m.APICalls, m.OutboxQueued, m.OutboxSends, m.Outbox429, m.OutboxSeconds,
		m.BookkeepingRetries, m.BookkeepingFailures, m.InboxRescued, m.WebhookRefused, m.Reminders,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchOutboxDepth exports the number of messages waiting in each lane,
// read from depth at every scrape.
func (m *Metrics) WatchOutboxDepth(depth func(context.Context) ([3]int64, error)) {
	for i, lane := range []string{"interactive", "reminder", "bulk"} {
		m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "homelink_outbox_queue_depth", Help: "Messages waiting to be sent, by lane.",
			ConstLabels: prometheus.Labels{"lane": lane},
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			d, err := depth(ctx)
			if err != nil {
				return -1
			}
			return float64(d[i])
		}))
	}
}

// WatchInboxes exports how many inboxes hold updates and how long the
// oldest has gone without progress, read from pending at every scrape.
func (m *Metrics) WatchInboxes(pending func(context.Context) (count int64, oldest time.Duration, err error)) {
	read := func() (int64, time.Duration, bool) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, age, err := pending(ctx)
		return n, age, err == nil
	}
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "homelink_inbox_pending", Help: "Inboxes holding updates not yet handled (-1: Redis unreachable).",
	}, func() float64 {
		n, _, ok := read()
		if !ok {
			return -1
		}
		return float64(n)
	}), prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "homelink_inbox_oldest_pending_seconds", Help: "How long the inbox waiting longest has gone without progress (-1: Redis unreachable).",
	}, func() float64 {
		_, age, ok := read()
		if !ok {
			return -1
		}
		return age.Seconds()
	}))
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// ObserveHandler records how long one update took.
func (m *Metrics) ObserveHandler(start time.Time) {
	m.HandlerSeconds.Observe(time.Since(start).Seconds())
}

// Transport wraps base so every Bot API request is counted by method and
// result. It reads only the path's last segment: the token is never kept.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripper{base: base, calls: m.APICalls}
}

type roundTripper struct {
	base  http.RoundTripper
	calls *prometheus.CounterVec
}

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	method := req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
	if len(method) > 40 {
		method = "other"
	}
	resp, err := rt.base.RoundTrip(req)
	rt.calls.WithLabelValues(method, result(resp, err)).Inc()
	return resp, err
}

func result(resp *http.Response, err error) string {
	if err != nil {
		return "network_error"
	}
	switch c := resp.StatusCode; {
	case c < 300:
		return "ok"
	case c == 400:
		return "bad_request"
	case c == 401:
		return "unauthorized"
	case c == 403:
		return "forbidden"
	case c == 409:
		return "conflict"
	case c == 429:
		return "too_many_requests"
	case c >= 500:
		return "server_error"
	default:
		return "other_error"
	}
}
