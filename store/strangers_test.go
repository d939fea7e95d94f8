package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/internal/redistest"
)

// Someone who only chose a language is forgotten once silent for longer
// than the cutoff; someone who wrote since is kept, and so is someone
// silent who holds a role (looked at again a period later).
func TestSilentStrangersAreForgotten(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	write := func(user, update int64) {
		t.Helper()
		if _, _, err := s.Take(ctx, user, update, []byte("{}"), "t", time.Minute); err != nil {
			t.Fatal(err)
		}
		s.rdb.Del(ctx, s.k.lock(user), s.k.inbox(user), s.k.pending())
	}
	write(50, 1)
	s.SetLanguage(ctx, 50, "en")
	write(51, 2)
	s.SetLanguage(ctx, 51, "zh-Hans")
	g := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	write(52, 3)
	if _, err := s.RedeemInvite(ctx, g.ID, 52, "en"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(31 * 24 * time.Hour)
	write(51, 4) // 51 writes again
	gone := expire(t, s, clock.Now().Add(-30*24*time.Hour))
	if len(gone) != 1 || gone[0] != 50 {
		t.Fatalf("forgotten %v; want [50]", gone)
	}
	if u, _ := s.User(ctx, 50); u.Language != "" {
		t.Fatalf("50 is still kept: %+v", u)
	}
	if known := knownIDs(t, s, 0, 1000); fmt.Sprint(known) != fmt.Sprint([]int64{51, 52}) {
		t.Fatalf("known users %v", known)
	}
	if u, _ := s.User(ctx, 52); !u.Roles.GuardianOf(c.ID) {
		t.Fatalf("a silent guardian lost their link: %+v", u.Roles)
	}
	// The guardian, looked at once, waits another period.
	if again := expire(t, s, clock.Now().Add(-30*24*time.Hour)); len(again) != 0 {
		t.Fatalf("a second run forgot %v", again)
	}
}

// expire runs the stranger expiry for people silent since before, as the
// scheduler's job does (without an outbox), and returns whom it forgot.
func expire(t testing.TB, s *Store, before time.Time) []int64 {
	t.Helper()
	var all []int64
	for {
		due, err := s.DueStrangers(context.Background(), before, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			return all
		}
		gone, err := s.ForgetStrangers(context.Background(), before, due)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, gone...)
	}
}

// BenchmarkStrangerBytes reports the Redis memory one stranger takes (a
// /language and their answer) before and after the expiry forgets them:
// MEMORY USAGE of every key under the prefix, per stranger.
func BenchmarkStrangerBytes(b *testing.B) {
	rdb, prefix := redistest.Client(b)
	clock := homelink.NewFakeClock(t0)
	s := New(rdb, prefix, clock)
	ctx := context.Background()
	stored := func() (bytes int64, keys int) {
		for _, k := range redistest.Keys(b, rdb, prefix) {
			n, err := rdb.MemoryUsage(ctx, k).Result()
			if err != nil {
				b.Fatal(err)
			}
			bytes += n
			keys++
		}
		return bytes, keys
	}
	const people = 2000
	for i := int64(1); i <= people; i++ {
		id := 900000 + i
		s.Take(ctx, id, i, []byte(`{"update_id":1,"message":{"text":"/language"}}`), "t", time.Minute)
		s.Ack(ctx, id, "t", i, time.Minute)
		s.SetLanguage(ctx, id, "en")
		s.NameIfNone(ctx, id, "Stranger")
	}
	kept, keysKept := stored()
	clock.Advance(31 * 24 * time.Hour)
	expire(b, s, clock.Now().Add(-30*24*time.Hour))
	after, keysAfter := stored()
	b.ReportMetric(float64(kept)/people, "bytes/stranger-kept")
	b.ReportMetric(float64(keysKept)/people, "keys/stranger-kept")
	b.ReportMetric(float64(after)/people, "bytes/stranger-after-expiry")
	b.ReportMetric(float64(keysAfter), "keys-after-expiry")
}

// People known before the last-seen index count as seen at the upgrade:
// the expiry's clock starts for them then, not at the epoch.
func TestUpgradeStartsTheStrangerClockForPeopleKnownBefore(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	s.rdb.ZAdd(ctx, s.k.users(), redis.Z{Score: 60, Member: 60})
	s.SetLanguage(ctx, 60, "en")
	if err := s.Upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	if gone := expire(t, s, clock.Now().Add(-time.Hour)); len(gone) != 0 {
		t.Fatalf("forgotten at the upgrade: %v", gone)
	}
	clock.Advance(31 * 24 * time.Hour)
	if gone := expire(t, s, clock.Now().Add(-30*24*time.Hour)); len(gone) != 1 {
		t.Fatalf("not forgotten 31 days after the upgrade: %v", gone)
	}
}

// A parent unlinked by a teacher holds no role: once silent past the
// cutoff, they are forgotten with the record of the unlink that names them.
func TestTheExpiryTakesTheRecordsNamingAStranger(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	g := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if _, _, err := s.Take(ctx, 30, 1, []byte("{}"), "t", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemInvite(ctx, g.ID, 30, "en"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.UnlinkGuardian(ctx, h.ID, c.ID, 30, teacherOf(1), 0); !ok || err != nil {
		t.Fatal(ok, err)
	}
	clock.Advance(31 * 24 * time.Hour)
	if gone := expire(t, s, clock.Now().Add(-30*24*time.Hour)); len(gone) != 1 || gone[0] != 30 {
		t.Fatalf("forgotten %v, want [30]", gone)
	}
	if _, ok, _ := s.Unlinked(ctx, h.ID, c.ID, 30); ok {
		t.Fatal("the record of the unlink outlived the stranger")
	}
	for _, k := range []string{s.k.user(30), s.k.tagged(30, "acted"), s.k.made(30)} {
		if n, _ := s.rdb.Exists(ctx, k).Result(); n != 0 {
			t.Fatalf("%s is left", k)
		}
	}
}
