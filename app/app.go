// Package app wires homelink together from a Config: Redis, the Bot API
// client, the outbox, the bot, the intake, the scheduler and the HTTP
// server. cmd/homelink runs it; the end-to-end tests and the sandbox build
// the very same thing.
package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/intake"
	"github.com/homelink/homelink/locales"
	"github.com/homelink/homelink/metrics"
	"github.com/homelink/homelink/outbox"
	"github.com/homelink/homelink/scheduler"
	"github.com/homelink/homelink/store"
	"github.com/homelink/homelink/templates"
)

// menuRefreshJob brings every known user's chat menu to this release's
// menus when they changed (scheduler.MenuRefresh).
const menuRefreshJob = "menu-refresh"

// ShutdownTimeout bounds a graceful stop.
const ShutdownTimeout = 10 * time.Second

// allowedUpdates are the update kinds homelink asks Telegram for.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// ErrRedisUnreachable and ErrTokenRejected are start-up failures the
// operator must fix; main turns them into one clear line.
var (
	ErrRedisUnreachable = errors.New("cannot reach Redis")
	ErrTokenRejected    = errors.New("Telegram rejected TELEGRAM_BOT_TOKEN")
	ErrAPIUnreachable   = errors.New("cannot reach the Telegram Bot API")
)

// Deps are the parts New does not build from Config.
type Deps struct {
	Clock homelink.Clock
	Log   *slog.Logger
}

// App is a running homelink replica.
type App struct {
	cfg      Config
	log      *slog.Logger
	clock    homelink.Clock
	rdb      *redis.Client
	Store    *store.Store
	api      *tgbot.Bot
	Bot      *bot.Bot
	Intake   *intake.Intake
	Outbox   *outbox.Outbox
	Agenda   *agenda.Agenda
	Metrics  *metrics.Metrics
	sched    *scheduler.Scheduler
	username string
	ready    atomic.Bool
	// waking is set while a tick wakeAgenda started runs.
	waking atomic.Bool
	// redisSeen is when Redis last answered (unix ns), for /readyz.
	redisSeen atomic.Int64
}

// New connects to Redis and Telegram and builds every part. It fails with
// ErrRedisUnreachable, ErrTokenRejected or ErrAPIUnreachable when those
// cannot be used.
func New(ctx context.Context, cfg Config, deps Deps) (*App, error) {
	if cfg.RedisGrace <= 0 {
		cfg.RedisGrace = 10 * time.Second
	}
	if cfg.InboxLease <= 0 {
		cfg.InboxLease = 30 * time.Second
	}
	a := &App{cfg: cfg, log: deps.Log, clock: deps.Clock, Metrics: metrics.New()}
	if err := a.connectRedis(ctx); err != nil {
		return nil, err
	}
	a.redisSeen.Store(time.Now().UnixNano())
	// Without a deadline of its own: the first start after an upgrade may
	// scan the keyspace once (Store.Upgrade).
	if err := a.Store.Upgrade(ctx); err != nil {
		a.rdb.Close()
		return nil, err
	}
	if err := a.connectTelegram(ctx); err != nil {
		a.rdb.Close()
		return nil, err
	}
	catalog, err := locales.Load(cfg.DefaultLanguage)
	if err != nil {
		return nil, err
	}
	renderer, err := templates.New(catalog)
	if err != nil {
		return nil, err
	}
	a.Outbox = outbox.New(a.api, a.rdb, outbox.Options{
		Prefix: cfg.RedisPrefix, RatePerSecond: cfg.RatePerSecond, PaidBroadcast: cfg.PaidBroadcast,
		PaidRatePerSecond: cfg.PaidRatePerSecond, Workers: cfg.OutboxWorkers, Log: a.log, Metrics: a.Metrics,
		ChatPerSecond: cfg.ChatPerSecond, ChatBurst: cfg.ChatBurst,
		PayloadKey: outbox.DeriveKey(cfg.InviteKey), PreviousPayloadKey: outbox.DeriveKey(cfg.InviteKeyPrevious),
		OnReachability: func(_ context.Context, chat int64, reachable bool) {
			a.log.Info("chat reachability changed", slog.Int64("chat", chat), slog.Bool("reachable", reachable))
		},
	})
	if err := a.Outbox.LoadScripts(ctx); err != nil {
		return nil, err
	}
	a.Metrics.WatchOutboxDepth(a.Outbox.Depth)
	a.Bot = bot.New(bot.Config{
		Username: a.username, Store: a.Store, Sender: a.Outbox, Catalog: catalog,
		Renderer: renderer, Clock: a.clock, Log: a.log, Metrics: a.Metrics,
		AdminIDs: cfg.AdminIDs, InviteTTL: cfg.InviteTTL, Zone: cfg.DefaultTimezone,
		ButtonKey: buttonKey(cfg.BotToken), MaxUpcoming: cfg.MaxUpcomingPerChild, HistoryRetention: cfg.BookingHistoryRetention,
		MailDailyLimit: cfg.MailDailyLimit, MailRetention: cfg.MailRetention,
		Wake: a.wakeAgenda, ContactGapDays: cfg.ContactGapDays, BroadcastRate: cfg.broadcastRate(),
	})
	a.Intake = intake.New(a.Store, a.Bot, a.log, a.Metrics, intake.Options{Workers: cfg.Workers, Lease: cfg.InboxLease,
		Replicated: cfg.RedisWaitReplicas > 0})
	a.Metrics.WatchInboxes(func(ctx context.Context) (int64, time.Duration, error) {
		return a.Store.PendingInboxes(ctx, cfg.InboxLease)
	})
	agendaMetrics := agenda.NewMetrics()
	a.Agenda = agenda.New(a.rdb, a.clock, agendaMetrics, agenda.Options{Prefix: cfg.RedisPrefix, Log: a.log})
	if err := a.Agenda.LoadScripts(ctx); err != nil {
		return nil, err
	}
	if err := agendaMetrics.Register(a.Metrics.Registry, a.Agenda); err != nil {
		return nil, err
	}
	a.registerCallWork()
	a.registerReminders()
	a.registerMail()
	if err := a.registerMailExpiry(ctx); err != nil {
		return nil, err
	}
	if err := a.registerReports(ctx); err != nil {
		return nil, err
	}
	a.sched = scheduler.New(a.log)
	// Work due at a time, on the app's clock: claimed with a lease, once
	// across replicas (package agenda).
	if err := a.sched.Add("agenda", "@every 1s", a.Agenda.Tick); err != nil {
		return nil, err
	}
	// A stranded inbox is rescued within its lease and a third of one.
	if err := a.sched.Add("inbox-sweep", "@every "+(cfg.InboxLease/3).String(), a.Intake.Sweep); err != nil {
		return nil, err
	}
	if err := a.sched.Add("join-notices", "@every 10s", a.Bot.SendDueJoinNotices); err != nil {
		return nil, err
	}
	// A home's morning digest plans its next one; one lost (its run
	// failed past its retries) is planned again within the hour.
	if err := a.sched.Add("digests", "@every 1h", a.Store.EnsureDigests); err != nil {
		return nil, err
	}
	if err := a.sched.Add("mail-expiry", "@every 1h", a.ensureMailExpiry); err != nil {
		return nil, err
	}
	if err := a.registerBroadcasts(); err != nil {
		return nil, err
	}
	if err := a.sched.Add("reports", "@every 1h", a.ensureReports); err != nil {
		return nil, err
	}
	strangers := &scheduler.Strangers{Store: a.Store, Outbox: a.Outbox, Clock: a.clock, After: cmp.Or(cfg.ForgetStrangersAfter, 30*24*time.Hour), Log: a.log}
	if err := a.sched.Add("forget-strangers", "@every 1h", strangers.Run); err != nil {
		return nil, err
	}
	menus := &scheduler.MenuRefresh{Store: a.Store, Sender: a.Outbox, Menus: a.Bot, Log: a.log}
	if err := a.sched.Add(menuRefreshJob, "@every 30s", menus.Run); err != nil {
		return nil, err
	}
	return a, nil
}

// buttonKey is the key that signs standing buttons, derived from the bot
// token: every replica has it, and a new token (after a leak) retires the
// buttons signed with the old one.
func buttonKey(token string) []byte {
	k := sha256.Sum256([]byte("homelink standing buttons\x00" + token))
	return k[:]
}

func (a *App) connectRedis(ctx context.Context) error {
	// A connection for every handler and every concurrent webhook call, so
	// none waits for the pool under load.
	rdb, err := a.cfg.RedisClient(a.cfg.Workers + a.cfg.WebhookMaxConnections + 16)
	if err != nil {
		return fmt.Errorf("%w at %s: %v", ErrRedisUnreachable, a.cfg.RedactedRedisURL(), err)
	}
	a.rdb = rdb
	a.Store = store.New(a.rdb, a.cfg.RedisPrefix, a.clock)
	a.Store.UseAdmins(a.cfg.AdminIDs)
	a.Store.UseHistoryRetention(a.cfg.BookingHistoryRetention)
	a.Store.UseMailRetention(a.cfg.MailRetention)
	a.Store.UseDefaultZone(a.cfg.DefaultTimezone)
	if a.cfg.InviteKeyPrevious != nil {
		a.Store.UseCodeKeys(a.cfg.InviteKey, a.cfg.InviteKeyPrevious)
	} else {
		a.Store.UseCodeKeys(a.cfg.InviteKey)
	}
	if a.cfg.RedisWaitReplicas > 0 {
		a.Store.RequireReplicas(a.cfg.RedisWaitReplicas, time.Second)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := a.Store.Ping(pctx); err != nil {
		a.rdb.Close()
		return fmt.Errorf("%w at %s: %v", ErrRedisUnreachable, a.cfg.RedactedRedisURL(), errors.Unwrap(err))
	}
	return a.Store.LoadScripts(pctx)
}

func (a *App) connectTelegram(ctx context.Context) error {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 100 // the Bot API is one host; keep connections for every worker
	client := &http.Client{Timeout: 30 * time.Second, Transport: a.Metrics.Transport(transport)}
	api, err := tgbot.New(a.cfg.BotToken, tgbot.WithServerURL(a.cfg.APIURL), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(30*time.Second, outbox.BufferedClient{HTTP: client}),
		tgbot.WithErrorsHandler(func(err error) { a.log.Warn("bot api client", slog.Any("err", err)) }))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrTokenRejected, err)
	}
	gctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	me, err := api.GetMe(gctx)
	switch {
	case errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound):
		return fmt.Errorf("%w (%s answered %v)", ErrTokenRejected, a.cfg.APIURL, err)
	case err != nil:
		return fmt.Errorf("%w at %s: %v", ErrAPIUnreachable, a.cfg.APIURL, redactToken(err, a.cfg.BotToken))
	}
	a.api, a.username = api, me.Username
	return nil
}

// Username is the bot's Telegram username.
func (a *App) Username() string { return a.username }

// Serve runs the replica on ln until ctx ends, then shuts down within
// ShutdownTimeout: it stops taking updates, finishes those in hand and
// releases the rest to other replicas.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if err := a.Bot.RegisterCommands(ctx); err != nil {
		a.log.Warn("could not set the commands menu", slog.Any("err", err))
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	pollCtx, stopPolling := context.WithCancel(context.Background())
	polled := make(chan struct{})
	if err := a.startIntake(ctx, pollCtx, polled); err != nil {
		stopPolling()
		srv.Close()
		return err
	}
	a.sched.Start()
	watchCtx, stopWatching := context.WithCancel(context.Background())
	defer stopWatching()
	go a.watchRedis(watchCtx)
	outboxCtx, stopOutbox := context.WithCancel(context.Background())
	sent := make(chan struct{})
	go func() { a.Outbox.Run(outboxCtx); close(sent) }()
	a.ready.Store(true)
	a.log.Info("homelink is ready", slog.String("listen", ln.Addr().String()),
		slog.String("bot", a.username), slog.Bool("webhook", a.cfg.WebhookURL != ""))

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	a.shutdown(srv, stopPolling, polled, func() { stopOutbox(); <-sent })
	return err
}

// startIntake sets the webhook, or removes a stale one and starts polling.
func (a *App) startIntake(ctx, pollCtx context.Context, polled chan struct{}) error {
	if a.cfg.WebhookURL != "" {
		close(polled)
		_, err := a.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL: a.cfg.WebhookURL, SecretToken: a.cfg.WebhookSecret,
			MaxConnections: a.cfg.WebhookMaxConnections, AllowedUpdates: allowedUpdates,
		})
		if err != nil {
			return fmt.Errorf("set webhook: %w", redactToken(err, a.cfg.BotToken))
		}
		return nil
	}
	if _, err := a.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		return fmt.Errorf("delete webhook: %w", redactToken(err, a.cfg.BotToken))
	}
	pollClient := &http.Client{Timeout: 80 * time.Second, Transport: a.Metrics.Transport(nil)}
	go func() {
		defer close(polled)
		a.Intake.Poll(pollCtx, intake.Poller{APIURL: a.cfg.APIURL, Token: a.cfg.BotToken,
			Client: pollClient, AllowedUpdates: allowedUpdates})
	}()
	return nil
}

func (a *App) shutdown(srv *http.Server, stopPolling context.CancelFunc, polled chan struct{}, stopOutbox func()) {
	a.ready.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout-time.Second)
	defer cancel()
	a.log.Info("shutting down")
	stopPolling()
	<-polled
	if err := srv.Shutdown(ctx); err != nil {
		a.log.Warn("http shutdown", slog.Any("err", err))
	}
	if err := a.Intake.Stop(ctx); err != nil {
		a.log.Warn("intake shutdown", slog.Any("err", err))
	}
	if err := a.sched.Stop(ctx); err != nil {
		a.log.Warn("scheduler shutdown", slog.Any("err", err))
	}
	stopOutbox() // each worker finishes the message in hand; queued ones wait in Redis

	a.rdb.Close()
	a.log.Info("stopped")
}

// RunJobs starts every scheduled job once, now (the sandbox, after moving
// its clock).
func (a *App) RunJobs() { a.sched.RunAll() }

// Close releases what New opened, for an App that never served.
func (a *App) Close() error { return a.rdb.Close() }

// Handler serves the webhook, /healthz, /readyz and /metrics.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	if a.cfg.WebhookURL != "" {
		mux.Handle("POST "+a.cfg.WebhookPath(), a.Intake.Webhook(a.cfg.WebhookSecret))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.Metrics.Handler())
	return mux
}

// watchRedis pings Redis every second until ctx ends, noting when it
// last answered.
func (a *App) watchRedis(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		if a.Store.Ping(pctx) == nil {
			a.redisSeen.Store(time.Now().UnixNano())
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// readyz answers 200 while the replica takes updates and Redis has not
// been unreachable for longer than RedisGrace. A short stall does not make
// it flap: every replica shares the one Redis, so a readiness that
// followed each stall would take them all out of the load balancer at
// once, for nothing Telegram's retries do not already cover.
func (a *App) readyz(w http.ResponseWriter, _ *http.Request) {
	away := time.Since(time.Unix(0, a.redisSeen.Load()))
	switch {
	case !a.ready.Load():
		http.Error(w, "starting or stopping", http.StatusServiceUnavailable)
	case away > a.cfg.RedisGrace:
		http.Error(w, fmt.Sprintf("redis unreachable for %s", away.Round(time.Second)), http.StatusServiceUnavailable)
	default:
		fmt.Fprintln(w, "ready")
	}
}

// redactToken hides the token in an error from the Bot API client.
func redactToken(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "<token>"))
}

// broadcastRate is how many messages a second the outbox sends in its
// bulk lane: the paid ceiling when broadcasts are paid, else the bot's.
func (c Config) broadcastRate() float64 {
	if c.PaidBroadcast {
		return c.PaidRatePerSecond
	}
	return c.RatePerSecond
}
