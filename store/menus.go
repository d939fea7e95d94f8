package store

import (
	"context"
	"fmt"
	"time"
)

// StartMenuWalk starts, or resumes where it stopped, the walk that sets
// every known user's chat menu to version, with a lease under token. ok is
// false when there is nothing to do: the menus are that version already,
// or another replica holds the lease. Else after is the last user id
// already done (0: none), and the caller goes on with KnownUsers(after, …).
func (s *Store) StartMenuWalk(ctx context.Context, version, token string, lease time.Duration) (after int64, ok bool, err error) {
	res, err := s.run(ctx, "menu_walk_start", []string{s.k.menuVersion(), s.k.menuWalk(), s.k.menuLease()},
		version, token, lease.Milliseconds()).Slice()
	if err != nil {
		return 0, false, fmt.Errorf("store: start menu walk: %w", err)
	}
	if res[0] != "walk" {
		return 0, false, nil
	}
	after, _ = res[1].(int64)
	return after, true, nil
}

// AdvanceMenuWalk records that every known user up to after has their
// menu, and extends the lease; false when the lease was lost to another
// replica, which goes on from the last recorded point.
func (s *Store) AdvanceMenuWalk(ctx context.Context, version, token string, after int64, lease time.Duration) (bool, error) {
	n, err := s.run(ctx, "menu_walk_advance", []string{s.k.menuWalk(), s.k.menuLease()},
		version, token, after, lease.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("store: advance menu walk: %w", err)
	}
	return n == 1, nil
}

// FinishMenuWalk records that every known user has version's menu; false
// when the lease was lost meanwhile.
func (s *Store) FinishMenuWalk(ctx context.Context, version, token string) (bool, error) {
	n, err := s.run(ctx, "menu_walk_finish", []string{s.k.menuVersion(), s.k.menuWalk(), s.k.menuLease()},
		version, token).Int()
	if err != nil {
		return false, fmt.Errorf("store: finish menu walk: %w", err)
	}
	return n == 1, nil
}

// ReleaseMenuWalk gives up the walk's lease (shutting down), so another
// replica can go on at once from the last recorded point.
func (s *Store) ReleaseMenuWalk(ctx context.Context, token string) error {
	if err := s.run(ctx, "lease_release", []string{s.k.menuLease()}, token).Err(); err != nil {
		return fmt.Errorf("store: release menu walk: %w", err)
	}
	return nil
}
