package app

import (
	"context"
	"strings"
	"testing"
)

// A mother whose Telegram is in Chinese and a father whose Telegram is in
// English meet the bot for the first time, over both intake modes.
func TestFirstConversationInBothLanguages(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			h := start(t, mode)
			mom := h.person(1001, "秀兰", "zh-hans")
			dad := h.person(1002, "Jian", "en")
			grandpa := h.person(1003, "Lao", "fr")

			mom.Types("/start")
			mom.SeesNew(0, "欢迎使用 homelink")
			dad.Types("/start")
			dad.SeesNew(0, "Welcome to homelink")
			grandpa.Types("/start")
			grandpa.SeesNew(0, "欢迎使用 homelink") // no French: the default language

			mom.Types("/help")
			help := mom.SeesNew(1, "我能帮您做这些")
			for _, cmd := range []string{"/start", "/help", "/language", "/cancel"} {
				if !strings.Contains(help.Text, cmd) {
					t.Errorf("help lacks %s:\n%s", cmd, help.Text)
				}
			}
			dad.Types("/help@" + h.reps[0].app.Username())
			dad.SeesNew(1, "What I can do")

			dad.Types("/start Zx9_invite-code")
			dad.SeesNew(2, "This invitation is not valid or has expired")

			// Someone who has not joined is told what homelink is and how.
			mom.Types("我想和孩子说话")
			mom.SeesNew(2, "开始使用：请向孩子所在儿童之家的老师要一个邀请链接")
			dad.Types("你好 /help") // a command not at the start is just text
			dad.SeesNew(3, "To begin, ask the teacher at your child's Children's Home")

			mom.Types("/cancel")
			mom.SeesNew(3, "现在没有可以取消的操作")

			// Mom switches to English: the question is edited into the answer.
			mom.Types("/language")
			q := mom.SeesNew(4, "您想用哪种语言")
			if got := q.Buttons(); len(got) != 2 || got[0] != "English" || got[1] != "简体中文" {
				t.Fatalf("language buttons = %q", got)
			}
			mom.Tap("English")
			mom.Sees("Done. I will write to you in English from now on.")
			mom.settled(5)
			if last := mom.Last(); last.ID != q.ID || last.Edits != 1 || len(last.Keyboard) != 0 {
				t.Fatalf("the question was not edited in place: %+v", last)
			}
			mom.Types("/help")
			mom.SeesNew(5, "What I can do")
			if cmds := h.tg.Commands("chat:1001", ""); len(cmds) != 7 || cmds[1].Description != "What I can do" {
				t.Fatalf("mom's commands menu = %+v", cmds)
			}

			// Dad starts choosing, changes his mind, then taps the old button.
			dad.Types("/language")
			dad.SeesNew(4, "Which language should I use?")
			dad.Types("/cancel")
			dad.SeesNew(5, "Okay, stopped. Nothing was changed.")
			dad.Tap("简体中文")
			dad.SeesAlert("This button has expired")
			dad.Types("/help")
			dad.SeesNew(6, "What I can do") // still English

			// Nothing personal reached the logs.
			logs := h.logs.String()
			for _, secret := range []string{"秀兰", "Jian", "Zx9_invite-code", "我想和孩子说话", h.tg.Token()} {
				if strings.Contains(logs, secret) {
					t.Errorf("logs contain %q", secret)
				}
			}
		})
	}
}

func TestCommandsMenuPerLanguage(t *testing.T) {
	h := start(t, polling)
	ok := h.tg.WaitFor(5e9, func() bool { return len(h.tg.Commands("all_private_chats", "en")) == 7 })
	if !ok {
		t.Fatal("English menu not set")
	}
	zh := h.tg.Commands("all_private_chats", "zh")
	def := h.tg.Commands("all_private_chats", "")
	en := h.tg.Commands("all_private_chats", "en")
	if len(zh) != 7 || zh[3].Command != "language" || zh[3].Description != "更换语言" {
		t.Fatalf("Chinese menu = %+v", zh)
	}
	if en[3].Description != "Change the language" || def[3].Description != "更换语言" {
		t.Fatalf("menus en=%+v default=%+v", en, def)
	}
}

// A button from a flow that moved on, forged data, and another user's
// replayed button all change nothing.
func TestExpiredAndForgedButtonsChangeNothing(t *testing.T) {
	h := start(t, webhook)
	mom := h.person(2001, "A", "zh-hans")
	other := h.person(2002, "B", "en")

	mom.Types("/language")
	first := mom.SeesNew(0, "您想用哪种语言")
	mom.Types("/language")
	mom.SeesNew(1, "您想用哪种语言")
	var oldData string
	for _, row := range first.Keyboard {
		for _, b := range row {
			if b.Text == "English" {
				oldData = b.CallbackData
			}
		}
	}
	mom.TapsData(first.ID, oldData)
	mom.SeesAlert("这个按钮已经失效了")
	mom.TapsData(first.ID, "lang:forged:en")
	mom.TapsData(first.ID, "nonsense")
	mom.TapsData(first.ID, strings.Repeat("x", 64))
	other.Types("/start")
	other.SeesNew(0, "Welcome")
	// The other user replays mom's current button data in their own chat.
	current := mom.Last()
	other.TapsData(0, current.Keyboard[0][0].CallbackData)
	other.SeesAlert("This button has expired")
	mom.settled(2)
	if got := len(mom.Alerts()); got != 4 {
		t.Fatalf("mom got %d notices, want 4 expired notices: %q", got, mom.Alerts())
	}
	u, err := h.reps[0].app.Store.User(context.Background(), 2001)
	if err != nil || u.Language != "" {
		t.Fatalf("language changed by a stale button: %+v %v", u, err)
	}
	if first = mom.Messages()[0]; first.Edits != 0 {
		t.Fatal("stale button edited the old message")
	}
	// The current buttons still work.
	mom.Tap("English")
	mom.Sees("Done. I will write to you in English")
}
