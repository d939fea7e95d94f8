package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Sending a broadcast. Nothing is sent from a handler: saving a broadcast
// puts its agenda item (bc.send now or once, bc.every on its rule, one per
// zone group of its homes). When it fires, BroadcastStart takes the
// audience as it is then and puts the run's chunks of
// homelink.BroadcastChunk recipients, all in one script; each chunk
// (BroadcastChunk) renders the message for each recipient in their
// language and queues them in one EnqueueAll on the outbox's bulk lane,
// behind replies and reminders, as the run's batch. A recipient in their
// quiet hours waits (bc.held) unless the broadcast is urgent. The
// progress job (BroadcastProgress) follows every run from the outbox's
// counts.

// BroadcastRunStore is what sending broadcasts needs of the store.
type BroadcastRunStore interface {
	// StartRun starts the run of zone group n of broadcast id fired at
	// fire: its audience taken now, its chunks put, in one step; the same
	// firing again returns the same run. ErrNotFound when the broadcast
	// was deleted or paused meanwhile.
	StartRun(ctx context.Context, id int64, n int, fire time.Time) (run int64, total int, err error)
	// Run reads a run (ErrNotFound when gone).
	Run(ctx context.Context, id, n int64) (homelink.BroadcastRun, error)
	// Recipients reads what each ref needs to get a broadcast at now;
	// those gone since (or no longer in the role) are left out.
	Recipients(ctx context.Context, refs []homelink.RunRef, now time.Time) ([]homelink.Recipient, error)
	// HoldRecipients puts refs of run n back until until (their quiet
	// hours end), as agenda item bc.held keyed key, unless the run ended.
	HoldRecipients(ctx context.Context, id, n int64, key string, until time.Time, refs []homelink.RunRef) error
	// RunPlaced counts, once per mark, what a chunk or held part did.
	RunPlaced(ctx context.Context, id, n int64, mark string, queued, held, skipped, left int, heldSent bool) error
	// ActiveRuns are the runs the progress job follows.
	ActiveRuns(ctx context.Context) ([]homelink.RunID, error)
	// ProgressTurn reports whether this caller may update the run's
	// progress now (at most once every every, across replicas).
	ProgressTurn(ctx context.Context, id, n int64, every time.Duration) (bool, error)
	// SetRunMessage records the progress message: its outbox id while
	// queued (msg 0), then its chat and Telegram id.
	SetRunMessage(ctx context.Context, id, n int64, outboxID string, chat int64, msg int) error
	// RunShown records a digest of what the progress message shows now.
	RunShown(ctx context.Context, id, n int64, shown string) error
	// FinishRun ends the run with the outbox's final counts; true when
	// this call ended it.
	FinishRun(ctx context.Context, id, n int64, r homelink.BroadcastRun) (bool, error)
}

// BroadcastStart starts a run: the agenda's bc.send or bc.every item,
// keyed "<id>.<group>". A broadcast deleted or paused meanwhile starts
// nothing and returns homelink.ErrNotFound, so a repeating one's series
// ends there (a resume plans it again). The run's progress message comes
// from the progress job.
func (b *Bot) BroadcastStart(ctx context.Context, d Due) error {
	n, ok := homelink.BroadcastKey(d.Key, 2)
	if !ok {
		return nil
	}
	run, total, err := b.Store.StartRun(ctx, n[0], int(n[1]), d.At)
	if errors.Is(err, homelink.ErrNotFound) {
		return fmt.Errorf("bot: start broadcast %s: %w", d.Key, err)
	}
	if err != nil {
		return fmt.Errorf("bot: start broadcast %s: %w", d.Key, err)
	}
	b.count(d.Kind, "started")
	if total > 0 && b.Wake != nil {
		b.Wake() // its chunks are due now: no need to wait for the next tick
	}
	_ = run
	return nil
}

// BroadcastChunk queues one chunk of a run: the agenda's bc.chunk item,
// keyed "<id>.<run>.<k>", its payload the recipients. A run cancelled
// meanwhile queues nothing.
func (b *Bot) BroadcastChunk(ctx context.Context, d Due) error {
	n, ok := homelink.BroadcastKey(d.Key, 3)
	if !ok {
		return nil
	}
	return b.sendPart(ctx, d, n[0], n[1], "c"+strconv.FormatInt(n[2], 10), false)
}

// BroadcastHeld queues the part of a chunk that waited for the
// recipients' quiet hours to end: the agenda's bc.held item, keyed
// "<id>.<run>.<k>.<i>".
func (b *Bot) BroadcastHeld(ctx context.Context, d Due) error {
	n, ok := homelink.BroadcastKey(d.Key, 4)
	if !ok {
		return nil
	}
	return b.sendPart(ctx, d, n[0], n[1], "h"+strconv.FormatInt(n[2], 10)+"."+strconv.FormatInt(n[3], 10), true)
}

// sendPart renders and queues a chunk's or a held part's messages.
func (b *Bot) sendPart(ctx context.Context, d Due, id, rn int64, mark string, heldPart bool) error {
	run, err := b.Store.Run(ctx, id, rn)
	if errors.Is(err, homelink.ErrNotFound) || err == nil && run.State != homelink.RunSending {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: broadcast %s: %w", d.Key, err)
	}
	bc, err := b.Store.Broadcast(ctx, id)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: broadcast %s: %w", d.Key, err)
	}
	refs := homelink.ParseChunk(string(d.Payload))
	// Who waits for their quiet hours is judged at the chunk's due time,
	// not now: a chunk redone after a crash splits its people exactly as
	// its first run did, so nobody is both queued then and held now.
	at := d.At
	if at.IsZero() {
		at = b.Clock.Now()
	}
	rs, err := b.Store.Recipients(ctx, refs, b.Clock.Now())
	if err != nil {
		return fmt.Errorf("bot: broadcast %s: %w", d.Key, err)
	}
	batch := homelink.RunBatch(id, rn)
	ms := make([]outbox.Message, 0, len(rs))
	held := map[time.Time][]homelink.RunRef{}
	for _, r := range rs {
		if !bc.Urgent && !heldPart {
			if until, quiet := r.Quiet.Until(at, b.recipientZone(r)); quiet {
				held[until] = append(held[until], homelink.RunRef{Home: r.Home, User: r.User, Role: r.Role})
				continue
			}
		}
		m := b.broadcastMessage(bc, r)
		m.Lane, m.Batch = outbox.Bulk, batch
		ms = append(ms, m)
	}
	// Held parts first: putting one again (a retried chunk) replaces it.
	times := make([]time.Time, 0, len(held))
	for t := range held {
		times = append(times, t)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	nHeld := 0
	for i, t := range times {
		if err := b.Store.HoldRecipients(ctx, id, rn, d.Key+"."+strconv.Itoa(i), t, held[t]); err != nil {
			return fmt.Errorf("bot: broadcast %s: %w", d.Key, err)
		}
		nHeld += len(held[t])
	}
	// Once per chunk: a chunk retried after its worker died between
	// queuing and counting queues nobody twice.
	// Those a stop left out (its batch stopped meanwhile) are not counted
	// as queued; the run's end is judged by the outbox's own counts.
	queued := len(ms)
	if len(ms) > 0 {
		ids, err := b.Sender.EnqueueAllOnce(ctx, batch+":"+mark, ms)
		if err != nil && !errors.Is(err, outbox.ErrQueuedBefore) {
			return fmt.Errorf("bot: broadcast %s: %w", d.Key, err)
		}
		if err == nil {
			queued = 0
			for _, id := range ids {
				if id != "" {
					queued++
				}
			}
		}
	}
	if err := b.Store.RunPlaced(ctx, id, rn, mark, queued, nHeld, len(refs)-len(rs), len(ms)-queued, heldPart); err != nil {
		return fmt.Errorf("bot: broadcast %s: %w", d.Key, err)
	}
	b.count(d.Kind, "queued")
	return nil
}

// recipientZone is the zone a recipient's quiet hours are read in.
func (b *Bot) recipientZone(r homelink.Recipient) *time.Location {
	if loc, err := homelink.CheckTimeZone(r.Zone); err == nil {
		return loc
	}
	return b.defaultZone()
}
