package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// What a new user tripped over, told as they would meet it, in both
// languages.

// The welcome promises nothing the bot cannot do yet, and says how to join
// to someone who has not, and where to look to someone who has.
func TestWelcomePromisesOnlyWhatExists(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	stranger, mom := h.person(7999, "X", "en"), h.person(f.mom, "秀兰", "zh-hans")
	stranger.Types("/start")
	w := stranger.Sees("To begin, ask the teacher")
	mom.Types("/start")
	m := mom.Sees("发送 /help 看看您可以在这里做什么")
	for _, text := range []string{w.Text, m.Text} {
		for _, promise := range []string{"book", "remind", "voice", "预约", "提醒", "语音"} {
			if strings.Contains(text, promise) {
				t.Errorf("the welcome promises %q:\n%s", promise, text)
			}
		}
	}
	if strings.Contains(m.Text, "邀请链接") {
		t.Errorf("a linked parent is told to find an invitation:\n%s", m.Text)
	}
}

// A parent's voice note, photo or letter outside any flow is offered to
// their child's mailbox, one tap per child, and kept only when they tap;
// what no mailbox keeps (a sticker) is said plainly not to have reached
// the child, with /message to leave one and how to call the home instead.
func TestParentsMessageOutsideAFlowIsOfferedToTheMailbox(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	mom, dad := h.person(f.mom, "秀兰", "zh-hans"), h.person(f.dad, "Jian", "en")
	unread := func() int {
		n, err := h.store().Unread(context.Background(), f.home)
		if err != nil {
			t.Fatal(err)
		}
		return n[f.child]
	}
	mom.SendsVoice()
	offer := mom.Sees("✉️ 刚才发的语音，要留给孩子吗？")
	if !offer.HasButton("✉️ 留给小明") || unread() != 0 {
		t.Fatalf("the offer %v kept something (%d waiting) or has no button for 小明", offer.Buttons(), unread())
	}
	mom.Tap("✉️ 留给小明")
	mom.Sees("✓ 给小明的语音已保存。")
	items := waiting(t, h, f, f.home, f.child)
	if len(items) != 1 || items[0].Kind != homelink.MailVoice || items[0].FileID != sentFiles(h, f.mom)[0] {
		t.Fatalf("kept %+v, want the voice note she sent", items)
	}
	mom.Types("想你了")
	mom.Sees("✓ 给小明的文字已保存。") // the compose step stays open for more
	mom.Types("/cancel")     // and leaving it takes back nothing kept
	mom.Sees("好的，已退出。已经留下的留言还在留言箱里，老师会照常让小明听到、看到。")

	dad.SendsPhoto("for Xiaoming")
	dad.Sees("✉️ You sent a photo. Leave it in your child's mailbox")
	dad.Tap("Cancel")
	dad.Sees("Nothing was changed.")
	if n := unread(); n != 2 {
		t.Fatalf("%d waiting after the father said no, want the mother's 2", n)
	}
	dad.SendsSticker()
	got := dad.Sees("it will not reach your child. To leave a message for your child (a voice note, a photo, a video or a text), send /message first")
	if !strings.Contains(got.Text, "青溪村儿童之家: 0851-1234") {
		t.Errorf("no way to reach the home:\n%s", got.Text)
	}
	dad.Types("/photos") // a command is not a message to the child
	dad.Sees("Sorry, I didn't understand that")
}

// The coordinator hears when a teacher accepts their invitation.
func TestCoordinatorToldWhenATeacherJoins(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "周主任", "zh-hans")
	newTeacher := h.person(7301, "Ms Zhao", "en")
	link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleTeacher, HomeID: f.home})
	newTeacher.Types("/start " + link)
	newTeacher.Tap("I accept")
	newTeacher.Sees("You are now a teacher at 青溪村儿童之家")
	coord.Sees("Ms Zhao 已加入青溪村儿童之家，成为这里的老师") // by name
}

// What a parent agreed to stays in the chat, with when; the thanks and
// the next question come as new messages.
func TestConsentIsKept(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	aunt := h.person(7302, "Aunt Mei", "en")
	link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child})
	aunt.Types("/start " + link)
	consent := aunt.Sees("What we store")
	aunt.Tap("Yes, I'm a parent – I agree")
	aunt.Sees("How are you related to 小明?")
	ok := h.tg.WaitFor(5*time.Second, func() bool {
		for _, m := range aunt.Messages() {
			if m.ID == consent.ID {
				return strings.Contains(m.Text, "What we store") && strings.Contains(m.Text, "You agreed on") && len(m.Keyboard) == 0
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("the consent was not kept:\n%s", transcript(aunt.Messages()))
	}
}

// The teachers hear that a parent joined once the parent said who they
// are; if they never do, after a while, by name alone; never twice.
func TestJoinNoticeWaitsForTheRelationship(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	teacher := h.person(f.teacher, "王老师", "zh-hans")
	aunt := h.person(7303, "Mei", "en")
	link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child})
	aunt.Types("/start " + link)
	aunt.Tap("Yes, I'm a parent – I agree")
	aunt.Sees("How are you related to 小明?")
	ctx := context.Background()
	bot := h.reps[0].app.Bot
	if err := bot.SendDueJoinNotices(ctx); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(14 * time.Minute)
	if err := bot.SendDueJoinNotices(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(transcript(teacher.Messages()), "has joined") {
		t.Fatalf("told before the parent said who they are, or the delay:\n%s", transcript(teacher.Messages()))
	}
	h.clock.Advance(2 * time.Minute)
	if err := bot.SendDueJoinNotices(ctx); err != nil {
		t.Fatal(err)
	}
	teacher.Sees("Mei, a parent of 小明, has joined homelink")
	aunt.Tap("Grandparent") // late: no second notice
	aunt.Sees("Grandparent")
	h.clock.Advance(time.Hour)
	if err := bot.SendDueJoinNotices(ctx); err != nil {
		t.Fatal(err)
	}
	teacher.settled(1)
}

// A birth year typed on a Chinese keyboard (full-width digits, 年) is
// understood, in either language.
func TestBirthYearsTypedOnAChineseKeyboard(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	secondTeacher(t, h, f, 7401)
	zhTeacher, enTeacher := h.person(7401, "李老师", "zh-hans"), h.person(f.teacher, "王老师", "en")
	zhTeacher.Types("/language")
	zhTeacher.Tap("简体中文")
	for _, c := range []struct {
		p               *person
		add, name, year string
		registered      string
	}{
		{zhTeacher, "+ 登记孩子", "丽丽", "２０１７年", "丽丽已登记"},
		{enTeacher, "+ Register a child", "Mei", "２０１５", "Mei is registered"},
	} {
		c.p.Types("/children")
		c.p.Tap(c.add)
		c.p.Types(c.name)
		c.p.Types(c.year)
		c.p.Sees(c.registered)
	}
	kids, err := h.reps[0].app.Store.Children(context.Background(), f.home)
	if err != nil {
		t.Fatal(err)
	}
	years := map[string]int{}
	for _, k := range kids {
		years[k.Name] = k.BirthYear
	}
	if years["丽丽"] != 2017 || years["Mei"] != 2015 {
		t.Fatalf("years %v", years)
	}
}
