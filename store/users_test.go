package store

import (
	"context"
	"testing"
	"time"
)

func knownIDs(t *testing.T, s *Store, after int64, limit int) []int64 {
	t.Helper()
	users, err := s.KnownUsers(context.Background(), after, limit)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

// Whoever writes becomes known with their first update, in the same
// script that takes it; a chat without a person (a channel) does not;
// /forget makes them unknown.
func TestPeopleWhoWriteAreKnownUntilTheyForget(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	for i, actor := range []int64{30, 10, 20, -100123, 10} {
		if _, _, err := s.Take(ctx, actor, int64(i+1), []byte(`{}`), "w", time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if got := knownIDs(t, s, 0, 10); len(got) != 3 || got[0] != 10 || got[1] != 20 || got[2] != 30 {
		t.Fatalf("known = %v, want [10 20 30]", got)
	}
	// In batches, resuming after the last id.
	if got := knownIDs(t, s, 10, 1); len(got) != 1 || got[0] != 20 {
		t.Fatalf("after 10 = %v", got)
	}
	s.SetLanguage(ctx, 20, "en")
	users, _ := s.KnownUsers(ctx, 10, 1)
	if users[0].Language != "en" {
		t.Fatalf("known user read without their hash: %+v", users[0])
	}
	if _, err := s.Forget(ctx, 20); err != nil {
		t.Fatal(err)
	}
	if got := knownIDs(t, s, 0, 10); len(got) != 2 || got[1] != 30 {
		t.Fatalf("known after forget = %v", got)
	}
}

// People an older release knew (a user hash, no known-users entry) are
// added once by Upgrade; someone with nothing stored was never told apart
// from a stranger and stays out.
func TestUpgradeAddsPeopleOlderReleasesKnew(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	s.SetLanguage(ctx, 5, "zh-Hans")
	homeWithChild(t, s, 6) // 6 coordinates it, teacherOf(6) teaches there
	s.rdb.Del(ctx, s.k.users())
	for range 2 {
		if err := s.Upgrade(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := knownIDs(t, s, 0, 10000); len(got) != 3 || got[0] != 5 || got[1] != 6 || got[2] != teacherOf(6) {
		t.Fatalf("known = %v, want [5 6 %d]", got, teacherOf(6))
	}
	// Done once: a later start does not scan again.
	s.rdb.ZRem(ctx, s.k.users(), 5)
	s.Upgrade(ctx)
	if got := knownIDs(t, s, 0, 10000); len(got) != 2 {
		t.Fatalf("upgrade ran twice: %v", got)
	}
}
