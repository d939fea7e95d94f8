package outbox

import (
	"context"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// ownInstance is one replica's outbox on a redis-server of the test's own,
// which the test stops, restarts or pauses.
func ownInstance(t *testing.T, tg *emulator.Server, srv *redistest.Server, opt Options) *Outbox {
	t.Helper()
	api, err := bot.New(tg.Token(), bot.WithServerURL(tg.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	opt.Prefix = "f:"
	o := New(api, srv.Client(), opt)
	if err := o.LoadScripts(context.Background()); err != nil {
		t.Fatal(err)
	}
	return o
}

// hold claims the next message as a worker would, under token.
func hold(t *testing.T, o *Outbox, token string) *claimed {
	t.Helper()
	id, ok := o.claimForTest(context.Background(), token)
	if !ok {
		t.Fatal("nothing to claim")
	}
	return &claimed{id: id, token: token, until: time.Now().Add(o.opt.Lease)}
}

func recordOutbox(t *testing.T, opt Options) *Outbox {
	t.Helper()
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	return instance(t, tg, prefix, opt)
}

// A send recorded twice (the first try timed out but ran after all) is
// counted once, and the chat's other waiting message still keeps a reply
// behind it.
func TestASendRecordedTwiceCountsOnce(t *testing.T) {
	o := recordOutbox(t, Options{})
	ctx := context.Background()
	for _, text := range []string{"one", "two"} {
		if _, err := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: 7, Text: text, Batch: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	c := hold(t, o, "a.1")
	for i := 0; i < 2; i++ {
		if n, err := o.finishScript(ctx, c.id, c.token, result{outcome: "sent", reason: "41"}); err != nil || n != 1 {
			t.Fatalf("record %d: %d, %v", i+1, n, err)
		}
	}
	if b, _ := o.Batch(ctx, "b"); b.Sent != 1 || b.Pending() != 1 {
		t.Fatalf("batch %+v", b)
	}
	if id, err := o.Send(ctx, Message{ChatID: 7, Text: "reply"}); err != nil || id != 0 {
		t.Fatalf("a reply went ahead of a waiting message: id %d, %v", id, err)
	}
}

// A record that arrives after the lease ran out and another worker took
// the message changes nothing: a late "retry" must not put the message
// back in its lane while the other worker sends it.
func TestALateRecordLeavesTheMessageToItsNewHolder(t *testing.T) {
	o := recordOutbox(t, Options{Lease: 100 * time.Millisecond})
	ctx := context.Background()
	o.Enqueue(ctx, Message{Lane: Bulk, ChatID: 7, Text: "news", Batch: "b"})
	first := hold(t, o, "a.1")
	var second *claimed
	deadline := time.Now().Add(5 * time.Second)
	for second == nil && time.Now().Before(deadline) {
		if id, ok := o.claimForTest(ctx, "b.1"); ok {
			second = &claimed{id: id, token: "b.1"}
		}
	}
	if second == nil || second.id != first.id {
		t.Fatalf("the message was not taken over after its lease: %+v", second)
	}
	for _, outcome := range []string{"retry", "requeue", "sent"} {
		if n, err := o.finishScript(ctx, first.id, first.token, result{outcome: outcome, reason: "late"}); err != nil || n != 0 {
			t.Fatalf("late %s by the first holder: %d, %v", outcome, n, err)
		}
	}
	if d, _ := o.Depth(ctx); d != [3]int64{} {
		t.Fatalf("a late record put the message back in a lane: %v", d)
	}
	if n, _ := o.finishScript(ctx, second.id, second.token, result{outcome: "sent", reason: "42"}); n != 1 {
		t.Fatalf("the holder's record: %d", n)
	}
	if b, _ := o.Batch(ctx, "b"); b.Sent != 1 || b.Pending() != 0 {
		t.Fatalf("batch %+v", b)
	}
	if s, _ := o.Status(ctx, first.id); s.State != "sent" || s.MessageID != 42 {
		t.Fatalf("status %+v", s)
	}
}

// A message given back twice (the first try ran after all) is queued
// once, and its attempt is taken back once.
func TestAMessageGivenBackTwiceIsQueuedOnce(t *testing.T) {
	o := recordOutbox(t, Options{})
	ctx := context.Background()
	o.Enqueue(ctx, Message{Lane: Reminder, ChatID: 7, Text: "call at 5"})
	c := hold(t, o, "a.1")
	for i := 0; i < 2; i++ {
		if n, err := o.finishScript(ctx, c.id, c.token, result{outcome: "requeue"}); err != nil || n != 1 {
			t.Fatalf("give back %d: %d, %v", i+1, n, err)
		}
	}
	if s, _ := o.Status(ctx, c.id); s.State != "queued" || s.Attempts != 0 {
		t.Fatalf("status %+v", s)
	}
	if d, _ := o.Depth(ctx); d != [3]int64{0, 1, 0} {
		t.Fatalf("depth %v", d)
	}
}

// The holder's lease is pushed further while it retries; nobody else's.
func TestOnlyTheHolderExtendsALease(t *testing.T) {
	o := recordOutbox(t, Options{Lease: time.Second})
	ctx := context.Background()
	o.Enqueue(ctx, Message{Lane: Bulk, ChatID: 7, Text: "news"})
	c := hold(t, o, "a.1")
	o.opt.Lease = time.Hour
	other := &claimed{id: c.id, token: "b.1", until: c.until}
	o.extend(other)
	if !other.until.Equal(c.until) {
		t.Fatal("a lease extended by a worker that does not hold the message")
	}
	o.extend(c)
	if time.Until(c.until) < 59*time.Minute {
		t.Fatalf("the holder's lease was not extended: %v left", time.Until(c.until))
	}
	expiry, _ := o.rdb.ZScore(ctx, o.k.inflight(), c.id).Result()
	if left := time.Until(time.UnixMilli(int64(expiry))); left < 59*time.Minute {
		t.Fatalf("the lease in Redis has %v left", left)
	}
}

// A send recorded while Redis is down is recorded once it is back,
// within the lease; each try is counted.
func TestASendRecordWaitsOutARedisRestart(t *testing.T) {
	srv := redistest.NewServer(t, "--appendonly", "yes")
	tg := emulator.New()
	t.Cleanup(tg.Close)
	o := ownInstance(t, tg, srv, Options{Lease: 20 * time.Second})
	ctx := context.Background()
	o.Enqueue(ctx, Message{Lane: Bulk, ChatID: 7, Text: "news", Batch: "b"})
	c := hold(t, o, "a.1")
	srv.Stop()
	done := make(chan bool)
	go func() { done <- o.finish(ctx, c, result{outcome: "sent", reason: "42"}) }()
	retries := o.metrics().BookkeepingRetries.WithLabelValues("send_record")
	if !tg.WaitFor(10*time.Second, func() bool { return testutil.ToFloat64(retries) >= 1 }) {
		t.Fatal("the record was not retried")
	}
	srv.Start()
	<-done
	if b, _ := o.Batch(ctx, "b"); b.Sent != 1 {
		t.Fatalf("batch %+v", b)
	}
	if f := testutil.ToFloat64(o.metrics().BookkeepingFailures.WithLabelValues("send_record")); f != 0 {
		t.Fatalf("%v records given up", f)
	}
}

// A record is given up once the lease is over, and counted: the message
// will be sent again.
func TestASendRecordIsGivenUpWithTheLease(t *testing.T) {
	srv := redistest.NewServer(t)
	tg := emulator.New()
	t.Cleanup(tg.Close)
	o := ownInstance(t, tg, srv, Options{Lease: time.Second})
	ctx := context.Background()
	o.Enqueue(ctx, Message{Lane: Bulk, ChatID: 7, Text: "news"})
	c := hold(t, o, "a.1")
	srv.Stop()
	start := time.Now()
	o.finish(ctx, c, result{outcome: "sent", reason: "42"})
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("gave up after %v, lease 1s", took)
	}
	if f := testutil.ToFloat64(o.metrics().BookkeepingFailures.WithLabelValues("send_record")); f != 1 {
		t.Fatalf("%v records given up, want 1", f)
	}
}
