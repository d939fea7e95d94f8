package bot

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /broadcasts: the broadcasts a person sent that wait (once at a time, or
// repeating), that they paused, and the last few done, each with its
// schedule in words, when it goes next, whom it goes to and its first
// words; [⏸ Pause] or [▶ Resume], [🗑 Delete] (asked first) and
// [📊 Reports] (each kept run) under it. Only the sender may act on one:
// every button is checked against the broadcast as the store holds it
// (sentBroadcast), and the store checks again as it changes it.

// bcListParts are /broadcasts' buttons.
type bcListParts struct {
	list, pause, resume, deleteAsk, remove, reports *action
}

// Bounds on the list, which must fit one message: every broadcast that
// waits or is paused, up to maxListed, and the latest done ones, up to
// maxDoneListed of them.
const (
	maxListed     = 12
	maxDoneListed = 5
	// excerptRunes is how much of a broadcast's text the list shows.
	excerptRunes = 60
)

// broadcastsListActions declares /broadcasts' buttons.
func (b *Bot) broadcastsListActions() {
	b.commands["broadcasts"] = slashCommand{broadcaster, b.broadcastsCommand}
	p, add := &b.bcl, b.acts.add
	id := []arg{argBroadcast}
	p.list = add(&action{name: "broadcasts.list", code: "Xp", need: broadcaster, run: b.bcListTapped})
	p.pause = add(&action{name: "broadcasts.pause", code: "Xq", args: id, need: sentBroadcast, run: b.bcPause})
	p.resume = add(&action{name: "broadcasts.resume", code: "Xr", args: id, need: sentBroadcast, run: b.bcResume})
	p.deleteAsk = add(&action{name: "broadcasts.deleteAsk", code: "Xs", args: id, need: sentBroadcast, run: b.bcDeleteAsk})
	p.remove = add(&action{name: "broadcasts.delete", code: "Xt", args: id, need: sentBroadcast, run: b.bcDelete})
	p.reports = add(&action{name: "broadcasts.reports", code: "Xu", args: id, need: sentBroadcast, run: b.bcReports})
}

// broadcastsCommand lists the user's broadcasts under a fresh menu.
func (b *Bot) broadcastsCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.showBroadcasts(ctx, r, "")
}

func (b *Bot) bcListTapped(ctx context.Context, r *request, _ target) error {
	return b.showBroadcasts(ctx, r, "")
}

// listedBroadcast is one broadcast of the list, with when it goes next.
type listedBroadcast struct {
	bc   homelink.Broadcast
	next time.Time
}

// listed picks what the list shows of bcs (newest first): every waiting
// or paused one, then the latest done, within the bounds.
func listed(bcs []homelink.Broadcast, next []time.Time) []listedBroadcast {
	var out []listedBroadcast
	done := 0
	for i, bc := range bcs {
		if len(out) == maxListed {
			break
		}
		if bc.State == homelink.BroadcastDone {
			if done == maxDoneListed {
				continue
			}
			done++
		}
		e := listedBroadcast{bc: bc}
		if i < len(next) {
			e.next = next[i]
		}
		out = append(out, e)
	}
	return out
}

// showBroadcasts shows the list, notice above it.
func (b *Bot) showBroadcasts(ctx context.Context, r *request, notice string) error {
	bcs, next, err := b.Store.Broadcasts(ctx, r.user.ID)
	if err != nil {
		return fmt.Errorf("bot: broadcasts of %d: %w", r.user.ID, err)
	}
	var parts []string
	if notice != "" {
		parts = append(parts, notice)
	}
	shown := listed(bcs, next)
	if len(shown) == 0 {
		return r.show(ctx, strings.Join(append(parts, r.html("BcListNone")), "\n\n"), nil)
	}
	parts = append(parts, r.html("BcListTitle"))
	var kb [][]outbox.Button
	for i, e := range shown {
		entry, err := b.listEntry(ctx, r, i+1, e)
		if err != nil {
			return err
		}
		parts = append(parts, entry)
		kb = append(kb, b.listButtons(r, i+1, e.bc))
	}
	return r.show(ctx, strings.Join(parts, "\n\n"), kb)
}

// listEntry is one broadcast of the list: numbered, its schedule, whom it
// goes to, its first words, and where it stands.
func (b *Bot) listEntry(ctx context.Context, r *request, n int, e listedBroadcast) (string, error) {
	who, err := b.audienceWords(ctx, r, e.bc.Homes, e.bc.Audience)
	if errors.Is(err, homelink.ErrNotFound) {
		who, err = template.HTML(r.html("BcWhoGone")), nil
	}
	if err != nil {
		return "", err
	}
	text := r.html("BcListEntry", "N", n, "When", r.scheduleWords(e.bc.Once, e.bc.Rule), "Who", who, "Text", r.excerpt(e.bc))
	switch {
	case e.bc.State == homelink.BroadcastPaused:
		text += "\n" + r.html("BcListPaused")
	case e.bc.State == homelink.BroadcastDone:
		text += "\n" + r.html("BcListDone")
	case !e.next.IsZero():
		text += "\n" + r.html("BcListNext", "When", b.when(ctx, r, e.next))
	}
	return text, nil
}

// listButtons are one broadcast's buttons, numbered as its entry: pause
// or resume (for one that waits for a time, or is paused), delete and
// reports.
func (b *Bot) listButtons(r *request, n int, bc homelink.Broadcast) []outbox.Button {
	t := target{broadcast: bc.ID}
	var row []outbox.Button
	switch {
	case bc.State == homelink.BroadcastPaused:
		row = append(row, b.bcl.resume.button(r, r.text("BcResumeButton", "N", n), t))
	case bc.State == homelink.BroadcastWaiting && (bc.Once != "" || bc.Rule != ""):
		row = append(row, b.bcl.pause.button(r, r.text("BcPauseButton", "N", n), t))
	}
	return append(row, b.bcl.deleteAsk.button(r, r.text("BcDeleteButton", "N", n), t),
		b.bcl.reports.button(r, r.text("BcReportsButton", "N", n), t))
}

// excerpt is the first words of a broadcast in the reader's language, as plain
// text, with a camera for a photo.
func (r *request) excerpt(bc homelink.Broadcast) string {
	text, photo := broadcastExcerpt(bc, r.lang, excerptRunes, false)
	if photo {
		text = strings.TrimSpace("📷 " + text)
	}
	return text
}

// bcFound reads the broadcast a button names; ok is false when it is gone,
// and the list, shown again, says so.
func (b *Bot) bcFound(ctx context.Context, r *request, t target) (homelink.Broadcast, bool, error) {
	bc, err := b.Store.Broadcast(ctx, t.broadcast)
	if errors.Is(err, homelink.ErrNotFound) {
		return bc, false, b.showBroadcasts(ctx, r, r.html("Gone"))
	}
	return bc, err == nil, err
}

// bcPause pauses a waiting broadcast: it does not go out until resumed.
func (b *Bot) bcPause(ctx context.Context, r *request, t target) error {
	return b.bcSwitch(ctx, r, t, homelink.BroadcastWaiting, b.Store.PauseBroadcast, "BcPaused")
}

// bcResume plans a paused broadcast again from now.
func (b *Bot) bcResume(ctx context.Context, r *request, t target) error {
	return b.bcSwitch(ctx, r, t, homelink.BroadcastPaused, b.Store.ResumeBroadcast, "BcResumed")
}

// bcSwitch pauses or resumes a broadcast found in state from, and shows
// the list with what was done; one found otherwise (changed meanwhile) is
// shown as it now is.
func (b *Bot) bcSwitch(ctx context.Context, r *request, t target, from homelink.BroadcastState,
	change func(context.Context, homelink.By, int64) error, done string) error {
	bc, ok, err := b.bcFound(ctx, r, t)
	if !ok || err != nil {
		return err
	}
	if bc.State != from {
		return b.showBroadcasts(ctx, r, "")
	}
	if err := change(ctx, r.by(), bc.ID); errors.Is(err, homelink.ErrNotFound) {
		return b.showBroadcasts(ctx, r, r.html("Gone"))
	} else if err != nil {
		return fmt.Errorf("bot: %s broadcast %d: %w", done, bc.ID, err)
	}
	return b.showBroadcasts(ctx, r, r.html(done, "When", r.scheduleWords(bc.Once, bc.Rule)))
}

// bcDeleteAsk asks before deleting a broadcast.
func (b *Bot) bcDeleteAsk(ctx context.Context, r *request, t target) error {
	bc, ok, err := b.bcFound(ctx, r, t)
	if !ok || err != nil {
		return err
	}
	text := r.html("BcDeleteAsk", "When", r.scheduleWords(bc.Once, bc.Rule), "Text", r.excerpt(bc))
	return r.show(ctx, text, rows(b.bcl.remove.button(r, r.text("BcDeleteYesButton"), t),
		b.bcl.list.button(r, r.text("BcDeleteNoButton"), target{})))
}

// bcDelete deletes a broadcast: nothing more of it goes out, and its
// reports go with it.
func (b *Bot) bcDelete(ctx context.Context, r *request, t target) error {
	bc, ok, err := b.bcFound(ctx, r, t)
	if !ok || err != nil {
		return err
	}
	runs, err := b.Store.BroadcastRuns(ctx, bc.ID)
	if err != nil {
		return fmt.Errorf("bot: delete broadcast %d: %w", bc.ID, err)
	}
	if err := b.Store.DeleteBroadcast(ctx, r.by(), bc.ID); errors.Is(err, homelink.ErrNotFound) {
		return b.showBroadcasts(ctx, r, r.html("Gone"))
	} else if err != nil {
		return fmt.Errorf("bot: delete broadcast %d: %w", bc.ID, err)
	}
	// A run still sending stops at once, as its stop button would stop it.
	for _, run := range runs {
		if run.State == homelink.RunSending {
			if _, err := b.Sender.CancelBatch(ctx, homelink.RunBatch(bc.ID, run.N)); err != nil {
				return fmt.Errorf("bot: delete broadcast %d: %w", bc.ID, err)
			}
		}
	}
	return b.showBroadcasts(ctx, r, r.html("BcDeleted", "Text", r.excerpt(bc)))
}
