package app

import "github.com/homelink/homelink/store"

// registerMail hands the agenda's mailbox items to the bot: a teacher's
// notice of new messages (keyed "<home>.<teacher>"); the receipts once a
// teacher marked a child's messages heard (keyed "<home>.<child>.<last
// id>", payload "<sender>=<n>,…"); and the delivery of a child's reply,
// which comes back once more, held with a payload of its own, to tell the
// teacher who was not reached (keyed "<home>.<child>.<first item>"). The
// outbox keeps what goes to a chat that blocked the bot as dead, never
// retried.
func (a *App) registerMail() {
	a.Agenda.Register(store.KindMailNotice, a.dueHandler(a.Bot.MailNotice, store.CallKey))
	a.Agenda.Register(store.KindMailHeard, a.dueHandler(a.Bot.MailHeard, homeAndChild))
	a.Agenda.Register(store.KindMailReply, a.dueHandler(a.Bot.MailReply, homeAndChild))
}

// homeAndChild reads a mailbox key, "<home>.<child>.<item>", into the
// home and the child.
func homeAndChild(key string) (h, c int64, ok bool) {
	h, c, _, ok = store.MailKey(key)
	return h, c, ok
}
