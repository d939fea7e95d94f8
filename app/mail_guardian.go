package app

import (
	"context"

	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/store"
)

// registerMailGuardian hands the agenda's mailbox receipts to the bot:
// once a teacher marked a child's messages heard, each guardian who left
// some is told ("<home>.<child>.<last id>", payload "<sender>=<n>,…").
// The bot reads the key and the payload itself; a receipt that cannot be
// queued (Redis away) is tried again, and the outbox keeps the one to a
// chat that blocked the bot as dead, never retried.
func (a *App) registerMailGuardian() {
	a.Agenda.Register(store.KindMailHeard, agenda.Handler{Retries: callWorkRetries, Handle: func(ctx context.Context, it agenda.Item) error {
		return a.Bot.MailHeard(ctx, a.mailHeardDue(it))
	}})
}

// mailHeardDue is a receipt's agenda item as the bot sees it.
func (a *App) mailHeardDue(it agenda.Item) bot.Due {
	return bot.Due{Kind: it.Kind, Key: it.Key, Claim: it.Claim(), At: it.Due, Payload: it.Payload,
		Current: func(ctx context.Context) (bool, error) { return a.Agenda.Current(ctx, it) }}
}
