package agenda

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/internal/backoff"
)

// Tick claims the items due now, a batch at a time, hands each to its
// kind's handler (Options.Concurrency at once) and records what became of
// it. It returns when every item it claimed is settled, or when it has
// claimed Options.MaxPerTick. The scheduler calls it every second on every
// replica; tests call it after moving the fake clock.
func (a *Agenda) Tick(ctx context.Context) error {
	for claimed := 0; claimed < a.opt.MaxPerTick; {
		n, err := a.tickBatch(ctx)
		if err != nil {
			return err
		}
		claimed += n
		if n < a.opt.Batch {
			return nil
		}
	}
	return nil
}

// claim is one batch handed out under one token.
type claim struct {
	token  string
	now    time.Time // the app's time of the claim
	leased time.Time // the wall time of the claim, for the lease's deadline
	items  []Item
}

func (a *Agenda) tickBatch(ctx context.Context) (int, error) {
	c, err := a.claim(ctx)
	if err != nil || len(c.items) == 0 {
		return 0, err
	}
	hctx, cancel := context.WithDeadline(ctx, c.leased.Add(a.opt.Lease*8/10))
	defer cancel()
	// Outcomes are recorded by one goroutine, as many in one script as
	// have finished meanwhile: one round trip per item when handlers are
	// slow, few when they are fast.
	outcomes := make(chan outcome, len(c.items))
	settled := make(chan struct{})
	go func() {
		defer close(settled)
		for out := range outcomes {
			batch := []outcome{out}
			for more := true; more && len(batch) < a.opt.Batch; {
				select {
				case o, ok := <-outcomes:
					if !ok {
						more = false
						break
					}
					batch = append(batch, o)
				default:
					more = false
				}
			}
			a.settle(ctx, c, batch)
		}
	}()
	// An item whose turn comes after half the lease is given back as it
	// was, for the next tick: slow handlers ahead of it in the batch are
	// not its failure, and it should not wait out a backoff for them.
	startBy := c.leased.Add(a.opt.Lease / 2)
	sem := make(chan struct{}, a.opt.Concurrency)
	var wg sync.WaitGroup
	for _, it := range c.items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if time.Now().After(startBy) {
				a.metrics.released.WithLabelValues(it.Kind).Inc()
				outcomes <- outcome{it: it, op: "release", arg: strconv.FormatInt(it.Due.UnixMilli(), 10)}
				return
			}
			outcomes <- a.handle(hctx, c, it)
		}()
	}
	wg.Wait()
	close(outcomes)
	<-settled
	return len(c.items), nil
}

func (a *Agenda) claim(ctx context.Context) (claim, error) {
	c := claim{token: newToken(), now: a.clock.Now(), leased: time.Now()}
	res, err := a.run(ctx, "claim", c.now.UnixMilli(), a.opt.Batch, a.opt.Lease.Milliseconds(), c.token).Slice()
	if err != nil {
		return c, fmt.Errorf("agenda: claim: %w", err)
	}
	for _, r := range res[1].([]any) {
		f := r.([]any)
		due, _ := strconv.ParseFloat(f[2].(string), 64)
		it := Item{Kind: f[0].(string), Key: f[1].(string), Due: time.UnixMilli(int64(due)),
			Attempts: int(f[3].(int64)), Payload: []byte(f[4].(string)), token: c.token}
		a.metrics.lag.Observe(c.now.Sub(it.Due).Seconds())
		c.items = append(c.items, it)
	}
	return c, nil
}

// outcome is what became of one run: an op of settle.lua and its argument.
type outcome struct {
	it      Item
	op, arg string
}

// handle runs the handler of the item's kind, recovering a panic, and says what to record.
func (a *Agenda) handle(ctx context.Context, c claim, it Item) (out outcome) {
	a.mu.RLock()
	h, ok := a.handlers[it.Kind]
	a.mu.RUnlock()
	if !ok {
		// A replica that does not know the kind yet (a rolling deploy)
		// leaves it to come round again, a few times.
		return a.failure(c, Handler{Retries: 5, Backoff: time.Minute}, it, "no_handler")
	}
	if h.UsefulFor > 0 && c.now.Sub(it.Due) > h.UsefulFor {
		a.metrics.dropped.WithLabelValues(it.Kind, "too_late").Inc()
		return outcome{it: it, op: "drop"}
	}
	defer func() {
		if r := recover(); r != nil {
			a.opt.Log.Error("agenda: handler panicked", slog.String("kind", it.Kind), slog.Any("panic", r))
			out = a.failure(c, h, it, "panic")
		}
	}()
	if err := h.Handle(ctx, it); err != nil {
		a.opt.Log.Warn("agenda: handler failed", slog.String("kind", it.Kind), slog.Any("err", err))
		return a.failure(c, h, it, "error: "+err.Error())
	}
	return outcome{it: it, op: "done"}
}

// failure retries it after its backoff, or keeps it as failed once its
// retries are spent.
func (a *Agenda) failure(c claim, h Handler, it Item, reason string) outcome {
	if it.Attempts >= h.Retries {
		a.metrics.failed.WithLabelValues(it.Kind).Inc()
		return outcome{it: it, op: "fail", arg: reason}
	}
	if h.Backoff <= 0 {
		h.Backoff = 10 * time.Second
	}
	next := c.now.Add(retryWait(h.Backoff, it.Attempts))
	return outcome{it: it, op: "retry", arg: strconv.FormatInt(next.UnixMilli(), 10)}
}

// retryWait is the wait before retry attempt+1 of a failed item: base
// doubling up to 64×, with jitter so replicas do not retry in step.
func retryWait(base time.Duration, attempt int) time.Duration {
	return backoff.Wait(base, base<<6, attempt)
}

// settle records outs, retrying while Redis is away for as long as the
// claim's lease allows: a record landing after it could find the item
// claimed again. The script checks the claim's token, so a late or
// repeated record never acts on an item that moved on.
func (a *Agenda) settle(ctx context.Context, c claim, outs []outcome) {
	args := []any{0, a.opt.KeepFailed}
	for _, o := range outs {
		args = append(args, o.op, o.it.Kind, o.it.Key, o.it.token, o.arg)
	}
	deadline := c.leased.Add(a.opt.Lease - a.opt.Lease/10)
	for attempt := 0; ; attempt++ {
		// The first attempt is made even past the deadline: the script
		// checks the token, so a late record lands or finds the item moved on.
		until := deadline
		if attempt == 0 && until.Before(time.Now().Add(a.opt.Lease/6)) {
			until = time.Now().Add(a.opt.Lease / 6)
		}
		// Not ctx: a stopping replica still records what it finished, or
		// the items would be done again after the lease.
		sctx, cancel := context.WithDeadline(context.Background(), until)
		args[0] = a.clock.Now().UnixMilli()
		err := a.run(sctx, "settle", args...).Err()
		cancel()
		if err == nil || errors.Is(err, redis.Nil) {
			return
		}
		pause := retryPause(attempt)
		if time.Now().Add(pause).After(deadline) {
			a.opt.Log.Error("agenda: record lost", slog.Int("items", len(outs)), slog.Any("err", err))
			a.metrics.bookkeeping.WithLabelValues("failed").Add(float64(len(outs)))
			return
		}
		a.metrics.bookkeeping.WithLabelValues("retried").Inc()
		time.Sleep(pause)
	}
}

// retryPause is the wait before retry attempt+1 of a record: 50 ms
// doubling to 2 s, with jitter.
func retryPause(attempt int) time.Duration {
	return backoff.Wait(50*time.Millisecond, 2*time.Second, attempt)
}

func newToken() string {
	b := make([]byte, 8)
	crand.Read(b)
	return hex.EncodeToString(b)
}

func isNil(err error) bool { return errors.Is(err, redis.Nil) }
