package store

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Upgrade brings data an older release wrote up to this release's layout.
// Each step checks whether it is needed, so it is safe to run on every
// start and on every replica at once; once done, a start costs a round
// trip or two.
func (s *Store) Upgrade(ctx context.Context) error {
	if err := s.run(ctx, "homes_index", []string{s.k.homes(), s.k.seq("home")}).Err(); err != nil {
		return fmt.Errorf("store: upgrade: index of homes: %w", err)
	}
	if err := s.indexUsers(ctx); err != nil {
		return fmt.Errorf("store: upgrade: known users: %w", err)
	}
	err := s.run(ctx, "users_seen_index", []string{s.k.users(), s.k.lastSeen(), s.k.upgrades()}, s.clock.Now().Unix()).Err()
	if err != nil {
		return fmt.Errorf("store: upgrade: last seen: %w", err)
	}
	if err := s.run(ctx, "invites_upgrade", []string{s.k.homes(), s.k.upgrades()}).Err(); err != nil {
		return fmt.Errorf("store: upgrade: invitations without a maker: %w", err)
	}
	// Homes from before morning digests, or whose digest was lost.
	return s.EnsureDigests(ctx)
}

// indexUsers adds everyone with a user hash to the known users, once. It
// scans the keyspace (the only way to find what an older release wrote),
// in batches, each added by a script that skips anyone forgotten meanwhile.
// Two replicas doing it at once only add the same ids twice.
func (s *Store) indexUsers(ctx context.Context) error {
	done, err := s.rdb.SIsMember(ctx, s.k.upgrades(), "users").Result()
	if err != nil || done {
		return err
	}
	match := globEscape(s.k.prefix) + "{u*}:user"
	userKey := regexp.MustCompile(`^` + regexp.QuoteMeta(s.k.prefix) + `\{u(\d+)\}:user$`)
	var cursor uint64
	for {
		keys, next, err := s.rdb.Scan(ctx, cursor, match, 1000).Result()
		if err != nil {
			return err
		}
		last := "0"
		if next == 0 {
			last = "1"
		}
		args := []any{last}
		for _, k := range keys {
			if m := userKey.FindStringSubmatch(k); m != nil {
				if id, err := strconv.ParseInt(m[1], 10, 64); err == nil && id > 0 {
					args = append(args, id)
				}
			}
		}
		if err := s.run(ctx, "users_index", []string{s.k.users(), s.k.upgrades()}, args...).Err(); err != nil {
			return err
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}

// globEscape quotes the characters SCAN's MATCH treats as a pattern.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`).Replace(s)
}
