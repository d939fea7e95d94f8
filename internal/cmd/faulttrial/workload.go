package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/homelink/homelink/emulator"
)

// firstUserID numbers the trial's users; far from any real id.
const firstUserID = 7_000_000

// workload is the trial's users, each sending /help once and expecting
// exactly one answer.
type workload struct {
	tg    *emulator.Server
	users []*emulator.User
	typed []time.Time // when each user sent /help

	sent     atomic.Int64 // bot messages so far
	lastSent atomic.Int64 // unix nanos of the newest
}

func newWorkload(tg *emulator.Server, n int) *workload {
	w := &workload{tg: tg, typed: make([]time.Time, n)}
	for i := range n {
		w.users = append(w.users, tg.NewUser(int64(firstUserID+i), "Trial", "en"))
	}
	tg.OnSend(func(emulator.Message) {
		w.sent.Add(1)
		w.lastSent.Store(time.Now().UnixNano())
	})
	return w
}

// burst makes every user send /help, spread evenly over spread.
func (w *workload) burst(ctx context.Context, spread time.Duration) error {
	began := time.Now()
	for i, u := range w.users {
		at := began.Add(time.Duration(int64(spread) * int64(i) / int64(len(w.users))))
		if d := time.Until(at); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		w.typed[i] = time.Now()
		u.Types("/help")
	}
	return nil
}

// settle waits until every user has an answer and no bot message has come
// for quiet (a repeat comes only after a lease runs out). While a user has
// none it waits to deadline: a stranded inbox may be rescued only minutes
// later, after a long silence. It says whether it reached deadline.
func (w *workload) settle(ctx context.Context, since time.Time, quiet time.Duration, deadline time.Time) (timedOut bool, err error) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	checked := 0 // users before this one all have an answer
	for {
		last := since
		if n := w.lastSent.Load(); n > 0 && time.Unix(0, n).After(last) {
			last = time.Unix(0, n)
		}
		for checked < len(w.users) && len(w.users[checked].Messages()) > 0 {
			checked++
		}
		if checked == len(w.users) && time.Since(last) >= quiet && w.tg.PendingUpdates() == 0 {
			return false, nil
		}
		if time.Now().After(deadline) {
			return true, nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

// tally is what the users got.
type tally struct {
	once, twice, never int
	tooMany            int           // 429s the fake Telegram answered
	longest            time.Duration // longest wait for a first answer
	longestUser        int64
}

func (w *workload) tally() tally {
	var t tally
	for i, u := range w.users {
		ms := u.Messages()
		switch {
		case len(ms) == 0:
			t.never++
			continue
		case len(ms) == 1:
			t.once++
		default:
			t.twice++
		}
		if d := ms[0].Date.Sub(w.typed[i]); d > t.longest {
			t.longest, t.longestUser = d, u.ID
		}
	}
	for _, c := range w.tg.Calls("") {
		if c.Status == 429 {
			t.tooMany++
		}
	}
	return t
}
