package app

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/store"
)

// callWorkRetries is how often a call's due work is tried again after a
// failure (Redis away, the outbox full) before it is kept as failed.
const callWorkRetries = 5

// registerCallWork hands the agenda's call items to the bot: a request
// expiring unanswered, a call's end (asking the teachers whether it took
// place, and again when still unmarked), a standing call's weekly renewal,
// and forgetting a call once its history is kept long enough. The store
// puts each in the same step as the change that causes it; each handler
// rereads the call, so one that changed meanwhile does nothing wrong.
func (a *App) registerCallWork() {
	call := func(run func(ctx context.Context, h, id int64) error) agenda.Handler {
		return agenda.Handler{Retries: callWorkRetries, Handle: func(ctx context.Context, it agenda.Item) error {
			h, id, ok := store.CallKey(it.Key)
			if !ok {
				a.log.Warn("agenda item with an unreadable call key", slog.String("kind", it.Kind))
				return nil
			}
			return run(ctx, h, id)
		}}
	}
	a.Agenda.Register(store.KindCallExpire, call(a.Bot.CallExpired))
	a.Agenda.Register(store.KindCallEnded, call(func(ctx context.Context, h, id int64) error {
		return a.Bot.CallEnded(ctx, h, id, false)
	}))
	a.Agenda.Register(store.KindCallUnmarked, call(func(ctx context.Context, h, id int64) error {
		return a.Bot.CallEnded(ctx, h, id, true)
	}))
	a.Agenda.Register(store.KindSeriesRenew, call(a.Bot.RenewSeries))
	a.Agenda.Register(store.KindCallForget, call(a.Store.ForgetCall))
}

// registerReminders hands the agenda's reminders to the bot: a confirmed
// call's reminders to its guardian and its teachers' nudge (their items
// keyed "<home>.<call>"), each home's morning digest ("<home>") and each
// teacher's copy of it ("<home>.<teacher>"). A reminder is worth sending
// only before its call ends, which the bot judges; the agenda is told
// nothing about usefulness.
func (a *App) registerReminders() {
	for _, kind := range store.ReminderKinds {
		a.Agenda.Register(kind, a.dueHandler(a.Bot.Remind, store.CallKey))
	}
	a.Agenda.Register(store.KindDigest, a.dueHandler(a.Bot.Digest, func(key string) (int64, int64, bool) {
		h, err := strconv.ParseInt(key, 10, 64)
		return h, 0, err == nil && h > 0
	}))
	a.Agenda.Register(store.KindDigestTo, a.dueHandler(a.Bot.DigestTo, store.CallKey))
}

// dueHandler is the handler of one kind of due work the bot does at its
// time (a reminder, a digest, a mailbox notice): key reads the item's key
// into the home and the call, person or child it is about (Due.Home and
// Due.Call), and the Due lets the bot check and hold its item.
func (a *App) dueHandler(run func(context.Context, bot.Due) error, key func(string) (h, id int64, ok bool)) agenda.Handler {
	return agenda.Handler{Retries: callWorkRetries, Handle: func(ctx context.Context, it agenda.Item) error {
		h, id, ok := key(it.Key)
		if !ok {
			a.log.Warn("agenda item with an unreadable key", slog.String("kind", it.Kind))
			return nil
		}
		return run(ctx, bot.Due{Kind: it.Kind, Key: it.Key, Claim: it.Claim(), Home: h, Call: id, At: it.Due, Payload: it.Payload,
			Current: func(ctx context.Context) (bool, error) { return a.Agenda.Current(ctx, it) },
			Hold: func(ctx context.Context, until time.Time, payload []byte) error {
				// An item that moved on meanwhile (its call moved or
				// was cancelled) is left as it is now.
				_, err := a.Agenda.Hold(ctx, it, until, payload)
				return err
			}})
	}}
}
