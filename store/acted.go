package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
// false when nobody did within actedTTL.
func (s *Store) Unlinked(ctx context.Context, h, c, user int64) (homelink.Acted, bool, error) {
	return s.acted(ctx, s.k.acted(h, unlinkThing(c, user)))
}

// Revoked tells who revoked invitation id, and when; ok is false when
// nobody did within actedTTL.
func (s *Store) Revoked(ctx context.Context, id int64) (homelink.Acted, bool, error) {
	return s.acted(ctx, s.k.inviteRevoked(id))
}

func (s *Store) acted(ctx context.Context, key string) (homelink.Acted, bool, error) {
	v, err := s.rdb.Get(ctx, key).Result()
	if isNil(err) {
		return homelink.Acted{}, false, nil
	}
	if err != nil {
		return homelink.Acted{}, false, fmt.Errorf("store: who acted: %w", err)
	}
	by, ms, _ := strings.Cut(v, ":")
	id, err1 := strconv.ParseInt(by, 10, 64)
	at, err2 := strconv.ParseInt(ms, 10, 64)
	if err1 != nil || err2 != nil {
		return homelink.Acted{}, false, fmt.Errorf("store: who acted: bad record %q", key)
	}
	return homelink.Acted{By: id, At: time.UnixMilli(at)}, true, nil
}
