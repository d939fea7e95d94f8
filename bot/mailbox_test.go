package bot

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/outbox"
)

// The teacher's mailbox, piece by piece: how items become messages, how a
// page is cut, how a reply reads to each guardian, and what the delivery
// check makes of the outbox's records.

func mailItem(kind homelink.MailKind, file, text string) homelink.MailItem {
	return homelink.MailItem{ID: 1, Kind: kind, FileID: file, Text: text, From: 300, Rel: homelink.Mother}
}

// plain is what a reader sees of a message the bot sends as HTML.
func plain(t *testing.T, m outbox.Message) string {
	t.Helper()
	s, err := emulator.ParseHTML(m.Text)
	if err != nil {
		t.Fatalf("invalid HTML %q: %v", m.Text, err)
	}
	return s
}

// Each kind goes as itself, by its file id, under its header; a caption
// too long beside the header goes after the medium as text; markup a
// parent typed stays text.
func TestItemMessagesCarryEachKindByItsFileID(t *testing.T) {
	base := outbox.Message{ChatID: 7, Reply: true}
	const header = "李秀兰 (Mother) · Sat 5 Dec 14:05"
	for _, tc := range []struct {
		it    homelink.MailItem
		kinds []outbox.Kind
		texts []string
	}{
		{mailItem(homelink.MailText, "", "Eat well <b>& sleep</b>"), []outbox.Kind{outbox.Text},
			[]string{header + "\nEat well <b>& sleep</b>"}},
		{mailItem(homelink.MailVoice, "voice-1", ""), []outbox.Kind{outbox.Voice}, []string{header}},
		{mailItem(homelink.MailPhoto, "photo-1", "our room"), []outbox.Kind{outbox.Photo}, []string{header + "\nour room"}},
		{mailItem(homelink.MailVideo, "video-1", "hi"), []outbox.Kind{outbox.Video}, []string{header + "\nhi"}},
		{mailItem(homelink.MailVideoNote, "note-1", ""), []outbox.Kind{outbox.Text, outbox.VideoNote}, []string{header, ""}},
		{mailItem(homelink.MailPhoto, "photo-2", strings.Repeat("长", 1000)), []outbox.Kind{outbox.Photo, outbox.Text},
			[]string{"", header + "\n" + strings.Repeat("长", 1000)}},
		// A caption longer than a bot may send at all (a Premium sender's
		// 2,000): the medium alone, the words after it, nothing dropped.
		{mailItem(homelink.MailVoice, "voice-2", strings.Repeat("长", 2000)), []outbox.Kind{outbox.Voice, outbox.Text},
			[]string{"", header + "\n" + strings.Repeat("长", 2000)}},
	} {
		ms := itemMessages(base, header, tc.it)
		if len(ms) != len(tc.kinds) {
			t.Fatalf("%s: %d messages, want %d", tc.it.Kind, len(ms), len(tc.kinds))
		}
		for i, m := range ms {
			if m.Kind != tc.kinds[i] || plain(t, m) != tc.texts[i] || m.ChatID != 7 || !m.Reply {
				t.Errorf("%s message %d: %+v, want a %s reading %q", tc.it.Kind, i, m, tc.kinds[i], tc.texts[i])
			}
			if wantFile := m.Kind != outbox.Text; wantFile != (m.FileID == tc.it.FileID && m.FileID != "") {
				t.Errorf("%s message %d carries file %q, want %q", tc.it.Kind, i, m.FileID, tc.it.FileID)
			}
		}
	}
}

// A text too long for one message is cut into messages Telegram takes,
// the header on the first, at a line break when there is one, nothing
// lost; a character outside the BMP counts twice, as Telegram counts it.
func TestLongTextIsSplitWhereTelegramNeeds(t *testing.T) {
	text := strings.Repeat("好", 3000) + "\n" + strings.Repeat("😀", 1500)
	parts := textParts("李秀兰 (Mother) · Sat 5 Dec 14:05", text)
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	for _, p := range parts {
		if n := utf16Len(p); n > textLimit {
			t.Errorf("a part of %d UTF-16 units", n)
		}
	}
	if !strings.HasPrefix(parts[0], "李秀兰 (Mother) · Sat 5 Dec 14:05\n好") || parts[1] != strings.Repeat("😀", 1500) {
		t.Fatalf("cut at the wrong place: %q… / %q…", parts[0][:60], parts[1][:12])
	}
	got := splitText(strings.Repeat("a", 10), 4, 4)
	if strings.Join(got, "") != strings.Repeat("a", 10) || len(got) != 3 {
		t.Fatalf("split %q", got)
	}
	if got := splitText("ab 😀😀", 4, 4); len(got) != 2 || got[0] != "ab" || got[1] != "😀😀" {
		t.Fatalf("split %q", got)
	}
}

// A page stops before the item that would pass the outbox's backlog of
// one chat: ten video notes (two messages each) make a page of nine.
func TestPageIsCutToTheChatBacklog(t *testing.T) {
	w := newWalker(t)
	var items []homelink.MailItem
	for i := int64(1); i <= homelink.MailPageSize; i++ {
		it := mailItem(homelink.MailVideoNote, "note", "")
		it.ID, it.At = i, time.Date(2026, 12, 5, 6, 5, 0, 0, time.UTC)
		items = append(items, it)
	}
	r := w.b.reader(homelink.User{ID: 200, Language: "en"})
	ms, used, err := w.b.pageMessages(context.Background(), r, items, pageBudget)
	if err != nil {
		t.Fatal(err)
	}
	if used != 9 || len(ms) != 18 || len(ms)+1 > 20 {
		t.Fatalf("a page of %d items in %d messages", used, len(ms))
	}
}

// Headers name the sender and their relationship, with the time in the
// teacher's own zone, in the teacher's language.
func TestHeadersAreInTheTeachersZoneAndLanguage(t *testing.T) {
	w := newWalker(t)
	ctx := context.Background()
	if err := w.st.SetName(ctx, 300, "李秀兰"); err != nil {
		t.Fatal(err)
	}
	it := mailItem(homelink.MailText, "", "多穿点")
	it.At = time.Date(2026, 12, 5, 6, 5, 0, 0, time.UTC) // 14:05 in Shanghai, 07:05 in Madrid
	for _, tc := range []struct {
		user homelink.User
		want string
	}{
		{homelink.User{ID: 200, Language: "en", TimeZone: "Asia/Shanghai"}, "李秀兰 (Mother) · Sat 5 Dec 14:05\n多穿点"},
		{homelink.User{ID: 201, Language: "zh-Hans", TimeZone: "Asia/Shanghai"}, "李秀兰（妈妈），12月5日 周六 14:05\n多穿点"},
		{homelink.User{ID: 202, Language: "en", TimeZone: "Europe/Madrid"}, "李秀兰 (Mother) · Sat 5 Dec 07:05\n多穿点"},
	} {
		ms, _, err := w.b.pageMessages(ctx, w.b.reader(tc.user), []homelink.MailItem{it}, pageBudget)
		if err != nil {
			t.Fatal(err)
		}
		if got := plain(t, ms[0]); got != tc.want {
			t.Errorf("%s in %s reads %q, want %q", tc.user.Language, tc.user.TimeZone, got, tc.want)
		}
	}
}

// A reply reads, in each guardian's language, whom it is from and through
// whom, then the items; the last carries the buttons it is given.
func TestReplyReadsInTheGuardiansLanguage(t *testing.T) {
	w := newWalker(t)
	child := homelink.Child{ID: 3, Name: "小明"}
	home := homelink.Home{ID: 1, Name: "青溪村儿童之家"}
	items := []homelink.MailItem{mailItem(homelink.MailVoice, "voice-9", ""), mailItem(homelink.MailText, "", "I miss you")}
	kb := [][]outbox.Button{{{Text: "x", Data: "y"}}}
	for _, tc := range []struct {
		lang, teacher, want string
	}{
		{"en", "王老师", "💌 A message from 小明, recorded at 青溪村儿童之家 with 王老师"},
		{"zh-Hans", "王老师", "💌 小明给您的话，由王老师在青溪村儿童之家帮忙录下"},
		{"zh-Hans", "", "💌 小明给您的话，在青溪村儿童之家录下"},
	} {
		rd := w.b.reader(homelink.User{ID: 300, Language: tc.lang})
		ms := replyMessages(rd, child, home, tc.teacher, items, true, kb)
		if len(ms) != 3 || plain(t, ms[0]) != tc.want || ms[1].Kind != outbox.Voice || ms[1].FileID != "voice-9" ||
			plain(t, ms[2]) != "I miss you" {
			t.Fatalf("%s: %+v", tc.lang, ms)
		}
		for i, m := range ms {
			if m.Lane != outbox.Bulk || m.ChatID != 300 || !m.Silent || (i == 2) != (m.Keyboard != nil) {
				t.Errorf("%s message %d: %+v", tc.lang, i, m)
			}
		}
	}
}

// The delivery check reads the outbox: a guardian whose messages were
// refused because they blocked the bot was not reached; one whose
// messages still wait is checked again.
func TestReachedReadsTheOutbox(t *testing.T) {
	w := newWalker(t)
	ctx := context.Background()
	out := w.b.Sender.(*outbox.Outbox)
	if err := out.SetReachable(ctx, 501, false); err != nil {
		t.Fatal(err)
	}
	ids, err := out.EnqueueAll(ctx, []outbox.Message{{Lane: outbox.Bulk, ChatID: 500, Text: "a"}, {Lane: outbox.Bulk, ChatID: 501, Text: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	// The walker's outbox sends nothing on its own: 500's message waits.
	for i, want := range []string{"queued", "blocked"} {
		if got, err := w.b.reached(ctx, ids[i:i+1]); err != nil || got != want {
			t.Errorf("chat %d: %q, %v; want %q", 500+i, got, err, want)
		}
	}
	if got, _ := w.b.reached(ctx, ids); got != "blocked" {
		t.Errorf("a blocked message among others reads %q", got)
	}
}

func TestReplyIDsAndKeys(t *testing.T) {
	if got := replyIDs("12,13, 14,x,-1,"); len(got) != 3 || got[0] != 12 || got[2] != 14 {
		t.Fatalf("replyIDs: %v", got)
	}
}

// The reply step, walked alone: [Record a reply] on a child with a
// family opens it; each voice note, photo and text is kept in the flow's
// answers as it comes and acknowledged; a sticker is not taken; ten is
// the most; Cancel keeps nothing. A child without a family is said to
// have nobody to send to.
func TestReplyStepKeepsEachItemAsItComes(t *testing.T) {
	w := newWalker(t)
	ctx := context.Background()
	_, h := w.coordinator(100)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 200)
	c := w.child(h, "小明")
	lonely := w.child(h, "丽丽")
	w.join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID}, 300)
	teacher := w.person(200, "en")
	record := func(child int64) {
		if _, err := w.st.SaveSession(ctx, 200, homelink.Session{Flow: menu, Nonce: "n", Version: w.version(200)}); err != nil {
			t.Fatal(err)
		}
		teacher.does(func() { teacher.TapsData(0, w.b.ButtonData("mail.record", "n", h.ID, child, 0)) })
	}
	record(lonely.ID)
	teacher.sees("No family is linked to 丽丽 yet")
	teacher.isAt("")

	record(c.ID)
	teacher.sees("Record 小明's reply: a voice note, a video, a round video, a photo or a text, up to 10.")
	teacher.isAt("mail.reply/record")
	teacher.sendsVoice()
	teacher.sees("✓ Recorded (voice note). Record more, or send it.")
	if !teacher.latest.HasButton("📨 Send to the family") || !teacher.latest.HasButton("Cancel") {
		t.Fatalf("buttons %v", teacher.latest.Buttons())
	}
	teacher.sendsPhoto()
	teacher.sees("✓ Recorded (photo): 2 so far.")
	teacher.types("I miss you, Mum")
	teacher.sees("✓ Recorded (text): 3 so far.")
	teacher.does(func() { teacher.SendsSticker() })
	teacher.sees("Here I need a text message, a voice note, a photo, a video or a round video message.")

	s, err := w.st.Session(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	r := &request{b: w.b, session: s}
	a := answersOf[replyAnswers](r)
	if len(a.Items) != 3 || a.Home != h.ID || a.Child != c.ID || a.Items[0].Kind != homelink.MailVoice || a.Items[0].FileID == "" ||
		a.Items[1].Kind != homelink.MailPhoto || a.Items[1].Text != "a photo" || a.Items[2].Text != "I miss you, Mum" {
		t.Fatalf("answers %+v", a)
	}
	for i := 3; i < homelink.MaxReplyItems; i++ {
		teacher.sendsVoice()
	}
	teacher.sees("✓ Recorded (voice note): 10 so far.")
	teacher.sendsVoice()
	teacher.sees("That is 10 already, the most one reply holds: this one was not kept.")
	teacher.taps("Cancel")
	teacher.isAt("")
	teacher.sees("Okay, stopped. The reply was not sent: the 10 items recorded are deleted.")
	if kept, _ := w.st.UserMail(ctx, 300); len(kept) != 0 {
		t.Fatalf("a cancelled reply was kept: %+v", kept)
	}

	// Recorded again and sent: the store keeps it for the family, and the
	// teacher reads whom it goes to; Send again finds the flow over.
	if err := w.st.SetName(ctx, 300, "李秀兰"); err != nil {
		t.Fatal(err)
	}
	if err := w.st.SetRelationship(ctx, h.ID, c.ID, 300, homelink.Mother); err != nil {
		t.Fatal(err)
	}
	record(c.ID)
	teacher.types("I miss you")
	send := teacher.latest
	teacher.taps("📨 Send to the family")
	teacher.isAt("")
	teacher.sees("📨 小明's reply is on its way to 李秀兰 (Mother).")
	kept, err := w.st.UserMail(ctx, 300)
	if err != nil || len(kept) != 1 || !kept[0].Reply || kept[0].Text != "I miss you" || kept[0].From != 200 {
		t.Fatalf("kept %+v, %v", kept, err)
	}
	b, _ := send.Button("📨 Send to the family")
	teacher.does(func() { teacher.TapsData(send.ID, b.CallbackData) })
	if got := teacher.Alerts(); got[len(got)-1] != "This button has expired. Please start again." {
		t.Fatalf("a second Send: %q", got)
	}
}

// /mailbox is on the menu and in /help of teachers only, in both
// languages.
func TestMailboxIsOnTeachersMenusOnly(t *testing.T) {
	w := newWalker(t)
	for _, tc := range []struct {
		roles homelink.Roles
		want  bool
	}{
		{homelink.Roles{Teaches: map[int64]bool{1: true}}, true},
		{homelink.Roles{Coordinates: map[int64]bool{1: true}}, false},
		{homelink.Roles{Guards: map[int64]homelink.Guardianship{1: {HomeID: 1}}}, false},
		{homelink.Roles{}, false},
	} {
		for _, lang := range []string{"en", "zh-Hans"} {
			got := slices.ContainsFunc(w.b.menu(lang, tc.roles), func(c outbox.Command) bool { return c.Name == "mailbox" })
			if got != tc.want {
				t.Errorf("%s menu of %+v lists /mailbox: %v", lang, tc.roles, got)
			}
		}
	}
	_, h := w.coordinator(100)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 200)
	en := w.person(200, "en")
	en.types("/help")
	en.sees("/mailbox – play the messages parents left for the children, mark them heard, and record a child's reply")
	zh := w.person(201, "zh-hans")
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 201)
	if err := w.st.SetLanguage(context.Background(), 201, "zh-Hans"); err != nil {
		t.Fatal(err)
	}
	zh.types("/help")
	zh.sees("/mailbox：给孩子播放家长的留言，听完后标记“孩子听过了”，也可以录下孩子的回复")
}

// A page's buttons fit Telegram's 64 bytes of callback data whatever the
// ids grow to.
func TestPageButtonsFitTelegramsLimit(t *testing.T) {
	w := newWalker(t)
	big := int64(1) << 50
	for _, name := range []string{"mail.heard", "mail.more"} {
		if data := w.b.ButtonData(name, "abcdefgh", big, big, big, 999); len(data) > 64 {
			t.Errorf("%s: %d bytes: %s", name, len(data), data)
		}
	}
	if data := w.b.ButtonData("mail.open", "", big); len(data) > 64 {
		t.Errorf("mail.open: %d bytes: %s", len(data), data)
	}
}
