package agenda_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/homelink/homelink/agenda"
)

// broadcast is a job to 10,000 people, split into chunks of 500.
type broadcast struct {
	a    *agenda.Agenda
	sent *tally
	// crashAt makes the replica freeze halfway through this many chunks'
	// worth of sending (0: never), like a process killed mid-chunk.
	crashAt  int32
	chunks   atomic.Int32
	frozen   chan struct{}
	released chan struct{}
}

const people, chunkSize = 10000, 500

func (b *broadcast) register() {
	b.a.Register("broadcast", agenda.Handler{Handle: func(ctx context.Context, it agenda.Item) error {
		var chunks []agenda.Chunk
		for n := range people / chunkSize {
			chunks = append(chunks, agenda.Chunk{Key: fmt.Sprintf("%s:%d", it.Key, n), Payload: []byte(strconv.Itoa(n))})
		}
		return b.a.FanOut(ctx, it, "broadcast.chunk", it.Due, chunks)
	}})
	b.a.Register("broadcast.chunk", agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
		n, _ := strconv.Atoi(string(it.Payload))
		crash := b.chunks.Add(1) == b.crashAt
		for p := n * chunkSize; p < (n+1)*chunkSize; p++ {
			if crash && p == n*chunkSize+chunkSize/2 {
				close(b.frozen)
				<-b.released
				return nil
			}
			b.sent.add(agenda.Item{Kind: "person", Key: strconv.Itoa(p)})
		}
		return nil
	}})
}

func TestFanOutSurvivesAKillBetweenChunks(t *testing.T) {
	w := newWorld(t)
	sent := newTally()
	lease := 500 * time.Millisecond
	doomed := &broadcast{a: w.instance(agenda.Options{Lease: lease, Batch: 1, Concurrency: 1}),
		sent: sent, crashAt: 4, frozen: make(chan struct{}), released: make(chan struct{})}
	doomed.register()
	survivor := &broadcast{a: w.instance(agenda.Options{Lease: lease}), sent: sent}
	survivor.register()

	w.put(doomed.a, "broadcast", "b1", t0, "")
	var wg sync.WaitGroup
	wg.Go(func() { w.tick(doomed.a) })
	defer wg.Wait()
	defer close(doomed.released)
	<-doomed.frozen // three chunks sent, the fourth half, then the replica died

	waitFor(t, "the survivor to finish after the lease", func() bool {
		w.tick(survivor.a)
		distinct, _ := sent.total()
		return distinct == people
	})
	distinct, runs := sent.total()
	if distinct != people || runs-distinct > chunkSize {
		t.Fatalf("sent to %d people in %d sends: %d twice, at most one chunk (%d) may be", distinct, runs, runs-distinct, chunkSize)
	}
	t.Logf("sent to %d people, %d of them twice (the chunk in flight when the replica died)", distinct, runs-distinct)
}
