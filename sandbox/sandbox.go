// Package sandbox runs homelink for trying it without Telegram: the same
// App that `homelink serve` runs (intake, bot, outbox, scheduler) against a
// built-in Bot API emulator and, unless REDIS_URL is set, an in-process
// Redis, with a web page that shows one phone per person and a clock to
// move. The sandbox holds no bot logic: everything a phone shows came from
// the bot through the emulator.
package sandbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/homelink/homelink/app"
	"github.com/homelink/homelink/emulator"
)

// Options configure a sandbox.
type Options struct {
	// Addr is where the web page listens (127.0.0.1:8080).
	Addr string
	// AllowedHosts are names, besides Addr's host, localhost and IP
	// addresses, that the page may be reached by (a Host header). Other
	// names are refused, so a site that resolves its name to this machine
	// (DNS rebinding) cannot use the page.
	AllowedHosts []string
	// RedisURL is a real Redis to use; empty: an embedded one that keeps
	// nothing after the sandbox stops.
	RedisURL string
	// Seed creates the demonstration on first start (an empty store).
	Seed bool
	// Getenv reads the other settings (DEFAULT_LANGUAGE, ADMIN_IDS, …), as
	// serve does; nil reads none.
	Getenv func(string) string
	Log    *slog.Logger
}

// Sandbox is a running sandbox.
type Sandbox struct {
	opt   Options
	Clock *Clock
	tg    *emulator.Server
	redis *embeddedRedis
	app   *app.App
	cfg   app.Config
	// inviteKey is this run's INVITE_KEY when none is given.
	inviteKey string
	web       *http.Server
	ln        net.Listener

	stopApp context.CancelFunc
	appDone chan error

	mu      sync.Mutex
	people  []*person
	nextID  int64
	changed chan struct{} // closed and replaced when the clock or the people change
}

// person is one phone on the page.
type person struct {
	user *emulator.User
	name string
}

// Start starts the emulator, Redis (unless opt.RedisURL names one), a
// homelink replica and the web page, and seeds the demonstration when the
// store is empty and opt.Seed is set.
func Start(ctx context.Context, opt Options) (_ *Sandbox, err error) {
	if opt.Addr == "" {
		opt.Addr = "127.0.0.1:8080"
	}
	if opt.Getenv == nil {
		opt.Getenv = func(string) string { return "" }
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	s := &Sandbox{opt: opt, Clock: &Clock{}, changed: make(chan struct{}), nextID: 2001, appDone: make(chan error, 1),
		inviteKey: rand.Text() + rand.Text()}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	// The page's address first: a busy port is the likeliest failure.
	if s.ln, err = net.Listen("tcp", opt.Addr); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	// Update ids go on from the wall clock, so a restart on a real Redis,
	// which remembers the ids it handled, is not taken for a repeat.
	s.tg = emulator.New(emulator.WithClock(s.Clock.Now), emulator.WithFirstUpdateID(time.Now().UnixMilli()))
	redisURL := opt.RedisURL
	if redisURL == "" {
		if s.redis, err = startRedis(); err != nil {
			return nil, fmt.Errorf("sandbox: embedded Redis: %w", err)
		}
		redisURL = s.redis.URL()
	}
	if s.cfg, err = s.config(redisURL); err != nil {
		return nil, err
	}
	// Before anything writes to it: a real Redis may hold a deployment's data.
	if opt.RedisURL != "" {
		if err := claim(ctx, s.cfg); err != nil {
			return nil, err
		}
	}
	if err := s.startApp(ctx); err != nil {
		return nil, err
	}
	// The phones exist before the seed, which tells people of its calls.
	for _, p := range demoPeople {
		s.people = append(s.people, &person{user: s.tg.NewUser(p.ID, p.Name, p.Lang), name: p.Name})
	}
	if err := s.seedOnce(ctx); err != nil {
		return nil, err
	}
	page := guard(newHostPolicy(opt.Addr, opt.AllowedHosts), s.handler())
	s.web = &http.Server{Handler: page, ReadHeaderTimeout: 10 * time.Second}
	go s.web.Serve(s.ln)
	return s, nil
}

// config is serve's configuration, pointed at the emulator and redisURL.
func (s *Sandbox) config(redisURL string) (app.Config, error) {
	cfg, errs := app.LoadConfig(func(name string) string {
		switch name {
		case "TELEGRAM_BOT_TOKEN":
			return emulator.DefaultToken
		case "TELEGRAM_API_URL":
			return s.tg.URL()
		case "REDIS_URL":
			return redisURL
		case "WEBHOOK_URL", "WEBHOOK_SECRET", "LISTEN_ADDR":
			return ""
		case "INVITE_KEY":
			// A key of this run's own unless one is given: invitations
			// made in an earlier run then no longer open.
			if k := s.opt.Getenv(name); k != "" {
				return k
			}
			return s.inviteKey
		}
		return s.opt.Getenv(name)
	})
	if len(errs) > 0 {
		return cfg, fmt.Errorf("sandbox: %w", errors.Join(errs...))
	}
	return cfg, nil
}

// startApp runs a homelink replica, polling the emulator.
func (s *Sandbox) startApp(ctx context.Context) error {
	a, err := app.New(ctx, s.cfg, app.Deps{Clock: s.Clock, Log: s.opt.Log})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.app = a
	ln, err := net.Listen("tcp", "127.0.0.1:0") // the replica's health and metrics
	if err != nil {
		a.Close()
		return fmt.Errorf("sandbox: %w", err)
	}
	appCtx, stop := context.WithCancel(context.Background())
	s.stopApp = stop
	go func() { s.appDone <- a.Serve(appCtx, ln) }()
	if !s.tg.WaitFor(10*time.Second, s.tg.Polling) {
		return errors.New("sandbox: homelink did not start polling the emulator")
	}
	return nil
}

func (s *Sandbox) seedOnce(ctx context.Context) error {
	if !s.opt.Seed {
		return nil
	}
	has, err := s.app.Store.HasHomes(ctx)
	if err != nil || has {
		return err
	}
	return seed(ctx, s.app.Store, s.app.Bot, s.Clock)
}

// URL is the web page's address.
func (s *Sandbox) URL() string { return "http://" + s.ln.Addr().String() }

// Exposed reports whether the page listens beyond this machine's loopback
// (0.0.0.0, a LAN address): then anyone who can reach the port can act as
// every phone.
func (s *Sandbox) Exposed() bool {
	a, ok := s.ln.Addr().(*net.TCPAddr)
	return !ok || !a.IP.IsLoopback()
}

// Run serves until ctx is done, then stops everything.
func (s *Sandbox) Run(ctx context.Context) error {
	select {
	case <-ctx.Done():
	case err := <-s.appDone:
		s.appDone <- err
	}
	return s.close()
}

// close stops what Start started, newest first.
func (s *Sandbox) close() error {
	var err error
	if s.web != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		s.web.Shutdown(sctx)
		cancel()
	} else if s.ln != nil {
		s.ln.Close()
	}
	if s.stopApp != nil {
		s.stopApp()
		err = <-s.appDone
	}
	if s.tg != nil {
		s.tg.Close()
	}
	if s.redis != nil {
		s.redis.Close()
	}
	return err
}

// notify wakes the live views after a change outside the emulator.
func (s *Sandbox) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.changed)
	s.changed = make(chan struct{})
}
