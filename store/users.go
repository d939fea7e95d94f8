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

// User returns what is stored about user id; a user never seen is returned
// with only its ID set.
func (s *Store) User(ctx context.Context, id int64) (homelink.User, error) {
	m, err := s.rdb.HGetAll(ctx, s.k.user(id)).Result()
	if err != nil {
		return homelink.User{}, fmt.Errorf("store: user %d: %w", id, err)
	}
	return userFromHash(id, m), nil
}

// UserAndSession reads a user and their session in one round trip: the two
// things every update needs first.
func (s *Store) UserAndSession(ctx context.Context, id int64) (homelink.User, homelink.Session, error) {
	pipe := s.rdb.Pipeline()
	u := pipe.HGetAll(ctx, s.k.user(id))
	sess := pipe.HGetAll(ctx, s.k.session(id))
	if _, err := pipe.Exec(ctx); err != nil {
		return homelink.User{}, homelink.Session{}, fmt.Errorf("store: user and session %d: %w", id, err)
	}
	session, err := sessionFromHash(sess.Val())
	if err != nil {
		return homelink.User{}, homelink.Session{}, fmt.Errorf("store: session %d: %w", id, err)
	}
	return userFromHash(id, u.Val()), session, nil
}

// SetLanguage records the language the user chose.
func (s *Store) SetLanguage(ctx context.Context, id int64, lang string) error {
	if err := s.rdb.HSet(ctx, s.k.user(id), "lang", lang).Err(); err != nil {
		return fmt.Errorf("store: set language %d: %w", id, err)
	}
	return nil
}

// userFromHash reads a user hash: lang, coord, the settings (tz, shifts)
// and one field per role held: c:<home>, t:<home>, g:<child> =
// "<home>:<relationship>". Fields it does not know (an older release's
// "blocked") are ignored.
func userFromHash(id int64, m map[string]string) homelink.User {
	u := homelink.User{ID: id, Name: m["name"], Language: m["lang"]}
	readSettings(&u, m)
	u.Roles.Coordinator = m["coord"] == "1"
	for f, v := range m {
		if what, ok := strings.CutPrefix(f, "consent:"); ok {
			u.Consents = append(u.Consents, consentFrom(what, v))
			continue
		}
		kind, rest, ok := strings.Cut(f, ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		switch kind {
		case "c":
			u.Roles.Coordinates = set(u.Roles.Coordinates, n)
		case "t":
			u.Roles.Teaches = set(u.Roles.Teaches, n)
		case "g":
			home, rel, _ := strings.Cut(v, ":")
			h, _ := strconv.ParseInt(home, 10, 64)
			if u.Roles.Guards == nil {
				u.Roles.Guards = map[int64]homelink.Guardianship{}
			}
			u.Roles.Guards[n] = homelink.Guardianship{HomeID: h, Relationship: homelink.Relationship(rel)}
		}
	}
	return u
}

func set(m map[int64]bool, n int64) map[int64]bool {
	if m == nil {
		m = map[int64]bool{}
	}
	m[n] = true
	return m
}

// KnownUsers reads up to limit known users (people who wrote to the bot
// and did not /forget) with ids above after, in id order, each with what
// is stored about them: only the ID for someone with nothing stored. A
// walk over everyone passes the last ID it got as the next after.
func (s *Store) KnownUsers(ctx context.Context, after int64, limit int) ([]homelink.User, error) {
	members, err := s.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: s.k.users(), ByScore: true,
		Start: "(" + strconv.FormatInt(after, 10), Stop: "+inf", Count: int64(limit)}).Result()
	if err != nil {
		return nil, fmt.Errorf("store: known users after %d: %w", after, err)
	}
	userIDs := ids(members)
	if len(userIDs) == 0 {
		return nil, nil
	}
	pipe := s.rdb.Pipeline()
	hashes := make([]*redis.MapStringStringCmd, len(userIDs))
	for i, id := range userIDs {
		hashes[i] = pipe.HGetAll(ctx, s.k.user(id))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("store: known users after %d: %w", after, err)
	}
	out := make([]homelink.User, len(userIDs))
	for i, id := range userIDs {
		out[i] = userFromHash(id, hashes[i].Val())
	}
	return out, nil
}

// consentFrom reads a consent field: what is "g:<child>", "t:<home>" or
// "c"; v is when (unix ms).
func consentFrom(what, v string) homelink.Consent {
	ms, _ := strconv.ParseInt(v, 10, 64)
	c := homelink.Consent{Role: homelink.RoleCoordinator, At: time.UnixMilli(ms)}
	kind, id, _ := strings.Cut(what, ":")
	c.ID, _ = strconv.ParseInt(id, 10, 64)
	switch kind {
	case "g":
		c.Role = homelink.RoleGuardian
	case "t":
		c.Role = homelink.RoleTeacher
	}
	return c
}

// NameIfNone records name as the user's display name unless they have one.
func (s *Store) NameIfNone(ctx context.Context, id int64, name string) error {
	if err := s.rdb.HSetNX(ctx, s.k.user(id), "name", name).Err(); err != nil {
		return fmt.Errorf("store: default name %d: %w", id, err)
	}
	return nil
}

// SetName records the display name the user chose.
func (s *Store) SetName(ctx context.Context, id int64, name string) error {
	if err := s.rdb.HSet(ctx, s.k.user(id), "name", name).Err(); err != nil {
		return fmt.Errorf("store: set name %d: %w", id, err)
	}
	return nil
}

// Names reads the display names of users, in one round trip; a user with
// none is left out.
func (s *Store) Names(ctx context.Context, ids []int64) (map[int64]string, error) {
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HGet(ctx, s.k.user(id), "name")
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("store: names: %w", err)
	}
	out := make(map[int64]string, len(ids))
	for i, c := range cmds {
		if v := c.Val(); v != "" {
			out[ids[i]] = v
		}
	}
	return out, nil
}
