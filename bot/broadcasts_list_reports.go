package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/homelink/homelink"
)

// A broadcast's reports: each kept run (homelink.MaxRunsKept, newest
// first) with when it went and to how many, then its figures as the
// run's own report gives them (runLines: delivered, blocked the bot,
// failed by reason, not sent because stopped, left out). A run still
// sending has its figures from the outbox as they stand, and says how
// many wait for their quiet hours to end.

// bcReports lists a broadcast's kept runs.
func (b *Bot) bcReports(ctx context.Context, r *request, t target) error {
	bc, ok, err := b.bcFound(ctx, r, t)
	if !ok || err != nil {
		return err
	}
	runs, err := b.Store.BroadcastRuns(ctx, bc.ID)
	if err != nil {
		return fmt.Errorf("bot: runs of broadcast %d: %w", bc.ID, err)
	}
	parts := []string{r.html("BcReportsTitle", "When", r.scheduleWords(bc.Once, bc.Rule), "Text", r.excerpt(bc))}
	if len(runs) == 0 {
		parts = append(parts, r.html("BcReportsNone"))
	}
	for _, run := range runs {
		report, err := b.runReportLines(ctx, r, bc, run)
		if err != nil {
			return err
		}
		parts = append(parts, report)
	}
	return r.show(ctx, strings.Join(parts, "\n\n"), rows(b.bcl.list.button(r, r.text("BcListBackButton"), target{})))
}

// runReportLines are one run in words: when it went, to how many (and
// which homes, for a broadcast to several), where it stands, and its
// figures.
func (b *Bot) runReportLines(ctx context.Context, r *request, bc homelink.Broadcast, run homelink.BroadcastRun) (string, error) {
	if run.State == homelink.RunSending {
		st, err := b.Sender.Batch(ctx, homelink.RunBatch(bc.ID, run.N))
		if err != nil {
			return "", fmt.Errorf("bot: batch of run %d.%d: %w", bc.ID, run.N, err)
		}
		run = runFigures(run, st)
	}
	head := r.html("BcRunLine", "When", b.when(ctx, r, run.Started), "Count", run.Total, "N", number(run.Total))
	if len(bc.Homes) > 1 {
		names, err := b.homeNames(ctx, r, run.Homes)
		if err != nil {
			return "", err
		}
		head += r.html("BcRunHomes", "Homes", names)
	}
	switch run.State {
	case homelink.RunSending:
		head += r.html("BcRunSending")
	case homelink.RunCancelled:
		head += r.html("BcRunCancelledState")
	}
	lines := append([]string{head}, b.runLines(r, run)...)
	if run.State == homelink.RunSending && run.Held > 0 {
		lines = append(lines, r.html("BcRunHeld", "Count", run.Held, "N", number(run.Held)))
	}
	return strings.Join(lines, "\n"), nil
}

// homeNames names homes, joined as r's language lists them.
func (b *Bot) homeNames(ctx context.Context, r *request, ids []int64) (string, error) {
	hs, err := b.Store.Homes(ctx, ids)
	if err != nil {
		return "", fmt.Errorf("bot: homes of a run: %w", err)
	}
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.Name
	}
	return strings.Join(names, r.text("ListSeparator")), nil
}
