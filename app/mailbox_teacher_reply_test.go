package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// The child's reply (a voice note, a photo with a caption, a text)
// reaches mom in Chinese, by the teacher's own file ids; dad blocked
// homelink, so a minute later the teacher is told he was not reached,
// once. Back again, dad gets the next reply, recorded by the Chinese
// teacher, in English.
func TestReplyReachesEachGuardianAndTheTeacherHearsWhoWasNot(t *testing.T) {
	w := newMailWorld(t, inOrder)
	w.blocked(w.dad, true)
	w.teacher.Types("/mailbox")
	w.teacher.Tap("小明")
	w.teacher.Sees("No new messages for 小明.")
	w.teacher.Tap("🎙 Record a reply")
	w.teacher.Sees("Record 小明's reply")
	w.teacher.SendsVoice()
	w.teacher.Sees("✓ Recorded (voice note). Record more, or send it.")
	w.teacher.SendsPhoto("我画的家")
	w.teacher.Sees("✓ Recorded (photo): 2 so far.")
	w.teacher.Types("妈妈，我很好，不用担心")
	w.teacher.Sees("✓ Recorded (text): 3 so far.")
	w.teacher.Tap("📨 Send to the family")
	w.teacher.Sees("📨 小明's reply is on its way to 李秀兰 (Mother), Jian (Father).")
	w.h.settle()

	voice, photo := w.sent(w.teacher, "voice"), w.sent(w.teacher, "photo")
	want := []string{"text  💌 小明给您的话，由王老师在青溪村儿童之家帮忙录下", "voice " + voice + " ",
		"photo " + photo + " 我画的家", "text  妈妈，我很好，不用担心"}
	if got := kindsOf(w.mom.Messages()); !slices.Equal(got, want) {
		t.Fatalf("mom got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ms := w.mom.Messages(); !ms[len(ms)-1].HasButton("✉️ 给孩子留言") || ms[0].HasButton("✉️ 给孩子留言") {
		t.Fatalf("the reply's last message should carry [Leave a message]:\n%s", transcript(ms))
	}
	if n := len(w.dad.Messages()); n != 0 {
		t.Fatalf("dad, who blocked homelink, got:\n%s", transcript(w.dad.Messages()))
	}
	w.comesAt(w.h.clock.Now().Add(time.Minute), arrival{w.teacher, "did not receive",
		"Jian (Father) did not receive 小明's reply: they have blocked homelink. Please tell them another way."})
	w.h.clock.Advance(time.Hour)
	w.h.settle()
	onlyOnce(t, w.teacher, "did not receive")

	w.blocked(w.dad, false)
	w.teacher2.Types("/mailbox")
	w.teacher2.Tap("小明")
	w.teacher2.Sees("没有给小明的新留言。")
	w.teacher2.Tap("🎙 录一段回复")
	w.teacher2.Types("Dad, come home for the New Year")
	w.teacher2.Sees("✓ 已保存（文字），共 1 条。")
	w.teacher2.Tap("📨 发给家长")
	w.teacher2.Sees("📨 小明的回复正在发给李秀兰（妈妈）、Jian（爸爸）。")
	w.h.settle()
	want = []string{"text  💌 A message from 小明, recorded at 青溪村儿童之家 with 李老师", "text  Dad, come home for the New Year"}
	if got := kindsOf(w.dad.Messages()); !slices.Equal(got, want) {
		t.Fatalf("dad got:\n%s", strings.Join(got, "\n"))
	}
	w.mom.Sees("💌 小明给您的话，由李老师在青溪村儿童之家帮忙录下")
	// Dad answers the child from the reply itself.
	w.dad.Tap("✉️ Leave a message")
	w.dad.Sees("✉️ A message for 小明")
	w.h.clock.Advance(time.Minute)
	w.h.settle()
	if n := count(w.teacher2, "没有收到"); n != 0 {
		t.Fatalf("the second teacher was told of a guardian not reached:\n%s", transcript(w.teacher2.Messages()))
	}
	counts, err := w.h.store().MailCounts(context.Background(), w.f.home, homelink.WeekOf(w.h.clock.Now(), mustZone(t, "Asia/Shanghai")))
	if err != nil || counts.FromChild != 4 {
		t.Fatalf("the replies' items counted %+v, %v", counts, err)
	}
}

// blocked has p block homelink (or come back) and waits until the outbox
// knows.
func (w *mailWorld) blocked(p *person, on bool) {
	w.t.Helper()
	if on {
		p.Blocks()
	} else {
		p.Unblocks()
	}
	a := w.h.reps[0].app
	if !w.h.tg.WaitFor(5*time.Second, func() bool {
		ok, err := a.Outbox.Reachable(context.Background(), p.ID)
		return err == nil && ok != on && w.h.tg.PendingUpdates() == 0
	}) {
		w.t.Fatalf("the outbox never saw user %d block (%v) the bot", p.ID, on)
	}
}

// sent is the file id of the last medium of kind p sent the bot.
func (w *mailWorld) sent(p *person, kind string) string {
	w.t.Helper()
	file := ""
	for _, m := range w.h.tg.Transcript(p.ID) {
		if !m.FromBot && m.Kind == kind {
			file = m.FileID
		}
	}
	if file == "" {
		w.t.Fatalf("user %d sent no %s", p.ID, kind)
	}
	return file
}

// kindsOf is each message as "<kind> <file id> <text>".
func kindsOf(ms []emulator.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Kind + " " + m.FileID + " " + m.Text
	}
	return out
}
