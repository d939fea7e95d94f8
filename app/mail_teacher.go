package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/store"
)

// registerMailTeacher hands the agenda's mailbox items of the teacher's
// side to the bot: a teacher's notice of new messages (keyed
// "<home>.<teacher>") and the delivery of a child's reply, which comes
// back once more, held with a payload of its own, to tell the teacher who
// was not reached (keyed "<home>.<child>.<first item>").
func (a *App) registerMailTeacher() {
	a.Agenda.Register(store.KindMailNotice, a.mailDue(a.Bot.MailNotice, store.CallKey))
	a.Agenda.Register(store.KindMailReply, a.mailDue(a.Bot.MailReply, replyKey))
}

// mailDue is the handler of one kind of due mailbox work: key reads the
// item's key into the home and the person or child it is about.
func (a *App) mailDue(run func(context.Context, bot.Due) error, key func(string) (h, id int64, ok bool)) agenda.Handler {
	return agenda.Handler{Retries: callWorkRetries, Handle: func(ctx context.Context, it agenda.Item) error {
		h, id, ok := key(it.Key)
		if !ok {
			a.log.Warn("agenda item with an unreadable key", slog.String("kind", it.Kind))
			return nil
		}
		return run(ctx, bot.Due{Kind: it.Kind, Key: it.Key, Claim: it.Claim(), Home: h, Call: id, At: it.Due, Payload: it.Payload,
			Current: func(ctx context.Context) (bool, error) { return a.Agenda.Current(ctx, it) },
			Hold: func(ctx context.Context, until time.Time, payload []byte) error {
				_, err := a.Agenda.Hold(ctx, it, until, payload)
				return err
			}})
	}}
}

// replyKey reads a reply's key, "<home>.<child>.<first item>", into the
// home and the child.
func replyKey(key string) (h, c int64, ok bool) {
	h, c, _, ok = store.MailKey(key)
	return h, c, ok
}
