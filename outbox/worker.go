package outbox

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"strconv"
	"time"

	"github.com/homelink/homelink/internal/backoff"
)

// Run starts the workers and returns once ctx ends and each worker has
// finished the message in its hands.
func (o *Outbox) Run(ctx context.Context) {
	for i := 0; i < o.opt.Workers; i++ {
		o.wg.Add(1)
		go func() {
			defer o.wg.Done()
			o.work(ctx, newToken())
		}()
	}
	o.wg.Wait()
}

// claimed is a message a worker holds.
type claimed struct {
	id, payload string
	// token is this claim's own: only it may record the message.
	token string
	// slot is when the message may go (local time), until when the lease
	// holds it: another worker may take it after that.
	slot, until time.Time
	slept       bool
}

// claim asks for the next message to send under token: {"go", id,
// payload, delay ms}, {"drop", id} (its chat became unreachable) or
// {"wait", ms}.
func (o *Outbox) claim(ctx context.Context, token string) ([]any, error) {
	global, paid, chat, group := o.intervals()
	return o.scripts["claim"].Run(ctx, o.rdb,
		[]string{o.k.lane(0), o.k.lane(1), o.k.lane(2), o.k.inflight(), o.k.tat(), o.k.tatPaid(), o.k.pause(), o.k.unreachable()},
		o.k.base(), o.opt.Lease.Milliseconds(), global, paid, chat, o.opt.ChatBurst, group,
		int(o.opt.GroupPerMinute), claimPage, token, claimMost).Slice()
}

// A claim reads a lane claimPage messages at a time, and looks at no more
// than claimMost of them: enough to pass over the backlogs of many chats
// that must wait for their own limit (each at most Options.ChatBacklog
// interactive messages), few enough that a claim stays well under a
// millisecond of Redis's time.
const (
	claimPage = 20
	claimMost = 1000
)

// work claims and sends messages until ctx ends. Each claim has a token
// of its own (the worker's and a count), so that a late record of an
// earlier claim can never touch a later one.
func (o *Outbox) work(ctx context.Context, worker string) {
	for n := 0; ctx.Err() == nil; n++ {
		token := worker + "." + strconv.Itoa(n)
		res, err := o.claim(ctx, token)
		if err != nil {
			if ctx.Err() == nil {
				o.opt.Log.Warn("outbox claim failed", errAttr(err))
				o.idle(ctx, time.Second)
			}
			continue
		}
		o.answered()
		now := time.Now()
		switch res[0] {
		case "wait":
			o.idle(ctx, min(time.Duration(res[1].(int64))*time.Millisecond, 100*time.Millisecond))
			continue
		case "drop":
			o.drop(ctx, &claimed{id: res[1].(string), token: token, until: now.Add(o.opt.Lease)}, res[2].(string))
			continue
		}
		delay := time.Duration(res[3].(int64)) * time.Millisecond
		c := &claimed{id: res[1].(string), payload: res[2].(string), token: token,
			slot: now.Add(delay), until: now.Add(o.opt.Lease), slept: delay > 0}
		// Sleep until the reserved slot even while stopping: the message
		// is in hand and goes out.
		wait(context.Background(), delay)
		o.deliver(ctx, c)
	}
}

// idle waits for d or until a message is queued on this replica.
func (o *Outbox) idle(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-o.wake:
	case <-ctx.Done():
	}
}

// deliver sends one claimed message and records the outcome. After
// sleeping for its slot it first checks that no pause began meanwhile,
// and that the slot has not passed: a worker that waited on a stalled
// Redis, or a busy machine, gives the message back rather than send it
// together with every other late worker.
func (o *Outbox) deliver(stop context.Context, c *claimed) {
	ctx, cancel := context.WithTimeout(context.Background(), o.opt.RequestTimeout+5*time.Second)
	defer cancel()
	var m Message
	plain, err := o.seal.open(c.payload)
	if err == nil {
		err = json.Unmarshal(plain, &m)
	}
	if err != nil {
		o.finish(stop, c, result{outcome: "failed", reason: ReasonUnreadable + ": the payload cannot be opened"})
		return
	}
	if c.slept {
		// Late from the sleep itself (a busy machine) is measured before
		// asking Redis; the question's own round trip delays every worker
		// alike and bunches nothing, unless Redis stalled on it.
		late := time.Since(c.slot)
		asked := time.Now()
		paused, err := o.paused(ctx, m.ChatID)
		if err != nil || paused || late > lateness || time.Since(asked) > stalled {
			o.finish(stop, c, result{outcome: "requeue"})
			return
		}
	}
	start := time.UnixMilli(m.Queued)
	tgID, err := o.call(ctx, m)
	r := classify(err, m)
	if r.outcome == "sent" {
		r.reason = strconv.Itoa(tgID)
	}
	if r.outcome == "retry" {
		if attempts := o.attempts(ctx, c.id); attempts >= o.opt.MaxAttempts {
			r = result{outcome: "failed", result: "dead_letter_retries",
				reason: ReasonGaveUp + ": " + strconv.Itoa(attempts) + " attempts, the last: " + r.reason}
		} else {
			r.after = retryWait(o.opt.Backoff, o.opt.MaxBackoff, attempts)
		}
	}
	if r.outcome == "migrate" {
		o.migrate(stop, c, m, r)
		return
	}
	o.count(m.Lane, r.result, start)
	if o.finish(stop, c, r) {
		o.reachability(ctx, m.ChatID, false)
	}
}

// lateness is how long after its slot a message that waited for it may
// still go. Pacing at 97.5% of a limit leaves 2.5% of a second, 25 ms,
// by which sends may arrive late before a sliding second can hold one
// more than the limit: a worker's wait may take 10 of it, the network
// the rest. (A slot take_global hands out up to half an interval in the
// past goes at once, without waiting, so the two never add up.)
const lateness = 10 * time.Millisecond

// stalled is how long the pause check may take before the worker takes
// Redis for stalled and gives the message back: workers that all waited
// on a stalled Redis would otherwise fire together when it answers. A
// Redis far away (a round trip of tens of milliseconds) is not stalled.
const stalled = 250 * time.Millisecond

// drop records a claimed message to a chat that became unreachable after
// it was queued, without sending it. It is recorded as failed, not as
// blocked: no 403 came, and the chat may have been made reachable again
// between the claim and now, which marking it would undo.
func (o *Outbox) drop(stop context.Context, c *claimed, lane string) {
	r := result{outcome: "failed", result: "dead_letter_blocked", reason: "blocked: the chat is unreachable"}
	o.finish(stop, c, r)
	l, _ := strconv.Atoi(lane)
	o.metrics().OutboxSends.WithLabelValues(Lane(l).String(), r.result).Inc()
}

// paused reports whether Telegram asked us to wait, bot-wide or for chat.
func (o *Outbox) paused(ctx context.Context, chat int64) (bool, error) {
	n, err := o.rdb.Exists(ctx, o.k.pause(), o.k.chatPause(chat)).Result()
	return n > 0, err
}

func (o *Outbox) attempts(ctx context.Context, id string) int {
	n, _ := o.rdb.HGet(ctx, o.k.msg(id), "attempts").Int()
	return n
}

// migrate points a message at the supergroup its group became and sends
// it again at once, once.
func (o *Outbox) migrate(stop context.Context, c *claimed, m Message, r result) {
	m.ChatID, m.Migrated = r.migrateTo, true
	payload, _ := json.Marshal(m)
	sealed := o.seal.seal(payload)
	o.record(stop, c, func(ctx context.Context) (int, error) {
		return o.scripts["migrate"].Run(ctx, o.rdb, []string{o.k.inflight(), o.k.msg(c.id)},
			o.k.base(), c.id, c.token, m.ChatID, sealed, int(o.opt.RecordTTL/time.Second)).Int()
	})
}

// finish records the outcome of a message a worker held, retrying while
// Redis is away (record); it reports whether a 403 just made the chat
// unreachable. A final outcome refused because another worker took the
// message after its lease ran out is a failed record too: that worker
// sends it again.
func (o *Outbox) finish(stop context.Context, c *claimed, r result) (unreachable bool) {
	n, ok := o.record(stop, c, func(ctx context.Context) (int, error) {
		return o.finishScript(ctx, c.id, c.token, r)
	})
	if ok && n == 0 && final(r.outcome) {
		o.metrics().BookkeepingFailures.WithLabelValues("send_record").Inc()
		o.opt.Log.Warn("a send was recorded after its lease ran out: it may be sent again", slog.String("message", c.id))
	}
	return n == 2
}

// final reports whether an outcome ends a message's life in the queue.
func final(outcome string) bool {
	return outcome == "sent" || outcome == "failed" || outcome == "blocked"
}

// finishScript runs finish.lua once: 0 nothing recorded (another claim
// holds the message), 1 recorded, 2 recorded and the chat made
// unreachable. token is "" for a message no worker claimed.
func (o *Outbox) finishScript(ctx context.Context, id, token string, r result) (int, error) {
	return o.scripts["finish"].Run(ctx, o.rdb,
		[]string{o.k.inflight(), o.k.msg(id), o.k.dead(), o.k.unreachable(), o.k.pause()},
		o.k.base(), id, r.outcome, r.reason, r.after.Milliseconds(), r.pauseChat,
		int(o.opt.RecordTTL/time.Second), token).Int()
}

func (o *Outbox) count(l Lane, res string, start time.Time) {
	m := o.metrics()
	m.OutboxSends.WithLabelValues(l.String(), res).Inc()
	if res == "too_many_requests" {
		m.Outbox429.Inc()
	}
	if res == "sent" {
		m.OutboxSeconds.WithLabelValues(l.String()).Observe(time.Since(start).Seconds())
	}
}

// retryWait is the wait before a message's next attempt (attempt counts
// from 1): base·2^(attempt-1), capped at most, with jitter.
func retryWait(base, most time.Duration, attempt int) time.Duration {
	return backoff.Wait(base, most, attempt-1)
}

func newToken() string {
	b := make([]byte, 8)
	crand.Read(b)
	return hex.EncodeToString(b)
}
