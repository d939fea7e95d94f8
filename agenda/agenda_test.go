package agenda_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/internal/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

var t0 = time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)

// world is one Redis and one fake clock shared by agenda instances, as
// replicas share them.
type world struct {
	t      testing.TB
	rdb    *redis.Client
	prefix string
	clock  *homelink.FakeClock
}

func newWorld(t testing.TB) *world {
	rdb, prefix := redistest.Client(t)
	return &world{t: t, rdb: rdb, prefix: prefix, clock: homelink.NewFakeClock(t0)}
}

// instance starts one replica's agenda.
func (w *world) instance(opt agenda.Options) *agenda.Agenda {
	opt.Prefix = w.prefix
	a := agenda.New(w.rdb, w.clock, nil, opt)
	if err := a.LoadScripts(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	return a
}

func (w *world) put(a *agenda.Agenda, kind, key string, due time.Time, payload string) {
	w.t.Helper()
	if err := a.Put(context.Background(), kind, key, due, []byte(payload)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) tick(a *agenda.Agenda) {
	w.t.Helper()
	if err := a.Tick(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// tally counts what handlers did, by kind and key.
type tally struct {
	mu   sync.Mutex
	seen map[string]int
}

func newTally() *tally { return &tally{seen: map[string]int{}} }

func (c *tally) add(it agenda.Item) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[it.Kind+"/"+it.Key]++
}

func (c *tally) count(kind, key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[kind+"/"+key]
}

func (c *tally) total() (distinct, runs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.seen {
		distinct++
		runs += n
	}
	return distinct, runs
}

func (c *tally) handler() agenda.Handler {
	return agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
		c.add(it)
		return nil
	}}
}

func TestPutReplacesMoveAndWithdrawByKey(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	got := make(chan agenda.Item, 10)
	a.Register("reminder", agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
		got <- it
		return nil
	}})
	ctx := context.Background()
	w.put(a, "reminder", "b1", t0.Add(time.Hour), "old")
	w.put(a, "reminder", "b1", t0.Add(2*time.Hour), "new")
	if ok, err := a.Move(ctx, "reminder", "b1", t0.Add(30*time.Minute)); !ok || err != nil {
		t.Fatalf("move: %v %v", ok, err)
	}
	if ok, _ := a.Move(ctx, "reminder", "nothing", t0); ok {
		t.Fatal("moved an item that does not exist")
	}
	w.put(a, "reminder", "b2", t0.Add(time.Minute), "")
	if ok, err := a.Withdraw(ctx, "reminder", "b2"); !ok || err != nil {
		t.Fatalf("withdraw: %v %v", ok, err)
	}
	w.clock.Advance(29 * time.Minute)
	w.tick(a)
	if len(got) != 0 {
		t.Fatalf("handled before due: %v", <-got)
	}
	w.clock.Advance(time.Minute)
	w.tick(a)
	if len(got) != 1 {
		t.Fatalf("handled %d items, want 1", len(got))
	}
	it := <-got
	if it.Key != "b1" || string(it.Payload) != "new" || !it.Due.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("handled %+v", it)
	}
	if keys := redistest.Keys(t, w.rdb, w.prefix); len(keys) != 1 { // the counts hash
		t.Fatalf("keys left after the work was done: %v", keys)
	}
}

func TestBadNamesAreRefused(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	for _, kk := range [][2]string{{"", "k"}, {"k", ""}, {"a|b", "k"}, {"k", "a\x1fb"}} {
		if err := a.Put(context.Background(), kk[0], kk[1], t0, nil); err == nil {
			t.Errorf("put %q %q: no error", kk[0], kk[1])
		}
	}
}

func TestThreeInstancesHandleEachOfTwoThousandOnce(t *testing.T) {
	w := newWorld(t)
	done := newTally()
	var replicas []*agenda.Agenda
	for range 3 {
		a := w.instance(agenda.Options{Batch: 50})
		a.Register("reminder", done.handler())
		replicas = append(replicas, a)
	}
	for i := range 2000 {
		w.put(replicas[i%3], "reminder", fmt.Sprint(i), t0.Add(time.Duration(i)*time.Millisecond), "")
	}
	w.clock.Advance(3 * time.Second)
	var wg sync.WaitGroup
	for _, a := range replicas {
		wg.Go(func() { w.tick(a) })
	}
	wg.Wait()
	for _, a := range replicas {
		w.tick(a)
	}
	for i := range 2000 {
		if n := done.count("reminder", fmt.Sprint(i)); n != 1 {
			t.Fatalf("item %d handled %d times", i, n)
		}
	}
}

func agendaWithMetrics(w *world, m *agenda.Metrics) *agenda.Agenda {
	a := agenda.New(w.rdb, w.clock, m, agenda.Options{Prefix: w.prefix})
	if err := a.LoadScripts(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	return a
}

func mDropped(m *agenda.Metrics, kind string) prometheus.Counter { return m.DroppedCounter(kind) }
