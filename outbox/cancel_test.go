package outbox

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// batchSends counts the messages of the fake's chats first..first+n-1
// received: what reached Telegram of a batch sent to them.
func batchSends(tg *emulator.Server, first int64, n int) int {
	got := 0
	for _, c := range sends(tg) {
		if id, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64); id >= first && id < first+int64(n) {
			got++
		}
	}
	return got
}

// A broadcast of 2,000 cancelled midway, at a rate low enough that most
// of it still waits: the rest is withdrawn within well under a second,
// nothing arrives after the few messages workers held, the counts add up,
// a reply to one of those people goes at once, another batch's messages
// still go, and whatever is queued into the batch later is left out.
func TestCancelBatchStopsTheRestAtOnce(t *testing.T) {
	const rate, workers, n, first = 100, 4, 2000, 10_000
	tg := emulator.New(emulator.WithLimits(emulator.Limits{PerSecond: rate, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{RatePerSecond: rate, Workers: workers})
	ctx := context.Background()
	people := users(tg, first, n)
	ids := make([]string, 0, n)
	for start := 0; start < n; start += 200 {
		var ms []Message
		for _, u := range people[start : start+200] {
			ms = append(ms, Message{Lane: Bulk, ChatID: u.ID, Text: "Open day on Saturday", Batch: "bc7.1"})
		}
		got, err := o.EnqueueAll(ctx, ms)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got...)
	}
	others := users(tg, 50_000, 20)
	for _, u := range others {
		if _, err := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "Report", Batch: "rep"}); err != nil {
			t.Fatal(err)
		}
	}
	run(t, o)
	if !tg.WaitFor(30*time.Second, func() bool { return batchSends(tg, first, n) >= 100 }) {
		t.Fatal("the broadcast did not start")
	}

	start := time.Now()
	withdrawn, err := o.CancelBatch(ctx, "bc7.1")
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	before := batchSends(tg, first, n)
	t.Logf("cancelled after %d sent: %d withdrawn in %v", before, withdrawn, took)
	if took > 500*time.Millisecond {
		t.Errorf("cancelling took %v, want well under a second", took)
	}
	b := waitBatch(t, tg, o, "bc7.1", n, 10*time.Second)
	after := batchSends(tg, first, n)
	if after-before > workers {
		t.Errorf("%d messages arrived after the cancel returned, want at most the %d workers held", after-before, workers)
	}
	if b.Sent != after || b.Cancelled != withdrawn || b.Failed != b.Cancelled || b.Sent+b.Cancelled != n ||
		b.Reasons[ReasonCancelled] != withdrawn || b.CancelledAt.Before(start.Add(-time.Second)) {
		t.Fatalf("batch %+v after %d withdrawn and %d arrived", b, withdrawn, after)
	}
	waitBatch(t, tg, o, "rep", len(others), 10*time.Second)
	if d, _ := o.Depth(ctx); d != [3]int64{} {
		t.Fatalf("lanes still hold %v", d)
	}

	// Someone whose message was withdrawn writes: the answer goes at once,
	// no longer queued behind it.
	var u *emulator.User
	for i := n - 1; i >= 0 && u == nil; i-- {
		if s, _ := o.Status(ctx, ids[i]); s.State == "failed" && s.Reason == "cancelled: the batch was cancelled" && s.ChatID == 0 {
			u = people[i]
		}
	}
	if u == nil {
		t.Fatal("no withdrawn message has the cancelled reason and no chat")
	}
	if q, _ := o.Queued(ctx, u.ID); len(q) != 0 {
		t.Fatalf("still queued for %d: %+v", u.ID, q)
	}
	if id, err := o.Send(ctx, Message{ChatID: u.ID, Text: "Booked", Reply: true}); err != nil || id == 0 {
		t.Fatalf("the reply went %d, %v: want sent at once", id, err)
	}
	if _, ok := u.WaitForMessage("Booked", 5*time.Second); !ok || len(u.Messages()) != 1 {
		t.Fatalf("the person sees %v", texts(u))
	}

	// A chunk queued after the cancel is left out, and not counted.
	late, err := o.EnqueueAll(ctx, []Message{{Lane: Bulk, ChatID: people[0].ID, Text: "late", Batch: "bc7.1"},
		{Lane: Bulk, ChatID: people[1].ID, Text: "late", Batch: "bc7.1"}})
	if err != nil || len(late) != 2 || late[0] != "" || late[1] != "" {
		t.Fatalf("EnqueueAll into the cancelled batch: %q, %v", late, err)
	}
	if _, err := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: people[2].ID, Text: "late", Batch: "bc7.1"}); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Enqueue into the cancelled batch: %v", err)
	}
	if b2, _ := o.Batch(ctx, "bc7.1"); b2.Total != n || b2.Pending() != 0 {
		t.Fatalf("after the late ones: %+v", b2)
	}
	if again, err := o.CancelBatch(ctx, "bc7.1"); err != nil || again != 0 {
		t.Fatalf("a second cancel withdrew %d, %v", again, err)
	}
}

// A message a worker holds when the batch is cancelled is the worker's to
// send and record; one whose worker's lease ran out is withdrawn with the
// rest, and that worker's late record changes nothing.
func TestCancelBatchLeavesAHeldMessageToItsWorker(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{Lease: time.Hour})
	ctx := context.Background()
	for _, u := range users(tg, 1, 4) {
		if _, err := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "news", Batch: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	held, ok := o.claimForTest(ctx, "alive")
	if !ok {
		t.Fatal("nothing to claim")
	}
	lapsed, ok := o.claimForTest(ctx, "dead")
	if !ok {
		t.Fatal("nothing more to claim")
	}
	// The second worker's lease ran out.
	o.rdb.ZAdd(ctx, o.k.inflight(), redisZ(float64(time.Now().Add(-time.Second).UnixMilli()), lapsed))
	n, err := o.CancelBatch(ctx, "b")
	if err != nil || n != 3 {
		t.Fatalf("withdrew %d, %v: want the 2 waiting and the lapsed one", n, err)
	}
	if id, ok := o.claimForTest(ctx, "next"); ok {
		t.Fatalf("claimed %s after the cancel", id)
	}
	if n, _ := o.finishScript(ctx, lapsed, "dead", result{outcome: "sent", reason: "7"}); n != 0 {
		t.Fatal("the lapsed worker's record was taken")
	}
	if n, _ := o.finishScript(ctx, held, "alive", result{outcome: "sent", reason: "8"}); n != 1 {
		t.Fatal("the holding worker's record was refused")
	}
	if b, _ := o.Batch(ctx, "b"); b.Total != 4 || b.Sent != 1 || b.Failed != 3 || b.Cancelled != 3 || b.Pending() != 0 {
		t.Fatalf("batch %+v", b)
	}
}
