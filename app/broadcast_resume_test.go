package app

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/store"
)

// A chunk whose worker dies after queuing it and before the agenda hears
// (its lease runs out, and another replica runs it again) queues nobody
// twice and counts its recipients once; the run still ends with all of
// them.
func TestABroadcastChunkRunTwiceQueuesOnce(t *testing.T) {
	bb := newBroadcastBench(t, 3) // 100 homes of 3 parents: 300, two chunks
	ctx := context.Background()
	bc := bb.send(t)
	run, total, err := bb.h.store().StartRun(ctx, bc.ID, 0, bb.h.clock.Now())
	if err != nil || total != 300 {
		t.Fatalf("start = %d, %d, %v", run, total, err)
	}
	// Each chunk as the agenda holds it, run twice.
	for k := range 2 {
		d := bb.chunk(t, bc.ID, run, k)
		for range 2 {
			if err := bb.a.Bot.BroadcastChunk(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, err := bb.a.Outbox.Batch(ctx, homelink.RunBatch(bc.ID, run))
	if err != nil || st.Total != 300 {
		t.Fatalf("batch = %+v, %v; want 300 queued once", st, err)
	}
	r, err := bb.h.store().Run(ctx, bc.ID, run)
	if err != nil || r.Queued != 300 || r.Placed != 300 {
		t.Fatalf("run = %+v, %v; want 300 counted once", r, err)
	}
}

// Stopped while a chunk is being queued (the chunk read the run as
// sending, then the stop came, then it queued): the outbox leaves its
// messages out, and the run still ends with its report instead of
// "stopping…" for ever.
func TestAStopDuringAChunkStillEndsTheRun(t *testing.T) {
	bb := newBroadcastBench(t, 3)
	ctx := context.Background()
	bc := bb.send(t)
	run, _, err := bb.h.store().StartRun(ctx, bc.ID, 0, bb.h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	batch := homelink.RunBatch(bc.ID, run)
	if _, err := bb.a.Outbox.CancelBatch(ctx, batch); err != nil { // the stop, as far as the outbox goes
		t.Fatal(err)
	}
	for k := range 2 {
		if err := bb.a.Bot.BroadcastChunk(ctx, bb.chunk(t, bc.ID, run, k)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bb.h.store().CancelRun(ctx, homelink.By{User: bb.coord}, bc.ID, run); err != nil { // ... and as far as the run goes
		t.Fatal(err)
	}
	bb.h.rdb.Del(ctx, fmt.Sprintf("%s{b%d}:run:%d:turn", bb.h.prefix, bc.ID, run))
	if err := bb.a.Bot.BroadcastProgress(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := bb.h.store().Run(ctx, bc.ID, run)
	if err != nil || r.State != homelink.RunCancelled || r.Ended.IsZero() {
		t.Fatalf("run = %+v, %v; want it ended, stopped", r, err)
	}
	if active, _ := bb.h.store().ActiveRuns(ctx); len(active) != 0 {
		t.Fatalf("still followed: %v", active)
	}
}

// chunk is chunk k of run n of broadcast id as the agenda holds it
// (_agenda.lua's layout: "attempts|token|due|payload"), as its handler
// gets it.
func (bb *broadcastBench) chunk(t *testing.T, id, n int64, k int) bot.Due {
	t.Helper()
	key := fmt.Sprintf("%d.%d.%d", id, n, k)
	sum := sha1.Sum([]byte(key))
	rec, err := bb.h.rdb.HGet(context.Background(), bb.h.prefix+"{agenda}:i:"+store.KindBroadcastChunk+":"+hex.EncodeToString(sum[:2]), key).Result()
	if err != nil {
		t.Fatalf("chunk %s: %v", key, err)
	}
	return bot.Due{Kind: store.KindBroadcastChunk, Key: key, At: bb.h.clock.Now(), Payload: []byte(strings.SplitN(rec, "|", 4)[3])}
}
