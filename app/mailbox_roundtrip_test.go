package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// The whole round trip, as PRODUCT.md tells it. At lunch 小明's mother
// (Chinese) leaves a text, a voice note and a photo with /message; the
// father (English) a text. Each teacher hears of it once, in their
// language. The English teacher opens 小明's mailbox: the four messages in
// order, by the parents' own file ids, each headed with who left it. Heard:
// the mother is told in Chinese and the father in English, each with a
// button to write again. The Chinese teacher records 小明's answer (a voice
// note and a photo) and sends it: it reaches the mother in Chinese and the
// father in English, marked as from 小明 through the teacher.
func TestMailboxRoundTripWithTwoGuardiansInBothLanguages(t *testing.T) {
	w := newMailWorld(t, inOrder)
	w.h.clock.Advance(19 * time.Hour) // Sunday 12:00, lunch on the building site

	w.mom.Types("/message")
	w.mom.Sees("✉️ 给小明留言")
	w.mom.Types("小明，妈妈想你了，周六给你打电话。")
	w.mom.Sees("✓ 给小明的文字已保存。")
	w.mom.SendsVoice()
	w.mom.Sees("✓ 给小明的语音已保存。")
	w.mom.SendsPhoto("工地上的晚霞")
	w.mom.Sees("✓ 给小明的照片已保存。")
	w.mom.Tap("✅ 完成")
	w.mom.Sees("您的留言已经留在青溪村儿童之家了。")
	w.dad.Types("/message")
	w.dad.Sees("✉️ A message for 小明")
	w.dad.Types("Study hard, see you at New Year.")
	w.dad.Sees("✓ Kept for 小明: a text message.")
	w.dad.Tap("✅ Done")
	w.h.settle()
	// A teacher's first notice goes as soon as there is something to tell,
	// here while the parents may still be leaving theirs (the agenda ticks
	// every second); the next waits MailNoticeEvery. So within the hour
	// each teacher is told of all four, in their language: at once, or
	// in a second notice.
	w.h.clock.Advance(homelink.MailNoticeEvery)
	w.h.settle()
	for _, want := range []struct {
		p    *person
		last string
	}{{w.teacher, "📬 Messages are waiting at 青溪村儿童之家: 小明 (4)"}, {w.teacher2, "📬 青溪村儿童之家有留言等着播放：小明 4 条"}} {
		notices := slices.DeleteFunc(slices.Clone(want.p.Messages()), func(m emulator.Message) bool { return !strings.HasPrefix(m.Text, "📬") })
		if len(notices) == 0 || len(notices) > 2 || notices[len(notices)-1].Text != want.last {
			t.Fatalf("teacher %d's notices are not one or two ending %q:\n%s", want.p.ID, want.last, transcript(notices))
		}
	}

	w.teacher.Tap("Open mailbox")
	w.teacher.Tap("小明 · 4 new")
	w.teacher.Sees("Played up to 4 of 4.")
	voice, photo := w.sent(w.mom, "voice"), w.sent(w.mom, "photo")
	got := kindsOf(w.teacher.Messages())
	played := slices.IndexFunc(got, func(s string) bool { return strings.Contains(s, "妈妈想你了") })
	if played < 0 || len(got) < played+4 {
		t.Fatalf("the teacher's phone:\n%s", strings.Join(got, "\n"))
	}
	wantKinds := []string{"text", "voice " + voice, "photo " + photo, "text"}
	for i, want := range wantKinds {
		if !strings.HasPrefix(got[played+i], want) {
			t.Fatalf("message %d played as %q, want %q first:\n%s", i, got[played+i], want, strings.Join(got, "\n"))
		}
	}
	for i, who := range []string{"李秀兰 (Mother)", "李秀兰 (Mother)", "李秀兰 (Mother)", "Jian (Father)"} {
		if !strings.Contains(got[played+i], who) || !strings.Contains(got[played+i], "Sun 29 Nov") {
			t.Fatalf("message %d has no header naming %s on Sunday: %q", i, who, got[played+i])
		}
	}
	if !strings.Contains(got[played+2], "工地上的晚霞") || !strings.Contains(got[played+3], "Study hard") {
		t.Fatalf("a caption or text is missing:\n%s", strings.Join(got[played:], "\n"))
	}

	w.teacher.Tap("✅ The child heard them")
	w.teacher.Sees("Marked as heard.")
	w.h.settle()
	receipt := w.mom.Sees("✓ 小明已经在青溪村儿童之家听到您的留言了（3 条）。")
	if !receipt.HasButton("✉️ 给孩子留言") {
		t.Fatalf("the mother's receipt has no button to write again: %v", receipt.Buttons())
	}
	if r := w.dad.Sees("✓ 小明 has heard your message at 青溪村儿童之家."); !r.HasButton("✉️ Leave a message") {
		t.Fatalf("the father's receipt has no button to write again: %v", r.Buttons())
	}

	w.teacher2.Types("/mailbox")
	w.teacher2.Tap("小明")
	w.teacher2.Sees("没有给小明的新留言。")
	w.teacher2.Tap("🎙 录一段回复")
	w.teacher2.SendsVoice()
	w.teacher2.SendsPhoto("我和同学")
	w.teacher2.Sees("✓ 已保存（照片），共 2 条。")
	w.teacher2.Tap("📨 发给家长")
	w.teacher2.Sees("📨 小明的回复正在发给李秀兰（妈妈）、Jian（爸爸）。")
	w.h.settle()
	reply, reply2 := w.sent(w.teacher2, "voice"), w.sent(w.teacher2, "photo")
	momGot := kindsOf(w.mom.Messages())
	if want := []string{"text  💌 小明给您的话，由李老师在青溪村儿童之家帮忙录下", "voice " + reply + " ", "photo " + reply2 + " 我和同学"}; !slices.Equal(momGot[len(momGot)-3:], want) {
		t.Fatalf("the mother got:\n%s\nwant the reply last:\n%s", strings.Join(momGot, "\n"), strings.Join(want, "\n"))
	}
	dadGot := kindsOf(w.dad.Messages())
	if want := []string{"text  💌 A message from 小明, recorded at 青溪村儿童之家 with 李老师", "voice " + reply + " ", "photo " + reply2 + " 我和同学"}; !slices.Equal(dadGot[len(dadGot)-3:], want) {
		t.Fatalf("the father got:\n%s\nwant the reply last:\n%s", strings.Join(dadGot, "\n"), strings.Join(want, "\n"))
	}
}
