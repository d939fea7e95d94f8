package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/homelink/homelink"
)

// sessionTTL is how long a conversation may rest before it is forgotten.
const sessionTTL = 24 * time.Hour

// Session returns the user's session; an empty Session when none is stored.
func (s *Store) Session(ctx context.Context, id int64) (homelink.Session, error) {
	m, err := s.rdb.HGetAll(ctx, s.k.session(id)).Result()
	if err != nil {
		return homelink.Session{}, fmt.Errorf("store: session %d: %w", id, err)
	}
	sess, err := sessionFromHash(m)
	if err != nil {
		return homelink.Session{}, fmt.Errorf("store: session %d: %w", id, err)
	}
	return sess, nil
}

// SaveSession writes next as the user's session if the stored version is
// still next.Version, and returns next with its new version. It returns
// homelink.ErrSessionChanged when another update changed the session
// meanwhile. A next with an empty Flow ends the conversation.
func (s *Store) SaveSession(ctx context.Context, id int64, next homelink.Session) (homelink.Session, error) {
	return s.saveSession(ctx, id, next)
}

// SaveSessionAndLanguage is SaveSession that also records the language the
// user chose, in the same step: the choice and the flow's end land
// together or not at all.
func (s *Store) SaveSessionAndLanguage(ctx context.Context, id int64, next homelink.Session, lang string) (homelink.Session, error) {
	return s.saveSession(ctx, id, next, "lang", lang)
}

// saveSession is SaveSession with user hash fields (name, value, …) written
// in the same step.
func (s *Store) saveSession(ctx context.Context, id int64, next homelink.Session, userFields ...any) (homelink.Session, error) {
	data := next.Answers
	if len(data) == 0 {
		data = []byte("{}")
	}
	args := append([]any{next.Version, next.Flow, next.Step, next.Nonce, data, int(sessionTTL / time.Second)}, userFields...)
	v, err := s.run(ctx, "session_save", []string{s.k.session(id), s.k.user(id)}, args...).Int64()
	if err != nil {
		return next, fmt.Errorf("store: save session %d: %w", id, err)
	}
	if v < 0 {
		return next, homelink.ErrSessionChanged
	}
	next.Version = v
	if next.Flow == "" {
		next = homelink.Session{Version: v}
	}
	return next, nil
}

func sessionFromHash(m map[string]string) (homelink.Session, error) {
	if len(m) == 0 {
		return homelink.Session{}, nil
	}
	v, err := strconv.ParseInt(m["version"], 10, 64)
	if err != nil {
		return homelink.Session{}, fmt.Errorf("bad version %q", m["version"])
	}
	sess := homelink.Session{Flow: m["flow"], Step: m["step"], Nonce: m["nonce"], Version: v}
	if d := m["data"]; d != "" && d != "{}" {
		if !json.Valid([]byte(d)) {
			return homelink.Session{}, fmt.Errorf("bad answers: not JSON")
		}
		sess.Answers = []byte(d)
	}
	return sess, nil
}
