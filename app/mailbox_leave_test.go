package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/homelink/homelink"
)

// The guardian's side of the mailbox, end to end: /message, the compose
// step, the daily limit, and outsiders refused.

// mailing is a /message flow at its compose step for 小明.
func mailing(f fixture) string {
	return `{"h":` + i64(f.home) + `,"c":` + i64(f.child) + `,"cn":"小明","hn":"青溪村儿童之家"}`
}

// mailLeaveMatrix: /message and its buttons are a guardian's; leaving a
// message for 小明 is for 小明's guardians only (not Lili's grandmother,
// not the teachers). A standing [Leave a message] naming 小明 beside
// another home finds no such child there and says so before any need is
// checked (TestOutsidersCannotLeaveMessages taps those).
var mailLeaveMatrix = []matrixCase{
	{kind: "command", name: "message", allow: parents},
	{kind: "button", name: "mail.leave", args: child, allow: parentOnly},
	{kind: "button", name: "mail.leave.child", args: child, allow: parentOnly},
	{kind: "button", name: "mail.leave.child", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child} }, allow: nobody},
	{kind: "button", name: "mail.leave.done", args: none, answers: mailing, allow: parentOnly},
	{kind: "button", name: "flow.back", args: none, answers: mailing, step: "mail.leave/compose", allow: parents},
	{kind: "typed", name: "mail.leave/compose", text: "想你了", answers: mailing, allow: parentOnly},
	// A parent's voice note sent outside any question, offered to 小明's
	// mailbox: keeping it is for 小明's guardians only.
	{kind: "button", name: "mail.stray.keep", args: child, answers: strayVoice, allow: parentOnly},
}

func init() { matrix = append(matrix, mailLeaveMatrix...) }

// strayVoice is a voice note offered to a child's mailbox (mail.stray).
func strayVoice(fixture) string { return `{"k":"voice","f":"voice-from-outside"}` }

// linkGuardian links user to child c of home h through an invitation, as
// the bot would.
func linkGuardian(t *testing.T, h *harness, home, c, user int64, lang string) {
	t.Helper()
	_, inv := inviteFor(t, h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: home, ChildID: c})
	if _, err := h.store().RedeemInvite(context.Background(), inv, user, lang); err != nil {
		t.Fatal(err)
	}
}

// waiting are child c's waiting items, as a teacher of its home opens them.
func waiting(t *testing.T, h *harness, f fixture, home, c int64) []homelink.MailItem {
	t.Helper()
	teacher := f.teacher
	if home == f.otherHome {
		teacher = f.otherTeacher
	}
	items, _, err := h.store().OpenMailbox(context.Background(), homelink.By{User: teacher}, home, c, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// sentFiles are the file ids of the media user sent the bot, in order.
func sentFiles(h *harness, user int64) []string {
	var out []string
	for _, m := range h.tg.Transcript(user) {
		if !m.FromBot && m.FileID != "" {
			out = append(out, m.FileID)
		}
	}
	return out
}

// A father of two children at two homes chooses 小明 (each child named
// with its home), leaves a text, a voice note, a photo with a caption, a
// video and a round video, each acknowledged, and ends with Done. They
// wait in 小明's mailbox in order, by Telegram's file ids; 阿福's stays
// empty, and what he sends after Done is not kept.
func TestGuardianOfTwoChildrenLeavesMessages(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	linkGuardian(t, h, f.otherHome, f.otherChild, f.dad, "en")
	dad := h.person(f.dad, "Jian", "en")

	dad.Types("/message")
	dad.Sees("Which child would you like to leave a message for?")
	dad.Tap("小明 (青溪村儿童之家)")
	dad.Sees("A message for 小明")
	steps := []struct {
		send func()
		kind string
	}{
		{func() { dad.Types("Did you finish your homework?") }, "a text message"},
		{func() { dad.SendsVoice() }, "a voice note"},
		{func() { dad.SendsPhoto("Dad at work") }, "a photo"},
		{func() { dad.SendsVideo("the new bridge") }, "a video"},
		{func() { dad.SendsVideoNote() }, "a round video message"},
	}
	for _, s := range steps {
		s.send()
		m := dad.Sees("✓ Kept for 小明: " + s.kind + ".")
		if !m.HasButton("✅ Done") {
			t.Fatalf("acknowledgement without Done: %v", m.Buttons())
		}
	}
	dad.Tap("✅ Done")
	dad.Sees("Your messages are waiting for 小明 at 青溪村儿童之家. A teacher will play them to the child; you will be told when 小明 has heard them.")

	items := waiting(t, h, f, f.home, f.child)
	wantKinds := []homelink.MailKind{homelink.MailText, homelink.MailVoice, homelink.MailPhoto, homelink.MailVideo, homelink.MailVideoNote}
	var kinds, files []string
	for _, it := range items {
		kinds = append(kinds, string(it.Kind))
		if it.FileID != "" {
			files = append(files, it.FileID)
		}
		if it.From != f.dad || it.Rel != homelink.Father {
			t.Errorf("item %d from %d as %q, want dad as father", it.ID, it.From, it.Rel)
		}
	}
	if fmt.Sprint(kinds) != fmt.Sprint(wantKinds) || !slices.Equal(files, sentFiles(h, f.dad)) {
		t.Fatalf("kept kinds %v files %v; want %v and the files sent %v", kinds, files, wantKinds, sentFiles(h, f.dad))
	}
	if items[0].Text != "Did you finish your homework?" || items[2].Text != "Dad at work" || items[3].Text != "the new bridge" {
		t.Fatalf("texts and captions: %+v", items)
	}
	if n := len(waiting(t, h, f, f.otherHome, f.otherChild)); n != 0 {
		t.Fatalf("阿福's mailbox holds %d items", n)
	}

	dad.SendsVoice() // the step is over: not kept, only offered
	dad.Sees("✉️ You sent a voice note. Leave it in your child's mailbox")
	if n := len(waiting(t, h, f, f.home, f.child)); n != 5 {
		t.Fatalf("小明's mailbox holds %d items after Done, want 5", n)
	}
}

// /message in Chinese and in English, for a guardian of one child: the
// compose step at once; /help and the commands menu list /message for
// guardians only.
func TestMessageInBothLanguages(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	mom, far := h.person(f.mom, "秀兰", "zh-hans"), h.person(f.farParent, "阿芳", "en")

	mom.Types("/message")
	mom.Sees("✉️ 给小明留言")
	mom.Types("想你了，周末好好吃饭")
	mom.Sees("✓ 给小明的文字已保存。")
	mom.Tap("✅ 完成")
	mom.Sees("您的留言已经留在青溪村儿童之家了。老师会让小明听到、看到，小明听过后会通知您。")

	far.Types("/message")
	far.Sees("A message for 阿福")
	far.SendsVoice()
	far.Sees("✓ Kept for 阿福: a voice note.")
	far.Tap("✅ Done")
	far.Sees("Your messages are waiting for 阿福 at 山口儿童之家.")

	mom.Types("/help")
	mom.Sees("/message：给孩子留语音、照片、视频或文字")
	far.Types("/help")
	far.Sees("/message – leave voice notes, photos, videos or texts for your child")
	teacher := h.person(f.teacher, "王老师", "en")
	teacher.Types("/help")
	if m := teacher.Sees("/hours"); strings.Contains(m.Text, "/message") {
		t.Fatalf("a teacher's /help offers /message:\n%s", m.Text)
	}
	b := h.reps[0].app.Bot
	for user, want := range map[int64]string{f.mom: "给孩子留言", f.farParent: "Leave a message for your child", f.teacher: ""} {
		got := ""
		for _, c := range b.ChatMenu(h.userOf(user)) {
			if c.Name == "message" {
				got = c.Description
			}
		}
		if got != want {
			t.Errorf("user %d's menu has /message %q, want %q", user, got, want)
		}
	}
}

// Thirty messages a day for one child, counted in the sender's own day:
// the last few acknowledgements say how many are left, the 31st is
// refused with Redis unchanged, and after midnight in Shanghai (still the
// same day in UTC) she may leave more.
func TestDailyLimitOfMessages(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	mom := h.person(f.mom, "秀兰", "zh-hans")
	mom.Types("/message")
	mom.Sees("给小明留言")
	const kept = "✓ 给小明的文字已保存。"
	for i := 1; i <= homelink.DefaultMailDailyLimit; i++ {
		mom.Types(fmt.Sprintf("第 %d 条", i))
		seesTimes(t, mom, kept, i)
	}
	mom.Sees("今天还可以再留 5 条。")
	mom.Sees("今天还可以再留 1 条。")
	mom.Sees("今天能留的已经留满了，明天可以再留。")
	if n := count(mom, "今天还可以再留"); n != 5 {
		t.Fatalf("%d acknowledgements counted down, want the last 5 but one:\n%s", n, transcript(mom.Messages()))
	}

	before := h.snapshot()
	mom.Types("第 31 条")
	mom.Sees("今天给小明的留言已经满 30 条，这一条没有保存。之前留的都保存好了，明天可以再留。")
	if after := h.snapshot(); !maps.Equal(before, after) {
		t.Fatalf("a refused message changed Redis: %v", changedKeys(before, after))
	}
	if n := len(waiting(t, h, f, f.home, f.child)); n != homelink.DefaultMailDailyLimit {
		t.Fatalf("%d items kept, want %d", n, homelink.DefaultMailDailyLimit)
	}

	h.clock.Set(at(2026, 11, 29, 0, 1)) // 28 Nov 16:01 UTC
	mom.Types("第 32 条")
	seesTimes(t, mom, kept, homelink.DefaultMailDailyLimit+1)
}

// changedKeys names the keys whose values differ between two snapshots.
func changedKeys(before, after map[string]string) []string {
	var out []string
	for k := range maps.Keys(before) {
		if before[k] != after[k] {
			out = append(out, k)
		}
	}
	for k := range maps.Keys(after) {
		if _, ok := before[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// A sticker is no message for a child: the step says what it takes, and
// nothing is kept.
func TestStickerIsNotKept(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	for _, p := range []struct {
		id         int64
		lang, hint string
	}{
		{f.mom, "zh-hans", "这一步需要文字、语音、照片、视频或圆形视频。"},
		{f.dad, "en", "Here I need a text message, a voice note, a photo, a video or a round video message."},
	} {
		g := h.person(p.id, "P", p.lang)
		g.Types("/message")
		g.Sees("小明")
		before := h.snapshot()
		g.SendsSticker()
		g.Sees(p.hint)
		if after := h.snapshot(); !maps.Equal(before, after) {
			t.Fatalf("a sticker changed Redis: %v", changedKeys(before, after))
		}
	}
	if n := len(waiting(t, h, f, f.home, f.child)); n != 0 {
		t.Fatalf("%d items kept", n)
	}
}

// A stranger, 小明's teacher, Lili's grandmother (a guardian at the same
// home) and a parent at another home press a [Leave a message] for 小明
// forged from the real one's data: each is refused, nobody is shown the
// compose step for 小明, and nothing is stored. Named beside another home,
// the button finds no such child. Lili's grandmother typing into a
// forged compose step for 小明 is refused too.
func TestOutsidersCannotLeaveMessages(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	b := h.reps[0].app.Bot
	stranger := h.person(7999, "Stranger", "en")
	teacher := h.person(f.teacher, "王老师", "en")
	grandma := h.person(f.otherParent, "Grandma Li", "en")
	far := h.person(f.farParent, "阿芳", "en")
	before := h.snapshot()
	for _, p := range []*person{stranger, teacher, grandma, far} {
		p.TapsData(0, b.ButtonData("mail.leave", "", f.home, f.child))
		p.SeesAlert("Sorry, that is not available to you.")
		p.TapsData(0, b.ButtonData("mail.leave", "", f.otherHome, f.child))
		p.SeesAlert("This no longer exists.")
	}
	teacher.Types("/message")
	teacher.Sees("Sorry, that is not available to you.")
	stranger.Types("/message")
	stranger.Sees("ask the teacher at your child's Children's Home")
	for _, p := range []*person{stranger, teacher, grandma, far} {
		p.settledAnswers(2)
		if n := count(p, "小明"); n != 0 {
			t.Errorf("user %d was shown 小明:\n%s", p.ID, transcript(p.Messages()))
		}
	}
	after := h.snapshot()
	for k := range before {
		if before[k] != after[k] && !isSession(h, k) {
			t.Errorf("an outsider changed %s", k)
		}
	}

	ctx := context.Background()
	if _, err := h.store().SaveSession(ctx, f.otherParent, homelink.Session{Flow: "mail.leave", Step: "compose",
		Nonce: "forged00", Answers: []byte(mailing(f))}); err != nil {
		t.Fatal(err)
	}
	grandma.Types("Hello 小明")
	grandma.Sees("Sorry, that is not available to you.")
	if n := len(waiting(t, h, f, f.home, f.child)); n != 0 {
		t.Fatalf("%d items kept for 小明", n)
	}
}
