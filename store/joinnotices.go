package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// Join notices: the home's teachers hear that a guardian joined once the
// guardian said how they are related to the child, or after a delay if
// they never do. The notice waits in a pending zset scored by when it is
// due (on homelink.Clock); the relationship choice takes it from there
// and sends at once; otherwise a job on every replica claims it when due,
// moving it in flight under a lease, and acknowledges it once sent. A
// replica that dies mid-send leaves it to be claimed again when the lease
// runs out.

// joinMember names a join notice: the link it is about.
func joinMember(n homelink.JoinNotice) string {
	return fmt.Sprintf("%d.%d.%d.%d", n.HomeID, n.ChildID, n.UserID, n.Invite)
}

func parseJoinMember(m string) (homelink.JoinNotice, bool) {
	p := strings.Split(m, ".")
	if len(p) != 4 {
		return homelink.JoinNotice{}, false
	}
	var v [4]int64
	for i, s := range p {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return homelink.JoinNotice{}, false
		}
		v[i] = n
	}
	return homelink.JoinNotice{HomeID: v[0], ChildID: v[1], UserID: v[2], Invite: v[3]}, true
}

// PlanJoinNotice has n's notice sent at due unless taken before.
func (s *Store) PlanJoinNotice(ctx context.Context, n homelink.JoinNotice, due time.Time) error {
	if err := s.rdb.ZAdd(ctx, s.k.joinsPending(), redis.Z{Score: float64(due.UnixMilli()), Member: joinMember(n)}).Err(); err != nil {
		return fmt.Errorf("store: plan join notice: %w", err)
	}
	return nil
}

// TakeJoinNotice takes n's notice to send now; false when it is not
// pending (already sent, in hand of the job, or never planned).
func (s *Store) TakeJoinNotice(ctx context.Context, n homelink.JoinNotice) (bool, error) {
	k, err := s.rdb.ZRem(ctx, s.k.joinsPending(), joinMember(n)).Result()
	if err != nil {
		return false, fmt.Errorf("store: take join notice: %w", err)
	}
	return k == 1, nil
}

// ClaimJoinNotices claims up to limit due notices for lease.
func (s *Store) ClaimJoinNotices(ctx context.Context, limit int, lease time.Duration) ([]homelink.JoinNotice, error) {
	res, err := s.run(ctx, "join_notice_claim", []string{s.k.joinsPending(), s.k.joinsInFlight()},
		s.clock.Now().UnixMilli(), lease.Milliseconds(), limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store: claim join notices: %w", err)
	}
	out := make([]homelink.JoinNotice, 0, len(res))
	for _, m := range res {
		if n, ok := parseJoinMember(m); ok {
			out = append(out, n)
		}
	}
	return out, nil
}

// AckJoinNotice records that a claimed notice was dealt with.
func (s *Store) AckJoinNotice(ctx context.Context, n homelink.JoinNotice) error {
	if err := s.rdb.ZRem(ctx, s.k.joinsInFlight(), joinMember(n)).Err(); err != nil {
		return fmt.Errorf("store: ack join notice: %w", err)
	}
	return nil
}
