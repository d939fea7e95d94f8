package outbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// dump is every key under prefix and every value it holds (all types),
// as one string to search.
func dump(t *testing.T, rdb *redis.Client, prefix string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		fmt.Fprintf(&b, "%s:", key)
		var v any
		var err error
		switch typ := rdb.Type(ctx, key).Val(); typ {
		case "string":
			v, err = rdb.Get(ctx, key).Result()
		case "hash":
			v, err = rdb.HGetAll(ctx, key).Result()
		case "set":
			v, err = rdb.SMembers(ctx, key).Result()
		case "zset":
			v, err = rdb.ZRangeWithScores(ctx, key, 0, -1).Result()
		case "list":
			v, err = rdb.LRange(ctx, key, 0, -1).Result()
		case "none": // expired meanwhile
		default:
			t.Fatalf("key %s has type %s, which the scan cannot read", key, typ)
		}
		if err != nil && err != redis.Nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%v\n", v)
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// pausedOutbox is an outbox whose every message stays queued: Telegram
// asked the whole bot to wait (a 429's pause), until lift is called.
func pausedOutbox(t *testing.T, tg *emulator.Server) (o *Outbox, prefix string, lift func()) {
	_, prefix = redistest.Client(t)
	o = instance(t, tg, prefix, Options{})
	ctx := context.Background()
	o.rdb.Set(ctx, o.k.pause(), "1", time.Minute)
	return o, prefix, func() { o.rdb.Del(ctx, o.k.pause()) }
}

// An invitation card waits in the outbox while a pause holds it (and a
// reminder and a /mydata file wait with it): neither its link code, nor
// its typed code, nor a name in the file is in any Redis value or key.
// Once the pause ends, the person sees the codes.
func TestNoInvitationCodeInRedisWhileQueued(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	o, prefix, lift := pausedOutbox(t, tg)
	ctx := context.Background()
	mom := tg.NewUser(1, "Mom", "en")
	const linkCode, typed, name = "inv_Q7mK2xPa9Lw3", "K7Q2-M9XD-4WRT", "小明"
	link := "https://t.me/homelink_bot?start=" + linkCode
	card := Message{ChatID: mom.ID, Reply: true,
		Text:     fmt.Sprintf("Invitation to be %s's guardian: open %s or type <code>%s</code>", name, link, typed),
		Keyboard: [][]Button{{{Text: "Open the invitation", URL: link}}}}
	if _, err := o.Send(ctx, card); err != nil {
		t.Fatal(err)
	}
	if _, err := o.enqueueAt(ctx, Message{Lane: Reminder, ChatID: mom.ID, Text: "Your code " + typed + " expires tomorrow"},
		time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Send(ctx, Message{ChatID: mom.ID, Kind: Document, Reply: true, FileName: "homelink-my-data.json",
		FileData: []byte(`{"guardian_of":[{"name":"` + name + `"}]}`), Text: "Everything we keep about you"}); err != nil {
		t.Fatal(err)
	}
	if d, _ := o.Depth(ctx); d != [3]int64{2, 1, 0} {
		t.Fatalf("queued %v, want 2 interactive and 1 reminder", d)
	}
	secrets := []string{linkCode, typed, strings.ReplaceAll(typed, "-", ""), name, "Everything we keep"}
	held := dump(t, o.rdb, prefix)
	for _, s := range secrets {
		if strings.Contains(held, s) {
			t.Errorf("Redis holds %q while the message waits", s)
		}
	}
	lift()
	run(t, o)
	got, ok := mom.WaitForMessage(typed, 10*time.Second)
	if !ok || !strings.Contains(got.Text, link) || !got.HasButton("Open the invitation") {
		t.Fatalf("mom sees %+v", mom.Messages())
	}
	if !tg.WaitFor(10*time.Second, func() bool { d, _ := o.Depth(ctx); return d[Interactive] == 0 }) {
		t.Fatal("the /mydata file was never sent")
	}
	after := dump(t, o.rdb, prefix)
	for _, s := range secrets {
		if strings.Contains(after, s) {
			t.Errorf("Redis holds %q after the message was sent", s)
		}
	}
}

// A person's chat id as digits no timestamp or counter is likely to hold.
const forgottenChat = 4444333322221111

// After Forget, nothing the outbox keeps names the person: their waiting
// messages are gone (a broadcast counts them as failed), a dead letter
// keeps its reason only, a sent message's record no chat. Before it, the
// same scan finds them, and Queued lists what waits.
func TestForgetLeavesNothingNamingThePerson(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{})
	ctx := context.Background()
	mom := tg.NewUser(forgottenChat, "Mom", "en")
	if _, err := o.Send(ctx, Message{ChatID: mom.ID, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Send(ctx, Message{ChatID: mom.ID, Text: "<unclosed"}); err == nil {
		t.Fatal("a refused message reported as sent")
	}
	o.rdb.Set(ctx, o.k.pause(), "1", time.Minute)
	o.Send(ctx, Message{ChatID: mom.ID, Kind: Document, FileName: "my-data.json", FileData: []byte("{}"), Reply: true})
	o.enqueueAt(ctx, Message{Lane: Reminder, ChatID: mom.ID, Text: "call at 5"}, time.Now().Add(time.Hour))
	o.Enqueue(ctx, Message{Lane: Bulk, ChatID: mom.ID, Text: "Friday news", Batch: "news"})

	queued, err := o.Queued(ctx, mom.ID)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, q := range queued {
		listed = append(listed, string(q.Kind)+" "+q.Lane.String())
	}
	if got := strings.Join(listed, ", "); got != "document interactive, text reminder, text bulk" {
		t.Fatalf("Queued lists %s", got)
	}
	chat := fmt.Sprint(forgottenChat)
	if !strings.Contains(dump(t, o.rdb, prefix), chat) {
		t.Fatal("the scan does not find the chat id while messages wait for it")
	}
	dead, _ := o.DeadLetters(ctx, 10)
	if len(dead) != 1 || dead[0].Reason == "" || dead[0].ChatID != 0 {
		t.Fatalf("dead letters %+v: want one, with its reason and no chat", dead)
	}

	if err := o.Forget(ctx, mom.ID); err != nil {
		t.Fatal(err)
	}
	if left := dump(t, o.rdb, prefix); strings.Contains(left, chat) {
		t.Fatalf("after Forget the outbox still names the chat:\n%s", left)
	}
	if q, _ := o.Queued(ctx, mom.ID); len(q) != 0 {
		t.Fatalf("Queued lists %+v after Forget", q)
	}
	if b, _ := o.Batch(ctx, "news"); b.Pending() != 0 || b.Failed != 1 {
		t.Fatalf("the broadcast after Forget: %+v", b)
	}
	if dead, _ := o.DeadLetters(ctx, 10); len(dead) != 1 || dead[0].Reason == "" {
		t.Fatalf("dead letters after Forget %+v: the reason stays", dead)
	}
	o.rdb.Del(ctx, o.k.pause())
	run(t, o)
	// Nothing is left to send: the queues are empty and mom saw only the
	// first message.
	if d, _ := o.Depth(ctx); d != [3]int64{} || len(mom.Messages()) != 1 {
		t.Fatalf("after Forget: queues %v, mom sees %d messages", d, len(mom.Messages()))
	}
}
