package outbox

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// deadLetter records a message that was refused on the fast path.
func (o *Outbox) deadLetter(ctx context.Context, m Message, reason string) (string, error) {
	id, err := o.enqueue(ctx, m, time.Now().Add(o.opt.RecordTTL), false)
	if err != nil {
		return "", err
	}
	_, err = o.finishScript(ctx, id, "", result{outcome: "failed", reason: reason})
	return id, err
}

// pause stops sends to the whole bot, or to one group, on every replica
// for the time Telegram asked.
func (o *Outbox) pause(ctx context.Context, r result) {
	key := o.k.pause()
	if r.pauseChat != 0 {
		key = o.k.chatPause(r.pauseChat)
	}
	if err := o.rdb.Set(ctx, key, "1", r.after).Err(); err != nil {
		o.opt.Log.Warn("could not pause sending", chatAttr(r.pauseChat), errAttr(err))
	}
}

// markUnreachable records a chat that answered 403.
func (o *Outbox) markUnreachable(ctx context.Context, chat int64) {
	if err := o.SetReachable(ctx, chat, false); err != nil {
		o.opt.Log.Warn("could not mark a chat unreachable", chatAttr(chat), errAttr(err))
	}
}

// reachability tells OnReachability that chat's reachability changed.
func (o *Outbox) reachability(ctx context.Context, chat int64, reachable bool) {
	if o.opt.OnReachability != nil {
		o.opt.OnReachability(ctx, chat, reachable)
	}
}

// SetReachable records that chat blocked the bot (false: nothing but
// replies is sent to it) or unblocked it (true), and tells OnReachability
// when that changes what was recorded. The bot calls it when Telegram
// reports the bot's membership in a chat changed (my_chat_member); the
// outbox itself marks a chat on a 403 and clears it on a Reply.
func (o *Outbox) SetReachable(ctx context.Context, chat int64, reachable bool) error {
	var n int64
	var err error
	if reachable {
		n, err = o.rdb.SRem(ctx, o.k.unreachable(), chat).Result()
	} else {
		n, err = o.rdb.SAdd(ctx, o.k.unreachable(), chat).Result()
	}
	if err != nil {
		return fmt.Errorf("outbox: set reachable %d: %w", chat, err)
	}
	if n == 1 {
		o.reachability(ctx, chat, reachable)
	}
	return nil
}

// Forget drops what the outbox keeps about chat: the messages still
// waiting for it (a message a worker holds at that moment is still sent,
// and no record of it kept), its pacing, pauses and unreachable mark
// (without telling OnReachability: the person is gone). Records of sent
// messages and dead letters hold no person's chat id.
func (o *Outbox) Forget(ctx context.Context, chat int64) error {
	err := o.scripts["forget"].Run(ctx, o.rdb,
		[]string{o.k.lane(0), o.k.lane(1), o.k.lane(2), o.k.inflight(), o.k.dead(), o.k.unreachable()},
		o.k.base(), chat).Err()
	if err != nil {
		return fmt.Errorf("outbox: forget %d: %w", chat, err)
	}
	return nil
}

// Queued is a message waiting for a chat, as /mydata lists it: what kind,
// in which lane, since when; not what it says.
type Queued struct {
	Kind  Kind
	Lane  Lane
	Since time.Time
}

// Queued lists the messages waiting for chat, in the order they were queued.
func (o *Outbox) Queued(ctx context.Context, chat int64) ([]Queued, error) {
	ids, err := o.rdb.SMembers(ctx, o.k.chatMsgs(chat)).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox: queued for %d: %w", chat, err)
	}
	// Ids count up, so by id is the order they were queued in.
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(len(a), len(b))*2 + strings.Compare(a, b) })
	pipe := o.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HMGet(ctx, o.k.msg(id), "state", "lane", "enq", "p")
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("outbox: queued for %d: %w", chat, err)
	}
	var out []Queued
	for _, c := range cmds {
		f := c.Val()
		if len(f) < 4 || f[0] != "queued" {
			continue
		}
		var q Queued
		lane, _ := strconv.Atoi(str(f[1]))
		enq, _ := strconv.ParseInt(str(f[2]), 10, 64)
		q.Lane, q.Since = Lane(lane), time.UnixMilli(enq)
		var m Message
		if plain, err := o.seal.open(str(f[3])); err == nil && json.Unmarshal(plain, &m) == nil {
			q.Kind = m.Kind
		}
		out = append(out, q)
	}
	return out, nil
}

func str(v any) string { s, _ := v.(string); return s }

// Reachable reports whether messages can be sent to chat: false once it
// answered 403 (the person blocked the bot or deleted their account),
// until they write again. One SISMEMBER.
func (o *Outbox) Reachable(ctx context.Context, chat int64) (bool, error) {
	unreachable, err := o.rdb.SIsMember(ctx, o.k.unreachable(), chat).Result()
	if err != nil {
		return false, fmt.Errorf("outbox: reachable %d: %w", chat, err)
	}
	return !unreachable, nil
}

// Status is what became of one message.
type Status struct {
	ID   string
	Lane Lane
	// ChatID is kept until the message is sent, and after that only for
	// groups (whose id may change by migration): a person's is forgotten.
	ChatID int64
	// State is "queued", "sent" or "failed".
	State string
	// MessageID is Telegram's id once sent.
	MessageID int
	// Reason says why it failed, or why its last attempt did.
	Reason   string
	Attempts int
	Batch    string
}

// Status reads a message's status; State is "" when no record is kept.
func (o *Outbox) Status(ctx context.Context, id string) (Status, error) {
	h, err := o.rdb.HGetAll(ctx, o.k.msg(id)).Result()
	if err != nil {
		return Status{}, fmt.Errorf("outbox: status %s: %w", id, err)
	}
	s := Status{ID: id, State: h["state"], Reason: h["reason"], Batch: h["batch"]}
	lane, _ := strconv.Atoi(h["lane"])
	s.Lane = Lane(lane)
	s.ChatID, _ = strconv.ParseInt(h["chat"], 10, 64)
	s.MessageID, _ = strconv.Atoi(h["tgid"])
	s.Attempts, _ = strconv.Atoi(h["attempts"])
	return s, nil
}

// BatchStatus counts a batch's messages.
type BatchStatus struct {
	// Total is every message queued into the batch; Sent and Failed those
	// that ended so (Pending is the rest).
	Total, Sent, Failed int
	// Blocked and Cancelled are two kinds of Failed, counted in it too:
	// Blocked, messages to people who blocked the bot (found when sending,
	// or known when queued or claimed); Cancelled, messages CancelBatch
	// withdrew.
	Blocked, Cancelled int
	// Reasons counts the failed messages by the class of their reason
	// (ReasonClasses; Blocked is Reasons[ReasonBlocked], Cancelled is
	// Reasons[ReasonCancelled]); they add up to Failed. Nil when none failed.
	Reasons map[string]int
	// CancelledAt is when CancelBatch stopped the batch (zero: it was not).
	CancelledAt time.Time
}

// Pending is how many of the batch's messages are still to be sent.
func (b BatchStatus) Pending() int { return b.Total - b.Sent - b.Failed }

// Batch counts what became of a batch's messages: one HGETALL of the
// batch's counters, whatever its size.
func (o *Outbox) Batch(ctx context.Context, batch string) (BatchStatus, error) {
	h, err := o.rdb.HGetAll(ctx, o.k.batch(batch)).Result()
	if err != nil {
		return BatchStatus{}, fmt.Errorf("outbox: batch %s: %w", batch, err)
	}
	var b BatchStatus
	b.Total, _ = strconv.Atoi(h["total"])
	b.Sent, _ = strconv.Atoi(h["sent"])
	b.Failed, _ = strconv.Atoi(h["failed"])
	for field, v := range h {
		if class, ok := strings.CutPrefix(field, "why:"); ok {
			if b.Reasons == nil {
				b.Reasons = map[string]int{}
			}
			b.Reasons[class], _ = strconv.Atoi(v)
		}
	}
	b.Blocked, b.Cancelled = b.Reasons[ReasonBlocked], b.Reasons[ReasonCancelled]
	if ms, err := strconv.ParseInt(h["stopped"], 10, 64); err == nil {
		b.CancelledAt = time.UnixMilli(ms)
	}
	return b, nil
}

// BatchMessages lists the ids of a batch's messages.
func (o *Outbox) BatchMessages(ctx context.Context, batch string) ([]string, error) {
	ids, err := o.rdb.SMembers(ctx, o.k.batchIDs(batch)).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox: batch %s: %w", batch, err)
	}
	return ids, nil
}

// DeadLetters lists up to limit dead-lettered messages, newest first.
func (o *Outbox) DeadLetters(ctx context.Context, limit int64) ([]Status, error) {
	ids, err := o.rdb.ZRevRange(ctx, o.k.dead(), 0, limit-1).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox: dead letters: %w", err)
	}
	out := make([]Status, 0, len(ids))
	for _, id := range ids {
		s, err := o.Status(ctx, id)
		if err != nil {
			return nil, err
		}
		if s.State != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// Depth counts the messages waiting in each lane.
func (o *Outbox) Depth(ctx context.Context) ([3]int64, error) {
	var d [3]int64
	pipe := o.rdb.Pipeline()
	cmds := make([]interface{ Val() int64 }, 3)
	for l := Interactive; l <= Bulk; l++ {
		cmds[l] = pipe.ZCard(ctx, o.k.lane(l))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return d, fmt.Errorf("outbox: depth: %w", err)
	}
	for i, c := range cmds {
		d[i] = c.Val()
	}
	return d, nil
}

// CancelBatch stops a batch (a broadcast run): it first marks the batch
// so that nothing more is queued into it (Enqueue returns ErrCancelled,
// EnqueueAll "" for such a message, and neither counts it), then
// withdraws its messages that still wait, each failed with reason
// "cancelled: …" and counted in the batch's Failed and Cancelled (not a
// dead letter: nothing was wrong with it). A message a worker holds at
// that moment is sent as usual, so at most Options.Workers per replica
// still go. The batch's ids are read a slice at a time (withdrawSlice
// of them per script), so that Redis is never held long however big the
// batch: a 10,000-message batch is withdrawn in a few tens of ms. It
// returns how many it withdrew; calling it again withdraws nothing more,
// and keeps the first cancel's time (BatchStatus.CancelledAt).
func (o *Outbox) CancelBatch(ctx context.Context, batch string) (int, error) {
	if batch == "" {
		return 0, errors.New("outbox: cancel batch: no batch named")
	}
	ttl := int(o.opt.RecordTTL / time.Second)
	if err := o.scripts["stop_batch"].Run(ctx, o.rdb, []string{o.k.batch(batch)}, o.k.base(), ttl).Err(); err != nil {
		return 0, fmt.Errorf("outbox: cancel batch %s: %w", batch, err)
	}
	keys := []string{o.k.lane(0), o.k.lane(1), o.k.lane(2), o.k.inflight()}
	withdrawn := 0
	var cursor uint64
	for {
		ids, next, err := o.rdb.SScan(ctx, o.k.batchIDs(batch), cursor, "", withdrawSlice).Result()
		if err != nil {
			return withdrawn, fmt.Errorf("outbox: cancel batch %s: %w", batch, err)
		}
		if len(ids) > 0 {
			args := make([]any, 0, 3+len(ids))
			args = append(args, o.k.base(), batch, ttl)
			for _, id := range ids {
				args = append(args, id)
			}
			n, err := o.scripts["withdraw"].Run(ctx, o.rdb, keys, args...).Int()
			if err != nil {
				return withdrawn, fmt.Errorf("outbox: cancel batch %s: %w", batch, err)
			}
			withdrawn += n
		}
		if next == 0 {
			return withdrawn, nil
		}
		cursor = next
	}
}

// withdrawSlice is how many of a batch's ids CancelBatch reads and
// withdraws at a time: about a millisecond of Redis's time.
const withdrawSlice = 1000
