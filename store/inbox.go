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
// Once Take returns nil the update is safe in Redis.
func (s *Store) Take(ctx context.Context, actor, updateID int64, raw []byte, token string, lease time.Duration) (fresh bool, item *homelink.InboxItem, err error) {
	now := s.clock.Now()
	var res *redis.Cmd
	err = s.pipelined(ctx, func(pipe redis.Pipeliner) {
		res = s.runIn(ctx, pipe, "inbox_take",
			[]string{s.k.seen(actor), s.k.inbox(actor), s.k.lock(actor), s.k.user(actor), s.k.session(actor), s.k.users()},
			updateID, now.Unix(), raw, int(seenWindow/time.Second), token, lease.Milliseconds(), actor)
		pipe.ZAdd(ctx, s.k.pending(), redis.Z{Score: float64(now.UnixMilli()), Member: actor})
	})
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
	return fresh, item, err
}

// Claim takes the lease on a user's inbox for token and returns the oldest
// update, or nil when the inbox is empty. It returns homelink.ErrInboxHeld when another
// worker holds the lease.
func (s *Store) Claim(ctx context.Context, actor int64, token string, lease time.Duration) (*homelink.InboxItem, error) {
	res, err := s.run(ctx, "inbox_claim", s.inboxKeys(actor), token, lease.Milliseconds()).Result()
	item, err := inboxResult(actor, res, err)
	if err != nil {
		return nil, fmt.Errorf("store: claim inbox %d: %w", actor, err)
	}
	return item, nil
}

// Ack removes a handled update and returns the next one under the same
// lease, or nil when the inbox is empty and the lease is released. It
// returns homelink.ErrInboxHeld when the lease was lost to another worker.
func (s *Store) Ack(ctx context.Context, actor int64, token string, updateID int64, lease time.Duration) (*homelink.InboxItem, error) {
	res, err := s.run(ctx, "inbox_ack", s.inboxKeys(actor), token, updateID, lease.Milliseconds()).Result()
	item, err := inboxResult(actor, res, err)
	if err != nil {
		return nil, fmt.Errorf("store: ack update %d: %w", updateID, err)
	}
	return item, nil
}

// Release gives up a lease without handling anything more.
func (s *Store) Release(ctx context.Context, actor int64, token string) error {
	if err := s.run(ctx, "lease_release", []string{s.k.lock(actor)}, token).Err(); err != nil {
		return fmt.Errorf("store: release inbox %d: %w", actor, err)
	}
	return nil
}

// PendingSince lists up to limit users whose last arrival is older than
// before; their inboxes may hold updates a dead replica left behind.
func (s *Store) PendingSince(ctx context.Context, before time.Time, limit int64) ([]homelink.PendingInbox, error) {
	zs, err := s.rdb.ZRangeArgsWithScores(ctx, redis.ZRangeArgs{
		Key: s.k.pending(), ByScore: true, Start: "-inf",
		Stop: strconv.FormatInt(before.UnixMilli(), 10), Count: limit,
	}).Result()
	if err != nil {
		return nil, fmt.Errorf("store: pending inboxes: %w", err)
	}
	out := make([]homelink.PendingInbox, 0, len(zs))
	for _, z := range zs {
		id, err := strconv.ParseInt(z.Member.(string), 10, 64)
		if err != nil {
			continue
		}
		out = append(out, homelink.PendingInbox{Actor: id, Seen: z.Score})
	}
	return out, nil
}

// ForgetPending drops p from the pending set unless an update arrived for
// that user after p was read.
func (s *Store) ForgetPending(ctx context.Context, p homelink.PendingInbox) error {
	err := s.run(ctx, "pending_forget", []string{s.k.pending()},
		p.Actor, strconv.FormatFloat(p.Seen, 'f', -1, 64)).Err()
	if err != nil {
		return fmt.Errorf("store: forget pending %d: %w", p.Actor, err)
	}
	return nil
}

func (s *Store) inboxKeys(actor int64) []string {
	return []string{s.k.lock(actor), s.k.inbox(actor), s.k.user(actor), s.k.session(actor)}
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
