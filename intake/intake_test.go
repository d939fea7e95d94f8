package intake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/metrics"
	"github.com/homelink/homelink/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// recorder is a handler that notes what it was given, and can panic.
type recorder struct {
	mu      sync.Mutex
	handled []int64
	panicOn int64
	changed chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 1000)} }

func (r *recorder) Handle(_ context.Context, u *models.Update, _ *homelink.Actor) string {
	r.mu.Lock()
	r.handled = append(r.handled, u.ID)
	r.mu.Unlock()
	r.changed <- struct{}{}
	if u.ID == r.panicOn {
		panic("handler bug")
	}
	return "handled"
}

func (r *recorder) ids() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int64(nil), r.handled...)
}

func (r *recorder) waitFor(t *testing.T, n int) []int64 {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for len(r.ids()) < n {
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("handled %v, want %d updates", r.ids(), n)
		}
	}
	return r.ids()
}

func newIntake(t *testing.T, h Handler, clock homelink.Clock, opt Options) (*Intake, *store.Store) {
	t.Helper()
	rdb, prefix := redistest.Client(t)
	st := store.New(rdb, prefix, clock)
	in := New(st, h, slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New(), opt)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		in.Stop(ctx)
	})
	return in, st
}

func update(id, user int64) []byte {
	return []byte(fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"date":1,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"x"},"text":"hi"}}`, id, user, user))
}

func TestPanickingHandlerDoesNotStopTheUsersUpdates(t *testing.T) {
	rec := newRecorder()
	rec.panicOn = 2
	in, _ := newIntake(t, rec, homelink.SystemClock{}, Options{})
	ctx := context.Background()
	for id := int64(1); id <= 4; id++ {
		if err := in.Take(ctx, update(id, 7)); err != nil {
			t.Fatal(err)
		}
	}
	got := rec.waitFor(t, 4)
	for i, id := range got {
		if id != int64(i+1) {
			t.Fatalf("handled %v, want 1..4 in order", got)
		}
	}
}

// A replica that took updates and died before handling them: another
// replica's sweep hands them out once the dead one's lease runs out.
func TestSweepRescuesADeadReplicasInbox(t *testing.T) {
	clock := homelink.NewFakeClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	_, st := newIntake(t, newRecorder(), clock, Options{})
	ctx := context.Background()
	// The dead replica: took two updates and the lease, then vanished.
	if _, item, err := st.Take(ctx, 7, 1, update(1, 7), "dead-replica", 100*time.Millisecond); item == nil || err != nil {
		t.Fatal("the dead replica got no lease", err)
	}
	st.Take(ctx, 7, 2, update(2, 7), "dead-replica-2", time.Minute)
	rec := newRecorder()
	alive := New(st, rec, slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New(), Options{})
	defer alive.Stop(ctx)
	if err := alive.Sweep(ctx); err != nil { // too early: arrivals are fresh
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.ids()) < 2 && time.Now().Before(deadline) {
		if err := alive.Sweep(ctx); err != nil { // held until the dead lease expires
			t.Fatal(err)
		}
		select {
		case <-rec.changed:
		case <-time.After(50 * time.Millisecond):
		}
	}
	got := rec.waitFor(t, 2)
	if len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("rescued %v, want [1 2]", got)
	}
	// Once drained, the inbox leaves the pending index. The recorder saw
	// update 2 a moment before the drain acknowledged it.
	var n int64 = -1
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if n, _, _ = st.PendingInboxes(ctx, time.Minute); n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline
	}
	if n != 0 {
		t.Fatalf("%d inboxes pending after the rescue, want 0", n)
	}
}

// Polling: the offset moves only past updates that were taken. While Redis
// is away nothing is confirmed; afterwards every update is handled once.
func TestPollConfirmsOnlyTakenUpdates(t *testing.T) {
	tg := emulator.New()
	defer tg.Close()
	user := tg.NewUser(7, "x", "en")
	rec := newRecorder()
	rdb, prefix := redistest.Client(t)
	st := store.New(rdb, prefix, homelink.SystemClock{})
	in := New(st, rec, slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New(), Options{})
	defer in.Stop(context.Background())

	first := user.Types("one")
	user.Types("two")
	// A Redis outage: every take fails.
	broken := &failingQueue{Queue: st, fail: true}
	in.queue = broken
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.Poll(ctx, Poller{APIURL: tg.URL(), Token: tg.Token(), Client: http.DefaultClient, Timeout: time.Second})
	}()
	if !tg.WaitFor(5*time.Second, func() bool { return len(tg.Calls("getUpdates")) >= 1 && broken.attempts() > 0 }) {
		t.Fatal("poller did not try to take the updates")
	}
	if n := tg.PendingUpdates(); n != 2 {
		t.Fatalf("%d updates left at Telegram during the outage, want 2 (none confirmed)", n)
	}
	broken.heal()
	got := rec.waitFor(t, 2)
	if got[0] != first || got[1] != first+1 {
		t.Fatalf("handled %v", got)
	}
	if !tg.WaitFor(5*time.Second, func() bool { return tg.PendingUpdates() == 0 }) {
		t.Fatal("taken updates were never confirmed")
	}
	cancel()
	<-done
	if len(rec.ids()) != 2 {
		t.Fatalf("handled %v, want each once", rec.ids())
	}
}

type failingQueue struct {
	Queue
	mu    sync.Mutex
	fail  bool
	tries int
}

func (f *failingQueue) Take(ctx context.Context, actor, id int64, raw []byte, token string, lease time.Duration) (bool, *homelink.InboxItem, error) {
	f.mu.Lock()
	f.tries++
	fail := f.fail
	f.mu.Unlock()
	if fail {
		return false, nil, fmt.Errorf("redis: connection refused")
	}
	return f.Queue.Take(ctx, actor, id, raw, token, lease)
}

func (f *failingQueue) attempts() int { f.mu.Lock(); defer f.mu.Unlock(); return f.tries }
func (f *failingQueue) heal()         { f.mu.Lock(); f.fail = false; f.mu.Unlock() }

// Stop finishes the update in hand, leaves the rest for another replica,
// and takes nothing new.
func TestStopFinishesInHandAndReleasesTheRest(t *testing.T) {
	release := make(chan struct{})
	slow := &blockingHandler{started: make(chan int64, 10), release: release}
	in, st := newIntake(t, slow, homelink.SystemClock{}, Options{})
	ctx := context.Background()
	for id := int64(1); id <= 3; id++ {
		in.Take(ctx, update(id, 7))
	}
	if id := <-slow.started; id != 1 {
		t.Fatalf("started %d first", id)
	}
	stopped := make(chan error)
	go func() { stopped <- in.Stop(ctx) }()
	for deadline := time.Now().Add(5 * time.Second); !in.stopping.Load() && time.Now().Before(deadline); {
		runtime.Gosched()
	}
	if err := in.Take(ctx, update(4, 7)); err != ErrStopping {
		t.Fatalf("take while stopping = %v", err)
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	// Updates 2 and 3 wait for another replica, free to take.
	item, err := st.Claim(ctx, 7, "next-replica", time.Minute)
	if err != nil || item == nil || item.UpdateID != 2 {
		t.Fatalf("after stop claim = %+v, %v; want update 2", item, err)
	}
}

type blockingHandler struct {
	started chan int64
	release chan struct{}
}

func (b *blockingHandler) Handle(_ context.Context, u *models.Update, _ *homelink.Actor) string {
	b.started <- u.ID
	<-b.release
	return "handled"
}

func TestEnvelopeActor(t *testing.T) {
	cases := map[string]int64{
		`{"update_id":1,"message":{"chat":{"id":5,"type":"private"},"from":{"id":5}}}`:                                                                            5,
		`{"update_id":1,"callback_query":{"id":"q","from":{"id":6},"chat_instance":"c"}}`:                                                                         6,
		`{"update_id":1,"channel_post":{"chat":{"id":-100,"type":"channel"}}}`:                                                                                    -100,
		`{"update_id":1,"my_chat_member":{"chat":{"id":8},"from":{"id":8},"date":1,"old_chat_member":{"status":"member"},"new_chat_member":{"status":"kicked"}}}`: 8,
	}
	for raw, want := range cases {
		var u envelope
		if err := json.Unmarshal([]byte(raw), &u); err != nil {
			t.Fatal(err)
		}
		if got, ok := u.actor(); !ok || got != want {
			t.Errorf("Actor(%s) = %d, %v; want %d", raw, got, ok, want)
		}
	}
	var poll envelope
	json.Unmarshal([]byte(`{"update_id":1,"poll":{"id":"p"}}`), &poll)
	if _, ok := poll.actor(); ok {
		t.Error("a poll update has an actor")
	}
}

// gate is a handler that holds update hold until released.
type gate struct {
	*recorder
	hold     int64
	started  chan struct{}
	released chan struct{}
}

func (g *gate) Handle(ctx context.Context, u *models.Update, a *homelink.Actor) string {
	if u.ID == g.hold {
		close(g.started)
		<-g.released
	}
	return g.recorder.Handle(ctx, u, a)
}

// Redis goes away while an update is being handled and comes back within
// the lease: the acknowledgement is retried until it lands, so the update
// is handled once, not again when the lease runs out, and the next one
// follows.
func TestAckIsRetriedThroughARedisRestart(t *testing.T) {
	srv := redistest.NewServer(t, "--appendonly", "yes", "--appendfsync", "always")
	st := store.New(srv.Client(), "t:", homelink.SystemClock{})
	g := &gate{recorder: newRecorder(), hold: 1, started: make(chan struct{}), released: make(chan struct{})}
	m := metrics.New()
	lease := 6 * time.Second
	in := New(st, g, slog.New(slog.NewTextHandler(io.Discard, nil)), m, Options{Lease: lease})
	defer in.Stop(context.Background())
	ctx := context.Background()
	taken := time.Now()
	if err := in.Take(ctx, update(1, 7)); err != nil {
		t.Fatal(err)
	}
	if err := in.Take(ctx, update(2, 7)); err != nil {
		t.Fatal(err)
	}
	<-g.started
	srv.Stop()
	close(g.released)
	for deadline := time.Now().Add(5 * time.Second); testutil.ToFloat64(m.BookkeepingRetries.WithLabelValues("inbox_ack")) < 1; {
		if time.Now().After(deadline) {
			t.Fatal("the failed acknowledgement was not retried")
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline
	}
	srv.Start()
	if got := g.waitFor(t, 2); got[0] != 1 || got[1] != 2 {
		t.Fatalf("handled %v, want [1 2]", got)
	}
	// Past the lease, a sweep finds nothing to rescue: nothing is repeated.
	for len(g.changed) > 0 {
		<-g.changed
	}
	time.Sleep(time.Until(taken.Add(lease + 500*time.Millisecond))) // the lease is Redis's, on the wall clock
	if err := in.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-g.changed:
		t.Fatalf("handled %v after the lease, want [1 2] once each", g.ids())
	case <-time.After(200 * time.Millisecond):
	}
	if n := testutil.ToFloat64(m.BookkeepingFailures.WithLabelValues("inbox_ack")); n != 0 {
		t.Fatalf("%v acknowledgements given up", n)
	}
	if n, _, _ := st.PendingInboxes(ctx, lease); n != 0 {
		t.Fatalf("%d inboxes pending, want 0", n)
	}
}

// A refusal is logged at once, then at most once a minute, with the
// number of refusals since the last line.
func TestThrottleLogsOnceAMinuteWithACount(t *testing.T) {
	th := &throttle{every: time.Minute}
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	if n, ok := th.note(t0); !ok || n != 1 {
		t.Fatalf("first = %d, %v; want logged with 1", n, ok)
	}
	for i := 1; i <= 1998; i++ {
		if _, ok := th.note(t0.Add(time.Duration(i) * 20 * time.Millisecond)); ok {
			t.Fatalf("refusal %d logged within the minute", i)
		}
	}
	if n, ok := th.note(t0.Add(time.Minute)); !ok || n != 1999 {
		t.Fatalf("a minute later = %d, %v; want logged with 1999", n, ok)
	}
}

// A replica dies holding 5,000 users' inboxes, the newest of them one
// more user's, after this replica handled 5,000 others. At production
// settings (a 30 s lease, a sweep every 10 s) every stranded user, the
// newest included, is handled within the lease and one sweep: 45 s.
func TestStrandedInboxBehindABacklogIsRescuedWithinTheLeaseAndOneSweep(t *testing.T) {
	t.Parallel()
	const backlog = 5000
	const lease, sweepEvery = 30 * time.Second, 10 * time.Second
	rec := newRecorder()
	rec.changed = make(chan struct{}, 3*backlog)
	in, st := newIntake(t, rec, homelink.SystemClock{}, Options{Lease: lease})
	ctx := context.Background()
	// This replica's own users, handled: their inboxes leave the index.
	for u := int64(1); u <= backlog; u++ {
		if err := in.Take(ctx, update(u, 100000+u)); err != nil {
			t.Fatal(err)
		}
	}
	rec.waitFor(t, backlog)
	// The dead replica's: taken with their leases, never handled.
	start := time.Now()
	const last = 300000 + backlog
	for u := int64(300001); u <= last; u++ {
		if _, _, err := st.Take(ctx, u, u, update(u, u), "dead-replica", lease); err != nil {
			t.Fatal(err)
		}
	}
	stranded := time.Now()
	sweeps := time.NewTicker(sweepEvery)
	defer sweeps.Stop()
	handled := func() (all, lastOne bool) {
		ids := rec.ids()
		for _, id := range ids[backlog:] {
			if id == last {
				lastOne = true
			}
		}
		return len(ids) == 2*backlog, lastOne
	}
	var lastAt time.Duration
	for deadline := stranded.Add(lease + sweepEvery + 5*time.Second); ; {
		select {
		case <-sweeps.C:
			if err := in.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		case <-rec.changed:
		case <-time.After(100 * time.Millisecond):
		}
		all, lastOne := handled()
		if lastOne && lastAt == 0 {
			lastAt = time.Since(stranded)
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d stranded users handled %v after the dead replica took them (lease %v, sweep every %v)",
				len(rec.ids())-backlog, backlog, time.Since(stranded).Round(time.Second), lease, sweepEvery)
		}
	}
	t.Logf("took %d stranded inboxes in %v; the newest was handled %v after it was stranded, all %v after",
		backlog, stranded.Sub(start).Round(time.Millisecond), lastAt.Round(100*time.Millisecond), time.Since(stranded).Round(100*time.Millisecond))
	if lastAt > lease+sweepEvery+5*time.Second {
		t.Fatalf("the newest stranded user waited %v, want at most 45 s", lastAt)
	}
	// The last update is recorded as handled a moment before its inbox is
	// acknowledged and leaves the index: wait for that, not for a sleep.
	var n int64
	for deadline := time.Now().Add(5 * time.Second); ; {
		n, _, _ = st.PendingInboxes(ctx, lease)
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d inboxes still pending", n)
		}
		select {
		case <-rec.changed:
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// lostReply is a queue whose takes land in Redis but whose answers are
// lost on the way back, as when Redis goes away mid-call.
type lostReply struct {
	Queue
	lose bool
}

func (l *lostReply) Take(ctx context.Context, actor, id int64, raw []byte, token string, lease time.Duration) (bool, *homelink.InboxItem, error) {
	fresh, item, err := l.Queue.Take(ctx, actor, id, raw, token, lease)
	if l.lose {
		return false, nil, fmt.Errorf("read tcp: connection reset by peer")
	}
	return fresh, item, err
}

// A take lands but its answer is lost: the webhook answers 503, and the
// update is handled at once (Telegram's repeat is a duplicate), not after
// the lease a take nobody heard of would hold.
func TestATakeWhoseAnswerWasLostDoesNotHoldTheInbox(t *testing.T) {
	rec := newRecorder()
	in, st := newIntake(t, rec, homelink.SystemClock{}, Options{Lease: time.Minute})
	lossy := &lostReply{Queue: st, lose: true}
	in.queue = lossy
	ctx := context.Background()
	if err := in.Take(ctx, update(1, 7)); err == nil {
		t.Fatal("a take whose answer was lost reported success")
	}
	lossy.lose = false
	if err := in.Take(ctx, update(1, 7)); err != nil { // Telegram sends it again
		t.Fatal(err)
	}
	rec.waitFor(t, 1)
	time.Sleep(200 * time.Millisecond) // a second handling would come now
	if got := rec.ids(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("handled %v, want [1] once", got)
	}
}

// With replicas required, a take in doubt is handed back instead of
// handled: Telegram's repeat (or a sweep) handles it once, so a failover
// that makes the repeat new to the promoted replica cannot answer twice.
func TestATakeInDoubtIsHandedBackWhenReplicasAreRequired(t *testing.T) {
	rec := newRecorder()
	in, st := newIntake(t, rec, homelink.SystemClock{}, Options{Lease: time.Minute, Replicated: true})
	lossy := &lostReply{Queue: st, lose: true}
	in.queue = lossy
	ctx := context.Background()
	if err := in.Take(ctx, update(1, 7)); err == nil {
		t.Fatal("a take whose answer was lost reported success")
	}
	select {
	case <-rec.changed:
		t.Fatalf("handled %v while the webhook answered 503", rec.ids())
	case <-time.After(300 * time.Millisecond):
	}
	lossy.lose = false
	if err := in.Take(ctx, update(1, 7)); err != nil { // Telegram sends it again
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); len(rec.ids()) == 0 && time.Now().Before(deadline); {
		in.Sweep(ctx)                     // a handed-back inbox is due at once
		time.Sleep(20 * time.Millisecond) // polling a condition with a deadline
	}
	time.Sleep(200 * time.Millisecond) // a second handling would come now
	if got := rec.ids(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("handled %v, want [1] once", got)
	}
}
