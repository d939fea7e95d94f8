package outbox

import (
	"context"
	"errors"
	"testing"

	"github.com/go-telegram/bot"

	"github.com/homelink/homelink/internal/telegramtest"
)

func newOutbox(t *testing.T) (*Outbox, *telegramtest.Server) {
	t.Helper()
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	api, err := bot.New(tg.Token(), bot.WithServerURL(tg.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	return New(api), tg
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

func TestBlockedRecipientIsErrBlocked(t *testing.T) {
	o, tg := newOutbox(t)
	u := tg.NewUser(1, "A", "en")
	u.Blocks()
	_, err := o.Send(context.Background(), Message{ChatID: u.ID, Text: "hi"})
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("err = %v, want ErrBlocked", err)
	}
	_, err = o.Send(context.Background(), Message{ChatID: 424242, Text: "hi"})
	if err == nil || errors.Is(err, ErrBlocked) {
		t.Fatalf("unknown chat err = %v", err)
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
