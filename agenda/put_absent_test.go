package agenda_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/agenda/rule"
)

// PutIfAbsent leaves an item that waits, or that a handler holds, as it
// is; once it is done, or kept as failed, it puts a new one.
func TestPutIfAbsentLeavesAWaitingOrClaimedItem(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	ctx := context.Background()
	var ran []agenda.Item
	var putWhileHeld []bool
	a.Register("job", agenda.Handler{Handle: func(ctx context.Context, it agenda.Item) error {
		ran = append(ran, it)
		put, err := a.PutIfAbsent(ctx, "job", "daily", t0.Add(time.Minute), []byte("held"))
		if err != nil {
			return err
		}
		putWhileHeld = append(putWhileHeld, put)
		if string(it.Payload) == "fail" {
			return errors.New("the job failed")
		}
		return nil
	}})
	for i, p := range []struct {
		due     time.Time
		payload string
		put     bool
	}{{t0.Add(time.Hour), "first", true}, {t0.Add(time.Minute), "second", false}, {t0.Add(3 * time.Hour), "third", false}} {
		put, err := a.PutIfAbsent(ctx, "job", "daily", p.due, []byte(p.payload))
		if err != nil || put != p.put {
			t.Fatalf("put %d: %v, %v; want %v", i+1, put, err, p.put)
		}
	}
	w.clock.Advance(59 * time.Minute)
	w.tick(a)
	if len(ran) != 0 {
		t.Fatalf("ran %+v before the first item's time", ran)
	}
	w.clock.Advance(time.Minute)
	w.tick(a)
	if len(ran) != 1 || string(ran[0].Payload) != "first" || !ran[0].Due.Equal(t0.Add(time.Hour)) {
		t.Fatalf("ran %+v, want the first item at its time", ran)
	}
	if len(putWhileHeld) != 1 || putWhileHeld[0] {
		t.Fatalf("put while the handler held the item: %v", putWhileHeld)
	}
	// Done: the next one goes in; failed past its retries: so does the next.
	if put, err := a.PutIfAbsent(ctx, "job", "daily", w.clock.Now(), []byte("fail")); !put || err != nil {
		t.Fatalf("put after the run: %v, %v", put, err)
	}
	w.tick(a)
	if failed, _ := a.Failed(ctx, 10); len(failed) != 1 {
		t.Fatalf("failed items %+v", failed)
	}
	if put, err := a.PutIfAbsent(ctx, "job", "daily", w.clock.Now(), []byte("again")); !put || err != nil {
		t.Fatalf("put after a failure: %v, %v", put, err)
	}
	if _, err := a.PutIfAbsent(ctx, "job", "a\x1fb", t0, nil); !errors.Is(err, agenda.ErrBadName) {
		t.Fatalf("a bad key: %v", err)
	}
}

// A recurring series made sure of at each start keeps its time: a replica
// down over the series' time finds its run still due when it starts again,
// rather than a day later, and runs it at once.
func TestPutRecurringIfAbsentKeepsTheSeries(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	daily, _ := rule.Parse("every day at 03:00", time.UTC)
	var ran []time.Time
	start := func() *agenda.Agenda {
		a := w.instance(agenda.Options{})
		a.Register("expire", a.Recurring(agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
			ran = append(ran, it.Due)
			return nil
		}}))
		if _, err := a.PutRecurringIfAbsent(ctx, "expire", "daily", daily, w.clock.Now(), nil); err != nil {
			t.Fatal(err)
		}
		return a
	}
	start()                                                  // t0 is 6 March, 09:00
	w.clock.Set(time.Date(2026, 3, 7, 4, 0, 0, 0, time.UTC)) // down over 03:00
	a := start()
	w.tick(a)
	w.clock.Set(time.Date(2026, 3, 8, 3, 0, 0, 0, time.UTC))
	w.tick(a)
	want := []time.Time{time.Date(2026, 3, 7, 3, 0, 0, 0, time.UTC), time.Date(2026, 3, 8, 3, 0, 0, 0, time.UTC)}
	if len(ran) != 2 || !ran[0].Equal(want[0]) || !ran[1].Equal(want[1]) {
		t.Fatalf("ran %v, want %v", ran, want)
	}
}
