package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/homelink/homelink"
)

// Some things several people can act on (two teachers tapping the same
// standing button). The script that acts records who did it and when, in
// the same step, so a later tap can be told.

// actedTTL is how long the store remembers who acted on a thing.
const actedTTL = 30 * 24 * time.Hour

// actedArgs are the script arguments that record by acting now.
func (s *Store) actedArgs(by int64) []any {
	return []any{by, s.clock.Now().UnixMilli(), int(actedTTL / time.Second)}
}

func unlinkThing(c, user int64) string {
	return "unlink:" + strconv.FormatInt(c, 10) + ":" + strconv.FormatInt(user, 10)
}

// Unlinked tells who unlinked user from child c of home h, and when; ok is
// false when nobody did within actedTTL (or one of them was forgotten).
func (s *Store) Unlinked(ctx context.Context, h, c, user int64) (homelink.Acted, bool, error) {
	a, _, ok, err := s.acted(ctx, s.k.acted(h, unlinkThing(c, user)))
	return a, ok, err
}

// Revoked tells who revoked invitation id, and when, with what the
// invitation was for (its role, home, child and homes), so rights can be
// checked against it; ok is false when nobody did within actedTTL.
func (s *Store) Revoked(ctx context.Context, id int64) (homelink.Invite, homelink.Acted, bool, error) {
	a, m, ok, err := s.acted(ctx, s.k.inviteRevoked(id))
	if !ok || err != nil {
		return homelink.Invite{}, a, ok, err
	}
	inv, valid := inviteFromHash(id, m)
	if !valid {
		return homelink.Invite{}, a, false, fmt.Errorf("store: who revoked %d: bad record", id)
	}
	return inv, a, true, nil
}

// LinkedBy is the invitation that made user's current link to child c of
// home h; 0 when they are not linked (or were before links were noted).
func (s *Store) LinkedBy(ctx context.Context, h, c, user int64) (int64, error) {
	v, err := s.rdb.HGet(ctx, s.k.links(h, c), strconv.FormatInt(user, 10)).Int64()
	if isNil(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: link of %d to %d: %w", user, c, err)
	}
	return v, nil
}

func (s *Store) acted(ctx context.Context, key string) (homelink.Acted, map[string]string, bool, error) {
	m, err := s.rdb.HGetAll(ctx, key).Result()
	if err != nil {
		return homelink.Acted{}, nil, false, fmt.Errorf("store: who acted: %w", err)
	}
	if len(m) == 0 {
		return homelink.Acted{}, nil, false, nil
	}
	by, err1 := strconv.ParseInt(m["by"], 10, 64)
	at, err2 := strconv.ParseInt(m["at"], 10, 64)
	if err1 != nil || err2 != nil {
		return homelink.Acted{}, nil, false, fmt.Errorf("store: who acted: bad record %q", key)
	}
	return homelink.Acted{By: by, At: time.UnixMilli(at)}, m, true, nil
}
