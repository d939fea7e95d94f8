package bot

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /message walked step by step: a guardian of two children chooses one,
// leaves a text and a voice note, is refused a sticker and an overlong
// text (nothing kept), goes back and forth, and ends with Done.
func TestMailLeaveFlow(t *testing.T) {
	w := newWalker(t)
	_, h := w.coordinator(100)
	xiaoming, lili := w.child(h, "小明"), w.child(h, "丽丽")
	w.join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: xiaoming.ID}, 300)
	w.join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: lili.ID}, 300)
	mom := w.person(300, "en")

	mom.types("/message")
	mom.isAt("mail.leave/child")
	mom.sees("Which child would you like to leave a message for?")
	if !mom.latest.HasButton("小明") || !mom.latest.HasButton("丽丽") || !mom.latest.HasButton("Cancel") {
		t.Fatalf("children offered: %v", mom.latest.Buttons())
	}
	mom.taps("丽丽")
	mom.isAt("mail.leave/compose")
	mom.sees("A message for 丽丽")
	mom.taps("« Back")
	mom.isAt("mail.leave/child")
	mom.taps("小明")
	mom.sees("A message for 小明")
	mom.sees("at 青溪村儿童之家")

	before := w.state()
	mom.does(func() { mom.SendsSticker() })
	mom.sees("Here I need a text message, a voice note, a photo, a video or a round video message.")
	mom.types(strings.Repeat("想", homelink.MaxMailText+1))
	mom.sees("That is too long. Please keep it to 4096 characters.")
	mom.isAt("mail.leave/compose")
	if !maps.Equal(before, w.state()) {
		t.Fatal("a refused item changed what is stored")
	}

	mom.types("Did you eat well today?")
	mom.sees("✓ Kept for 小明: a text message.")
	mom.sendsVoice()
	mom.sees("✓ Kept for 小明: a voice note.")
	mom.isAt("mail.leave/compose")
	mom.taps("✅ Done")
	mom.isAt("")
	mom.sees("✓ Kept for 小明: a voice note.") // the acknowledgement keeps its line
	mom.sees("Your messages are waiting for 小明 at 青溪村儿童之家. A teacher will play them to the child; you will be told when 小明 has heard them.")

	unread, err := w.st.Unread(context.Background(), h.ID)
	if err != nil || unread[xiaoming.ID] != 2 || unread[lili.ID] != 0 {
		t.Fatalf("unread %v, %v; want 2 for 小明 and none for 丽丽", unread, err)
	}
}

// A guardian of one child goes straight to the compose step, in their
// language; the step offers Cancel, not Back.
func TestMailLeaveOneChildInChinese(t *testing.T) {
	w := newWalker(t)
	_, h := w.coordinator(100)
	c := w.child(h, "小明")
	w.join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID}, 300)
	if err := w.st.SetLanguage(context.Background(), 300, "zh-Hans"); err != nil {
		t.Fatal(err)
	}
	mom := w.person(300, "zh-hans")
	mom.types("/message")
	mom.isAt("mail.leave/compose")
	mom.sees("给小明留言")
	if mom.latest.HasButton("« 返回") || !mom.latest.HasButton("取消") {
		t.Fatalf("buttons %v", mom.latest.Buttons())
	}
	mom.does(func() { mom.SendsSticker() })
	mom.sees("这一步需要文字、语音、照片、视频或圆形视频。")
	mom.sendsPhoto()
	mom.sees("✓ 给小明的照片已保存。")
	mom.taps("✅ 完成")
	mom.sees("您的留言已经留在青溪村儿童之家了。")
}

// A receipt's payload is read strictly: anything else is not acted on.
func TestHeardPayload(t *testing.T) {
	got, ok := heardSenders([]byte("7=2,9=1,7=1"))
	if !ok || got[7] != 3 || got[9] != 1 || len(got) != 2 {
		t.Fatalf("heardSenders: %v %v", got, ok)
	}
	for _, bad := range []string{"", "7", "7=", "=2", "7=0", "x=1", "7=2,,9=1", "-7=2"} {
		if _, ok := heardSenders([]byte(bad)); ok {
			t.Errorf("heardSenders(%q) was read", bad)
		}
	}
}

// A receipt goes to each sender still a guardian of the child, in the
// bulk lane; a sender who is not (any more), or a child no longer at the
// home, gets none.
func TestMailHeardQueuesOnlyForTheChildsGuardians(t *testing.T) {
	w := newWalker(t)
	_, h := w.coordinator(100)
	c := w.child(h, "小明")
	w.join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID}, 300)
	w.join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID}, 301)
	ctx := context.Background()
	current := func(context.Context) (bool, error) { return true, nil }
	d := Due{Kind: "mail.heard", Key: fmt.Sprintf("%d.%d.9", h.ID, c.ID), Home: h.ID, Call: c.ID,
		Payload: []byte("300=2,301=1,302=4"), Current: current}
	if err := w.b.MailHeard(ctx, d); err != nil {
		t.Fatal(err)
	}
	out := w.b.Sender.(*outbox.Outbox)
	for chat, want := range map[int64]int{300: 1, 301: 1, 302: 0} {
		q, err := out.Queued(ctx, chat)
		if err != nil || len(q) != want || want == 1 && q[0].Lane != outbox.Bulk {
			t.Errorf("queued for %d: %+v, %v; want %d in the bulk lane", chat, q, err, want)
		}
	}
	gone := Due{Kind: "mail.heard", Key: fmt.Sprintf("%d.%d.9", h.ID, c.ID+7), Home: h.ID, Call: c.ID + 7,
		Payload: []byte("300=1"), Current: current}
	if err := w.b.MailHeard(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if q, _ := out.Queued(ctx, 300); len(q) != 1 {
		t.Fatalf("a receipt for a child not at the home was queued: %+v", q)
	}
}
