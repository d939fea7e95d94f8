package bot

import (
	"context"
	"time"

	"github.com/homelink/homelink"
)

// BroadcastStore keeps broadcasts and their runs. Saving one plans its
// sending in the same step; each run's progress comes from the outbox's
// counts of its batch.
type BroadcastStore interface {
	// CountAudience counts who a broadcast to audience in homes would
	// reach now, for by.User (ErrNotAllowed unless they may send to every
	// home: a coordinator of it, or a teacher of it when it is the only
	// one). A person in several of the homes counts once per home.
	CountAudience(ctx context.Context, by homelink.By, homes []int64, a homelink.Audience) (int, error)
	// SaveBroadcast keeps b for by.User (the same rights as CountAudience;
	// Urgent only for a coordinator of every home) and plans its sending
	// in the same step: at once when b has neither Once nor Rule; else at
	// Once, or by Rule, in each home's zone, homes of one zone sharing one
	// agenda item (KindBroadcastSend, keyed "<id>.<n>"). It returns b with
	// its ID, State and Created.
	SaveBroadcast(ctx context.Context, by homelink.By, b homelink.Broadcast) (homelink.Broadcast, error)
	// Broadcast reads one (ErrNotFound when there is none).
	Broadcast(ctx context.Context, id int64) (homelink.Broadcast, error)
	// Broadcasts are the ones user sent, newest first, with when each is
	// next due (zero: not due again).
	Broadcasts(ctx context.Context, user int64) ([]homelink.Broadcast, []time.Time, error)
	// BroadcastRuns are a broadcast's kept runs (homelink.MaxRunsKept),
	// newest first: the final counts of those that ended; one still
	// sending has only Total, Queued and Held, the outbox has the rest
	// (Sender.Batch of homelink.RunBatch).
	BroadcastRuns(ctx context.Context, id int64) ([]homelink.BroadcastRun, error)
	// PauseBroadcast withdraws a waiting broadcast's planned sending,
	// keeping it; ResumeBroadcast plans it again from now (a once-at one
	// whose time has passed everywhere is sent at once); DeleteBroadcast
	// withdraws and deletes it (its runs' reports go with it; a run still
	// sending is cancelled). Only its sender may (ErrNotAllowed).
	PauseBroadcast(ctx context.Context, by homelink.By, id int64) error
	ResumeBroadcast(ctx context.Context, by homelink.By, id int64) error
	DeleteBroadcast(ctx context.Context, by homelink.By, id int64) error
	// CancelRun stops run n of broadcast id for its sender (ErrNotAllowed
	// otherwise): no more of it is queued, and what waits in the outbox
	// is withdrawn. It returns the run as it stands; cancelling one that
	// ended already changes nothing.
	CancelRun(ctx context.Context, by homelink.By, id, n int64) (homelink.BroadcastRun, error)
	// PreviewRecipient is one person a broadcast to a in homes would
	// reach now, with what its placeholders need (false: nobody), for
	// the preview; the rights are CountAudience's.
	PreviewRecipient(ctx context.Context, by homelink.By, homes []int64, a homelink.Audience) (homelink.Recipient, bool, error)
}
