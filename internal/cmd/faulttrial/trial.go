package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/homelink/homelink/emulator"
)

// options are the harness's flags, for every trial.
type options struct {
	bin       string
	replicas  int
	users     int
	killUsers int
	rate      float64 // bot-wide sends a second; 0: the scenario's own
	quiet     time.Duration
	deadline  time.Duration
	env       []string // extra replica settings, KEY=VALUE
	keep      bool
	log       *slog.Logger
}

// trial is one run of one scenario: its own Redis, fake Telegram, load
// balancer and replicas, all gone when it ends.
type trial struct {
	opts options
	sc   scenario
	dir  string
	ps   *procs

	redis     *redisServer   // the primary
	standbys  []*redisServer // its replicas (failover only)
	sentinels []*sentinel
	tg        *emulator.Server
	lb        *balancer
	replicas  []*replica
	work      *workload

	began     time.Time     // when the burst began
	burstDone chan struct{} // closed when every user has sent /help
}

// result is one row of the table.
type result struct {
	tally
	users    int
	timedOut bool
	deadline time.Duration
	note     string
}

// runTrial runs sc once and reports what the users got.
func runTrial(ctx context.Context, o options, sc scenario) (res result, err error) {
	dir, err := os.MkdirTemp("", "faulttrial-"+sc.name+"-")
	if err != nil {
		return res, fmt.Errorf("faulttrial: %w", err)
	}
	t := &trial{opts: o, sc: sc, dir: dir, ps: newProcs(dir), burstDone: make(chan struct{})}
	defer t.close()
	if err := t.setUp(ctx); err != nil {
		return res, fmt.Errorf("%s: set up: %w", sc.name, err)
	}
	return t.run(ctx)
}

func (t *trial) setUp(ctx context.Context) error {
	var err error
	if t.sc.failover {
		err = t.startSentinelRedis(ctx)
	} else {
		t.redis, err = newRedis(t.ps, "redis")
		if err == nil {
			err = t.redis.start(ctx)
		}
	}
	if err != nil {
		return err
	}
	limits := emulator.TelegramLimits
	limits.PerSecond = t.rate()
	t.tg = emulator.New(emulator.WithLimits(limits))
	if t.lb, err = startBalancer(); err != nil {
		return err
	}
	env := t.replicaEnv()
	for i := range t.opts.replicas {
		r, err := startReplica(ctx, t.ps, "replica-"+strconv.Itoa(i+1), t.opts.bin, env)
		if err != nil {
			return err
		}
		t.replicas = append(t.replicas, r)
		t.lb.backends = append(t.lb.backends, r.url())
	}
	t.work = newWorkload(t.tg, t.sc.userCount(t.opts))
	return nil
}

// rate is the bot-wide sends a second, for the fake's limit and the bot's
// own pacing alike.
func (t *trial) rate() float64 {
	switch {
	case t.opts.rate > 0:
		return t.opts.rate
	case t.sc.rate > 0:
		return t.sc.rate
	}
	return emulator.TelegramLimits.PerSecond
}

// replicaEnv is every replica's settings; later entries win.
func (t *trial) replicaEnv() []string {
	env := []string{
		"TELEGRAM_BOT_TOKEN=" + t.tg.Token(),
		"TELEGRAM_API_URL=" + t.tg.URL(),
		"WEBHOOK_URL=" + t.lb.url() + "/hook",
		"WEBHOOK_SECRET=" + webhookSecret,
		// Releases before INVITE_KEY ignore it.
		"INVITE_KEY=faulttrial-invite-key-0123456789abcdef",
		"REDIS_URL=" + t.redis.url(),
		"RATE_LIMIT_PER_SECOND=" + strconv.FormatFloat(t.rate(), 'f', -1, 64),
		"LOG_FORMAT=json",
		"LOG_LEVEL=warn",
	}
	if t.sc.failover {
		env = append(env, "REDIS_SENTINEL_ADDRS="+t.sentinelAddrs(), "REDIS_SENTINEL_MASTER="+sentinelName)
	}
	env = append(env, t.sc.env...)
	return append(env, t.opts.env...)
}

func (t *trial) run(ctx context.Context) (result, error) {
	res := result{users: len(t.work.users), deadline: t.sc.deadlineFor(t.opts)}
	t.began = time.Now()
	type outcome struct {
		note string
		err  error
	}
	faulted := make(chan outcome, 1)
	go func() {
		if t.sc.fault == nil {
			faulted <- outcome{}
			return
		}
		note, err := t.sc.fault(ctx, t)
		faulted <- outcome{note, err}
	}()
	t.opts.log.Info("burst", slog.String("scenario", t.sc.name), slog.Int("users", res.users))
	if err := t.work.burst(ctx, t.sc.spreadFor(res.users)); err != nil {
		return res, err
	}
	close(t.burstDone)
	f := <-faulted
	if f.err != nil {
		return res, fmt.Errorf("%s: fault: %w", t.sc.name, f.err)
	}
	res.note = f.note
	t.opts.log.Info("waiting for quiet", slog.String("scenario", t.sc.name), slog.Duration("quiet", t.opts.quiet))
	timedOut, err := t.work.settle(ctx, time.Now(), t.opts.quiet, t.began.Add(res.deadline))
	if err != nil {
		return res, err
	}
	res.timedOut = timedOut
	res.tally = t.work.tally()
	t.logSummary()
	return res, nil
}

// at waits until d after the burst began.
func (t *trial) at(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(time.Until(t.began.Add(d))):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// since is the time from the burst's start, for notes.
func (t *trial) since() string { return fmt.Sprintf("%.1f s", time.Since(t.began).Seconds()) }

func (t *trial) close() {
	t.ps.killAll()
	if t.tg != nil {
		t.tg.Close()
	}
	if t.lb != nil {
		t.lb.close()
	}
	if t.opts.keep {
		t.opts.log.Info("kept the trial's files", slog.String("dir", t.dir))
		return
	}
	os.RemoveAll(t.dir)
}
