package agenda_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink/agenda"
)

// A handler that holds its item (waiting for quiet hours to end) finds it
// again at the new time with the new payload, its own record leaving it
// alone; an item put again during the run (its call moved) is not held,
// and keeps the time it was put at.
func TestHoldPutsAClaimedItemBackOnlyWhileItIsTheClaims(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	later := t0.Add(7 * time.Hour)
	var mu sync.Mutex // handlers run at once
	var runs []agenda.Item
	var held []bool
	a.Register("remind", agenda.Handler{Handle: func(ctx context.Context, it agenda.Item) error {
		mu.Lock()
		defer mu.Unlock()
		runs = append(runs, it)
		if it.Key == "moved" && len(held) == 0 {
			// The call moved after the handler read it.
			if err := a.Put(ctx, "remind", "moved", t0.Add(time.Hour), nil); err != nil {
				return err
			}
		}
		if string(it.Payload) != "held" {
			ok, err := a.Hold(ctx, it, later, []byte("held"))
			held = append(held, ok)
			return err
		}
		return nil
	}})
	w.put(a, "remind", "moved", t0, "")
	w.tick(a)
	w.put(a, "remind", "quiet", t0, "")
	w.tick(a)
	if len(held) != 2 || held[0] || !held[1] {
		t.Fatalf("held = %v, want [false true]", held)
	}

	// The moved item comes at the time it was put at, not the held one.
	w.clock.Set(t0.Add(time.Hour))
	w.tick(a)
	if got := runs[len(runs)-1]; len(runs) != 3 || got.Key != "moved" || !got.Due.Equal(t0.Add(time.Hour)) {
		t.Fatalf("runs %d, the last %+v", len(runs), got)
	}
	// Both now wait until the held time (this run of the moved one held
	// it too), and come then, once each, with the held payload.
	w.clock.Set(later.Add(-time.Second))
	w.tick(a)
	if len(runs) != 3 {
		t.Fatalf("%d runs before the held time", len(runs)-3)
	}
	w.clock.Set(later)
	w.tick(a)
	if len(runs) != 5 {
		t.Fatalf("%d runs at the held time, want 2", len(runs)-3)
	}
	for _, it := range runs[3:] {
		if string(it.Payload) != "held" || !it.Due.Equal(later) || it.Attempts != 0 {
			t.Fatalf("a held item came back as %+v", it)
		}
	}
	w.clock.Set(later.Add(time.Hour))
	w.tick(a)
	if len(runs) != 5 {
		t.Fatalf("a held item ran again: %d runs", len(runs))
	}
}
