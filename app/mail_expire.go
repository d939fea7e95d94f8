package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/agenda/rule"
	"github.com/homelink/homelink/store"
)

// The mailbox's retention job (store.KindMailExpire): one agenda item for
// the whole deployment, keyed mailExpireKey, run every night at
// mailExpireAt in the default time zone (where the homes are, while they
// sleep), deleting every home's items past their time
// (Store.ExpireAllMail).
const (
	mailExpireKey = "daily"
	mailExpireAt  = "every day at 03:00"
	// mailExpireRetries: a night whose run fails past these (Redis away
	// for minutes) leaves its items to the next night's.
	mailExpireRetries = 5
)

// registerMailExpiry hands the agenda's daily mailbox job to the store and
// makes sure it is planned.
func (a *App) registerMailExpiry(ctx context.Context) error {
	a.Agenda.Register(store.KindMailExpire, a.Agenda.Recurring(agenda.Handler{Retries: mailExpireRetries,
		Handle: func(ctx context.Context, _ agenda.Item) error {
			n, err := a.Store.ExpireAllMail(ctx)
			a.log.Info("mailbox items past their retention deleted", slog.Int("items", n))
			return err
		}}))
	return a.ensureMailExpiry(ctx)
}

// ensureMailExpiry plans the daily mailbox job at its next time unless it
// is planned already: every replica does at start, and every hour, so that
// a series ended by a run that failed past its retries starts again. A
// planned one keeps its time: a run still due after every replica was down
// over it is done at once.
func (a *App) ensureMailExpiry(ctx context.Context) error {
	r, err := rule.Parse(mailExpireAt, a.cfg.DefaultTimezone)
	if err != nil {
		return fmt.Errorf("mail expiry rule: %w", err)
	}
	if _, err := a.Agenda.PutRecurringIfAbsent(ctx, store.KindMailExpire, mailExpireKey, r, a.clock.Now(), nil); err != nil {
		return fmt.Errorf("plan the mailbox's retention job: %w", err)
	}
	return nil
}
