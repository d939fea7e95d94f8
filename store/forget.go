package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
)

// Forget deletes everything stored about user in one step: their roles in
// every home, their links to children, the invitations they opened, their
// profile and session. The wrong-code counter stays until its window ends:
// forgetting must not reset a throttle.
// Their inbox empties itself as the intake finishes with their updates.
func (s *Store) Forget(ctx context.Context, user int64) ([]homelink.Departure, error) {
	res, err := s.run(ctx, "forget",
		[]string{s.k.user(user), s.k.session(user), s.k.seen(user), s.k.made(user), s.k.users(), s.k.lastSeen()}, user).StringSlice()
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

// DueStrangers lists up to limit people who hold no role and have not
// written since before: the ones ForgetStrangers may forget, once what the
// outbox keeps about their chats is gone. A silent person who holds a role
// is looked at again after the same time.
func (s *Store) DueStrangers(ctx context.Context, before time.Time, limit int) ([]int64, error) {
	res, err := s.run(ctx, "strangers_due", []string{s.k.lastSeen()}, before.Unix(), s.clock.Now().Unix(), limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store: strangers due: %w", err)
	}
	return ids(res), nil
}

// ForgetStrangers forgets those of people who still hold no role and have
// still not written since before: their language, name, session, the
// records naming them and their place among the known users. It returns
// whom it forgot.
func (s *Store) ForgetStrangers(ctx context.Context, before time.Time, people []int64) ([]int64, error) {
	if len(people) == 0 {
		return nil, nil
	}
	args := []any{before.Unix()}
	for _, id := range people {
		args = append(args, id)
	}
	res, err := s.run(ctx, "strangers_forget", []string{s.k.lastSeen(), s.k.users()}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store: forget strangers: %w", err)
	}
	return ids(res), nil
}
