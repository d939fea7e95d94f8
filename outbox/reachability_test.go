package outbox

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// told records what OnReachability heard.
type told struct {
	mu      sync.Mutex
	changes []bool
}

func (r *told) hear(_ context.Context, _ int64, reachable bool) {
	r.mu.Lock()
	r.changes = append(r.changes, reachable)
	r.mu.Unlock()
}

func (r *told) heard() []bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bool(nil), r.changes...)
}

func reachabilityOutbox(t *testing.T) (*Outbox, *emulator.Server, *told) {
	t.Helper()
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	r := &told{}
	return instance(t, tg, prefix, Options{Workers: 4, OnReachability: r.hear}), tg, r
}

// A 403 marks the chat unreachable and tells so once, however many
// messages meet it; a reply clears the mark and tells that once.
func TestBlockedOnceThenAReplyMakesReachable(t *testing.T) {
	o, tg, r := reachabilityOutbox(t)
	u := tg.NewUser(1, "A", "en")
	u.Blocks()
	ctx := context.Background()
	for range 4 {
		o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "news", Batch: "b"})
	}
	run(t, o)
	waitBatch(t, tg, o, "b", 4, 5*time.Second)
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "hi"}); !errors.Is(err, ErrBlocked) {
		t.Fatalf("send to a blocked chat: %v", err)
	}
	if got := r.heard(); len(got) != 1 || got[0] {
		t.Fatalf("OnReachability heard %v, want [false]", got)
	}
	if ok, _ := o.Reachable(ctx, u.ID); ok {
		t.Fatal("still reachable after a 403")
	}
	u.Unblocks()
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "welcome back", Reply: true}); err != nil {
		t.Fatalf("reply to an unreachable chat: %v", err)
	}
	if got := r.heard(); len(got) != 2 || !got[1] {
		t.Fatalf("OnReachability heard %v, want [false true]", got)
	}
	if ok, _ := o.Reachable(ctx, u.ID); !ok {
		t.Fatal("not reachable after a reply")
	}
	if _, ok := u.WaitForMessage("welcome back", 5*time.Second); !ok {
		t.Fatal("the reply was not delivered")
	}
}

// Nothing but replies goes to an unreachable chat: not a notice, not a
// queued message, not one queued before the chat was marked.
func TestNoticesToAnUnreachableChatAreNotSent(t *testing.T) {
	o, tg, r := reachabilityOutbox(t)
	u := tg.NewUser(1, "A", "en")
	ctx := context.Background()
	before, _ := o.Enqueue(ctx, Message{Lane: Reminder, ChatID: u.ID, Text: "queued before"})
	if err := o.SetReachable(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	o.SetReachable(ctx, u.ID, false) // no change: not told again
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "a notice"}); !errors.Is(err, ErrBlocked) {
		t.Fatalf("notice: %v", err)
	}
	after, _ := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "queued after"})
	run(t, o)
	for _, id := range []string{before, after} {
		if !tg.WaitFor(5*time.Second, func() bool { s, _ := o.Status(ctx, id); return s.State == "failed" }) {
			s, _ := o.Status(ctx, id)
			t.Fatalf("message %s: %+v, want failed", id, s)
		}
	}
	if n := len(tg.Calls("sendMessage")); n != 0 {
		t.Fatalf("%d messages sent to an unreachable chat", n)
	}
	if got := r.heard(); len(got) != 1 || got[0] {
		t.Fatalf("OnReachability heard %v, want [false]", got)
	}
	// A queued reply clears the mark too, and is sent.
	if _, err := o.Enqueue(ctx, Message{Lane: Interactive, ChatID: u.ID, Text: "queued reply", Reply: true}); err != nil {
		t.Fatal(err)
	}
	if _, ok := u.WaitForMessage("queued reply", 5*time.Second); !ok {
		t.Fatal("queued reply not delivered")
	}
	if got := r.heard(); len(got) != 2 || !got[1] {
		t.Fatalf("OnReachability heard %v, want [false true]", got)
	}
}
