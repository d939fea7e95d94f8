package outbox

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"time"
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

// claim asks for the next message to send under token: {"go", id,
// payload, delay ms}, {"drop", id} (its chat became unreachable) or
// {"wait", ms}.
func (o *Outbox) claim(ctx context.Context, token string) ([]any, error) {
	global, paid, chat, group := o.intervals()
	return o.scripts["claim"].Run(ctx, o.rdb,
		[]string{o.k.lane(0), o.k.lane(1), o.k.lane(2), o.k.inflight(), o.k.tat(), o.k.tatPaid(), o.k.pause(), o.k.unreachable()},
		o.k.base(), o.opt.Lease.Milliseconds(), global, paid, chat, o.opt.ChatBurst, group,
		int(o.opt.GroupPerMinute), 20, token).Slice()
}

// work claims and sends messages until ctx ends.
func (o *Outbox) work(ctx context.Context, token string) {
	for ctx.Err() == nil {
		res, err := o.claim(ctx, token)
		if err != nil {
			if ctx.Err() == nil {
				o.opt.Log.Warn("outbox claim failed", errAttr(err))
				o.idle(ctx, time.Second)
			}
			continue
		}
		if res[0] == "wait" {
			o.idle(ctx, min(time.Duration(res[1].(int64))*time.Millisecond, 100*time.Millisecond))
			continue
		}
		if res[0] == "drop" {
			o.drop(res[1].(string), res[2].(string))
			continue
		}
		id, payload := res[1].(string), res[2].(string)
		// Sleep until the reserved slot even while stopping: the message
		// is in hand and goes out.
		if delay := time.Duration(res[3].(int64)) * time.Millisecond; delay > 0 {
			wait(context.Background(), delay)
		}
		o.deliver(id, payload, res[3].(int64) > 0)
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
// sleeping for its slot it first checks that no pause began meanwhile.
func (o *Outbox) deliver(id, payload string, slept bool) {
	ctx, cancel := context.WithTimeout(context.Background(), o.opt.RequestTimeout+5*time.Second)
	defer cancel()
	var m Message
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		o.finish(ctx, id, result{outcome: "failed", reason: "unreadable record"})
		return
	}
	if slept && o.paused(ctx, m.ChatID) {
		if _, err := o.finish(ctx, id, result{outcome: "requeue"}); err != nil {
			o.opt.Log.Error("could not requeue a message", slog.String("message", id), errAttr(err))
		}
		return
	}
	start := time.UnixMilli(m.Queued)
	tgID, err := o.call(ctx, m)
	r := classify(err, m)
	if r.outcome == "sent" {
		r.reason = strconv.Itoa(tgID)
	}
	if r.outcome == "retry" {
		if attempts := o.attempts(ctx, id); attempts >= o.opt.MaxAttempts {
			r = result{outcome: "failed", result: "dead_letter_retries",
				reason: "gave up after " + strconv.Itoa(attempts) + " attempts: " + r.reason}
		} else {
			r.after = backoff(o.opt.Backoff, o.opt.MaxBackoff, attempts)
		}
	}
	if r.outcome == "migrate" {
		o.migrate(ctx, id, m, r)
		return
	}
	o.count(m.Lane, r.result, start)
	changed, err := o.finish(ctx, id, r)
	if err != nil {
		o.opt.Log.Error("could not record a send", slog.String("message", id), errAttr(err))
	}
	if changed {
		o.reachability(ctx, m.ChatID, false)
	}
}

// drop records a claimed message to a chat that became unreachable after
// it was queued, without sending it. It is recorded as failed, not as
// blocked: no 403 came, and the chat may have been made reachable again
// between the claim and now, which marking it would undo.
func (o *Outbox) drop(id, lane string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := result{outcome: "failed", result: "dead_letter_blocked", reason: "blocked: the chat is unreachable"}
	if _, err := o.finish(ctx, id, r); err != nil {
		o.opt.Log.Error("could not record a message to an unreachable chat", slog.String("message", id), errAttr(err))
	}
	l, _ := strconv.Atoi(lane)
	o.metrics().OutboxSends.WithLabelValues(Lane(l).String(), r.result).Inc()
}

// paused reports whether Telegram asked us to wait, bot-wide or for chat.
func (o *Outbox) paused(ctx context.Context, chat int64) bool {
	n, err := o.rdb.Exists(ctx, o.k.pause(), o.k.chatPause(chat)).Result()
	return err == nil && n > 0
}

func (o *Outbox) attempts(ctx context.Context, id string) int {
	n, _ := o.rdb.HGet(ctx, o.k.msg(id), "attempts").Int()
	return n
}

// migrate points a message at the supergroup its group became and sends
// it again at once, once.
func (o *Outbox) migrate(ctx context.Context, id string, m Message, r result) {
	m.ChatID, m.Migrated = r.migrateTo, true
	payload, _ := json.Marshal(m)
	pipe := o.rdb.TxPipeline()
	pipe.HSet(ctx, o.k.msg(id), "chat", m.ChatID, "p", payload)
	pipe.ZRem(ctx, o.k.inflight(), id)
	pipe.ZAdd(ctx, o.k.lane(m.Lane), redisZ(float64(time.Now().UnixMilli()), id))
	if _, err := pipe.Exec(ctx); err != nil {
		o.opt.Log.Error("could not redirect a message", slog.String("message", id), errAttr(err))
	}
}

// finish records the outcome of a message a worker held; unreachable is
// true when a 403 just made its chat unreachable.
func (o *Outbox) finish(ctx context.Context, id string, r result) (unreachable bool, err error) {
	n, err := o.scripts["finish"].Run(ctx, o.rdb,
		[]string{o.k.inflight(), o.k.msg(id), o.k.dead(), o.k.unreachable(), o.k.pause()},
		o.k.base(), id, r.outcome, r.reason, r.after.Milliseconds(), r.pauseChat,
		int(o.opt.RecordTTL/time.Second)).Int()
	return n == 2, err
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

// backoff is base·2^(attempt-1), capped, with full jitter on its upper half.
func backoff(base, most time.Duration, attempt int) time.Duration {
	d := base << min(max(attempt-1, 0), 20)
	d = min(d, most)
	return d/2 + rand.N(d/2+1)
}

func newToken() string {
	b := make([]byte, 8)
	crand.Read(b)
	return hex.EncodeToString(b)
}
