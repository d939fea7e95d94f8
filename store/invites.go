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

// CreateInvite stores a new invitation made by inv.MadeBy under the
// digests of its codes (the codes themselves are never stored) and returns
// it with its id. homelink.ErrNotAllowed unless its maker may make it now:
// a guardian's invitation needs a teacher of the home (and the child there),
// a teacher's a coordinator of the home, a coordinator's an admin
// (inv.ByAdmin) or a coordinator of every home it shares.
func (s *Store) CreateInvite(ctx context.Context, inv homelink.Invite) (homelink.Invite, error) {
	id, err := s.rdb.Incr(ctx, s.k.seq("invite")).Result()
	if err != nil {
		return inv, fmt.Errorf("store: create invite: %w", err)
	}
	inv.ID = id
	ttl := inv.ExpiresAt.Sub(s.clock.Now())
	if ttl <= 0 {
		return inv, fmt.Errorf("store: create invite: expires in the past")
	}
	if len(s.codeKeys) == 0 {
		return inv, ErrNoCodeKey
	}
	typed, typedKey := "", s.k.code("")
	if inv.Typed != "" {
		typed = digest(s.codeKeys[0], inv.Typed)
		typedKey = s.k.code(typed)
	}
	link := digest(s.codeKeys[0], inv.Link)
	n, err := s.run(ctx, "invite_create",
		[]string{s.k.invite(id), s.k.code(link), typedKey, s.k.homeInvites(inv.HomeID), s.k.made(inv.MadeBy)},
		id, string(inv.Role), inv.HomeID, inv.ChildID, joinIDs(inv.Homes), inv.ExpiresAt.UnixMilli(), ttl.Milliseconds(),
		link, typed, inv.MadeBy, flag(inv.ByAdmin), s.clock.Now().UnixMilli()).Int()
	if err != nil {
		return inv, fmt.Errorf("store: create invite: %w", err)
	}
	if n == 0 {
		return inv, homelink.ErrNotAllowed
	}
	return inv, nil
}

// InviteByCode finds the invitation a code opens: homelink.ErrInviteUsed
// once redeemed, homelink.ErrInviteInvalid when unknown, expired or revoked.
// The returned invite carries no codes.
func (s *Store) InviteByCode(ctx context.Context, code string) (homelink.Invite, error) {
	if len(s.codeKeys) == 0 {
		return homelink.Invite{}, ErrNoCodeKey
	}
	// Under each key of a rotation, newest first: one round trip.
	pipe := s.rdb.Pipeline()
	found := make([]*redis.StringCmd, len(s.codeKeys))
	for i, key := range s.codeKeys {
		found[i] = pipe.Get(ctx, s.k.code(digest(key, code)))
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return homelink.Invite{}, fmt.Errorf("store: invite by code: %w", err)
	}
	for _, f := range found {
		if id, err := f.Int64(); err == nil {
			return s.Invite(ctx, id)
		}
	}
	return homelink.Invite{}, homelink.ErrInviteInvalid
}

// Invite reads an open invitation by id (errors as InviteByCode).
func (s *Store) Invite(ctx context.Context, id int64) (homelink.Invite, error) {
	m, err := s.rdb.HGetAll(ctx, s.k.invite(id)).Result()
	if err != nil {
		return homelink.Invite{}, fmt.Errorf("store: invite %d: %w", id, err)
	}
	inv, ok := inviteFromHash(id, m)
	if !ok || !inv.ExpiresAt.After(s.clock.Now()) {
		return homelink.Invite{}, homelink.ErrInviteInvalid
	}
	if m["used"] == "1" {
		return inv, homelink.ErrInviteUsed
	}
	return inv, nil
}

// RedeemInvite gives user what invitation id carries, atomically: of two
// people redeeming one invitation at once, exactly one succeeds, the other
// gets homelink.ErrInviteUsed. homelink.ErrAlreadyMember leaves it open.
// lang is the language the person joined in; it becomes their language
// unless they chose one, so notices reach them in it.
func (s *Store) RedeemInvite(ctx context.Context, id, user int64, lang string) (homelink.Invite, error) {
	inv, err := s.Invite(ctx, id)
	if err != nil {
		return inv, err
	}
	// An admin's invitation is good while they are one: the deployment's
	// word now, not when it was made (the operator's own, made by user 0
	// from the command line, is always).
	adminNow := inv.ByAdmin && (inv.MadeBy == 0 || s.admins[inv.MadeBy])
	res, err := s.run(ctx, "invite_redeem", []string{s.k.invite(id), s.k.user(user)},
		id, user, s.clock.Now().UnixMilli(), lang, flag(adminNow)).StringSlice()
	if err != nil {
		return inv, fmt.Errorf("store: redeem invite %d: %w", id, err)
	}
	switch res[0] {
	case "ok":
		return inv, nil
	case "used":
		return inv, homelink.ErrInviteUsed
	case "member":
		return inv, homelink.ErrAlreadyMember
	}
	return inv, homelink.ErrInviteInvalid
}

// RevokeInvite closes an open invitation of home h (0 for a coordinator's),
// recording that by did it; false when there was no such open invitation,
// homelink.ErrNotAllowed unless by may revoke it now: a guardian's
// invitation is its home's teachers', a teacher's its coordinators', a
// coordinator's its maker's, an admin's or a coordinator's of every home
// it shares.
func (s *Store) RevokeInvite(ctx context.Context, by homelink.By, h, id int64) (bool, error) {
	n, err := s.run(ctx, "invite_revoke", []string{s.k.invite(id), s.k.homeInvites(h), s.k.inviteRevoked(id)},
		append(append([]any{h, id}, s.actedArgs(by.User)...), flag(by.Admin))...).Int()
	if err != nil {
		return false, fmt.Errorf("store: revoke invite %d: %w", id, err)
	}
	if n == -1 {
		return false, homelink.ErrNotAllowed
	}
	return n == 1, nil
}

// OpenInvites lists home h's open invitations (for guardians of child, or
// teachers when child is 0), soonest to expire first.
func (s *Store) OpenInvites(ctx context.Context, h int64, role homelink.Role, child int64) ([]homelink.Invite, error) {
	now := s.clock.Now().UnixMilli()
	key := s.k.homeInvites(h)
	if err := s.rdb.ZRemRangeByScore(ctx, key, "-inf", strconv.FormatInt(now, 10)).Err(); err != nil {
		return nil, fmt.Errorf("store: open invites of %d: %w", h, err)
	}
	members, err := s.rdb.ZRange(ctx, key, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("store: open invites of %d: %w", h, err)
	}
	var out []homelink.Invite
	for _, id := range ids(members) {
		inv, err := s.Invite(ctx, id)
		if err != nil {
			continue
		}
		if inv.Role == role && inv.ChildID == child {
			out = append(out, inv)
		}
	}
	return out, nil
}

// CodeFailures is how many wrong codes user typed in the current window.
func (s *Store) CodeFailures(ctx context.Context, user int64) (int, error) {
	n, err := s.rdb.Get(ctx, s.k.codeFail(user)).Int()
	if isNil(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: code failures %d: %w", user, err)
	}
	return n, nil
}

// CodeFailed counts a wrong code; the window starts with the first one.
func (s *Store) CodeFailed(ctx context.Context, user int64, window time.Duration) (int, error) {
	pipe := s.rdb.TxPipeline()
	n := pipe.Incr(ctx, s.k.codeFail(user))
	pipe.ExpireNX(ctx, s.k.codeFail(user), window)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, fmt.Errorf("store: code failed %d: %w", user, err)
	}
	return int(n.Val()), nil
}

func inviteFromHash(id int64, m map[string]string) (homelink.Invite, bool) {
	role := homelink.Role(m["role"])
	if !role.Valid() {
		return homelink.Invite{}, false
	}
	inv := homelink.Invite{ID: id, Role: role}
	inv.HomeID, _ = strconv.ParseInt(m["home"], 10, 64)
	inv.ChildID, _ = strconv.ParseInt(m["child"], 10, 64)
	exp, _ := strconv.ParseInt(m["exp"], 10, 64)
	inv.ExpiresAt = time.UnixMilli(exp)
	if m["homes"] != "" {
		inv.Homes = ids(strings.Split(m["homes"], ","))
	}
	// An open invitation says "by"; the record of a revoked one "made"
	// (its "by" is who revoked it).
	maker := m["by"]
	if made, revoked := m["made"]; revoked {
		maker = made
	}
	inv.MadeBy, _ = strconv.ParseInt(maker, 10, 64)
	inv.ByAdmin = m["admin"] == "1"
	return inv, true
}

// flag is a boolean as a script argument.
func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
