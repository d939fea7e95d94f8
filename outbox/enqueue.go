package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Enqueue queues m in its lane and returns its id. Once it returns nil the
// message will end sent or dead-lettered, whatever happens to this replica.
// An interactive message its chat's backlog leaves out (Options.ChatBacklog,
// Message.Droppable) is not queued: ErrBacklog; nor is a message of a
// batch CancelBatch stopped: ErrCancelled. A message to a chat that
// blocked the bot (and not a Reply) is dead-lettered at once: its id is
// returned and its Status is failed, "blocked: …". A chat gets the
// messages of one lane in the order they were queued, one after the
// other: a message waits until the one queued before it to its chat and
// lane is sent or failed. A higher lane's messages go ahead of them.
func (o *Outbox) Enqueue(ctx context.Context, m Message) (string, error) {
	return o.enqueue(ctx, m, time.Time{}, true)
}

// EnqueueAll queues ms in order, each as Enqueue queues one, in one Redis
// round trip and all or none: when it returns an error nothing was
// queued. The messages may be to different chats and in different lanes;
// ids are returned in their order, "" for an interactive message its
// chat's backlog left out and for a message of a batch CancelBatch
// stopped (the others are still queued, and no error is returned for
// them; a message left out is not counted in its batch's Total). Each chat gets its messages in the order given, one
// after the other, whatever their lanes: a message waits until the one
// before it to its chat is sent or failed.
func (o *Outbox) EnqueueAll(ctx context.Context, ms []Message) ([]string, error) {
	return o.enqueueAll(ctx, "", ms)
}

// ErrQueuedBefore means EnqueueAllOnce found its key: the messages were
// queued by an earlier call, and nothing was queued now.
var ErrQueuedBefore = errors.New("outbox: queued before")

// EnqueueAllOnce is EnqueueAll, once per key (kept for the record TTL): a
// retried piece of work (a broadcast's chunk whose worker crashed after
// queuing it, before recording that it did) queues nothing the second
// time and gets ErrQueuedBefore. The key and the messages go in one step.
func (o *Outbox) EnqueueAllOnce(ctx context.Context, key string, ms []Message) ([]string, error) {
	if key == "" {
		return nil, errors.New("outbox: enqueue once: no key")
	}
	return o.enqueueAll(ctx, key, ms)
}

func (o *Outbox) enqueueAll(ctx context.Context, once string, ms []Message) ([]string, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	prep, keys, args, err := o.enqueueAllArgs(ms)
	if err != nil {
		return nil, err
	}
	if once != "" {
		keys = append(keys, o.k.base()+"once:"+once)
	}
	res, err := o.scripts["enqueue_all"].Run(ctx, o.rdb, keys, args...).Slice()
	if err != nil {
		return nil, fmt.Errorf("outbox: enqueue all (%d messages): %w", len(ms), err)
	}
	if len(res) == 1 && res[0] == "once" {
		return nil, ErrQueuedBefore
	}
	if len(res) != 3*len(ms) {
		return nil, fmt.Errorf("outbox: enqueue all: %d answers for %d messages", len(res), len(ms))
	}
	ids := make([]string, len(ms))
	woken := false
	for i, q := range prep {
		ids[i], _ = res[3*i].(string)
		cleared, _ := res[3*i+1].(int64)
		why, _ := res[3*i+2].(string)
		if o.queuedOne(ctx, q.m, ids[i], cleared == 1, why) == nil && !woken {
			o.wakeWorkers()
			woken = true
		}
	}
	return ids, nil
}

// enqueueAllArgs prepares ms for enqueue_all.lua: its keys and arguments.
func (o *Outbox) enqueueAllArgs(ms []Message) ([]queued, []string, []any, error) {
	prep := make([]queued, len(ms))
	args := make([]any, 0, 2+8*len(ms))
	args = append(args, o.k.base(), int(o.opt.RecordTTL/time.Second))
	for i, m := range ms {
		q, err := o.prepare(m, time.Time{}, true)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("outbox: enqueue all: message %d: %w", i+1, err)
		}
		prep[i] = q
		args = append(args, int(q.m.Lane), q.m.ChatID, q.payload, q.m.Batch, q.due,
			flag(q.m.Reply), q.backlog, flag(q.droppable))
	}
	keys := []string{o.k.lane(Interactive), o.k.lane(Reminder), o.k.lane(Bulk), o.k.seq(), o.k.unreachable(), o.k.dead()}
	return prep, keys, args, nil
}

// enqueueAt queues m to be sent at the given time, not before. It is not
// the way to do work later (that is the agenda, package agenda, on the
// app's clock): the outbox uses it for records, and its tests to hold a
// message in the queue.
func (o *Outbox) enqueueAt(ctx context.Context, m Message, at time.Time) (string, error) {
	return o.enqueue(ctx, m, at, true)
}

// enqueue queues m; capped applies its chat's backlog cap to an
// interactive message.
func (o *Outbox) enqueue(ctx context.Context, m Message, at time.Time, capped bool) (string, error) {
	q, err := o.prepare(m, at, capped)
	if err != nil {
		return "", fmt.Errorf("outbox: enqueue: %w", err)
	}
	m = q.m
	res, err := o.scripts["enqueue"].Run(ctx, o.rdb, []string{o.k.lane(m.Lane), o.k.seq(), o.k.unreachable(), o.k.dead()},
		o.k.base(), int(m.Lane), m.ChatID, q.payload, m.Batch, q.due, int(o.opt.RecordTTL/time.Second),
		flag(m.Reply), q.backlog, flag(q.droppable)).Slice()
	if err != nil {
		return "", fmt.Errorf("outbox: enqueue to %d: %w", m.ChatID, err)
	}
	id, _ := res[0].(string)
	why, _ := res[2].(string)
	if err := o.queuedOne(ctx, m, id, res[1].(int64) == 1, why); err != nil {
		return "", err
	}
	o.wakeWorkers()
	return id, nil
}

// queued is a message made ready for the enqueue scripts.
type queued struct {
	m         Message
	payload   string
	due       int64
	backlog   int
	droppable bool
}

// prepare checks m, stamps it and seals its payload; capped applies its
// chat's backlog cap to an interactive message.
func (o *Outbox) prepare(m Message, at time.Time, capped bool) (queued, error) {
	if m.Kind == "" {
		m.Kind = Text
	}
	if m.Lane < Interactive || m.Lane > Bulk {
		return queued{}, fmt.Errorf("no lane %d", m.Lane)
	}
	m.Queued = time.Now().UnixMilli()
	payload, err := json.Marshal(m)
	if err != nil {
		return queued{}, err
	}
	q := queued{m: m, payload: o.seal.seal(payload)}
	if !at.IsZero() {
		q.due = at.UnixMilli()
	}
	if capped && m.Lane == Interactive {
		q.backlog, q.droppable = o.opt.ChatBacklog, m.Droppable
	}
	return q, nil
}

// queuedOne tells OnReachability and the metrics what the enqueue
// scripts did with m: id "" when it was left out, why by ("backlog":
// ErrBacklog, "cancelled": ErrCancelled).
func (o *Outbox) queuedOne(ctx context.Context, m Message, id string, cleared bool, why string) error {
	if cleared {
		o.reachability(ctx, m.ChatID, true)
	}
	if id == "" {
		if why == "cancelled" {
			o.metrics().OutboxSends.WithLabelValues(m.Lane.String(), "dropped_cancelled").Inc()
			return ErrCancelled
		}
		o.metrics().OutboxSends.WithLabelValues(m.Lane.String(), "dropped_backlog").Inc()
		return ErrBacklog
	}
	o.metrics().OutboxQueued.WithLabelValues(m.Lane.String()).Inc()
	return nil
}

// wakeWorkers wakes an idle worker of this replica to look at the lanes.
func (o *Outbox) wakeWorkers() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}
