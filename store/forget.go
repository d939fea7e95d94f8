package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
)

// Forget deletes everything stored about user in one step: their roles in
// every home, their links to children, the invitations they opened, their
// profile and session, and their booking history. Their active calls
// still ahead are cancelled and returned in the Departure of their child,
// so the teachers can be told. The wrong-code counter stays until its
// window ends: forgetting must not reset a throttle.
// Their inbox empties itself as the intake finishes with their updates.
func (s *Store) Forget(ctx context.Context, user int64) ([]homelink.Departure, error) {
	now := s.clock.Now()
	weeks, err := s.weeksOfCalls(ctx, user, now)
	if err != nil {
		return nil, err
	}
	args := append(append([]any{user}, s.clockArgs(now, s.zone)...), weeks)
	res, err := s.run(ctx, "forget", []string{s.k.user(user), s.k.session(user), s.k.seen(user), s.k.made(user),
		s.k.users(), s.k.lastSeen(), s.k.userCalls(user)}, args...).Slice()
	if err != nil {
		return nil, fmt.Errorf("store: forget %d: %w", user, err)
	}
	if len(res) != 2 {
		return nil, fmt.Errorf("store: forget %d: answer %v", user, res)
	}
	left, _ := res[0].([]any)
	var out []homelink.Departure
	for _, r := range left {
		parts := strings.SplitN(fmt.Sprint(r), ":", 3)
		if len(parts) != 3 {
			continue
		}
		h, _ := strconv.ParseInt(parts[0], 10, 64)
		c, _ := strconv.ParseInt(parts[1], 10, 64)
		out = append(out, homelink.Departure{HomeID: h, ChildID: c, Relationship: homelink.Relationship(parts[2])})
	}
	return withCancelled(out, bookingsOf(res[1])), nil
}

// withCancelled files each cancelled call under the departure of its
// child (one is added for a child whose link was already gone).
func withCancelled(out []homelink.Departure, cancelled []homelink.Booking) []homelink.Departure {
	for _, b := range cancelled {
		i := slices.IndexFunc(out, func(d homelink.Departure) bool { return d.HomeID == b.HomeID && d.ChildID == b.ChildID })
		if i < 0 {
			out = append(out, homelink.Departure{HomeID: b.HomeID, ChildID: b.ChildID})
			i = len(out) - 1
		}
		out[i].Cancelled = append(out[i].Cancelled, b)
	}
	return out
}

// weeksOfCalls is "<home>=<week>,…": the week now falls in, in the zone of
// each home user booked calls at, for counting what forgetting them
// cancels.
func (s *Store) weeksOfCalls(ctx context.Context, user int64, now time.Time) (string, error) {
	refs, err := s.rdb.ZRange(ctx, s.k.userCalls(user), 0, -1).Result()
	if err != nil {
		return "", fmt.Errorf("store: forget %d: %w", user, err)
	}
	var weeks []string
	seen := map[int64]bool{}
	for _, ref := range refs {
		h, _, ok := CallKey(ref)
		if !ok || seen[h] {
			continue
		}
		seen[h] = true
		zone, err := s.homeZone(ctx, h)
		if err != nil {
			return "", err
		}
		weeks = append(weeks, itoa(h)+"="+homelink.WeekOf(now, zone))
	}
	return strings.Join(weeks, ","), nil
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
