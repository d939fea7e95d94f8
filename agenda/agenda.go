// Package agenda holds homelink's due work: reminders, expiries, notices,
// scheduled broadcasts, reports. An item has a kind, a key unique within
// its kind, a due time on homelink.Clock and a small payload; it waits in
// Redis until a Tick on any replica claims it with a lease, hands it to
// the handler its kind registered, and records what became of it.
//
// The agenda owns the keys under "<prefix>{agenda}:" and the Lua that
// changes them (_agenda.lua, exported as Lua so other scripts can put,
// move or withdraw items in the same EVAL as their own change). It never
// reads Redis's TIME to decide what is due; leases alone use it. It never
// sends anything itself: handlers do, after checking with Current that
// their item is still the one they were handed.
package agenda

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

//go:embed *.lua
var scriptFS embed.FS

// Lua is the agenda's Lua library (_agenda.lua): key helpers and
// agenda_put, agenda_move and agenda_withdraw. A script that must change
// the agenda atomically with its own change starts with it; its header
// says how to call them.
var Lua = mustRead("_agenda.lua")

// ErrBadName means a kind or key the agenda cannot store: empty, or with
// a character it uses as a separator.
var ErrBadName = errors.New("agenda: bad kind or key")

// Item is one piece of due work as a handler receives it.
type Item struct {
	Kind, Key string
	// Due is when it was due, on the app's clock.
	Due     time.Time
	Payload []byte
	// Attempts counts earlier runs that failed or were lost.
	Attempts int
	// token names the claim that handed the item out.
	token string
}

// Handler does the work of one kind.
type Handler struct {
	// Handle does the work. An error retries the item after Backoff.
	Handle func(ctx context.Context, it Item) error
	// UsefulFor is how late the work is still worth doing; an item found
	// later than that past its due time is dropped and counted. 0: always.
	UsefulFor time.Duration
	// Retries is how many times a failed item is tried again before it is
	// kept as failed (0: never retried).
	Retries int
	// Backoff is the first retry's wait, doubling each time, with jitter
	// (default 10s).
	Backoff time.Duration
}

// Options tune an Agenda; zero values take the defaults.
type Options struct {
	// Prefix starts every key ("hl:").
	Prefix string
	// Batch is how many items one claim takes (100).
	Batch int
	// Concurrency is how many handlers run at once per instance (16).
	Concurrency int
	// Lease is how long a claim holds its items (30s, on Redis's TIME);
	// handlers get a context that ends well before it.
	Lease time.Duration
	// MaxPerTick bounds the items one Tick claims (10,000), so a backlog
	// is worked down over several ticks and replicas.
	MaxPerTick int
	// KeepFailed is how many failed items are kept (10,000).
	KeepFailed int
	// Log is where handler failures and lost records are told (discarded
	// when nil).
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.Prefix == "" {
		o.Prefix = "hl:"
	}
	def(&o.Batch, 100)
	def(&o.Concurrency, 16)
	def(&o.MaxPerTick, 10000)
	def(&o.KeepFailed, 10000)
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Agenda is one replica's view of the agenda. It is safe for concurrent use.
type Agenda struct {
	rdb      *redis.Client
	clock    homelink.Clock
	opt      Options
	scripts  map[string]*redis.Script
	metrics  *Metrics
	mu       sync.RWMutex
	handlers map[string]Handler
}

// New returns an Agenda over rdb on clock. m may be nil (no metrics).
func New(rdb *redis.Client, clock homelink.Clock, m *Metrics, opt Options) *Agenda {
	a := &Agenda{rdb: rdb, clock: clock, opt: opt.withDefaults(), metrics: m,
		scripts: map[string]*redis.Script{}, handlers: map[string]Handler{}}
	entries, _ := scriptFS.ReadDir(".")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") {
			continue
		}
		a.scripts[strings.TrimSuffix(e.Name(), ".lua")] = redis.NewScript(Lua + mustRead(e.Name()))
	}
	if a.metrics == nil {
		a.metrics = NewMetrics()
	}
	return a
}

// Register sets the handler of kind, replacing any earlier one.
func (a *Agenda) Register(kind string, h Handler) {
	if h.Backoff <= 0 {
		h.Backoff = 10 * time.Second
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.handlers[kind] = h
}

// LoadScripts loads every script into Redis, so the first calls need no
// second round trip.
func (a *Agenda) LoadScripts(ctx context.Context) error {
	for name, sc := range a.scripts {
		if err := sc.Load(ctx, a.rdb).Err(); err != nil {
			return fmt.Errorf("agenda: load script %s: %w", name, err)
		}
	}
	return nil
}

// run runs a script with the key prefix as ARGV[1]. Outside a pipeline
// go-redis recovers from NOSCRIPT by itself (EVALSHA, then EVAL); the
// agenda runs no script in a pipeline.
func (a *Agenda) run(ctx context.Context, name string, args ...any) *redis.Cmd {
	return a.scripts[name].Run(ctx, a.rdb, nil, append([]any{a.opt.Prefix}, args...)...)
}

func mustRead(name string) string {
	b, err := scriptFS.ReadFile(name)
	if err != nil {
		panic("agenda: no script " + name)
	}
	return string(b)
}
