package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// The mailbox from the teacher's side, end to end: parents' messages are
// put in through the store (as /message keeps them), the teachers' phones
// show the notice, /mailbox, the pages, Heard, and the child's reply on
// its way to each guardian in their language.

// mailWorld is the booking world's home and people (two teachers, one
// reading English and one Chinese; mom in Chinese, dad in English), its
// clock at Saturday 28 Nov 2026 17:00 in the home's zone.
type mailWorld struct{ *bookingWorld }

func newMailWorld(t *testing.T, tune func(*Config)) *mailWorld {
	t.Helper()
	return &mailWorld{newBookingWorldWith(t, homelink.Hours{}, tune)}
}

// inOrder paces the outbox one message at a time into each chat, so
// messages reach a phone in the order they were queued (several at once
// may overtake each other on their way to Telegram).
func inOrder(c *Config) { c.ChatPerSecond, c.ChatBurst = 20, 1 }

// leaves keeps it in child's mailbox as left by guardian from, a minute
// after the last, as /message keeps it.
func (w *mailWorld) leaves(from, child int64, it homelink.MailItem) homelink.MailItem {
	w.t.Helper()
	w.h.clock.Advance(time.Minute)
	return w.keeps(from, child, it)
}

// keeps keeps it in child's mailbox as left by guardian from, now.
func (w *mailWorld) keeps(from, child int64, it homelink.MailItem) homelink.MailItem {
	w.t.Helper()
	day := homelink.MailDay(w.h.clock.Now(), mustZone(w.t, "Asia/Shanghai"))
	kept, _, err := w.h.store().LeaveMessage(context.Background(), homelink.By{User: from}, w.f.home, child, it, day,
		homelink.DefaultMailDailyLimit)
	if err != nil {
		w.t.Fatalf("leave %+v: %v", it, err)
	}
	return kept
}

// says leaves a text for 小明.
func (w *mailWorld) says(from int64, text string) homelink.MailItem {
	w.t.Helper()
	return w.leaves(from, w.f.child, homelink.MailItem{Kind: homelink.MailText, Text: text})
}

// unread is how many items wait for 小明.
func (w *mailWorld) unread() int {
	w.t.Helper()
	n, err := w.h.store().Unread(context.Background(), w.f.home)
	if err != nil {
		w.t.Fatal(err)
	}
	return n[w.f.child]
}

// since are p's messages after the first n.
func since(p *person, n int) []emulator.Message { return p.Messages()[n:] }

// Thirty messages in a minute give each teacher of the home one notice,
// in their language, with [Open mailbox]; the next comes an hour after
// it, not before. A teacher of another home hears nothing.
func TestThirtyMessagesGiveEachTeacherOneNoticeAnHour(t *testing.T) {
	w := newMailWorld(t, nil)
	w.says(w.f.mom, "第一条")
	w.h.settle()
	first := w.h.clock.Now()
	onlyOnce(t, w.teacher, "📬 Messages are waiting at 青溪村儿童之家: 小明 (1)")
	onlyOnce(t, w.teacher2, "📬 青溪村儿童之家有留言等着播放：小明 1 条")
	for i := 2; i <= 30; i++ {
		from := w.f.mom
		if i%2 == 0 {
			from = w.f.dad
		}
		w.h.clock.Advance(2 * time.Second)
		w.keeps(from, w.f.child, homelink.MailItem{Kind: homelink.MailText, Text: fmt.Sprintf("message %d", i)})
		if i%5 == 0 {
			w.h.settle()
		}
	}
	w.keeps(w.f.otherParent, w.f.sibling, homelink.MailItem{Kind: homelink.MailVoice, FileID: "voice-lili"})
	if w.h.clock.Now().Sub(first) > time.Minute {
		t.Fatalf("the thirty took %v", w.h.clock.Now().Sub(first))
	}
	w.h.settle()
	for _, p := range []*person{w.teacher, w.teacher2} {
		if n := count(p, "📬"); n != 1 {
			t.Fatalf("teacher %d got %d notices for thirty messages:\n%s", p.ID, n, transcript(p.Messages()))
		}
	}
	m := w.comesAt(first.Add(homelink.MailNoticeEvery),
		arrival{w.teacher, "小明 (30)", "📬 Messages are waiting at 青溪村儿童之家: 小明 (30), Lili (1)"},
		arrival{w.teacher2, "小明 30 条", "📬 青溪村儿童之家有留言等着播放：小明 30 条、Lili 1 条"})[0]
	if !m.HasButton("Open mailbox") {
		t.Fatalf("the notice has no [Open mailbox]: %v", m.Buttons())
	}
	if n := len(w.otherTeacher.Messages()); n != 0 {
		t.Fatalf("a teacher of another home was told:\n%s", transcript(w.otherTeacher.Messages()))
	}
	w.teacher.Tap("Open mailbox")
	w.teacher.Sees("📬 Mailbox · 青溪村儿童之家")
	seesButton(t, w.h, w.teacher, "小明 · 30 new")
	w.teacher2.Tap("打开留言箱")
	seesButton(t, w.h, w.teacher2, "小明 · 30 条新留言")
}

// A message left in a teacher's quiet hours (22:00–07:00) is told when
// they end, not before.
func TestANoticeInQuietHoursWaitsUntilTheyEnd(t *testing.T) {
	w := newMailWorld(t, nil)
	w.h.clock.Set(at(2026, 11, 28, 23, 0))
	w.says(w.f.dad, "Good night")
	w.h.settle()
	w.comesAt(at(2026, 11, 29, 7, 0), arrival{w.teacher, "📬", "📬 Messages are waiting at 青溪村儿童之家: 小明 (1)"},
		arrival{w.teacher2, "📬", "📬 青溪村儿童之家有留言等着播放：小明 1 条"})
}

// /mailbox lists the children with messages waiting first, with how many,
// then the others; 小明's 13 play ten at a time, in order, each under who
// left it and when in the teacher's own zone, then [More] plays the other
// three. The same in Chinese. A teacher of two homes picks one first.
func TestMailboxPlaysTenInOrderThenMore(t *testing.T) {
	w := newMailWorld(t, inOrder)
	ctx := context.Background()
	if err := w.h.store().SetTimeZone(ctx, w.f.teacher, "Europe/Madrid"); err != nil {
		t.Fatal(err)
	}
	var want []string // what the English teacher, in Madrid, reads
	for i := 1; i <= 13; i++ {
		from, who := w.f.mom, "李秀兰 (Mother)"
		if i%3 == 0 {
			from, who = w.f.dad, "Jian (Father)"
		}
		it := w.says(from, fmt.Sprintf("message %02d", i))
		want = append(want, fmt.Sprintf("%s · Sat 28 Nov %s\nmessage %02d", who, it.At.In(mustZone(t, "Europe/Madrid")).Format("15:04"), i))
	}
	w.leaves(w.f.otherParent, w.f.sibling, homelink.MailItem{Kind: homelink.MailText, Text: "Lili, eat well"})
	if want[0] != "李秀兰 (Mother) · Sat 28 Nov 10:01\nmessage 01" {
		t.Fatalf("the test's own clock is off: %q", want[0])
	}

	w.teacher.Types("/mailbox")
	list := w.teacher.Sees("📬 Mailbox · 青溪村儿童之家")
	wantLines(t, list, "14 new messages are waiting. Tap a child to play their messages or to record a reply.")
	if got := list.Buttons(); !slices.Equal(got, []string{"小明 · 13 new", "Lili · 1 new"}) {
		t.Fatalf("the list's buttons: %v", got)
	}
	n := len(w.teacher.Messages())
	w.teacher.Tap("小明 · 13 new")
	w.teacher.Sees("▶ 小明's messages are coming below (10 of 13), in about 10 seconds.")
	end := w.teacher.Sees("Played up to 10 of 13.")
	if got := end.Buttons(); !slices.Equal(got, []string{"✅ The child heard them", "▶ More (3)", "🎙 Record a reply"}) {
		t.Fatalf("the page's end: %v", got)
	}
	if got := textsWith(since(w.teacher, n), "message "); !slices.Equal(got, want[:10]) {
		t.Fatalf("the page reads:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want[:10], "\n"))
	}
	n = len(w.teacher.Messages())
	w.teacher.Tap("▶ More (3)")
	w.teacher.Sees("▶ 小明's messages are coming below (13 of 13)")
	end = w.teacher.Sees("Played up to 13 of 13.")
	if got := end.Buttons(); !slices.Equal(got, []string{"✅ The child heard them", "🎙 Record a reply"}) {
		t.Fatalf("the last page's end: %v", got)
	}
	if got := textsWith(since(w.teacher, n), "message "); !slices.Equal(got, want[10:]) {
		t.Fatalf("More reads:\n%s", strings.Join(got, "\n"))
	}

	w.teacher2.Types("/mailbox")
	list = w.teacher2.Sees("📬 留言箱 · 青溪村儿童之家")
	wantLines(t, list, "有 14 条新留言。")
	n = len(w.teacher2.Messages())
	w.teacher2.Tap("小明 · 13 条新留言")
	w.teacher2.Sees("▶ 给小明的留言马上发到下面（到第 10 条，共 13 条），大约 10 秒发完。")
	end = w.teacher2.Sees("已播到第 10 条，共 13 条。")
	if !end.HasButton("✅ 孩子听过了") || !end.HasButton("▶ 继续播放（还有 3 条）") || !end.HasButton("🎙 录一段回复") {
		t.Fatalf("the Chinese page's end: %v", end.Buttons())
	}
	got := textsWith(since(w.teacher2, n), "message ")
	if len(got) != 10 || got[0] != "李秀兰（妈妈），11月28日 周六 17:01\nmessage 01" || got[2] != "Jian（爸爸），11月28日 周六 17:03\nmessage 03" {
		t.Fatalf("the Chinese page reads:\n%s", strings.Join(got, "\n"))
	}
	if w.unread() != 13 {
		t.Fatal("playing marked something heard")
	}

	// A teacher of two homes picks the home first.
	_, inv := inviteFor(t, w.h, homelink.Invite{Role: homelink.RoleTeacher, HomeID: w.f.otherHome})
	if _, err := w.h.store().RedeemInvite(ctx, inv, w.f.teacher, "en"); err != nil {
		t.Fatal(err)
	}
	w.teacher.Types("/mailbox")
	w.teacher.Sees("Which home?")
	w.teacher.Tap("山口儿童之家")
	w.teacher.Sees("📬 Mailbox · 山口儿童之家")
	seesButton(t, w.h, w.teacher, "阿福")
}

// textsWith are the texts of ms that contain s, in order.
func textsWith(ms []emulator.Message, s string) []string {
	var out []string
	for _, m := range ms {
		if strings.Contains(m.Text, s) {
			out = append(out, m.Text)
		}
	}
	return out
}

// Text, voice, photo, video and video note each reach the teacher as
// what they are, by the file id the parent's Telegram gave it: a caption
// under the header, a video note after its header.
func TestEachKindArrivesAsItselfByItsFileID(t *testing.T) {
	w := newMailWorld(t, inOrder)
	w.says(w.f.mom, "多穿点衣服")
	w.leaves(w.f.mom, w.f.child, homelink.MailItem{Kind: homelink.MailVoice, FileID: "voice-from-mom"})
	w.leaves(w.f.dad, w.f.child, homelink.MailItem{Kind: homelink.MailPhoto, FileID: "photo-from-dad", Text: "my site"})
	w.leaves(w.f.dad, w.f.child, homelink.MailItem{Kind: homelink.MailVideo, FileID: "video-from-dad"})
	w.leaves(w.f.mom, w.f.child, homelink.MailItem{Kind: homelink.MailVideoNote, FileID: "note-from-mom"})
	w.teacher.Types("/mailbox")
	w.teacher.Tap("小明 · 5 new")
	w.teacher.Sees("Played up to 5 of 5.")
	var got []string
	for _, m := range w.teacher.Messages() {
		if m.Kind != "text" || strings.Contains(m.Text, "17:05") || strings.Contains(m.Text, "多穿点衣服") {
			got = append(got, m.Kind+" "+m.FileID+" "+strings.ReplaceAll(m.Text, "\n", " / "))
		}
	}
	want := []string{
		"text  李秀兰 (Mother) · Sat 28 Nov 17:01 / 多穿点衣服",
		"voice voice-from-mom 李秀兰 (Mother) · Sat 28 Nov 17:02",
		"photo photo-from-dad Jian (Father) · Sat 28 Nov 17:03 / my site",
		"video video-from-dad Jian (Father) · Sat 28 Nov 17:04",
		"text  李秀兰 (Mother) · Sat 28 Nov 17:05",
		"video_note note-from-mom ",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("the teacher got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// [Heard] marks what was played heard and names whose families will be
// told; a second teacher marking the same messages is told someone did
// first, and nobody is told twice.
func TestHeardOnceAndTheSecondTeacherIsToldItWasDone(t *testing.T) {
	w := newMailWorld(t, nil)
	w.says(w.f.mom, "早上好")
	w.says(w.f.dad, "Hello")
	w.says(w.f.mom, "想你")
	w.teacher2.Types("/mailbox")
	w.teacher2.Tap("小明 · 3 条新留言")
	w.teacher2.Sees("已播到第 3 条，共 3 条。")
	w.teacher.Types("/mailbox")
	w.teacher.Tap("小明 · 3 new")
	w.teacher.Sees("Played up to 3 of 3.")

	w.teacher.Tap("✅ The child heard them")
	m := w.teacher.Sees("Marked as heard. 李秀兰 (Mother), Jian (Father) will be told.")
	if !m.HasButton("🎙 Record a reply") || m.HasButton("✅ The child heard them") {
		t.Fatalf("after Heard: %v", m.Buttons())
	}
	if n := w.unread(); n != 0 {
		t.Fatalf("%d still wait after Heard", n)
	}
	counts, err := w.h.store().MailCounts(context.Background(), w.f.home, homelink.WeekOf(w.h.clock.Now(), mustZone(t, "Asia/Shanghai")))
	if err != nil || counts.Heard != 3 {
		t.Fatalf("heard counted %+v, %v", counts, err)
	}
	w.teacher2.Tap("✅ 孩子听过了")
	w.teacher2.Sees("给小明的这些留言已经标为听过了，家长只会收到一次通知。")
	if counts, _ := w.h.store().MailCounts(context.Background(), w.f.home, homelink.WeekOf(w.h.clock.Now(), mustZone(t, "Asia/Shanghai"))); counts.Heard != 3 {
		t.Fatalf("marked twice: %+v", counts)
	}
	w.teacher.Types("/mailbox")
	w.teacher.Sees("No new messages. Tap a child to record a reply.")
}
