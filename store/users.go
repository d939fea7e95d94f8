package store

import (
	"context"
	"fmt"

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

// SetBlocked records whether the user has blocked the bot.
func (s *Store) SetBlocked(ctx context.Context, id int64, blocked bool) error {
	var err error
	if blocked {
		err = s.rdb.HSet(ctx, s.k.user(id), "blocked", "1").Err()
	} else {
		err = s.rdb.HDel(ctx, s.k.user(id), "blocked").Err()
	}
	if err != nil {
		return fmt.Errorf("store: set blocked %d: %w", id, err)
	}
	return nil
}

func userFromHash(id int64, m map[string]string) homelink.User {
	return homelink.User{ID: id, Language: m["lang"], Blocked: m["blocked"] == "1"}
}
