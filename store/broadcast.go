package store

import (
	"context"
	"errors"
	"time"

	"github.com/homelink/homelink"
)

// errTODO marks what the contract declares and a later commit fills in.
var errTODO = errors.New("store: not built yet")

// Agenda kinds of broadcasts.
const (
	// KindBroadcastSend starts a run of a broadcast, keyed "<id>.<n>" (n:
	// the zone group of its homes).
	KindBroadcastSend = "bc.send"
	// KindBroadcastChunk queues one chunk of a run's recipients, keyed
	// "<id>.<run>.<chunk>".
	KindBroadcastChunk = "bc.chunk"
	// KindBroadcastHeld queues a run's recipients held by their quiet
	// hours, keyed "<id>.<run>.<chunk>.<n>".
	KindBroadcastHeld = "bc.held"
)

func (s *Store) CountAudience(ctx context.Context, by homelink.By, homes []int64, a homelink.Audience) (int, error) {
	return 0, errTODO
}

func (s *Store) SaveBroadcast(ctx context.Context, by homelink.By, b homelink.Broadcast) (homelink.Broadcast, error) {
	return b, errTODO
}

func (s *Store) Broadcast(ctx context.Context, id int64) (homelink.Broadcast, error) {
	return homelink.Broadcast{}, errTODO
}

func (s *Store) Broadcasts(ctx context.Context, user int64) ([]homelink.Broadcast, []time.Time, error) {
	return nil, nil, errTODO
}

func (s *Store) BroadcastRuns(ctx context.Context, id int64) ([]homelink.BroadcastRun, error) {
	return nil, errTODO
}

func (s *Store) PauseBroadcast(ctx context.Context, by homelink.By, id int64) error  { return errTODO }
func (s *Store) ResumeBroadcast(ctx context.Context, by homelink.By, id int64) error { return errTODO }
func (s *Store) DeleteBroadcast(ctx context.Context, by homelink.By, id int64) error { return errTODO }

func (s *Store) CancelRun(ctx context.Context, by homelink.By, id, n int64) (homelink.BroadcastRun, error) {
	return homelink.BroadcastRun{}, errTODO
}
