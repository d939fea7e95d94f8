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
// stay under it), and each chat's own limit.
const (
	fallbackAfter = 500 * time.Millisecond
	fallbackShare = 0.25
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

// take spends a slot for a send into chat now, if one is free.
func (p *localPace) take(chat int64, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	each, burst := p.chatInterval, p.chatBurst
	if chat < 0 {
		each, burst = p.groupEach, p.groupBurst
	}
	tat := p.chats[chat]
	if p.next.After(now) || tat.Add(-time.Duration(burst-1)*each).After(now) {
		return false
	}
	p.next = now.Add(p.interval)
	p.chats[chat] = later(tat, now).Add(each)
	if len(p.chats) > 1000 {
		for c, t := range p.chats {
			if t.Before(now) {
				delete(p.chats, c)
			}
		}
	}
	return true
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// reserveOrFallback tries the shared limiter (reserve.lua) until it
// answers or ctx ends. After fallbackAfter of failures, each failure may
// take a slot of the local limiter, if one is free at that moment; then
// it returns local true and the caller sends at once, unqueued. Only a
// free slot is taken, none booked ahead: when Redis answers again, the
// shared limiter paces everything at once, and replies still waiting for
// a local slot would add to it.
func (o *Outbox) reserveOrFallback(ctx context.Context, m Message) (res []any, local bool, err error) {
	first := time.Now()
	next := recordFirstWait
	for {
		res, err = o.reserve(ctx, m)
		if err == nil || ctx.Err() != nil {
			return res, false, err
		}
		d := next/2 + rand.N(next/2+1)
		if time.Since(first) >= fallbackAfter {
			if o.local.take(m.ChatID, time.Now()) {
				o.opt.Log.Warn("outbox limiter unreachable, replying at this replica's own pace",
					chatAttr(m.ChatID), errAttr(err))
				return nil, true, nil
			}
		}
		wait(ctx, d)
		next = min(2*next, time.Second)
	}
}

// reserve runs reserve.lua for m.
func (o *Outbox) reserve(ctx context.Context, m Message) ([]any, error) {
	global, _, chat, group := o.intervals()
	return o.scripts["reserve"].Run(ctx, o.rdb, []string{o.k.tat(), o.k.pause(), o.k.unreachable()},
		o.k.base(), m.ChatID, global, chat, o.opt.ChatBurst, group, int(o.opt.GroupPerMinute), 1000, flag(m.Reply)).Slice()
}

// sendUnqueued sends m at once, with no record in Redis: Redis is away.
func (o *Outbox) sendUnqueued(ctx context.Context, m Message) (int, error) {
	start := time.Now()
	id, err := o.call(ctx, m)
	o.count(m.Lane, classify(err, m).result, start)
	return id, wrap("send", err)
}
