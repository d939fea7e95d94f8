package outbox

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// instance is one replica's outbox against the shared fake and Redis.
func instance(t testing.TB, tg *emulator.Server, prefix string, opt Options) *Outbox {
	t.Helper()
	api, err := bot.New(tg.Token(), bot.WithServerURL(tg.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	rdb, _ := redistest.Client(t)
	opt.Prefix = prefix
	o := New(api, rdb, opt)
	if err := o.LoadScripts(context.Background()); err != nil {
		t.Fatal(err)
	}
	return o
}

func newOutbox(t *testing.T) (*Outbox, *emulator.Server) {
	t.Helper()
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	return instance(t, tg, prefix, Options{}), tg
}

// run starts o's workers until the test ends.
func run(t testing.TB, o *Outbox) context.CancelFunc {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return cancel
}

func TestSendEditAndKeyboards(t *testing.T) {
	o, tg := newOutbox(t)
	u := tg.NewUser(1, "A", "en")
	ctx := context.Background()
	id, err := o.Send(ctx, Message{ChatID: u.ID, Text: "<b>Pick</b>", Keyboard: [][]Button{{{Text: "A", Data: "a"}, {Text: "Site", URL: "https://example.org"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if m := u.Last(); m.ID != id || m.Text != "Pick" || !m.HasButton("A") || !m.HasButton("Site") {
		t.Fatalf("user sees %+v", m)
	}
	if err := o.Edit(ctx, Edit{ChatID: u.ID, MessageID: id, Text: "Done"}); err != nil {
		t.Fatal(err)
	}
	// The same edit again is not an error: the user sees what we meant.
	if err := o.Edit(ctx, Edit{ChatID: u.ID, MessageID: id, Text: "Done"}); err != nil {
		t.Fatalf("repeated edit: %v", err)
	}
	if m := u.Last(); m.Text != "Done" || len(m.Keyboard) != 0 {
		t.Fatalf("after edit %+v", m)
	}
}

func TestBlockedRecipientIsErrBlockedAndUnreachable(t *testing.T) {
	o, tg := newOutbox(t)
	u := tg.NewUser(1, "A", "en")
	u.Blocks()
	ctx := context.Background()
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "hi"}); !errors.Is(err, ErrBlocked) {
		t.Fatalf("err = %v, want ErrBlocked", err)
	}
	// Known now: refused without asking Telegram again.
	before := len(tg.Calls("sendMessage"))
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "again"}); !errors.Is(err, ErrBlocked) {
		t.Fatalf("second send err = %v", err)
	}
	if len(tg.Calls("sendMessage")) != before {
		t.Fatal("a known-blocked chat was sent to")
	}
	if err := o.SetReachable(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	u.Unblocks()
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "welcome back"}); err != nil {
		t.Fatalf("after unblock: %v", err)
	}
}

func TestSetCommandsPerChatAndLanguage(t *testing.T) {
	o, tg := newOutbox(t)
	ctx := context.Background()
	if err := o.SetCommands(ctx, 0, "en", []Command{{Name: "help", Description: "What I can do"}}); err != nil {
		t.Fatal(err)
	}
	if err := o.SetCommands(ctx, 77, "", []Command{{Name: "help", Description: "我能做什么"}}); err != nil {
		t.Fatal(err)
	}
	if c := tg.Commands("all_private_chats", "en"); len(c) != 1 || c[0].Description != "What I can do" {
		t.Fatalf("all private chats, en: %+v", c)
	}
	if c := tg.Commands("chat:77", ""); len(c) != 1 || c[0].Description != "我能做什么" {
		t.Fatalf("chat 77: %+v", c)
	}
}

func TestQueuedKindsStatusAndDeadLetters(t *testing.T) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{ChatPerSecond: 100, ChatBurst: 10})
	run(t, o)
	u := tg.NewUser(1, "A", "en")
	ctx := context.Background()
	ids := map[Kind]string{}
	for _, k := range []Kind{Text, Photo, Voice, Video, VideoNote, Document} {
		id, err := o.Enqueue(ctx, Message{Lane: Reminder, ChatID: u.ID, Kind: k, Text: "x", FileID: "file-" + string(k), Batch: "b1"})
		if err != nil {
			t.Fatal(err)
		}
		ids[k] = id
	}
	bad, _ := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "<oops>", Batch: "b1"})
	if !tg.WaitFor(15*time.Second, func() bool { b, _ := o.Batch(ctx, "b1"); return b.Pending() == 0 && b.Total == 7 }) {
		b, _ := o.Batch(ctx, "b1")
		t.Fatalf("batch never finished: %+v", b)
	}
	if b, _ := o.Batch(ctx, "b1"); b.Sent != 6 || b.Failed != 1 {
		t.Fatalf("batch = %+v", b)
	}
	kinds := map[string]bool{}
	for _, m := range u.Messages() {
		kinds[m.Kind] = true
	}
	if len(kinds) != 6 {
		t.Fatalf("user saw kinds %v", kinds)
	}
	s, _ := o.Status(ctx, ids[Voice])
	if s.State != "sent" || s.MessageID == 0 || s.Lane != Reminder {
		t.Fatalf("voice status %+v", s)
	}
	dead, err := o.DeadLetters(ctx, 10)
	if err != nil || len(dead) != 1 || dead[0].ID != bad || dead[0].Reason == "" || dead[0].State != "failed" {
		t.Fatalf("dead letters = %+v, %v", dead, err)
	}
	if s, _ := o.Status(ctx, bad); s.Attempts != 1 {
		t.Fatalf("a 400 was retried: %+v", s)
	}
}

// With empty queues a reply costs one Redis round trip on top of the Bot
// API call.
func TestIdleReplyCostsOneRoundTrip(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	api, _ := bot.New(tg.Token(), bot.WithServerURL(tg.URL()), bot.WithSkipGetMe())
	rdb, prefix := redistest.Client(t)
	o := New(api, rdb, Options{Prefix: prefix})
	o.LoadScripts(context.Background())
	rt := &roundTrips{}
	rdb.AddHook(rt)
	u := tg.NewUser(1, "A", "en")
	if _, err := o.Send(context.Background(), Message{ChatID: u.ID, Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if n := rt.n.Load(); n != 1 {
		t.Fatalf("%d Redis round trips for an idle reply, want 1", n)
	}
	if u.Last().Text != "hi" {
		t.Fatal("not sent")
	}
}

// Paid broadcasts: bulk messages carry allow_paid_broadcast and have their
// own, higher ceiling; replies never carry it.
func TestPaidBroadcastOnlyOnBulk(t *testing.T) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{PaidBroadcast: true, RatePerSecond: 5, PaidRatePerSecond: 1000})
	run(t, o)
	ctx := context.Background()
	people := users(tg, 800000, 100)
	for _, u := range people {
		o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "paid", Batch: "paid"})
	}
	u := tg.NewUser(900001, "u", "en")
	waitBatch(t, tg, o, "paid", 100, time.Minute)
	// Held to the free rate, the 100 would span at least 99 of its
	// intervals, some 20 s; any machine sends them faster than that.
	sent := sends(tg)
	if span, free := sent[len(sent)-1].At.Sub(sent[0].At), 99*time.Second/5; span >= free {
		t.Fatalf("100 paid messages took %v: held to the free rate of 5/s", span)
	}
	o.Send(ctx, Message{ChatID: u.ID, Text: "reply"})
	for _, c := range tg.Calls("sendMessage") {
		paid := c.Params["allow_paid_broadcast"] == "true"
		if paid != (c.Params["text"] == "paid") {
			t.Fatalf("allow_paid_broadcast=%v on %q", paid, c.Params["text"])
		}
	}
}

// A reply Telegram refuses is a dead letter, and nothing of it is left to
// be sent later.
func TestRefusedReplyIsADeadLetterOnly(t *testing.T) {
	o, tg := newOutbox(t)
	u := tg.NewUser(1, "A", "en")
	ctx := context.Background()
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "<unclosed"}); err == nil {
		t.Fatal("a refused reply reported as sent")
	}
	dead, _ := o.DeadLetters(ctx, 10)
	if len(dead) != 1 || dead[0].State != "failed" || dead[0].ChatID != 0 || dead[0].Reason == "" {
		t.Fatalf("dead letters %+v", dead)
	}
	if d, _ := o.Depth(ctx); d != [3]int64{} {
		t.Fatalf("queues after a refused reply: %v", d)
	}
	if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: "fine"}); err != nil || u.Last().Text != "fine" {
		t.Fatalf("next reply: %v", err)
	}
}
