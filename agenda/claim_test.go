package agenda_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/agenda/rule"
	"github.com/homelink/homelink/internal/redistest"
)

// waitFor polls cond until it holds, failing the test after a deadline.
// Leases run on Redis's TIME, so a test of a dead replica waits for one
// to run out; due work never waits, it moves the fake clock.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stuck is a replica that froze while handling: its handlers enter and
// never return until released (as if the process were gone).
type stuck struct {
	entered chan agenda.Item
	release chan struct{}
}

func newStuck() *stuck {
	return &stuck{entered: make(chan agenda.Item, 10000), release: make(chan struct{})}
}

func (s *stuck) handler() agenda.Handler {
	return agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
		s.entered <- it
		<-s.release
		return nil
	}}
}

func TestStoppedInstanceItsItemsAreHandledOnceAfterTheLease(t *testing.T) {
	w := newWorld(t)
	lease := 500 * time.Millisecond
	dead := w.instance(agenda.Options{Lease: lease, Batch: 20, Concurrency: 20})
	frozen := newStuck()
	dead.Register("reminder", frozen.handler())
	alive := w.instance(agenda.Options{Lease: lease})
	done := newTally()
	alive.Register("reminder", done.handler())
	for i := range 20 {
		w.put(alive, "reminder", fmt.Sprint(i), t0, "")
	}
	w.clock.Advance(time.Second)
	var wg sync.WaitGroup
	wg.Go(func() { dead.Tick(context.Background()) })
	defer wg.Wait()
	defer close(frozen.release)
	waitFor(t, "the doomed replica to claim", func() bool { return len(frozen.entered) == 20 })

	w.tick(alive)
	if _, runs := done.total(); runs != 0 {
		t.Fatalf("items taken from a live claim: %d", runs)
	}
	waitFor(t, "the lease to run out", func() bool {
		w.tick(alive)
		distinct, _ := done.total()
		return distinct == 20
	})
	w.tick(alive)
	for i := range 20 {
		if n := done.count("reminder", fmt.Sprint(i)); n != 1 {
			t.Fatalf("item %d handled %d times", i, n)
		}
	}
}

func TestItemWithdrawnASecondBeforeDueIsNeverHandled(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	done := newTally()
	a.Register("reminder", done.handler())
	w.put(a, "reminder", "call-7", t0.Add(time.Hour), "")
	w.clock.Advance(time.Hour - time.Second)
	w.tick(a)
	if _, err := a.Withdraw(context.Background(), "reminder", "call-7"); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Hour)
	w.tick(a)
	if _, runs := done.total(); runs != 0 {
		t.Fatalf("a withdrawn item was handled")
	}
}

func TestItemWithdrawnWhileAnotherInstanceHoldsItIsNotActedOn(t *testing.T) {
	w := newWorld(t)
	holder := w.instance(agenda.Options{})
	other := w.instance(agenda.Options{})
	entered, goOn := make(chan struct{}), make(chan struct{})
	sent := 0
	holder.Register("reminder", agenda.Handler{Handle: func(ctx context.Context, it agenda.Item) error {
		close(entered)
		<-goOn
		current, err := holder.Current(ctx, it)
		if err != nil {
			return err
		}
		if current {
			sent++
		}
		return nil
	}})
	w.put(holder, "reminder", "call-7", t0, "")
	w.clock.Advance(time.Second)
	var wg sync.WaitGroup
	wg.Go(func() { w.tick(holder) })
	<-entered
	if ok, err := other.Withdraw(context.Background(), "reminder", "call-7"); !ok || err != nil {
		t.Fatalf("withdraw: %v %v", ok, err)
	}
	close(goOn)
	wg.Wait()
	if sent != 0 {
		t.Fatal("the handler acted on a withdrawn item")
	}
	if keys := redistest.Keys(t, w.rdb, w.prefix); len(keys) != 1 {
		t.Fatalf("the acknowledgement resurrected the item: %v", keys)
	}
}

func TestAfterThreeHoursDownUsefulItemsAreHandledLateOthersDropped(t *testing.T) {
	w := newWorld(t)
	m := agenda.NewMetrics()
	a := agendaWithMetrics(w, m)
	reminders, reports := newTally(), newTally()
	r := reminders.handler()
	r.UsefulFor = 30 * time.Minute
	a.Register("reminder", r)
	rep := reports.handler()
	rep.UsefulFor = 24 * time.Hour
	a.Register("report", rep)
	for i := range 18 { // one every ten minutes while the replicas are down
		due := t0.Add(time.Duration(i) * 10 * time.Minute)
		w.put(a, "reminder", fmt.Sprint(i), due, "")
		w.put(a, "report", fmt.Sprint(i), due, "")
	}
	w.clock.Advance(3 * time.Hour)
	w.tick(a)
	if distinct, _ := reports.total(); distinct != 18 {
		t.Fatalf("reports handled late: %d of 18", distinct)
	}
	// Due at 2:30 and 2:40 are at most 30 minutes late at 3:00 (2:50 too).
	for i := range 18 {
		want := 0
		if i >= 15 {
			want = 1
		}
		if n := reminders.count("reminder", fmt.Sprint(i)); n != want {
			t.Fatalf("reminder due at +%dm handled %d times, want %d", i*10, n, want)
		}
	}
	if n := testutil.ToFloat64(mDropped(m, "reminder")); n != 15 {
		t.Fatalf("dropped counted %v, want 15", n)
	}
}

func TestFailingItemIsRetriedWithBackoffThenKeptAsFailed(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	runs := 0
	a.Register("notice", agenda.Handler{Retries: 2, Backoff: time.Minute,
		Handle: func(context.Context, agenda.Item) error {
			runs++
			return errors.New("telegram said no")
		}})
	w.put(a, "notice", "n1", t0, "hi")
	for range 3 {
		w.tick(a)
		w.tick(a) // nothing more: the retry waits for its backoff
		w.clock.Advance(5 * time.Minute)
	}
	w.tick(a)
	if runs != 3 {
		t.Fatalf("runs %d, want 3 (one and two retries)", runs)
	}
	failed, err := a.Failed(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].Key != "n1" || failed[0].Attempts != 3 ||
		!strings.Contains(failed[0].Reason, "telegram said no") || string(failed[0].Payload) != "hi" {
		t.Fatalf("failed: %+v", failed)
	}
}

func TestRecurringItemThatRePutsItselfSurvivesItsAcknowledgement(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	done := newTally()
	a.Register("report", agenda.Handler{Handle: func(ctx context.Context, it agenda.Item) error {
		done.add(it)
		return a.Put(ctx, it.Kind, it.Key, it.Due.Add(7*24*time.Hour), it.Payload)
	}})
	w.put(a, "report", "home-42", t0, "")
	for range 3 {
		w.tick(a)
		w.tick(a)
		w.clock.Advance(7 * 24 * time.Hour)
	}
	if n := done.count("report", "home-42"); n != 3 {
		t.Fatalf("weekly report ran %d times in three weeks", n)
	}
}

func TestItemsByKindAndStateAreScraped(t *testing.T) {
	w := newWorld(t)
	m := agenda.NewMetrics()
	a := agendaWithMetrics(w, m)
	reg := prometheus.NewRegistry()
	if err := m.Register(reg, a); err != nil {
		t.Fatal(err)
	}
	a.Register("notice", agenda.Handler{Handle: func(context.Context, agenda.Item) error { return errors.New("no") }})
	w.put(a, "reminder", "1", t0.Add(time.Hour), "")
	w.put(a, "reminder", "2", t0.Add(time.Hour), "")
	w.put(a, "notice", "1", t0, "")
	w.tick(a)
	want := `
# HELP homelink_agenda_items Items by kind and state: stored (waiting or claimed), failed (kept); claimed is for all kinds.
# TYPE homelink_agenda_items gauge
homelink_agenda_items{kind="all",state="claimed"} 0
homelink_agenda_items{kind="notice",state="failed"} 1
homelink_agenda_items{kind="notice",state="stored"} 0
homelink_agenda_items{kind="reminder",state="stored"} 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "homelink_agenda_items"); err != nil {
		t.Fatal(err)
	}
}

// "Every Monday at 08:00" in Shanghai, through Recurring: after three
// weeks it ran three times, each at 08:00 Shanghai time, and waits for the
// fourth Monday.
func TestARecurringRuleRunsAtEachLocalTime(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	monday, err := rule.Parse("every Monday at 08:00", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	var ran []time.Time
	a.Register("report", a.Recurring(agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
		if string(it.Payload) != "home-42" {
			return fmt.Errorf("payload %q", it.Payload)
		}
		ran = append(ran, it.Due)
		return nil
	}}))
	if err := a.PutRecurring(context.Background(), "report", "home-42", monday, w.clock.Now(), []byte("home-42")); err != nil {
		t.Fatal(err)
	}
	for range 21 {
		w.clock.Advance(24 * time.Hour)
		w.tick(a)
		w.tick(a)
	}
	if len(ran) != 3 {
		t.Fatalf("ran %d times in three weeks: %v", len(ran), ran)
	}
	for i, due := range ran {
		local := due.In(shanghai)
		if local.Weekday() != time.Monday || local.Hour() != 8 || local.Minute() != 0 {
			t.Fatalf("run %d due %v, want a Monday at 08:00 in Shanghai", i, local)
		}
		if i > 0 && due.Sub(ran[i-1]) != 7*24*time.Hour {
			t.Fatalf("runs %v apart", due.Sub(ran[i-1]))
		}
	}
}

// A recurring run too late to be useful is skipped, and the series goes on.
func TestALateRecurringRunIsSkippedAndTheSeriesGoesOn(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	daily, _ := rule.Parse("every day at 08:00", time.UTC)
	var ran []time.Time
	a.Register("digest", a.Recurring(agenda.Handler{UsefulFor: time.Hour, Handle: func(_ context.Context, it agenda.Item) error {
		ran = append(ran, it.Due)
		return nil
	}}))
	start := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	w.clock.Set(start)
	if err := a.PutRecurring(context.Background(), "digest", "home-1", daily, start, nil); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(start.Add(5 * time.Hour)) // down over 08:00: noon is too late
	w.tick(a)
	w.tick(a)
	w.clock.Set(time.Date(2026, 12, 2, 8, 0, 30, 0, time.UTC))
	w.tick(a)
	w.tick(a)
	if len(ran) != 1 || !ran[0].Equal(time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("ran %v, want only the 2 December digest", ran)
	}
}

// A recurring handler that finds its thing gone ends the series with
// ErrStop: the run is acknowledged and no next one comes.
func TestErrStopEndsARecurringSeries(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	daily, _ := rule.Parse("every day at 08:00", time.UTC)
	runs := 0
	a.Register("weekly.broadcast", a.Recurring(agenda.Handler{Handle: func(context.Context, agenda.Item) error {
		runs++
		if runs == 2 {
			return agenda.ErrStop
		}
		return nil
	}}))
	start := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	w.clock.Set(start)
	if err := a.PutRecurring(context.Background(), "weekly.broadcast", "b-1", daily, start, nil); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		w.clock.Advance(24 * time.Hour)
		w.tick(a)
		w.tick(a)
	}
	if runs != 2 {
		t.Fatalf("ran %d times; want the series to end at its second run", runs)
	}
	if n, _ := a.Failed(context.Background(), 10); len(n) != 0 {
		t.Fatalf("the ending run was recorded as failed: %+v", n)
	}
}

// A handler that takes its batch's whole time does not make the items
// behind it fail: those whose turn comes after half the lease go back as
// they were, due at once and no attempt counted, and the same tick runs
// them. Only the slow one waits out a backoff.
func TestItemsASlowBatchCannotReachAreGivenBackUnharmed(t *testing.T) {
	w := newWorld(t)
	m := agenda.NewMetrics()
	a := agenda.New(w.rdb, w.clock, m, agenda.Options{Prefix: w.prefix, Batch: 5, Concurrency: 1, Lease: time.Second})
	if err := a.LoadScripts(context.Background()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	attempts := map[string][]int{}
	a.Register("reminder", agenda.Handler{Retries: 3, Backoff: time.Minute,
		Handle: func(ctx context.Context, it agenda.Item) error {
			if it.Key == "slow" && it.Attempts == 0 {
				<-ctx.Done() // the batch's time runs out under it
			}
			// Its work, on the context it was given.
			if err := w.rdb.Incr(ctx, w.prefix+"runs:"+it.Key).Err(); err != nil {
				return err
			}
			mu.Lock()
			attempts[it.Key] = append(attempts[it.Key], it.Attempts)
			mu.Unlock()
			return nil
		}})
	w.put(a, "reminder", "slow", t0, "")
	for i := range 4 {
		w.put(a, "reminder", fmt.Sprint(i), t0.Add(time.Duration(i+1)*time.Millisecond), "")
	}
	w.clock.Set(t0.Add(time.Second))
	w.tick(a)
	for i := range 4 {
		if got := attempts[fmt.Sprint(i)]; !slices.Equal(got, []int{0}) {
			t.Errorf("item %d ran with attempts %v, want once, as a first attempt", i, got)
		}
	}
	if got := attempts["slow"]; len(got) != 0 {
		t.Fatalf("the slow item did its work with attempts %v, want not yet (its retry waits a minute)", got)
	}
	if n := testutil.ToFloat64(m.ReleasedCounter("reminder")); n != 4 {
		t.Errorf("released counted %v, want 4", n)
	}
	w.clock.Advance(5 * time.Minute)
	w.tick(a)
	if got := attempts["slow"]; !slices.Equal(got, []int{1}) {
		t.Fatalf("the slow item ran with attempts %v, want its retry", got)
	}
}
