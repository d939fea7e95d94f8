package app

import (
	"context"
	"log/slog"

	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/store"
)

// registerMailGuardian hands the agenda's mailbox receipts to the bot:
// once a teacher marked a child's messages heard, each guardian who left
// some is told (keyed "<home>.<child>.<last id>", read into the Due's
// Home and, as Call, the child; payload "<sender>=<n>,…"). A receipt
// that cannot be queued (Redis away) is tried again; the outbox keeps
// the one to a chat that blocked the bot as dead, never retried.
func (a *App) registerMailGuardian() {
	a.Agenda.Register(store.KindMailHeard, agenda.Handler{Retries: callWorkRetries, Handle: func(ctx context.Context, it agenda.Item) error {
		h, c, _, ok := store.MailKey(it.Key)
		if !ok {
			a.log.Warn("agenda item with an unreadable key", slog.String("kind", it.Kind))
			return nil
		}
		return a.Bot.MailHeard(ctx, bot.Due{Kind: it.Kind, Key: it.Key, Claim: it.Claim(), Home: h, Call: c, At: it.Due,
			Payload: it.Payload, Current: func(ctx context.Context) (bool, error) { return a.Agenda.Current(ctx, it) }})
	}})
}
