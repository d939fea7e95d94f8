package scheduler

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/outbox"
	"github.com/homelink/homelink/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// menus is a release's menus: each chat's says the version and language.
type menus struct{ version string }

func (m menus) MenuVersion() string { return m.version }
func (m menus) ChatMenu(u homelink.User) []outbox.Command {
	return []outbox.Command{{Name: "help", Description: m.version + " " + u.Language}}
}

// countingSender counts menus set, and cancels the walk after the limit.
type countingSender struct {
	*outbox.Outbox
	n      atomic.Int64
	limit  int64
	cancel context.CancelFunc
}

func (c *countingSender) SetCommandsPaced(ctx context.Context, chat int64, lang string, cmds []outbox.Command) error {
	if c.limit > 0 && c.n.Load() >= c.limit {
		c.cancel()
		return ctx.Err()
	}
	err := c.Outbox.SetCommandsPaced(ctx, chat, lang, cmds)
	if err == nil {
		c.n.Add(1)
	}
	return err
}

// crashingStore never releases its lease: a replica that died.
type crashingStore struct{ *store.Store }

func (crashingStore) ReleaseMenuWalk(context.Context, string) error { return nil }

type world struct {
	tg *emulator.Server
	st *store.Store
	ob *outbox.Outbox
	// walked are the users whose chat must get a menu.
	walked []int64
}

// newWorld has n people who wrote to the bot and chose a language, one
// who wrote but has nothing stored, one unreachable and one who forgot.
func newWorld(t *testing.T, n int) *world {
	t.Helper()
	ctx := context.Background()
	tg := emulator.New()
	t.Cleanup(tg.Close)
	rdb, prefix := redistest.Client(t)
	st := store.New(rdb, prefix, homelink.NewFakeClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)))
	api, err := bot.New(tg.Token(), bot.WithServerURL(tg.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	ob := outbox.New(api, rdb, outbox.Options{Prefix: prefix, RatePerSecond: 2000})
	if err := st.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ob.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	w := &world{tg: tg, st: st, ob: ob}
	write := func(id int64) {
		if _, _, err := st.Take(ctx, id, id, []byte(`{}`), "t", time.Second); err != nil {
			t.Fatal(err)
		}
		st.Release(ctx, id, "t")
	}
	for i := range n + 3 {
		id := int64(1000 + i)
		write(id)
		if i < n+2 {
			st.SetLanguage(ctx, id, []string{"en", "zh-Hans"}[i%2])
		}
		if i < n {
			w.walked = append(w.walked, id)
		}
	}
	ob.SetReachable(ctx, int64(1000+n), false)
	if _, err := st.Forget(ctx, int64(1000+n+1)); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) refresh(version string, sender MenuSender) *MenuRefresh {
	if sender == nil {
		sender = w.ob
	}
	return &MenuRefresh{Store: w.st, Sender: sender, Menus: menus{version}, Batch: 10}
}

func (w *world) calls() int { return len(w.tg.Calls("setMyCommands")) }

// checkMenus fails unless every walked user's chat has version's menu and
// nobody else has a chat menu.
func (w *world) checkMenus(t *testing.T, version string) {
	t.Helper()
	ctx := context.Background()
	for _, id := range w.walked {
		u, _ := w.st.User(ctx, id)
		want := version + " " + u.Language
		if c := w.tg.Commands(fmt.Sprintf("chat:%d", id), ""); len(c) != 1 || c[0].Description != want {
			t.Fatalf("chat %d has menu %+v, want %q", id, c, want)
		}
	}
	last := w.walked[len(w.walked)-1]
	for id := last + 1; id <= last+3; id++ {
		if c := w.tg.Commands(fmt.Sprintf("chat:%d", id), ""); c != nil {
			t.Fatalf("chat %d (unreachable, forgotten or with nothing stored) got a menu %+v", id, c)
		}
	}
}

// A release with new menus sets every known user's chat menu once; the
// next tick, and a release with the same menus, do nothing.
func TestNewMenusReachEveryKnownUserOnce(t *testing.T) {
	w := newWorld(t, 45)
	ctx := context.Background()
	if err := w.refresh("v1", nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	w.checkMenus(t, "v1")
	if n := w.calls(); n != 45 {
		t.Fatalf("%d menus set, want 45", n)
	}
	if err := w.refresh("v1", nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := w.calls(); n != 45 {
		t.Fatalf("unchanged menus were set again: %d calls", n)
	}
	if err := w.refresh("v2", nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	w.checkMenus(t, "v2")
}

// A walk stopped after some batches goes on from its last recorded batch,
// redoing at most that one.
func TestStoppedWalkResumesWhereItStopped(t *testing.T) {
	w := newWorld(t, 45)
	ctx, cancel := context.WithCancel(context.Background())
	first := &countingSender{Outbox: w.ob, limit: 25, cancel: cancel}
	if err := w.refresh("v1", first).Run(ctx); err == nil {
		t.Fatal("a stopped walk reported success")
	}
	// 25 set: batches 1 and 2 (20 users) were recorded, batch 3 half done.
	second := &countingSender{Outbox: w.ob}
	if err := w.refresh("v1", second).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := second.n.Load(); n != 25 {
		t.Fatalf("the resumed walk set %d menus, want 25 (users 21–45)", n)
	}
	w.checkMenus(t, "v1")
}

// A replica that dies mid-walk keeps its lease until it runs out; then the
// next replica to tick goes on from the last recorded batch.
func TestDeadWalkersLeaseRunsOutThenAnotherGoesOn(t *testing.T) {
	w := newWorld(t, 45)
	// Long enough that the lease still holds when the next replica first
	// ticks, however busy the machine: the dead walker renewed it only a
	// few menus before it died.
	const lease = 2 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	dead := &MenuRefresh{Store: crashingStore{w.st}, Sender: &countingSender{Outbox: w.ob, limit: 15, cancel: cancel},
		Menus: menus{"v1"}, Batch: 10, Lease: lease}
	dead.Run(ctx)
	next := &countingSender{Outbox: w.ob}
	r := w.refresh("v1", next)
	if err := r.Run(context.Background()); err != nil || next.n.Load() != 0 {
		t.Fatalf("walked while the dead replica's lease held: %d menus, %v", next.n.Load(), err)
	}
	// Tick, as the scheduler would, until the lease ran out and it walked.
	w.tg.WaitFor(time.Minute, func() bool {
		if err := r.Run(context.Background()); err != nil {
			t.Error(err)
		}
		return next.n.Load() > 0
	})
	if n := next.n.Load(); n != 35 {
		t.Fatalf("the next replica set %d menus, want 35 (users 11–45)", n)
	}
	w.checkMenus(t, "v1")
}

// Two replicas ticking at once: one walks, the other does nothing.
func TestTwoReplicasDoNotBothWalk(t *testing.T) {
	w := newWorld(t, 45)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.refresh("v1", nil).Run(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := w.calls(); n != 45 {
		t.Fatalf("%d menus set by two replicas, want 45", n)
	}
	w.checkMenus(t, "v1")
}
