package outbox

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// A worker that woke too late for its slot (a stalled Redis, a busy
// machine) gives the message back instead of sending it in a bunch with
// every other late worker; it goes again in a slot of its own.
func TestAWorkerLateForItsSlotGivesTheMessageBack(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{})
	u := tg.NewUser(1, "A", "en")
	ctx := context.Background()
	id, _ := o.Enqueue(ctx, Message{Lane: Reminder, ChatID: u.ID, Text: "call at 5"})
	c := hold(t, o, "a.1")
	c.payload, _ = o.rdb.HGet(ctx, o.k.msg(id), "p").Result()
	c.slept, c.slot = true, time.Now().Add(-2*lateness)
	o.deliver(ctx, c)
	if got := len(u.Messages()); got != 0 {
		t.Fatalf("a late worker sent %d messages", got)
	}
	if s, _ := o.Status(ctx, id); s.State != "queued" || s.Attempts != 0 {
		t.Fatalf("status %+v", s)
	}
	run(t, o)
	if _, ok := u.WaitForMessage("call at 5", 5*time.Second); !ok {
		t.Fatal("the message given back was never sent")
	}
}

// A reply that woke too late for the slot it reserved (a busy machine
// held it up) is queued rather than sent in a bunch with the replies of
// the slots after its own; a worker sends it in a slot of its own. One on
// time goes at once.
func TestAReplyLateForItsSlotIsQueued(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{})
	mom, dad := tg.NewUser(1, "Mom", "en"), tg.NewUser(2, "Dad", "en")
	ctx := context.Background()
	// Others' replies booked the limiter a little ahead: each waits.
	bookAhead := func() {
		o.rdb.Set(ctx, o.k.tat(), time.Now().Add(50*time.Millisecond).UnixMilli(), time.Minute)
	}
	bookAhead()
	if id, err := o.Send(ctx, Message{ChatID: mom.ID, Text: "on time", Reply: true}); err != nil || id == 0 {
		t.Fatalf("a reply on time: id %d, %v", id, err)
	}
	o.sleep = func(ctx context.Context, d time.Duration) { wait(ctx, d+3*lateness) }
	bookAhead()
	if id, err := o.Send(ctx, Message{ChatID: dad.ID, Text: "late", Reply: true}); err != nil || id != 0 {
		t.Fatalf("a reply late for its slot: id %d, %v", id, err)
	}
	if n := len(dad.Messages()); n != 0 {
		t.Fatalf("a reply late for its slot was sent at once (%d)", n)
	}
	run(t, o)
	if _, ok := dad.WaitForMessage("late", 5*time.Second); !ok {
		t.Fatal("the queued reply was never sent")
	}
}

// While Redis is away, replies go out at this replica's own pace, a
// quarter of the bot-wide rate, not all at once.
func TestRepliesWithoutRedisGoAtAQuarterOfTheRate(t *testing.T) {
	const rate = 40
	srv := redistest.NewServer(t)
	tg := emulator.New(emulator.WithLimits(emulator.Limits{
		PerSecond: rate, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	o := ownInstance(t, tg, srv, Options{RatePerSecond: rate})
	srv.Stop()
	people := users(tg, 1000, 15)
	var wg sync.WaitGroup
	for _, u := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "hello", Reply: true}); err != nil {
				t.Errorf("user %d: %v", u.ID, err)
			}
		}()
	}
	wg.Wait()
	for _, u := range people {
		if got := len(u.Messages()); got != 1 {
			t.Fatalf("user %d got %d replies", u.ID, got)
		}
	}
	all := sends(tg)
	quarter := int(rate * fallbackShare)
	if most := maxInWindow(all, time.Second); most > quarter+1 {
		t.Fatalf("%d replies in one second without Redis, want at most %d", most, quarter+1)
	}
}

// A chat's own limit counts sends when they go, not when their slots were
// booked: three replies that wait most of a second for their slots and a
// fourth that goes at once must not reach the chat within one second.
func TestAChatsLimitCountsWhenSendsGo(t *testing.T) {
	const rate = 40
	tg := emulator.New(emulator.WithLimits(emulator.Limits{
		PerSecond: rate, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{RatePerSecond: rate})
	run(t, o)
	ctx := context.Background()
	// Others' replies book the bot-wide limiter most of a second ahead.
	var wg sync.WaitGroup
	for _, u := range users(tg, 2000, 36) {
		wg.Add(1)
		go func() { defer wg.Done(); o.Send(ctx, Message{ChatID: u.ID, Text: "booked", Reply: true}) }()
	}
	ok := tg.WaitFor(5*time.Second, func() bool {
		tat, _ := o.rdb.Get(ctx, o.k.tat()).Float64()
		return time.Until(time.UnixMilli(int64(tat))) > 600*time.Millisecond
	})
	if !ok {
		t.Fatal("the limiter was never booked ahead")
	}
	mom := tg.NewUser(1, "Mom", "en")
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); o.Send(ctx, Message{ChatID: mom.ID, Text: "step", Reply: true}) }()
		if i == 2 {
			wg.Wait() // the first three went out, late in the second
		}
	}
	wg.Wait()
	if !mom.WaitForCount(4, 10*time.Second) {
		t.Fatalf("mom got %d of 4", len(mom.Messages()))
	}
	if n := count429(tg); n != 0 {
		t.Fatalf("%d × 429", n)
	}
}
