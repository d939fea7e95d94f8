package outbox

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// A child's voice messages forwarded to a teacher one Enqueue at a time
// (as the mailbox does when each arrives) reach the teacher in the order
// queued, however many workers could send them at once: the chat's burst
// would let several go together, and queued in the same millisecond they
// tie in the lane, where Redis orders ids as text (100 before 96).
func TestEachEnqueueToAChatKeepsItsPlace(t *testing.T) {
	o, tg := fastOutbox(t, Options{})
	teacher := tg.NewUser(1, "Teacher", "en")
	ctx := context.Background()
	o.rdb.Set(ctx, o.k.seq(), 95, 0)
	var want []string
	for i := 1; i <= 12; i++ {
		m := Message{ChatID: teacher.ID, Text: fmt.Sprintf("voice %d", i), Kind: Voice, FileID: fmt.Sprintf("v%d", i)}
		if i%3 == 0 {
			m = Message{ChatID: teacher.ID, Text: fmt.Sprintf("note %d", i)}
		}
		if _, err := o.Enqueue(ctx, m); err != nil {
			t.Fatal(err)
		}
		want = append(want, m.Text)
	}
	run(t, o)
	if !teacher.WaitForCount(len(want), 10*time.Second) {
		t.Fatalf("the teacher sees %q", texts(teacher))
	}
	if got := texts(teacher); !slices.Equal(got, want) {
		t.Errorf("the teacher sees %q, want %q", got, want)
	}
	// Once every send is recorded, nothing is kept of the chat's order.
	if !tg.WaitFor(5*time.Second, func() bool {
		n, _ := o.rdb.Exists(ctx, o.k.chatQueued(teacher.ID), o.k.chatLast(teacher.ID)).Result()
		return n == 0
	}) {
		t.Errorf("the chat's count or last queued id is kept after everything was sent")
	}
}

// Keeping a chat's order does not cost a lane its priority: a reply to a
// father whose copy of a broadcast waits far back in the bulk lane goes
// ahead of it, and the broadcast still reaches him, after.
func TestAReplyDoesNotWaitForABroadcastToItsChat(t *testing.T) {
	o, tg := fastOutbox(t, Options{RatePerSecond: 10})
	ctx := context.Background()
	others := users(tg, 300000, 20)
	dad := tg.NewUser(2, "Dad", "en")
	for _, u := range append(others, dad) {
		if _, err := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "Friday news", Batch: "news"}); err != nil {
			t.Fatal(err)
		}
	}
	run(t, o)
	if _, err := o.Send(ctx, Message{ChatID: dad.ID, Text: "Your call is booked", Reply: true}); err != nil {
		t.Fatal(err)
	}
	waitBatch(t, tg, o, "news", len(others)+1, 10*time.Second)
	if got := texts(dad); !slices.Equal(got, []string{"Your call is booked", "Friday news"}) {
		t.Errorf("the father sees %q", got)
	}
}
