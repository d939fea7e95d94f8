package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// seenWindow is how long an update id is remembered to drop Telegram's
// repeats; Telegram itself keeps undelivered updates for 24 hours.
const seenWindow = 24 * time.Hour

// Take puts an update into its user's inbox, once: fresh is false for an
// update id taken before. When no worker holds that inbox, the caller gets
// its lease under token and the oldest update to start on (item not nil).
// Once Take returns nil the update is safe in Redis; with RequireReplicas,
// also on that many replicas (else homelink.ErrNotReplicated: the update
// is in the inbox and will be handled, but may not outlive a failover).
func (s *Store) Take(ctx context.Context, actor, updateID int64, raw []byte, token string, lease time.Duration) (fresh bool, item *homelink.InboxItem, err error) {
	now := s.clock.Now()
	keys := []string{s.k.seen(actor), s.k.inbox(actor), s.k.lock(actor), s.k.user(actor), s.k.session(actor), s.k.users(), s.k.pending(), s.k.lastSeen()}
	args := []any{updateID, now.Unix(), raw, int(seenWindow / time.Second), token, lease.Milliseconds(), actor}
	var res *redis.Cmd
	var acked *redis.Cmd
	if s.replicas > 0 {
		// WAIT counts the replicas that have every write this connection
		// made, so it must follow the take on the same connection.
		err = s.pipelined(ctx, func(pipe redis.Pipeliner) {
			res = s.runIn(ctx, pipe, "inbox_take", keys, args...)
			acked = pipe.Do(ctx, "WAIT", s.replicas, s.replicaTimeout.Milliseconds())
		})
	} else {
		res = s.run(ctx, "inbox_take", keys, args...)
		err = res.Err()
	}
	if err != nil {
		return false, nil, fmt.Errorf("store: take update %d: %w", updateID, err)
	}
	arr, _ := res.Val().([]any)
	if len(arr) == 0 {
		return false, nil, fmt.Errorf("store: take update %d: unexpected reply %v", updateID, res.Val())
	}
	fresh = arr[0] == int64(1)
	if len(arr) == 5 {
		item, err = inboxResult(actor, arr[1:], nil)
	}
	if acked != nil && err == nil {
		if n, _ := acked.Int64(); n < int64(s.replicas) {
			err = fmt.Errorf("store: take update %d: on %d of %d replicas: %w", updateID, n, s.replicas, homelink.ErrNotReplicated)
		}
	}
	return fresh, item, err
}

// RequireReplicas makes Take confirm that each update reached n replicas,
// waiting at most timeout (Redis's WAIT). Call it before first use.
func (s *Store) RequireReplicas(n int, timeout time.Duration) {
	s.replicas, s.replicaTimeout = n, timeout
}

// Claim takes the lease on a user's inbox for token and returns the oldest
// update, or nil when the inbox is empty (it then leaves the pending
// index). It returns homelink.ErrInboxHeld when another worker holds the
// lease.
func (s *Store) Claim(ctx context.Context, actor int64, token string, lease time.Duration) (*homelink.InboxItem, error) {
	res, err := s.run(ctx, "inbox_claim", s.inboxKeys(actor), token, lease.Milliseconds(), actor).Result()
	item, err := inboxResult(actor, res, err)
	if err != nil {
		return nil, fmt.Errorf("store: claim inbox %d: %w", actor, err)
	}
	return item, nil
}

// Ack removes a handled update and returns the next one under the same
// lease, or nil when the inbox is empty and the lease is released. It
// returns homelink.ErrInboxHeld when the lease was lost to another worker.
// It is safe to repeat: a second Ack of the same update does what the
// first did.
func (s *Store) Ack(ctx context.Context, actor int64, token string, updateID int64, lease time.Duration) (*homelink.InboxItem, error) {
	res, err := s.run(ctx, "inbox_ack", s.inboxKeys(actor), token, updateID, lease.Milliseconds(), actor).Result()
	item, err := inboxResult(actor, res, err)
	if err != nil {
		return nil, fmt.Errorf("store: ack update %d: %w", updateID, err)
	}
	return item, nil
}

// Release gives up a lease without handling anything more; what is left in
// the inbox is due for rescue at once.
func (s *Store) Release(ctx context.Context, actor int64, token string) error {
	err := s.run(ctx, "inbox_release", []string{s.k.lock(actor), s.k.inbox(actor), s.k.pending()}, token, actor).Err()
	if err != nil {
		return fmt.Errorf("store: release inbox %d: %w", actor, err)
	}
	return nil
}

// Overdue hands out up to limit users whose inbox holds updates and whose
// lease has run out (its worker died, or no worker was free), most overdue
// first, and hides each from other sweeps for hide: replicas sweeping at
// once get different users, and those a sweeper does not claim in time
// come back. Leases, and so the index, run on Redis's clock (not the
// app's): the clock every replica shares.
func (s *Store) Overdue(ctx context.Context, hide time.Duration, limit int) ([]int64, error) {
	ids, err := s.run(ctx, "inbox_overdue", []string{s.k.pending()}, hide.Milliseconds(), limit).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("store: overdue inboxes: %w", err)
	}
	return ids, nil
}

// PendingInboxes counts the inboxes holding updates, and says how long
// the one waiting longest has gone without progress (its lease began).
func (s *Store) PendingInboxes(ctx context.Context, lease time.Duration) (int64, time.Duration, error) {
	v, err := s.run(ctx, "inbox_pending", []string{s.k.pending()}, lease.Milliseconds()).Int64Slice()
	if err != nil || len(v) != 2 {
		return 0, 0, fmt.Errorf("store: pending inboxes: %v %w", v, err)
	}
	return v[0], time.Duration(v[1]) * time.Millisecond, nil
}

func (s *Store) inboxKeys(actor int64) []string {
	return []string{s.k.lock(actor), s.k.inbox(actor), s.k.user(actor), s.k.session(actor), s.k.pending()}
}

func inboxResult(actor int64, res any, err error) (*homelink.InboxItem, error) {
	if isNil(err) {
		return nil, homelink.ErrInboxHeld
	}
	if err != nil {
		return nil, err
	}
	arr, ok := res.([]any)
	if !ok {
		return nil, fmt.Errorf("unexpected reply %T", res)
	}
	if len(arr) == 0 {
		return nil, nil
	}
	raw, _ := arr[0].(string)
	score, _ := arr[1].(string)
	id, err := strconv.ParseInt(score, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("bad update id %q", score)
	}
	item := &homelink.InboxItem{UpdateID: id, Raw: []byte(raw)}
	if len(arr) == 4 {
		item.Actor.User = userFromHash(actor, flatHash(arr[2]))
		if item.Actor.Session, err = sessionFromHash(flatHash(arr[3])); err != nil {
			return nil, fmt.Errorf("session %d: %w", actor, err)
		}
	}
	return item, nil
}

// flatHash reads HGETALL's reply inside a script: field, value, ….
func flatHash(v any) map[string]string {
	arr, _ := v.([]any)
	m := make(map[string]string, len(arr)/2)
	for i := 0; i+1 < len(arr); i += 2 {
		k, _ := arr[i].(string)
		val, _ := arr[i+1].(string)
		m[k] = val
	}
	return m
}
