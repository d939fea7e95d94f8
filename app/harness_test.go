package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/internal/testlog"
	"github.com/homelink/homelink/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

const (
	polling = "polling"
	webhook = "webhook"
	secret  = "test-webhook-secret_0123456789"
)

var modes = []string{polling, webhook}

// testInviteKey is the replicas' INVITE_KEY; h.store() uses it too.
const testInviteKey = "app-test-invite-key-0123456789abcdef"

// store is a Store of the harness's Redis with the replicas' keys, for a
// test to prepare or read what the bot would.
func (h *harness) store() *store.Store {
	st := store.New(h.rdb, h.prefix, h.clock)
	st.UseCodeKeys([]byte(testInviteKey))
	return st
}

// harness is homelink running against the fake Bot API and a private Redis.
type harness struct {
	t      testing.TB
	tg     *emulator.Server
	rdb    *redis.Client
	prefix string
	clock  *homelink.FakeClock
	logs   *testlog.Buffer
	reps   []*replica
	tune   func(*Config)
	// redisURL is the Redis the replicas use: the package's, or a test's own.
	redisURL string
	// seeded is the fixture as reset first made it, to put back.
	seeded *seedImage
}

type replica struct {
	app    *App
	url    string // http://127.0.0.1:port
	cancel context.CancelFunc
	done   chan error
}

// start runs one replica in mode; more can join with h.addReplica.
func start(t testing.TB, mode string, opts ...emulator.Option) *harness {
	t.Helper()
	return startWith(t, mode, nil, opts...)
}

// startWith is start with tune applied to every replica's configuration.
func startWith(t testing.TB, mode string, tune func(*Config), opts ...emulator.Option) *harness {
	t.Helper()
	rdb, prefix := redistest.Client(t)
	return startOn(t, redistest.URL(), rdb, prefix, mode, tune, opts...)
}

// startOn is startWith on a Redis of the test's own, at url (which may
// name Sentinels), read by the test through rdb.
func startOn(t testing.TB, url string, rdb *redis.Client, prefix, mode string, tune func(*Config), opts ...emulator.Option) *harness {
	t.Helper()
	opts = append([]emulator.Option{emulator.WithLimits(emulator.Limits{Off: true})}, opts...)
	tg := emulator.New(opts...)
	t.Cleanup(tg.Close)
	h := &harness{t: t, tg: tg, rdb: rdb, prefix: prefix, logs: &testlog.Buffer{}, tune: tune, redisURL: url,
		clock: homelink.NewFakeClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))}
	h.addReplica(mode)
	return h
}

func (h *harness) config(mode string, ln net.Listener) Config {
	cfg, errs := LoadConfig(func(name string) string {
		switch name {
		case "TELEGRAM_BOT_TOKEN":
			return h.tg.Token()
		case "TELEGRAM_API_URL":
			return h.tg.URL()
		case "REDIS_URL":
			return h.redisURL
		case "INVITE_KEY":
			return testInviteKey
		case "REDIS_KEY_PREFIX":
			return h.prefix
		case "HANDLER_WORKERS":
			return "16"
		}
		return ""
	})
	if len(errs) > 0 {
		h.t.Fatal(errs)
	}
	// Users here type faster than Telegram lets a bot answer one chat;
	// pacing is the outbox's own tests' subject.
	cfg.ChatPerSecond, cfg.ChatBurst = 1000, 100
	if mode == webhook {
		cfg.WebhookURL = "http://" + ln.Addr().String() + "/telegram/webhook"
		cfg.WebhookSecret = secret
	}
	if h.tune != nil {
		h.tune(&cfg)
	}
	return cfg
}

func (h *harness) addReplica(mode string) *replica {
	t := h.t
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(context.Background(), h.config(mode, ln), Deps{Clock: h.clock, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &replica{app: a, url: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() { r.stop(t) })
	ready := func() bool {
		resp, err := http.Get(r.url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}
	if !h.tg.WaitFor(5*time.Second, ready) {
		t.Fatal("replica not ready within 5s")
	}
	if mode == polling && !h.tg.WaitFor(5*time.Second, h.tg.Polling) {
		t.Fatal("replica is not polling")
	}
	h.reps = append(h.reps, r)
	return r
}

func (r *replica) stop(t testing.TB) {
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(ShutdownTimeout):
		t.Error("replica did not stop within the shutdown timeout")
	}
}

// person is a Telegram user in a conversation test.
type person struct {
	*emulator.User
	h *harness
}

func (h *harness) person(id int64, name, lang string) *person {
	return &person{User: h.tg.NewUser(id, name, lang), h: h}
}

// Sees waits until the bot has shown the person a message containing text
// and returns it.
func (p *person) Sees(text string) emulator.Message {
	p.h.t.Helper()
	m, ok := p.WaitForMessage(text, 5*time.Second)
	if !ok {
		p.h.t.Fatalf("user %d never saw %q; they see:\n%s", p.ID, text, transcript(p.Messages()))
	}
	return m
}

// SeesNew waits for the bot's next new message (beyond n seen so far).
func (p *person) SeesNew(n int, text string) emulator.Message {
	p.h.t.Helper()
	if !p.WaitForCount(n+1, 5*time.Second) {
		p.h.t.Fatalf("user %d got no message %d; they see:\n%s", p.ID, n+1, transcript(p.Messages()))
	}
	m := p.Messages()[n]
	if !strings.Contains(m.Text, text) {
		p.h.t.Fatalf("user %d: message %d is %q, want it to contain %q", p.ID, n+1, m.Text, text)
	}
	return m
}

// Tap presses a button, waiting for the bot to show it, and fails the
// test when it never does.
func (p *person) Tap(label string) {
	p.h.t.Helper()
	var err error
	p.h.tg.WaitFor(5*time.Second, func() bool { _, err = p.Taps(label); return err == nil })
	if err != nil {
		p.h.t.Fatalf("%v; they see:\n%s", err, transcript(p.Messages()))
	}
}

// SeesAlert waits for the bot's answer to a tap to show text.
func (p *person) SeesAlert(text string) {
	p.h.t.Helper()
	ok := p.h.tg.WaitFor(5*time.Second, func() bool {
		for _, a := range p.Alerts() {
			if strings.Contains(a, text) {
				return true
			}
		}
		return false
	})
	if !ok {
		p.h.t.Fatalf("user %d never saw the notice %q; notices: %q", p.ID, text, p.Alerts())
	}
}

// settled waits until every update was taken and every tap answered, and
// the bot has sent want messages to p.
func (p *person) settled(want int) {
	p.h.t.Helper()
	ok := p.h.tg.WaitFor(5*time.Second, func() bool {
		return p.h.tg.PendingUpdates() == 0 && p.Answered() && len(p.Messages()) == want
	})
	if !ok {
		p.h.t.Fatalf("user %d: want %d messages, see:\n%s", p.ID, want, transcript(p.Messages()))
	}
}

func transcript(ms []emulator.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString("  > " + strings.ReplaceAll(m.Text, "\n", " ") + "\n")
		if len(m.Keyboard) > 0 {
			b.WriteString("    [" + strings.Join(m.Buttons(), "] [") + "]\n")
		}
	}
	return b.String()
}
