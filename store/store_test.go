package store

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/internal/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

func newStore(t testing.TB) (*Store, *homelink.FakeClock) {
	t.Helper()
	rdb, prefix := redistest.Client(t)
	clock := homelink.NewFakeClock(t0)
	s := New(rdb, prefix, clock)
	s.UseCodeKeys([]byte("store-test-invite-key-0123456789abcdef"))
	if err := s.LoadScripts(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func TestTakeTakesEachUpdateOnceAndLeasesTheInbox(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	fresh, item, err := s.Take(ctx, 7, 100, []byte(`{"update_id":100}`), "a", time.Minute)
	if err != nil || !fresh || item == nil || item.UpdateID != 100 || string(item.Raw) != `{"update_id":100}` {
		t.Fatalf("first take = %v, %+v, %v; want fresh with the lease", fresh, item, err)
	}
	// A repeat while "a" works: not fresh, no lease.
	fresh, item, err = s.Take(ctx, 7, 100, []byte(`{"update_id":100}`), "b", time.Minute)
	if err != nil || fresh || item != nil {
		t.Fatalf("repeat take = %v, %+v, %v", fresh, item, err)
	}
	// A new update while "a" works waits for "a".
	fresh, item, err = s.Take(ctx, 7, 101, []byte(`{"update_id":101}`), "b", time.Minute)
	if err != nil || !fresh || item != nil {
		t.Fatalf("take while held = %v, %+v, %v", fresh, item, err)
	}
	next, err := s.Ack(ctx, 7, "a", 100, time.Minute)
	if err != nil || next == nil || next.UpdateID != 101 {
		t.Fatalf("ack = %+v, %v; want update 101 next", next, err)
	}
	if next, err = s.Ack(ctx, 7, "a", 101, time.Minute); err != nil || next != nil {
		t.Fatalf("last ack = %+v, %v; want empty", next, err)
	}
	// Still a repeat after it was handled, and the free lease is not kept.
	fresh, item, err = s.Take(ctx, 7, 100, []byte(`{"update_id":100}`), "c", time.Minute)
	if err != nil || fresh || item != nil {
		t.Fatalf("handled update taken again: %v, %+v, %v", fresh, item, err)
	}
	if item, err := s.Claim(ctx, 7, "d", time.Minute); err != nil || item != nil {
		t.Fatalf("claim of empty inbox = %+v, %v", item, err)
	}
}

func TestInboxHandsOutInUpdateOrderToOneHolder(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	// Arrivals out of order while another worker holds the inbox.
	s.Take(ctx, 7, 9, []byte("first"), "z", time.Minute)
	for _, id := range []int64{12, 10, 11} {
		if _, _, err := s.Take(ctx, 7, id, []byte{byte('0' + id%10)}, "x", time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Ack(ctx, 7, "z", 9, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	s.Release(ctx, 7, "z")
	item, err := s.Claim(ctx, 7, "a", time.Minute)
	if err != nil || item.UpdateID != 10 {
		t.Fatalf("claim = %+v, %v; want update 10", item, err)
	}
	if _, err := s.Claim(ctx, 7, "b", time.Minute); !errors.Is(err, homelink.ErrInboxHeld) {
		t.Fatalf("second claimer got %v, want homelink.ErrInboxHeld", err)
	}
	var got []int64
	for item != nil {
		got = append(got, item.UpdateID)
		if item, err = s.Ack(ctx, 7, "a", item.UpdateID, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 3 || got[0] != 10 || got[1] != 11 || got[2] != 12 {
		t.Fatalf("handled %v, want [10 11 12]", got)
	}
	// The lease is gone: another worker may claim (and finds nothing).
	if item, err := s.Claim(ctx, 7, "b", time.Minute); err != nil || item != nil {
		t.Fatalf("claim after drain = %+v, %v", item, err)
	}
}

func TestExpiredLeasePassesToAnotherWorker(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if _, item, _ := s.Take(ctx, 7, 1, []byte("x"), "dead", 50*time.Millisecond); item == nil {
		t.Fatal("no lease")
	}
	s.Take(ctx, 7, 2, []byte("y"), "dead2", time.Minute)
	deadline := time.Now().Add(2 * time.Second)
	var item *homelink.InboxItem
	var err error
	for {
		item, err = s.Claim(ctx, 7, "alive", time.Minute)
		if !errors.Is(err, homelink.ErrInboxHeld) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || item == nil || item.UpdateID != 1 {
		t.Fatalf("after lease expiry claim = %+v, %v; want update 1", item, err)
	}
	if _, err := s.Ack(ctx, 7, "dead", 1, time.Minute); !errors.Is(err, homelink.ErrInboxHeld) {
		t.Fatalf("dead worker's ack = %v, want homelink.ErrInboxHeld", err)
	}
}

// The pending index holds exactly the inboxes with updates in them, scored
// by their lease's end: a drained inbox leaves it at once, a worker moving
// on moves the score, and a sweep sees an inbox only once its lease ran out,
// and hands each overdue inbox to one sweeper only. Leases are Redis's, on
// its clock: this test waits for one to run out.
func TestPendingIndexHoldsOnlyInboxesWithUpdatesUntilTheirLeaseEnds(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	lease := 300 * time.Millisecond
	overdue := func() []int64 {
		t.Helper()
		ids, err := s.Overdue(ctx, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	pending := func() int64 {
		t.Helper()
		n, _, err := s.PendingInboxes(ctx, lease)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	taken := time.Now()
	s.Take(ctx, 7, 1, []byte("x"), "a", lease)
	s.Take(ctx, 8, 2, []byte("y"), "b", lease)
	if n := pending(); n != 2 {
		t.Fatalf("%d pending after two takes, want 2", n)
	}
	if ids := overdue(); len(ids) != 0 {
		t.Fatalf("overdue while their leases run: %v", ids)
	}
	// 7's worker handles its update: 7 leaves the index at once.
	if next, err := s.Ack(ctx, 7, "a", 1, lease); err != nil || next != nil {
		t.Fatalf("ack = %+v, %v", next, err)
	}
	if n := pending(); n != 1 {
		t.Fatalf("%d pending after 7 was drained, want 1", n)
	}
	// 8's worker dies. Once its lease ran out one sweeper gets it, and the
	// next sweep (another replica's) does not.
	time.Sleep(time.Until(taken.Add(lease + 50*time.Millisecond))) // a lease in Redis, on its clock
	if _, age, _ := s.PendingInboxes(ctx, lease); age < lease || age > lease+time.Second {
		t.Fatalf("oldest pending age %v, want a little over %v", age, lease)
	}
	if ids := overdue(); len(ids) != 1 || ids[0] != 8 {
		t.Fatalf("overdue = %v, want [8]", ids)
	}
	if ids := overdue(); len(ids) != 0 {
		t.Fatalf("a second sweeper got %v too", ids)
	}
	// The sweeper's claim of an inbox drained meanwhile takes it out of the index.
	s.rdb.Del(ctx, s.k.inbox(8))
	if item, err := s.Claim(ctx, 8, "c", lease); err != nil || item != nil {
		t.Fatalf("claim of an empty inbox = %+v, %v", item, err)
	}
	if n := pending(); n != 0 {
		t.Fatalf("%d pending after every inbox was drained, want 0", n)
	}
	// A stopping replica releases an inbox with updates left: due at once.
	s.Take(ctx, 9, 3, []byte("z"), "d", time.Minute)
	if err := s.Release(ctx, 9, "d"); err != nil {
		t.Fatal(err)
	}
	if ids := overdue(); len(ids) != 1 || ids[0] != 9 {
		t.Fatalf("overdue after a release = %v, want [9]", ids)
	}
}

func TestTakeSurvivesLostScriptCache(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if err := s.rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if fresh, item, err := s.Take(ctx, 7, 1, []byte("x"), "a", time.Minute); err != nil || !fresh || item == nil {
		t.Fatalf("take after SCRIPT FLUSH = %v, %+v, %v", fresh, item, err)
	}
}

func TestSessionCompareAndSet(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	sess, err := s.Session(ctx, 7)
	if err != nil || sess.Active() {
		t.Fatalf("new user's session = %+v, %v", sess, err)
	}
	started, err := s.SaveSession(ctx, 7, homelink.Session{Flow: "language", Step: "choose", Nonce: "n1", Answers: []byte(`{"k":"v"}`)})
	if err != nil || started.Version != 1 {
		t.Fatalf("start = %+v, %v", started, err)
	}
	got, _ := s.Session(ctx, 7)
	if got.Flow != "language" || got.Nonce != "n1" || string(got.Answers) != `{"k":"v"}` || got.Version != 1 {
		t.Fatalf("read back %+v", got)
	}
	// A writer holding the old version loses.
	if _, err := s.SaveSession(ctx, 7, homelink.Session{Flow: "other", Version: 0}); !errors.Is(err, homelink.ErrSessionChanged) {
		t.Fatalf("stale write = %v, want ErrSessionChanged", err)
	}
	ended, err := s.SaveSessionAndLanguage(ctx, 7, homelink.Session{Version: 1}, "en")
	if err != nil || ended.Active() || ended.Version != 2 {
		t.Fatalf("end = %+v, %v", ended, err)
	}
	if u, _ := s.User(ctx, 7); u.Language != "en" {
		t.Fatalf("language written with the session = %q", u.Language)
	}
	if _, err := s.SaveSessionAndLanguage(ctx, 7, homelink.Session{Version: 1}, "zh-Hans"); !errors.Is(err, homelink.ErrSessionChanged) {
		t.Fatalf("stale end = %v", err)
	}
	if u, _ := s.User(ctx, 7); u.Language != "en" {
		t.Fatalf("a refused session write changed the language to %q", u.Language)
	}
	if _, err := s.SaveSession(ctx, 7, started); !errors.Is(err, homelink.ErrSessionChanged) {
		t.Fatalf("write from the ended flow = %v, want ErrSessionChanged", err)
	}
	ttl := s.rdb.TTL(ctx, s.k.session(7)).Val()
	if ttl <= 0 || ttl > sessionTTL {
		t.Fatalf("session TTL = %v", ttl)
	}
}

// The language a user chose is kept; the "blocked" field an older release
// wrote is ignored (the outbox owns reachability now).
func TestUserLanguageAndOldFieldsIgnored(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if err := s.SetLanguage(ctx, 7, "en"); err != nil {
		t.Fatal(err)
	}
	s.rdb.HSet(ctx, s.k.user(7), "blocked", "1")
	u, sess, err := s.UserAndSession(ctx, 7)
	if err != nil || u.Language != "en" || sess.Active() {
		t.Fatalf("user = %+v, %+v, %v", u, sess, err)
	}
}

// An update is handed out with what the store holds about its actor, so
// the handler needs no round trip to read it.
func TestItemsCarryTheActorsState(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	s.SetLanguage(ctx, 7, "en")
	s.SaveSession(ctx, 7, homelink.Session{Flow: "lang", Step: "choose", Nonce: "n"})
	_, item, err := s.Take(ctx, 7, 1, []byte("a"), "w", time.Minute)
	if err != nil || item == nil {
		t.Fatal(item, err)
	}
	if item.Actor.User.ID != 7 || item.Actor.User.Language != "en" || item.Actor.Session.Flow != "lang" || item.Actor.Session.Version != 1 {
		t.Fatalf("taken item's actor = %+v", item.Actor)
	}
	s.Take(ctx, 7, 2, []byte("b"), "x", time.Minute)
	s.SaveSession(ctx, 7, homelink.Session{Version: 1}) // the handler of update 1 ends the flow
	next, err := s.Ack(ctx, 7, "w", 1, time.Minute)
	if err != nil || next == nil || next.Actor.Session.Active() || next.Actor.Session.Version != 2 {
		t.Fatalf("next item's actor = %+v, %v: want the session as update 1 left it", next, err)
	}
}
