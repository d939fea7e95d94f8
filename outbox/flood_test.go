package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// A stranger sends 45 messages and the bot answers each; meanwhile mom
// does something that takes six replies. Her replies keep the pace of her
// own chat (three at once, then about one a second), not the stranger's:
// the claim passes over a chat that must wait, however long its backlog.
// Both chats are paced by the same per-chat limit, so the count of the
// stranger's replies that reach Telegram before mom's last one holds on
// a busy machine: her own pace lets some six through, a claim blinded by
// the stranger's backlog more than twenty.
func TestOneChatsFloodDoesNotDelayAnothersReplies(t *testing.T) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{
		PerSecond: testRate, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	// A backlog cap above the flood: this test is about the claim.
	o := instance(t, tg, prefix, Options{RatePerSecond: testRate, ChatBacklog: 100})
	run(t, o)
	ctx := context.Background()
	stranger, mom := tg.NewUser(1, "Stranger", "en"), tg.NewUser(2, "Mom", "en")
	for i := 0; i < 45; i++ {
		if _, err := o.Send(ctx, Message{ChatID: stranger.ID, Text: fmt.Sprintf("what? %d", i), Reply: true}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	for i := 0; i < 6; i++ {
		if _, err := o.Send(ctx, Message{ChatID: mom.ID, Text: fmt.Sprintf("step %d", i), Reply: true}); err != nil {
			t.Fatal(err)
		}
	}
	if !mom.WaitForCount(6, time.Minute) {
		t.Fatalf("mom got %d of 6 replies", len(mom.Messages()))
	}
	var last time.Time
	momChat := strconv.FormatInt(mom.ID, 10)
	for _, c := range sends(tg) {
		if c.Params["chat_id"] == momChat {
			last = c.At
		}
	}
	ahead := 0
	for _, c := range sends(tg) {
		if c.Params["chat_id"] != momChat && c.At.Before(last) {
			ahead++
		}
	}
	t.Logf("mom's sixth reply arrived %v after her first was sent; %d of the stranger's went before it",
		last.Sub(start).Round(10*time.Millisecond), ahead)
	for i, m := range mom.Messages() {
		if m.Text != fmt.Sprintf("step %d", i) {
			t.Fatalf("mom's reply %d is %q", i, m.Text)
		}
	}
	if ahead > 12 {
		t.Fatalf("%d of the stranger's replies reached Telegram before mom's sixth", ahead)
	}
	if n := count429(tg); n != 0 {
		t.Fatalf("%d × 429", n)
	}
}

// What may wait for one chat is capped: a hint about unexpected text
// (Droppable) is left out as soon as anything waits for the chat, other
// replies once ChatBacklog wait; reminders are never left out. The
// person sees what came first, and nothing else.
func TestAFloodingChatsBacklogIsCapped(t *testing.T) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{
		PerSecond: testRate, PerChatPerSecond: 20, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{RatePerSecond: testRate, ChatPerSecond: 20, ChatBacklog: 5})
	ctx := context.Background()
	// Telegram asked the bot to wait: everything queues meanwhile.
	o.rdb.Set(ctx, o.k.pause(), "1", time.Minute)
	u := tg.NewUser(1, "Stranger", "en")
	for i := 0; i < 10; i++ {
		if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: fmt.Sprintf("hint %d", i), Reply: true, Droppable: true}); err != nil {
			t.Fatalf("hint %d: %v", i, err)
		}
	}
	for i := 0; i < 10; i++ {
		if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: fmt.Sprintf("answer %d", i), Reply: true}); err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
	}
	if _, err := o.Enqueue(ctx, Message{ChatID: u.ID, Text: "one too many"}); !errors.Is(err, ErrBacklog) {
		t.Fatalf("an interactive message past the cap: %v, want ErrBacklog", err)
	}
	if _, err := o.Enqueue(ctx, Message{Lane: Reminder, ChatID: u.ID, Text: "call at 5"}); err != nil {
		t.Fatalf("a reminder past the cap: %v", err)
	}
	o.rdb.Del(ctx, o.k.pause())
	run(t, o)
	want := []string{"hint 0", "answer 0", "answer 1", "answer 2", "answer 3", "call at 5"}
	tg.WaitFor(10*time.Second, func() bool {
		d, _ := o.Depth(ctx)
		held, _ := o.rdb.ZCard(ctx, o.k.inflight()).Result()
		return d == [3]int64{} && held == 0 && len(u.Messages()) >= len(want)
	})
	var got []string
	for _, m := range u.Messages() {
		got = append(got, m.Text)
	}
	// What goes out in one burst may arrive in any order: compared as sets.
	slices.Sort(got)
	slices.Sort(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the stranger sees %q, want %q", got, want)
	}
}
