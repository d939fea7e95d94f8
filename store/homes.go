package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// CreateHome stores a new home managed by its creator and returns it with
// its id; homelink.ErrNotAllowed unless the creator is a coordinator.
func (s *Store) CreateHome(ctx context.Context, by homelink.By, h homelink.Home) (homelink.Home, error) {
	creator := by.User
	id, err := s.rdb.Incr(ctx, s.k.seq("home")).Result()
	if err != nil {
		return h, fmt.Errorf("store: create home: %w", err)
	}
	h.ID = id
	loc, zerr := homelink.CheckTimeZone(h.TimeZone)
	if zerr != nil {
		loc = s.zone
	}
	report, summary, err := s.firstReports(ctx, creator, loc)
	if err != nil {
		return h, err
	}
	n, err := s.run(ctx, "home_create", []string{s.k.home(id), s.k.coordinators(id), s.k.user(creator), s.k.homes()},
		id, h.Name, h.TimeZone, h.Instructions, creator, homelink.NextDigest(s.clock.Now(), loc).UnixMilli(),
		report.due, report.told, summary.due, summary.told).Int()
	if err != nil {
		return h, fmt.Errorf("store: create home: %w", err)
	}
	if n == 0 {
		return h, homelink.ErrNotAllowed
	}
	h.Coordinators = []int64{creator}
	return h, nil
}

// UpdateHome sets one field of home h; homelink.ErrNotFound when it is
// gone, homelink.ErrNotAllowed unless by coordinates it.
func (s *Store) UpdateHome(ctx context.Context, by homelink.By, h int64, f homelink.HomeField, value string) error {
	n, err := s.run(ctx, "home_update", []string{s.k.home(h)}, string(f), value, h, by.User).Int()
	if err != nil {
		return fmt.Errorf("store: update home %d: %w", h, err)
	}
	return written(n)
}

// written reads a script's answer about a write: 1 done, 0 its thing is
// gone, -1 who asked may not.
func written(n int) error {
	switch n {
	case 0:
		return homelink.ErrNotFound
	case -1:
		return homelink.ErrNotAllowed
	}
	return nil
}

// Home reads a home with its staff and how many children and guardians it
// has; homelink.ErrNotFound when there is none.
func (s *Store) Home(ctx context.Context, h int64) (homelink.Home, error) {
	homes, err := s.Homes(ctx, []int64{h})
	if err != nil {
		return homelink.Home{}, err
	}
	if len(homes) == 0 {
		return homelink.Home{}, homelink.ErrNotFound
	}
	return homes[0], nil
}

// Homes reads the homes with the given ids, in id order, skipping any gone.
// However many there are (a coordinator may run 200), it takes two round
// trips: the homes and their members, then their children's guardians.
func (s *Store) Homes(ctx context.Context, homeIDs []int64) ([]homelink.Home, error) {
	type read struct {
		fields           *redis.MapStringStringCmd
		teachers, coords *redis.StringSliceCmd
		children         *redis.StringSliceCmd
	}
	if len(homeIDs) == 0 {
		return nil, nil
	}
	homeIDs = sorted(homeIDs)
	reads := make([]read, len(homeIDs))
	pipe := s.rdb.Pipeline()
	for i, h := range homeIDs {
		reads[i] = read{pipe.HGetAll(ctx, s.k.home(h)), pipe.SMembers(ctx, s.k.teachers(h)),
			pipe.SMembers(ctx, s.k.coordinators(h)), pipe.ZRange(ctx, s.k.children(h), 0, -1)}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("store: homes %v: %w", homeIDs, err)
	}
	var out []homelink.Home
	var guardians [][]*redis.IntCmd // per home in out, one HLEN per child
	pipe = s.rdb.Pipeline()
	for i, h := range homeIDs {
		m := reads[i].fields.Val()
		if len(m) == 0 {
			continue
		}
		children := ids(reads[i].children.Val())
		hm := homeFrom(h, m, reads[i].teachers.Val(), reads[i].coords.Val())
		hm.Children = len(children)
		out = append(out, hm)
		var lens []*redis.IntCmd
		for _, c := range children {
			lens = append(lens, pipe.HLen(ctx, s.k.guardians(h, c)))
		}
		guardians = append(guardians, lens)
	}
	if pipe.Len() > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, fmt.Errorf("store: homes %v: %w", homeIDs, err)
		}
	}
	for i, lens := range guardians {
		for _, l := range lens {
			out[i].Guardians += int(l.Val())
		}
	}
	return out, nil
}

// RemoveTeacher removes user from the home's teachers, revoking the
// invitations they opened there; false when they did not teach there,
// homelink.ErrNotAllowed unless by coordinates the home.
func (s *Store) RemoveTeacher(ctx context.Context, by homelink.By, h, user int64) (bool, error) {
	n, err := s.run(ctx, "teacher_remove", []string{s.k.teachers(h), s.k.user(user), s.k.made(user)}, h, user, by.User).Int()
	if err != nil {
		return false, fmt.Errorf("store: remove teacher from %d: %w", h, err)
	}
	if n == -1 {
		return false, homelink.ErrNotAllowed
	}
	return n == 1, nil
}

// homeFrom reads a home's hash and its staff's sets (without its counts
// of children and guardians).
func homeFrom(h int64, m map[string]string, teachers, coords []string) homelink.Home {
	return homelink.Home{ID: h, Name: m["name"], TimeZone: m["tz"], Instructions: m["instr"],
		Teachers: ids(teachers), Coordinators: ids(coords)}
}

func ids(ss []string) []int64 {
	out := make([]int64, 0, len(ss))
	for _, v := range ss {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return sorted(out)
}

// HasHomes reports whether any home was ever created under this prefix:
// the sandbox seeds its demonstration only into an empty store.
func (s *Store) HasHomes(ctx context.Context) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.k.seq("home")).Result()
	if err != nil {
		return false, fmt.Errorf("store: has homes: %w", err)
	}
	return n > 0, nil
}

// Orphans lists the homes no coordinator manages any more (their last one
// ran /forget), for an admin to hand to a new coordinator. It reads the
// index of homes, never the id sequence.
func (s *Store) Orphans(ctx context.Context) ([]homelink.Home, error) {
	all, err := s.rdb.SMembers(ctx, s.k.homes()).Result()
	if err != nil {
		return nil, fmt.Errorf("store: orphans: %w", err)
	}
	homeIDs := ids(all)
	pipe := s.rdb.Pipeline()
	coords := make([]*redis.IntCmd, len(homeIDs))
	for i, h := range homeIDs {
		coords[i] = pipe.SCard(ctx, s.k.coordinators(h))
	}
	if len(homeIDs) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, fmt.Errorf("store: orphans: %w", err)
		}
	}
	var orphans []int64
	for i, h := range homeIDs {
		if coords[i].Val() == 0 {
			orphans = append(orphans, h)
		}
	}
	return s.Homes(ctx, orphans)
}
