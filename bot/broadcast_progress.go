package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The sender's view of a run: one progress message, "📣 Sending… 640 /
// 1,234 · 3 blocked", edited at most every homelink.ProgressEvery with a
// standing [Stop sending], and at the end turned into the report:
// delivered, failed by reason, blocked the bot, stopped before sending.
// Its figures are the outbox's counts of the run's batch (one HGETALL,
// whatever the audience) and the run's own (one HGETALL), so an update
// costs the same for ten recipients or a hundred thousand.

type broadcastRunActs struct {
	stop *action
}

func (b *Bot) broadcastRunActions() {
	b.bcRun.stop = b.acts.add(&action{name: "broadcast.stop", code: "Xz", args: []arg{argBroadcast, argRun},
		need: sentRun, run: b.stopRunTapped, standing: true, exists: b.runThere})
}

// sentRun: the sender of the run the button names.
func sentRun(ctx context.Context, r *request, t target) (bool, error) {
	run, err := r.b.Store.Run(ctx, t.broadcast, t.run)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	return err == nil && run.From == r.user.ID, err
}

func (b *Bot) runThere(ctx context.Context, t target) (bool, error) {
	_, err := b.Store.Run(ctx, t.broadcast, t.run)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// BroadcastProgress updates every active run's progress message whose
// turn has come, and ends the runs that are done: the scheduler calls it
// every second on every replica; a run's turn (Redis's clock) lets one
// replica at a time act on it.
func (b *Bot) BroadcastProgress(ctx context.Context) error {
	runs, err := b.Store.ActiveRuns(ctx)
	if err != nil {
		return err
	}
	for _, id := range runs {
		ok, err := b.Store.ProgressTurn(ctx, id.Broadcast, id.N, homelink.ProgressEvery)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := b.progress(ctx, id); err != nil {
			b.Log.Warn("could not update a broadcast's progress", slog.Int64("broadcast", id.Broadcast),
				slog.Int64("run", id.N), slog.Any("err", err))
		}
	}
	return nil
}

// runFigures fills run's outbox counts from the batch's.
func runFigures(run homelink.BroadcastRun, st outbox.BatchStatus) homelink.BroadcastRun {
	run.Delivered, run.Blocked, run.Cancelled = st.Sent, st.Blocked, st.Cancelled
	run.Failed = map[string]int{}
	rest := st.Failed - st.Blocked - st.Cancelled
	for why, n := range st.Reasons {
		if why == outbox.ReasonBlocked || why == outbox.ReasonCancelled || n <= 0 {
			continue
		}
		run.Failed[why] += n
		rest -= n
	}
	if rest > 0 {
		run.Failed[outbox.ReasonOther] += rest
	}
	return run
}

// progress brings one run's message up to date, and ends the run once
// the outbox holds none of it and (unless it was stopped) every recipient
// was dealt with and nobody waits for their quiet hours. The end is judged
// by the outbox's counts of the batch alone, so a chunk whose messages a
// stop left out cannot keep a run open.
func (b *Bot) progress(ctx context.Context, id homelink.RunID) error {
	run, err := b.Store.Run(ctx, id.Broadcast, id.N)
	if errors.Is(err, homelink.ErrNotFound) {
		_, err = b.Store.FinishRun(ctx, id.Broadcast, id.N, homelink.BroadcastRun{})
		return err
	}
	if err != nil {
		return err
	}
	batch := homelink.RunBatch(id.Broadcast, id.N)
	if run.State == homelink.RunCancelled {
		// Whoever stopped it withdrew the batch; again here, in case they
		// died between marking the run and withdrawing.
		if _, err := b.Sender.CancelBatch(ctx, batch); err != nil {
			return err
		}
	}
	st, err := b.Sender.Batch(ctx, batch)
	if err != nil {
		return err
	}
	run = runFigures(run, st)
	done := st.Pending() <= 0 && (run.State == homelink.RunCancelled ||
		run.State == homelink.RunSending && run.Placed >= run.Total && run.Held <= 0)
	if waiting, err := b.runMessage(ctx, &run); err != nil || waiting {
		// The first progress message is still queued: the report must
		// not be lost by ending the run before it can be edited.
		return err
	}
	bc, err := b.Store.Broadcast(ctx, id.Broadcast)
	gone := errors.Is(err, homelink.ErrNotFound)
	if err != nil && !gone {
		return err
	}
	if done {
		ended, err := b.Store.FinishRun(ctx, id.Broadcast, id.N, run)
		if err != nil || !ended || gone {
			// A broadcast deleted meanwhile (or its sender forgotten)
			// gets no report.
			return err
		}
	}
	if gone || run.Message < 0 {
		return nil
	}
	rd, err := b.readerOf(ctx, run.From)
	if err != nil {
		return err
	}
	text, kb := b.runReport(rd, bc, run), [][]outbox.Button(nil)
	if !done {
		text = b.runProgress(rd, bc, run)
		kb = rows(b.bcRun.stop.button(rd, rd.text("BroadcastStopButton"), target{broadcast: id.Broadcast, run: id.N}))
	}
	return b.showRun(ctx, rd, run, text, kb)
}

// runMessage learns Telegram's id of the run's first progress message
// once it is sent, and gives up on it when it could not be (the sender
// blocked homelink): waiting is true while it is still queued.
func (b *Bot) runMessage(ctx context.Context, run *homelink.BroadcastRun) (waiting bool, err error) {
	if run.Message != 0 || run.ProgressID == "" {
		return false, nil
	}
	st, err := b.Sender.Status(ctx, run.ProgressID)
	if err != nil {
		return false, err
	}
	switch st.State {
	case "sent":
		run.Message = st.MessageID
	case "queued":
		return true, nil
	default: // failed, or its record gone: no progress message, ever
		run.Message = -1
	}
	return false, b.Store.SetRunMessage(ctx, run.Broadcast, run.N, "", run.From, run.Message)
}

// showRun puts text on the run's progress message: a new message the
// first time, an edit after, and nothing when it would show what it shows
// already (a run waiting all night for quiet hours to end is not edited
// every five seconds).
func (b *Bot) showRun(ctx context.Context, rd *request, run homelink.BroadcastRun, text string, kb [][]outbox.Button) error {
	sum := sha256.Sum256([]byte(fmt.Sprint(text, kb)))
	shown := hex.EncodeToString(sum[:8])
	if shown == run.Shown {
		return nil
	}
	if run.Message > 0 {
		if err := b.Sender.Edit(ctx, outbox.Edit{ChatID: rd.user.ID, MessageID: run.Message, Text: text, Keyboard: kb}); err != nil {
			return err
		}
		return b.Store.RunShown(ctx, run.Broadcast, run.N, shown)
	}
	id, err := b.Sender.Enqueue(ctx, outbox.Message{Lane: outbox.Reminder, ChatID: rd.user.ID, Text: text, Keyboard: kb})
	if errors.Is(err, outbox.ErrBlocked) {
		return b.Store.SetRunMessage(ctx, run.Broadcast, run.N, "", rd.user.ID, -1)
	}
	if err != nil {
		return err
	}
	if err := b.Store.SetRunMessage(ctx, run.Broadcast, run.N, id, 0, 0); err != nil {
		return err
	}
	return b.Store.RunShown(ctx, run.Broadcast, run.N, shown)
}

// runTitle names the broadcast by its first words, in the sender's
// version: "“家长会改到周六……”".
func runTitle(rd *request, bc homelink.Broadcast) string {
	text, photo := broadcastExcerpt(bc, rd.lang, 40, true)
	if text == "" && photo {
		return rd.text("BroadcastPhotoTitle")
	}
	return rd.text("BroadcastQuoted", "Text", text)
}

// broadcastExcerpt is the start of bc's version for lang as plain text on
// one line, at most runes long (cut with "…"). Its placeholders show as
// written ("{parent_name}", for a list of what will be sent) or, with
// dots, as "…" (a title read as a sentence). photo says the version is a
// photo (the text is then its caption, maybe empty).
func broadcastExcerpt(bc homelink.Broadcast, lang string, runes int, dots bool) (text string, photo bool) {
	v := bc.Version(lang)
	text = v.Text
	if dots {
		holes := map[string]string{}
		for _, p := range homelink.Placeholders {
			holes[p] = "…"
		}
		text = homelink.FillPlaceholders(text, holes)
	}
	text = plainText(text)
	if utf8.RuneCountInString(text) > runes {
		text = strings.TrimSpace(string([]rune(text)[:runes-1])) + "…"
	}
	return text, v.Photo != ""
}

// plainText is Telegram HTML without its tags, unescaped, on one line.
func plainText(s string) string {
	var b strings.Builder
	in := false
	for _, c := range s {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			b.WriteRune(c)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// number writes n with thousands separators: 1,234.
func number(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + number(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// runProgress is the progress line: "📣 Sending “…”: 640 / 1,234 · 3
// blocked · 12 waiting for their quiet hours".
func (b *Bot) runProgress(rd *request, bc homelink.Broadcast, run homelink.BroadcastRun) string {
	parts := []string{rd.html("BroadcastSending", "Title", runTitle(rd, bc), "Done", number(run.Delivered),
		"Total", number(run.Total))}
	if run.Blocked > 0 {
		parts = append(parts, rd.html("BroadcastBlockedPart", "Count", run.Blocked, "N", number(run.Blocked)))
	}
	if f := run.FailedTotal(); f > 0 {
		parts = append(parts, rd.html("BroadcastFailedPart", "Count", f, "N", number(f)))
	}
	if run.Held > 0 {
		parts = append(parts, rd.html("BroadcastHeldPart", "Count", run.Held, "N", number(run.Held)))
	}
	if run.State == homelink.RunCancelled {
		parts = append(parts, rd.html("BroadcastStoppingPart"))
	}
	return strings.Join(parts, " · ")
}

// runReport is the report of a run that ended.
func (b *Bot) runReport(rd *request, bc homelink.Broadcast, run homelink.BroadcastRun) string {
	title := "BroadcastDoneTitle"
	if run.State == homelink.RunCancelled {
		title = "BroadcastStoppedTitle"
	}
	lines := []string{rd.html(title, "Title", runTitle(rd, bc), "Count", run.Total, "N", number(run.Total))}
	lines = append(lines, b.runLines(rd, run)...)
	return strings.Join(lines, "\n")
}

// runLines are a run's figures, one a line, as its report and
// /broadcasts give them.
func (b *Bot) runLines(rd *request, run homelink.BroadcastRun) []string {
	lines := []string{rd.html("BroadcastDelivered", "Count", run.Delivered, "N", number(run.Delivered))}
	if run.Blocked > 0 {
		lines = append(lines, rd.html("BroadcastBlocked", "Count", run.Blocked, "N", number(run.Blocked)))
	}
	if f := run.FailedTotal(); f > 0 {
		whys := make([]string, 0, len(run.Failed))
		for why := range run.Failed {
			whys = append(whys, why)
		}
		slices.Sort(whys)
		var parts []string
		for _, why := range whys {
			parts = append(parts, rd.text("BroadcastReason", "Reason", rd.failReason(why), "N", number(run.Failed[why])))
		}
		lines = append(lines, rd.html("BroadcastFailed", "Count", f, "N", number(f),
			"Reasons", strings.Join(parts, rd.text("ListSeparator"))))
	}
	notSent := run.Total - run.Delivered - run.Blocked - run.FailedTotal() - run.Skipped
	if run.State == homelink.RunCancelled && notSent > 0 {
		lines = append(lines, rd.html("BroadcastNotSent", "Count", notSent, "N", number(notSent)))
	}
	if run.Skipped > 0 {
		lines = append(lines, rd.html("BroadcastSkipped", "Count", run.Skipped, "N", number(run.Skipped)))
	}
	return lines
}

// failReason names a class of failure in the reader's language.
func (r *request) failReason(why string) string {
	switch why {
	case outbox.ReasonBadRequest, outbox.ReasonNotFound:
		return r.text("BroadcastReasonRefused")
	case outbox.ReasonGaveUp:
		return r.text("BroadcastReasonGaveUp")
	case outbox.ReasonForgotten:
		return r.text("BroadcastReasonForgotten")
	}
	return r.text("BroadcastReasonOther")
}

// stopRunTapped stops a run: no more of it is queued, and what waits in
// the outbox is withdrawn at once. The tap is answered at once with what
// went; the message becomes the report at the run's next turn, once the
// few messages already in a worker's hands are through (so its edits stay
// homelink.ProgressEvery apart).
func (b *Bot) stopRunTapped(ctx context.Context, r *request, t target) error {
	run, err := b.Store.CancelRun(ctx, r.by(), t.broadcast, t.run)
	if errors.Is(err, homelink.ErrNotFound) || errors.Is(err, homelink.ErrNotAllowed) {
		return r.refused(ctx)
	}
	if err != nil {
		return err
	}
	batch := homelink.RunBatch(t.broadcast, t.run)
	if _, err := b.Sender.CancelBatch(ctx, batch); err != nil {
		return fmt.Errorf("bot: stop broadcast %d.%d: %w", t.broadcast, t.run, err)
	}
	if run.State != homelink.RunCancelled {
		return r.answer(ctx, r.text("BroadcastEndedAlready"))
	}
	st, err := b.Sender.Batch(ctx, batch)
	if err != nil {
		return err
	}
	return r.answer(ctx, r.text("BroadcastStopping", "N", number(st.Sent)))
}
