// Package intake takes updates from Telegram, by webhook or long polling,
// and hands each to the bot exactly once, in order per user, on whichever
// replica is free. It owns what go-telegram/bot gets wrong for us: that
// library confirms a polled update before handling it, runs handlers in no
// order, answers 200 to a wrong webhook secret and recovers no panic.
//
// An update is "taken" once it sits in its user's inbox in Redis; only then
// does the webhook answer 2xx or the poller move its offset. A user's inbox
// is drained by one worker at a time (a lease in Redis), in update-id order.
// An inbox holding updates is in a pending index, scored by when its lease
// runs out; the worker moves that on as it goes, and a drained inbox
// leaves the index at once. A worker that dies leaves its lease to run
// out; Sweep, on any replica, then finds the inbox among the overdue ones
// and drains it. What a worker records after handling an update (its
// acknowledgement) is retried through a Redis blip for as long as the
// lease allows, so a blip does not make the update be handled again.
package intake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/internal/backoff"
	"github.com/homelink/homelink/metrics"
)

// Queue is the inbox in Redis.
type Queue interface {
	Take(ctx context.Context, actor, updateID int64, raw []byte, token string, lease time.Duration) (bool, *homelink.InboxItem, error)
	Claim(ctx context.Context, actor int64, token string, lease time.Duration) (*homelink.InboxItem, error)
	Ack(ctx context.Context, actor int64, token string, updateID int64, lease time.Duration) (*homelink.InboxItem, error)
	Release(ctx context.Context, actor int64, token string) error
	Overdue(ctx context.Context, hide time.Duration, limit int) ([]int64, error)
}

// Handler handles one update; it must not panic (Intake recovers anyway).
// actor is what the store held about the update's actor when the update
// was handed out. It returns the outcome for the updates metric
// ("handled", "ignored", "failed", "panic").
type Handler interface {
	Handle(ctx context.Context, u *models.Update, actor *homelink.Actor) (outcome string)
}

// Options tune an Intake; zero values take the defaults.
type Options struct {
	// Workers bounds how many users' updates are handled at once (64).
	Workers int
	// Lease is how long a worker holds a user's inbox without progress
	// before another may take it (30s).
	Lease time.Duration
	// HandlerTimeout bounds one update's handling (10s); keep it under Lease.
	HandlerTimeout time.Duration
	// Replicated is set when a take counts only once Redis replicas have
	// it (REDIS_WAIT_REPLICAS): an update whose take is in doubt is then
	// left to Telegram's repeat, as one not confirmed on the replicas is,
	// since after a failover the repeat is new to the promoted replica.
	Replicated bool
}

// Intake takes updates and drains inboxes.
type Intake struct {
	queue   Queue
	handler Handler
	log     *slog.Logger
	metrics *metrics.Metrics
	opt     Options

	sem      chan struct{}
	wg       sync.WaitGroup
	stopping atomic.Bool
	stopped  chan struct{}
	stopOnce sync.Once
}

// New returns an Intake.
func New(q Queue, h Handler, log *slog.Logger, m *metrics.Metrics, opt Options) *Intake {
	if opt.Workers <= 0 {
		opt.Workers = 64
	}
	if opt.Lease <= 0 {
		opt.Lease = 30 * time.Second
	}
	if opt.HandlerTimeout <= 0 {
		opt.HandlerTimeout = 10 * time.Second
	}
	return &Intake{queue: q, handler: h, log: log, metrics: m, opt: opt,
		sem: make(chan struct{}, opt.Workers), stopped: make(chan struct{})}
}

// ErrStopping means the intake is shutting down and takes nothing more.
var ErrStopping = errors.New("intake: shutting down")

// ErrMalformed means the bytes are not a Telegram update.
var ErrMalformed = errors.New("intake: malformed update")

// envelope is the part of an update intake reads to file it: its id and
// who caused it. Decoding only this keeps the take cheap; the handler
// decodes the whole update.
type envelope struct {
	ID                int64          `json:"update_id"`
	Message           *envMessage    `json:"message"`
	EditedMessage     *envMessage    `json:"edited_message"`
	ChannelPost       *envMessage    `json:"channel_post"`
	EditedChannelPost *envMessage    `json:"edited_channel_post"`
	CallbackQuery     *envFromHolder `json:"callback_query"`
	MyChatMember      *envFromHolder `json:"my_chat_member"`
}

type envID struct {
	ID int64 `json:"id"`
}

type envMessage struct {
	Chat envID  `json:"chat"`
	From *envID `json:"from"`
}

type envFromHolder struct {
	From envID `json:"from"`
}

// actor is whose inbox the update goes to: the user who caused it, or the
// chat for updates without a user (channel posts).
func (e *envelope) actor() (int64, bool) {
	var id int64
	switch {
	case e.Message != nil:
		id = e.Message.actor()
	case e.EditedMessage != nil:
		id = e.EditedMessage.actor()
	case e.CallbackQuery != nil:
		id = e.CallbackQuery.From.ID
	case e.MyChatMember != nil:
		id = e.MyChatMember.From.ID
	case e.ChannelPost != nil:
		id = e.ChannelPost.Chat.ID
	case e.EditedChannelPost != nil:
		id = e.EditedChannelPost.Chat.ID
	}
	return id, id != 0
}

func (m *envMessage) actor() int64 {
	if m.From != nil && m.From.ID != 0 {
		return m.From.ID
	}
	return m.Chat.ID
}

// kind names the update's kind for metrics.
func (e *envelope) kind() string {
	return kindName(e.Message != nil, e.CallbackQuery != nil, e.MyChatMember != nil,
		e.EditedMessage != nil, e.ChannelPost != nil || e.EditedChannelPost != nil)
}

// Take stores one raw update in its user's inbox and starts handling it.
// Once it returns nil the update is safe: it will be handled even if this
// replica dies now.
func (in *Intake) Take(ctx context.Context, raw []byte) error {
	if in.stopping.Load() {
		return ErrStopping
	}
	var u envelope
	if err := json.Unmarshal(raw, &u); err != nil || u.ID <= 0 {
		return ErrMalformed
	}
	actor, ok := u.actor()
	if !ok {
		in.metrics.Updates.WithLabelValues(u.kind(), "ignored").Inc()
		return nil
	}
	token, leased := newToken(), time.Now()
	fresh, item, err := in.queue.Take(ctx, actor, u.ID, raw, token, in.opt.Lease)
	if err != nil && !errors.Is(err, homelink.ErrNotReplicated) {
		// The take may have landed though its answer was lost (Redis went
		// away mid-call), leaving the inbox leased to a token nobody
		// drains: Telegram's repeat would wait out the lease.
		in.takeOver(actor, token, leased)
		return fmt.Errorf("intake: take update %d: %w", u.ID, err)
	}
	if !fresh {
		in.metrics.Updates.WithLabelValues(u.kind(), "duplicate").Inc()
	}
	if err != nil {
		// Not confirmed on the replicas: answered 503, so Telegram sends
		// it again. Leave it to that repeat (or a sweep) instead of
		// handling it now: after a failover the repeat is new to the new
		// primary, and handling both would answer the user twice.
		if item != nil {
			in.queue.Release(ctx, actor, token)
		}
		return fmt.Errorf("intake: take update %d: %w", u.ID, err)
	}
	if item != nil {
		in.kick(actor, item, token, leased)
	}
	// Otherwise a worker holds the inbox and will find the update there.
	return nil
}

// takeOver drains, in the background, an inbox a take may have leased to
// token without hearing so: it claims the inbox under that same token
// (winning it if the take landed, or if nobody holds it) and drains it,
// retrying while the lease lasts. Telegram's repeat of the update is then
// a duplicate, and the user is answered without waiting out the lease.
// With Replicated, it hands the inbox back instead, due at once.
func (in *Intake) takeOver(actor int64, token string, leased time.Time) {
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		deadline := leased.Add(in.opt.Lease - in.opt.Lease/10)
		for attempt := 0; !in.stopping.Load(); attempt++ {
			claimed := time.Now()
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			item, err := in.queue.Claim(ctx, actor, token, in.opt.Lease)
			cancel()
			switch {
			case errors.Is(err, homelink.ErrInboxHeld), err == nil && item == nil:
				return // another worker has it, or there is nothing to do
			case err == nil && in.opt.Replicated:
				in.queue.Release(context.Background(), actor, token) // due at once: the repeat, or a sweep
				return
			case err == nil:
				in.kick(actor, item, token, claimed)
				return
			}
			pause := retryPause(attempt)
			if time.Now().Add(pause).After(deadline) {
				return
			}
			time.Sleep(pause)
		}
	}()
}

// kick drains actor's inbox on a worker. The lease is already held under
// token since leased (a local time no later than its start), and first
// is the next update to handle.
func (in *Intake) kick(actor int64, first *homelink.InboxItem, token string, leased time.Time) {
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		queued := time.Now()
		select {
		case in.sem <- struct{}{}:
		case <-in.stopped:
			in.queue.Release(context.Background(), actor, token)
			return
		}
		defer func() { <-in.sem }()
		if time.Since(queued) > in.opt.Lease/4 {
			// Waited long for a worker: make sure the lease is still ours.
			var err error
			leased = time.Now()
			if first, err = in.queue.Claim(context.Background(), actor, token, in.opt.Lease); err != nil || first == nil {
				return
			}
		}
		in.drain(actor, first, token, leased)
	}()
}

// drain handles actor's updates in order, from item on, until the inbox
// is empty, the lease is lost, or the intake stops.
func (in *Intake) drain(actor int64, item *homelink.InboxItem, token string, leased time.Time) {
	ctx := context.Background() // finish what is in hand even while stopping
	for item != nil {
		in.handle(ctx, item)
		var err error
		item, leased, err = in.ack(ctx, actor, token, item.UpdateID, leased)
		switch {
		case errors.Is(err, homelink.ErrInboxHeld):
			return
		case err != nil:
			in.metrics.BookkeepingFailures.WithLabelValues("inbox_ack").Inc()
			in.log.Warn("inbox drain stopped: could not record a handled update; it will be handled again after the lease",
				slog.Int64("user", actor), slog.Any("err", err))
			return
		}
		if in.stopping.Load() && item != nil {
			in.queue.Release(ctx, actor, token)
			return
		}
	}
}

// ack records that an update was handled and returns the next one. A
// failure (Redis unreachable, a timeout) is retried with backoff while
// the lease lasts: an ack that lands renews the lease, and one that ran
// in Redis though its answer was lost is harmless to repeat. Giving up
// means the update is handled again once the lease runs out.
func (in *Intake) ack(ctx context.Context, actor int64, token string, updateID int64, leased time.Time) (*homelink.InboxItem, time.Time, error) {
	// Stop retrying well before the lease ends: an ack landing after it
	// would find the inbox handed to a sweep, which may repeat the update.
	deadline := leased.Add(in.opt.Lease - in.opt.Lease/10)
	for attempt := 0; ; attempt++ {
		start := time.Now()
		// The first attempt is always made, even past the deadline: the
		// script checks the lease, so a late ack lands or says the inbox
		// moved on. Only the retries are bounded by the lease.
		until := deadline
		if attempt == 0 && until.Before(start.Add(in.opt.Lease/6)) {
			until = start.Add(in.opt.Lease / 6)
		}
		actx, cancel := context.WithDeadline(ctx, until)
		next, err := in.queue.Ack(actx, actor, token, updateID, in.opt.Lease)
		cancel()
		if err == nil || errors.Is(err, homelink.ErrInboxHeld) {
			return next, start, err
		}
		pause := retryPause(attempt)
		if time.Now().Add(pause).After(deadline) {
			return nil, leased, err
		}
		in.metrics.BookkeepingRetries.WithLabelValues("inbox_ack").Inc()
		time.Sleep(pause)
	}
}

// retryPause is the wait before retry attempt+1 of a record: 50 ms
// doubling to 2 s, with jitter so replicas do not retry in step.
func retryPause(attempt int) time.Duration {
	return backoff.Wait(50*time.Millisecond, 2*time.Second, attempt)
}

// handle runs the handler on one update, recovering a panic, and counts
// it by kind and outcome.
func (in *Intake) handle(ctx context.Context, item *homelink.InboxItem) {
	ctx, cancel := context.WithTimeout(ctx, in.opt.HandlerTimeout)
	defer cancel()
	start, kind, outcome := time.Now(), "unknown", "panic"
	defer func() {
		if p := recover(); p != nil {
			in.log.Error("update handler panicked", slog.Int64("update", item.UpdateID),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
		}
		in.metrics.Updates.WithLabelValues(kind, outcome).Inc()
		in.metrics.ObserveHandler(start)
	}()
	var u models.Update
	if err := json.Unmarshal(item.Raw, &u); err != nil {
		outcome = "unreadable"
		in.log.Error("stored update unreadable", slog.Int64("update", item.UpdateID), slog.Any("err", err))
		return
	}
	kind = Kind(&u)
	outcome = in.handler.Handle(ctx, &u, &item.Actor)
}

// sweepBatch is how many overdue inboxes a sweep takes at a time.
const sweepBatch = 500

// Sweep rescues inboxes whose lease has run out: their worker died, or no
// worker was free. It takes every overdue inbox, a batch at a time, most
// overdue first; replicas sweeping at once get different inboxes. It is
// safe to run on every replica at once.
func (in *Intake) Sweep(ctx context.Context) error {
	rescued := 0
	defer func() {
		if rescued > 0 {
			in.log.Info("rescued inboxes whose lease ran out", slog.Int("inboxes", rescued))
		}
	}()
	for !in.stopping.Load() {
		// Hidden from other sweeps long enough to claim a batch, no longer:
		// should this sweep stop early, the rest come back soon.
		overdue, err := in.queue.Overdue(ctx, in.opt.Lease/6, sweepBatch)
		if err != nil {
			return err
		}
		for _, actor := range overdue {
			if in.stopping.Load() {
				return nil
			}
			token, leased := newToken(), time.Now()
			item, err := in.queue.Claim(ctx, actor, token, in.opt.Lease)
			switch {
			case errors.Is(err, homelink.ErrInboxHeld), item == nil && err == nil:
				// A live worker has it (it moves the score on), or it was
				// drained meanwhile (the claim took it out of the index).
			case err != nil:
				return err
			default:
				rescued++
				in.metrics.InboxRescued.Inc()
				in.kick(actor, item, token, leased)
			}
		}
		if len(overdue) < sweepBatch {
			return nil
		}
	}
	return nil
}

// Stop takes no more updates, lets the handlers in hand finish, and
// releases the inboxes they held, waiting at most until ctx ends.
func (in *Intake) Stop(ctx context.Context) error {
	in.stopping.Store(true)
	in.stopOnce.Do(func() { close(in.stopped) })
	done := make(chan struct{})
	go func() { in.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("intake: stop: %w", ctx.Err())
	}
}

func newToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Kind names an update's kind, for metrics and logs.
func Kind(u *models.Update) string {
	return kindName(u.Message != nil, u.CallbackQuery != nil, u.MyChatMember != nil,
		u.EditedMessage != nil, u.ChannelPost != nil || u.EditedChannelPost != nil)
}

// kindName is the one naming of update kinds, for full updates and for
// the envelope the intake reads.
func kindName(message, callback, member, edited, channel bool) string {
	switch {
	case message:
		return "message"
	case callback:
		return "callback_query"
	case member:
		return "my_chat_member"
	case edited:
		return "edited_message"
	case channel:
		return "channel_post"
	}
	return "other"
}
