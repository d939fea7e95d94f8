package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/homelink/homelink"
)

// AddChild registers a child at home c.HomeID and returns it with its id;
// homelink.ErrNotFound when the home is gone, homelink.ErrNotAllowed
// unless by teaches there.
func (s *Store) AddChild(ctx context.Context, by homelink.By, c homelink.Child) (homelink.Child, error) {
	id, err := s.rdb.Incr(ctx, s.k.seq("child")).Result()
	if err != nil {
		return c, fmt.Errorf("store: add child: %w", err)
	}
	c.ID = id
	year := ""
	if c.BirthYear > 0 {
		year = strconv.Itoa(c.BirthYear)
	}
	n, err := s.run(ctx, "child_add", []string{s.k.home(c.HomeID), s.k.children(c.HomeID), s.k.child(c.HomeID, id)},
		id, c.Name, year, s.clock.Now().UnixMilli(), c.HomeID, by.User).Int()
	if err != nil {
		return c, fmt.Errorf("store: add child: %w", err)
	}
	return c, written(n)
}

// Children lists the children of home h in the order they were registered,
// with their guardians.
func (s *Store) Children(ctx context.Context, h int64) ([]homelink.Child, error) {
	members, err := s.rdb.ZRange(ctx, s.k.children(h), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("store: children of %d: %w", h, err)
	}
	var cids []int64
	for _, m := range members {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			cids = append(cids, id)
		}
	}
	return s.readChildren(ctx, h, cids)
}

// Child reads one child of home h; homelink.ErrNotFound when the child is
// not at that home.
func (s *Store) Child(ctx context.Context, h, c int64) (homelink.Child, error) {
	out, err := s.readChildren(ctx, h, []int64{c})
	if err != nil {
		return homelink.Child{}, err
	}
	if len(out) == 0 {
		return homelink.Child{}, homelink.ErrNotFound
	}
	return out[0], nil
}

func (s *Store) readChildren(ctx context.Context, h int64, cids []int64) ([]homelink.Child, error) {
	pipe := s.rdb.Pipeline()
	type read struct {
		fields, guardians interface{ Val() map[string]string }
	}
	reads := make([]read, len(cids))
	for i, c := range cids {
		reads[i] = read{pipe.HGetAll(ctx, s.k.child(h, c)), pipe.HGetAll(ctx, s.k.guardians(h, c))}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("store: children of %d: %w", h, err)
	}
	var out []homelink.Child
	for i, r := range reads {
		if c, ok := childFrom(h, cids[i], r.fields.Val(), r.guardians.Val()); ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// childFrom reads child c's hash and its guardians' hash; false when the
// child is gone.
func childFrom(h, c int64, m, guardians map[string]string) (homelink.Child, bool) {
	if len(m) == 0 {
		return homelink.Child{}, false
	}
	out := homelink.Child{ID: c, HomeID: h, Name: m["name"]}
	out.BirthYear, _ = strconv.Atoi(m["year"])
	for uid, rel := range guardians {
		if id, err := strconv.ParseInt(uid, 10, 64); err == nil {
			out.Guardians = append(out.Guardians, homelink.Guardian{UserID: id, Relationship: homelink.Relationship(rel)})
		}
	}
	sortGuardians(out.Guardians)
	return out, true
}

// RemoveChild removes child c of home h and everything stored about it,
// cancels its active calls and ends its standing calls, and returns the
// guardians who were linked; homelink.ErrNotFound when the
// child is not at that home, homelink.ErrNotAllowed unless by teaches there.
func (s *Store) RemoveChild(ctx context.Context, by homelink.By, h, c int64) ([]int64, error) {
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return nil, err
	}
	res, err := s.run(ctx, "child_remove", []string{s.k.children(h), s.k.child(h, c), s.k.guardians(h, c), s.k.homeInvites(h)},
		append([]any{h, c, by.User}, s.clockArgs(s.clock.Now(), zone)...)...).Result()
	if isNil(err) {
		return nil, homelink.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: remove child %d: %w", c, err)
	}
	if n, ok := res.(int64); ok && n == -1 {
		return nil, homelink.ErrNotAllowed
	}
	var guardians []string
	for _, g := range res.([]any) {
		guardians = append(guardians, g.(string))
	}
	return ids(guardians), nil
}

// UnlinkGuardian removes user's link to child c of home h, recording that
// by did it; false when there was no link (someone else was first). A link
// other than 0 unlinks only the link that invitation made. The active
// calls user booked for the child are cancelled (by by).
// homelink.ErrNotAllowed unless by teaches at the home.
func (s *Store) UnlinkGuardian(ctx context.Context, h, c, user, by, link int64) (bool, error) {
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return false, err
	}
	args := append(append(append([]any{c, user}, s.actedArgs(by)...), link, h), s.clockArgs(s.clock.Now(), zone)...)
	n, err := s.run(ctx, "guardian_unlink", []string{s.k.guardians(h, c), s.k.user(user), s.k.acted(h, unlinkThing(c, user)), s.k.links(h, c)},
		args...).Int()
	if err != nil {
		return false, fmt.Errorf("store: unlink guardian of %d: %w", c, err)
	}
	if n == -1 {
		return false, homelink.ErrNotAllowed
	}
	return n == 1, nil
}

// SetRelationship records how user is related to child c of home h;
// homelink.ErrNotFound when they are not linked.
func (s *Store) SetRelationship(ctx context.Context, h, c, user int64, rel homelink.Relationship) error {
	n, err := s.run(ctx, "relationship_set", []string{s.k.guardians(h, c), s.k.user(user)}, h, c, user, string(rel)).Int()
	if err != nil {
		return fmt.Errorf("store: set relationship to %d: %w", c, err)
	}
	if n == 0 {
		return homelink.ErrNotFound
	}
	return nil
}

func sortGuardians(gs []homelink.Guardian) {
	slices.SortFunc(gs, func(a, b homelink.Guardian) int { return cmp.Compare(a.UserID, b.UserID) })
}
