package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/homelink/homelink"
)

// Forget deletes everything stored about user in one step: their roles in
// every home, their links to children, the invitations they opened, their
// profile and session. The wrong-code counter stays until its window ends:
// forgetting must not reset a throttle.
// Their inbox empties itself as the intake finishes with their updates.
func (s *Store) Forget(ctx context.Context, user int64) ([]homelink.Departure, error) {
	res, err := s.run(ctx, "forget",
		[]string{s.k.user(user), s.k.session(user), s.k.seen(user), s.k.made(user), s.k.users()}, user).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store: forget %d: %w", user, err)
	}
	var out []homelink.Departure
	for _, r := range res {
		parts := strings.SplitN(r, ":", 3)
		if len(parts) != 3 {
			continue
		}
		h, _ := strconv.ParseInt(parts[0], 10, 64)
		c, _ := strconv.ParseInt(parts[1], 10, 64)
		out = append(out, homelink.Departure{HomeID: h, ChildID: c, Relationship: homelink.Relationship(parts[2])})
	}
	return out, nil
}
