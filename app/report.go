package app

import (
	"context"
	"strconv"

	"github.com/homelink/homelink/store"
)

// registerReports hands the agenda's weekly report items to the bot
// (bot/report_due.go): each home's job ("<home>", Monday 08:00 home time)
// and each teacher's report ("<home>.<teacher>") and guardian's nudge
// ("<home>.<guardian>") it plans; each coordinator's job and summary
// ("<coordinator>", Monday 08:00 in their zone). The coordinator is the
// Due's Call, its Home 0. Every replica makes sure each home and each
// coordinator has its job, at start and every hour (ensureReports).
func (a *App) registerReports(ctx context.Context) error {
	a.Agenda.Register(store.KindReportHome, a.dueHandler(a.Bot.ReportHome, homeKey))
	a.Agenda.Register(store.KindReportTo, a.dueHandler(a.Bot.ReportTo, store.CallKey))
	a.Agenda.Register(store.KindReportNudge, a.dueHandler(a.Bot.ReportNudge, store.CallKey))
	a.Agenda.Register(store.KindReportCoord, a.dueHandler(a.Bot.ReportCoordinator, personKey))
	a.Agenda.Register(store.KindReportSum, a.dueHandler(a.Bot.ReportSummary, personKey))
	return a.ensureReports(ctx)
}

// ensureReports plans the weekly jobs that are missing (a home made since,
// a new coordinator, a job whose run failed past its retries); a planned
// one keeps its time, so a run due while every replica was down is done
// at once.
func (a *App) ensureReports(ctx context.Context) error { return a.Store.EnsureReports(ctx) }

// homeKey reads a home's key, "<home>".
func homeKey(key string) (h, id int64, ok bool) {
	h, err := strconv.ParseInt(key, 10, 64)
	return h, 0, err == nil && h > 0
}

// personKey reads a person's key, "<user>", as the Due's Call.
func personKey(key string) (h, id int64, ok bool) {
	id, err := strconv.ParseInt(key, 10, 64)
	return 0, id, err == nil && id > 0
}
