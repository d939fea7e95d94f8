package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// Recipients reads what each of refs needs to get a broadcast at now: the
// person's language, name, zone and quiet hours, the home's name, a
// guardian's children at the home and their next confirmed call there.
// Two round trips for any number of refs. A person gone since (no user
// hash, or no longer in the role the chunk names) is left out.
func (s *Store) Recipients(ctx context.Context, refs []homelink.RunRef, now time.Time) ([]homelink.Recipient, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	pipe := s.rdb.Pipeline()
	users := map[int64]*redis.MapStringStringCmd{}
	homes := map[int64]*redis.SliceCmd{}
	calls := make([]*redis.StringSliceCmd, len(refs))
	for i, r := range refs {
		if users[r.User] == nil {
			users[r.User] = pipe.HGetAll(ctx, s.k.user(r.User))
		}
		if homes[r.Home] == nil {
			homes[r.Home] = pipe.HMGet(ctx, s.k.home(r.Home), "name", "tz")
		}
		if r.Role == homelink.RoleGuardian {
			calls[i] = pipe.ZRangeByScore(ctx, s.k.userCalls(r.User), &redis.ZRangeBy{
				Min: strconv.FormatInt(now.UnixMilli(), 10), Max: "+inf", Count: 64})
		}
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("store: recipients: %w", err)
	}
	type pending struct {
		children []*redis.StringCmd
		calls    []*redis.SliceCmd
	}
	out := make([]homelink.Recipient, 0, len(refs))
	more := make([]pending, 0, len(refs))
	pipe = s.rdb.Pipeline()
	for i, r := range refs {
		m := users[r.User].Val()
		if len(m) == 0 {
			continue
		}
		u := userFromHash(r.User, m)
		if !holds(u, r) {
			continue
		}
		hv := homes[r.Home].Val()
		name, _ := hv[0].(string)
		tz, _ := hv[1].(string)
		zone := u.TimeZone
		if zone == "" {
			zone = tz
		}
		if zone == "" {
			zone = s.zone.String()
		}
		out = append(out, homelink.Recipient{User: r.User, Home: r.Home, Role: r.Role, Name: u.Name, Lang: u.Language,
			Zone: zone, Quiet: u.QuietHours(), HomeName: name})
		var p pending
		if r.Role == homelink.RoleGuardian {
			for c, g := range u.Roles.Guards {
				if g.HomeID == r.Home {
					p.children = append(p.children, pipe.HGet(ctx, s.k.child(r.Home, c), "name"))
				}
			}
			prefix := strconv.FormatInt(r.Home, 10) + "."
			for _, ref := range calls[i].Val() {
				if id, ok := strings.CutPrefix(ref, prefix); ok {
					n, _ := strconv.ParseInt(id, 10, 64)
					p.calls = append(p.calls, pipe.HMGet(ctx, s.k.call(r.Home, n), "state", "start", "child"))
				}
			}
		}
		more = append(more, p)
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("store: recipients: %w", err)
	}
	var names []*redis.StringCmd
	nameOf := make([]int, len(out))
	pipe = s.rdb.Pipeline()
	for i := range out {
		for _, c := range more[i].children {
			if n := c.Val(); n != "" {
				out[i].Children = append(out[i].Children, n)
			}
		}
		nameOf[i] = -1
		for _, c := range more[i].calls {
			v := c.Val()
			if fmt.Sprint(v[0]) != string(homelink.Confirmed) {
				continue
			}
			start, _ := strconv.ParseInt(fmt.Sprint(v[1]), 10, 64)
			at := time.UnixMilli(start)
			if at.Before(now) || (!out[i].NextCall.IsZero() && !at.Before(out[i].NextCall)) {
				continue
			}
			child, _ := strconv.ParseInt(fmt.Sprint(v[2]), 10, 64)
			out[i].NextCall = at
			if nameOf[i] < 0 {
				nameOf[i] = len(names)
				names = append(names, pipe.HGet(ctx, s.k.child(out[i].Home, child), "name"))
			} else {
				names[nameOf[i]] = pipe.HGet(ctx, s.k.child(out[i].Home, child), "name")
			}
		}
	}
	if len(names) > 0 {
		if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
			return nil, fmt.Errorf("store: recipients: %w", err)
		}
		for i := range out {
			if nameOf[i] >= 0 {
				out[i].NextCallChild = names[nameOf[i]].Val()
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].Children)
	}
	return out, nil
}

// holds reports whether u still holds the role r names at r's home.
func holds(u homelink.User, r homelink.RunRef) bool {
	switch r.Role {
	case homelink.RoleTeacher:
		return u.Roles.Teaches[r.Home]
	case homelink.RoleCoordinator:
		return u.Roles.Coordinates[r.Home]
	}
	for _, g := range u.Roles.Guards {
		if g.HomeID == r.Home {
			return true
		}
	}
	return false
}

// PreviewRecipient is one person a broadcast to a in homes would reach
// now, read as a run would (false when it reaches nobody).
func (s *Store) PreviewRecipient(ctx context.Context, by homelink.By, homes []int64, a homelink.Audience) (homelink.Recipient, bool, error) {
	res, err := s.run(ctx, "bc_first", nil, by.User, joinIDs(homes), string(a), "").StringSlice()
	if err != nil {
		return homelink.Recipient{}, false, fmt.Errorf("store: preview recipient: %w", err)
	}
	if len(res) == 1 {
		return homelink.Recipient{}, false, homelink.ErrNotAllowed
	}
	if len(res) != 3 {
		return homelink.Recipient{}, false, nil
	}
	refs := homelink.ParseChunk(strings.Join(res, ":"))
	rs, err := s.Recipients(ctx, refs, s.clock.Now())
	if err != nil || len(rs) == 0 {
		return homelink.Recipient{}, false, err
	}
	return rs[0], true, nil
}
