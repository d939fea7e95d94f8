package bot

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/homelink/homelink"
)

// A broadcast's reports: each kept run (homelink.MaxRunsKept, newest
// first) with when it went, how many it reached of how many, and what
// became of the rest: failed (by reason), blocked the bot, cancelled, or
// waiting for their quiet hours to end. A run still sending has its
// counts from the outbox as they stand.

// failReasonIDs name the outbox's classes of failure in words; a class
// not here is "another reason".
var failReasonIDs = map[string]string{
	"bad request": "BcFailBadRequest",
	"not found":   "BcFailNotFound",
	"gave up":     "BcFailGaveUp",
	"unreadable":  "BcFailUnreadable",
	"forgotten":   "BcFailForgotten",
}

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
	parts := []string{r.html("BcReportsTitle", "When", r.scheduleWords(bc.Once, bc.Rule), "Text", excerpt(bc))}
	if len(runs) == 0 {
		parts = append(parts, r.html("BcReportsNone"))
	}
	for _, run := range runs {
		line, err := b.runLine(ctx, r, bc, run)
		if err != nil {
			return err
		}
		parts = append(parts, line)
	}
	return r.show(ctx, strings.Join(parts, "\n\n"), rows(b.bcl.list.button(r, r.text("BcListBackButton"), target{})))
}

// runLine is one run in words: when, how many it reached of how many, and
// what became of the others.
func (b *Bot) runLine(ctx context.Context, r *request, bc homelink.Broadcast, run homelink.BroadcastRun) (string, error) {
	if run.State == homelink.RunSending {
		st, err := b.Sender.Batch(ctx, runBatch(bc.ID, run.N))
		if err != nil {
			return "", fmt.Errorf("bot: batch of run %d.%d: %w", bc.ID, run.N, err)
		}
		run.Delivered, run.Failed = st.Sent, nil
		if st.Failed > 0 {
			run.Failed = map[string]int{"": st.Failed}
		}
	}
	head := r.html("BcRunLine", "When", b.when(ctx, r, run.Started), "N", run.Delivered, "Total", run.Total)
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
	var more []string
	if n := run.FailedTotal(); n > 0 {
		more = append(more, r.html("BcRunFailed", "Count", n, "Why", failReasons(r, run.Failed)))
	}
	if run.Blocked > 0 {
		more = append(more, r.html("BcRunBlocked", "Count", run.Blocked))
	}
	if run.Cancelled > 0 {
		more = append(more, r.html("BcRunCancelled", "Count", run.Cancelled))
	}
	if run.Held > 0 && run.State == homelink.RunSending {
		more = append(more, r.html("BcRunHeld", "Count", run.Held))
	}
	if len(more) == 0 {
		return head, nil
	}
	return head + "\n" + strings.Join(more, r.text("GroupSeparator")), nil
}

// failReasons are failures by reason in words: "chat not found: 2,
// Telegram kept failing: 1"; most first.
func failReasons(r *request, failed map[string]int) string {
	keys := slices.SortedFunc(maps.Keys(failed), func(x, y string) int {
		if failed[x] != failed[y] {
			return failed[y] - failed[x]
		}
		return strings.Compare(x, y)
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		id, ok := failReasonIDs[k]
		if !ok {
			id = "BcFailOther"
		}
		parts = append(parts, r.text("BcFailReason", "What", r.text(id), "Count", failed[k]))
	}
	return strings.Join(parts, r.text("ListSeparator"))
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

// runBatch is the outbox batch of run n of broadcast id.
func runBatch(id, n int64) string {
	return "bc" + strconv.FormatInt(id, 10) + "." + strconv.FormatInt(n, 10)
}
