package outbox

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// While Redis is away, and the limiter every replica shares with it, a
// reply still beats silence: after trying Redis for fallbackAfter, the
// fast path sends through a limiter of this replica's own at
// fallbackShare of the bot-wide rate (so that a few replicas together
// stay under it), and each chat's own limit, booking at most fallbackAhead
// ahead, first come first served.
const (
	fallbackAfter = 500 * time.Millisecond
	fallbackShare = 0.25
	fallbackAhead = 2 * time.Second
)

// localPace is that limiter: GCRA, as _limits.lua, counted in this
// process alone.
type localPace struct {
	mu                      sync.Mutex
	interval                time.Duration
	next                    time.Time
	chatInterval, groupEach time.Duration
	chatBurst, groupBurst   int
	chats                   map[int64]time.Time
}

func newLocalPace(opt Options) *localPace {
	return &localPace{
		interval:     time.Duration(float64(time.Second) / (opt.RatePerSecond * fallbackShare)),
		chatInterval: time.Duration(float64(time.Second) / (opt.ChatPerSecond * pacing)),
		chatBurst:    opt.ChatBurst,
		groupEach:    time.Duration(float64(time.Minute) / (opt.GroupPerMinute * pacing)),
		groupBurst:   int(opt.GroupPerMinute),
		chats:        map[int64]time.Time{},
	}
}

// take reserves a slot for a send into chat unless it lies more than
// ahead from now, and returns the wait until it.
func (p *localPace) take(chat int64, now time.Time, ahead time.Duration) (time.Duration, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	each, burst := p.chatInterval, p.chatBurst
	if chat < 0 {
		each, burst = p.groupEach, p.groupBurst
	}
	tat := p.chats[chat]
	slot := later(later(p.next, now), tat.Add(-time.Duration(burst-1)*each))
	if slot.Sub(now) > ahead {
		return 0, false
	}
	p.next = slot.Add(p.interval)
	p.chats[chat] = later(tat, slot).Add(each)
	if len(p.chats) > 1000 {
		for c, t := range p.chats {
			if t.Before(now) {
				delete(p.chats, c)
			}
		}
	}
	return slot.Sub(now), true
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// reserveOrFallback tries the shared limiter (reserve.lua) until it
// answers or ctx ends. After fallbackAfter of failures, a failure books a
// slot of the local limiter instead, if one is free within fallbackAhead,
// and returns local true once it has come: the caller sends at once,
// unqueued. If Redis answered anyone on this replica meanwhile, the slot
// is let go and the shared limiter asked again: once Redis is back it
// paces everything, and local slots would add to it.
func (o *Outbox) reserveOrFallback(ctx context.Context, m Message) (res []any, local bool, err error) {
	first := time.Now()
	next := recordFirstWait
	for {
		res, err = o.reserve(ctx, m)
		if err == nil || ctx.Err() != nil {
			return res, false, err
		}
		failed := time.Now()
		if failed.Sub(first) >= fallbackAfter {
			if slot, ok := o.local.take(m.ChatID, failed, fallbackAhead); ok {
				wait(ctx, slot)
				if ctx.Err() != nil {
					return nil, false, ctx.Err()
				}
				if !o.answeredSince(failed) {
					o.opt.Log.Warn("outbox limiter unreachable, replying at this replica's own pace",
						chatAttr(m.ChatID), errAttr(err))
					return nil, true, nil
				}
				continue
			}
		}
		wait(ctx, next/2+rand.N(next/2+1))
		next = min(2*next, time.Second)
	}
}

// answered notes that Redis just answered one of the outbox's scripts.
func (o *Outbox) answered() { o.lastAnswer.Store(time.Now().UnixNano()) }

// answeredSince reports whether Redis answered since t.
func (o *Outbox) answeredSince(t time.Time) bool { return o.lastAnswer.Load() > t.UnixNano() }

// reserve runs reserve.lua for m.
func (o *Outbox) reserve(ctx context.Context, m Message) ([]any, error) {
	global, _, chat, group := o.intervals()
	res, err := o.scripts["reserve"].Run(ctx, o.rdb, []string{o.k.tat(), o.k.pause(), o.k.unreachable()},
		o.k.base(), m.ChatID, global, chat, o.opt.ChatBurst, group, int(o.opt.GroupPerMinute), 1000, flag(m.Reply)).Slice()
	if err == nil {
		o.answered()
	}
	return res, err
}

// sendUnqueued sends m at once, with no record in Redis: Redis is away.
func (o *Outbox) sendUnqueued(ctx context.Context, m Message) (int, error) {
	start := time.Now()
	id, err := o.call(ctx, m)
	o.count(m.Lane, classify(err, m).result, start)
	return id, wrap("send", err)
}
