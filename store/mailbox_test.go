package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// mailWorld is callWorld's home with a second guardian (dad) of 小明, and
// a second home (another coordinator's) with its own teacher and child.
type mailWorld struct {
	*callWorld
	dad        int64
	other      homelink.Home
	otherChild homelink.Child
}

const dad = 502

func newMailWorld(t testing.TB) *mailWorld {
	t.Helper()
	w := &mailWorld{callWorld: newCallWorld(t, 1), dad: dad}
	w.link(t, w.child.ID, dad)
	w.other, w.otherChild = homeWithChild(t, w.s, 2)
	return w
}

func (w *mailWorld) day() string { return homelink.MailDay(w.clock.Now(), w.zone) }

func (w *mailWorld) leave(t testing.TB, who int64, it homelink.MailItem) homelink.MailItem {
	t.Helper()
	kept, _, err := w.s.LeaveMessage(context.Background(), homelink.By{User: who}, w.home.ID, w.child.ID, it, w.day(), 30)
	if err != nil {
		t.Fatal(err)
	}
	return kept
}

func voice(n int) homelink.MailItem {
	return homelink.MailItem{Kind: homelink.MailVoice, FileID: fmt.Sprintf("AwACAgUAAxkBAAIB%056d", n)}
}

func (w *mailWorld) unread(t testing.TB) int {
	t.Helper()
	m, err := w.s.Unread(context.Background(), w.home.ID)
	if err != nil {
		t.Fatal(err)
	}
	return m[w.child.ID]
}

func (w *mailWorld) mailCounts(t testing.TB) homelink.MailCounts {
	t.Helper()
	m, err := w.s.MailCounts(context.Background(), w.home.ID, homelink.WeekOf(w.clock.Now(), w.zone))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mailKeys is every key of the two homes' mailboxes and the people's
// indexes with its content, to see that a refused change changed nothing.
func (w *mailWorld) mailKeys(t testing.TB) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	keys, err := w.s.rdb.Keys(ctx, w.s.k.prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if d, err := w.s.rdb.Dump(ctx, k).Result(); err == nil {
			out[k] = d
		}
	}
	return out
}

func TestLeaveMessageKeepsItAndPlansEachTeachersNotice(t *testing.T) {
	w := newMailWorld(t)
	now := w.clock.Now()
	text := w.leave(t, mom, homelink.MailItem{Kind: homelink.MailText, Text: "早饭吃了吗？"})
	v := w.leave(t, w.dad, voice(1))
	if text.Kind != homelink.MailText || text.Text != "早饭吃了吗？" || text.From != mom || text.Rel != "" || !text.At.Equal(now) {
		t.Fatalf("kept %+v", text)
	}
	if v.ID <= text.ID || v.FileID != voice(1).FileID || v.From != w.dad {
		t.Fatalf("kept %+v after %+v", v, text)
	}
	if n := w.unread(t); n != 2 {
		t.Fatalf("unread %d, want 2", n)
	}
	if c := w.mailCounts(t); c != (homelink.MailCounts{ToChild: 2}) {
		t.Fatalf("counts %+v", c)
	}
	key := strconv.FormatInt(w.home.ID, 10) + "." + strconv.FormatInt(w.teacher, 10)
	if got := w.agendaOf(t, key); !got[KindMailNotice].Equal(now.UTC()) || len(got) != 1 {
		t.Fatalf("notice items %v, want one at %v", got, now)
	}
	// Told now: the next notice waits an hour after it.
	ctx := context.Background()
	if _, err := w.s.rdb.ZRem(ctx, w.s.k.prefix+"{agenda}:due", KindMailNotice+"\x1f"+key).Result(); err != nil {
		t.Fatal(err)
	}
	if err := w.s.MailNoticed(ctx, w.home.ID, w.teacher, now); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(10 * time.Minute)
	w.leave(t, mom, voice(2))
	if got := w.agendaOf(t, key); !got[KindMailNotice].Equal(now.Add(time.Hour).UTC()) {
		t.Fatalf("notice after one an hour ago: %v, want %v", got, now.Add(time.Hour))
	}
}

func TestLeaveMessageDailyLimitCountsInTheSendersDay(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	by := homelink.By{User: mom}
	for i := range 3 {
		_, left, err := w.s.LeaveMessage(ctx, by, w.home.ID, w.child.ID, voice(i), w.day(), 3)
		if err != nil || left != 2-i {
			t.Fatalf("item %d: left %d, %v", i, left, err)
		}
	}
	before := w.mailKeys(t)
	if _, _, err := w.s.LeaveMessage(ctx, by, w.home.ID, w.child.ID, voice(9), w.day(), 3); !errors.Is(err, homelink.ErrMailLimit) {
		t.Fatalf("fourth item: %v, want ErrMailLimit", err)
	}
	if after := w.mailKeys(t); !equalDumps(before, after) {
		t.Fatal("a refused item changed Redis")
	}
	// The father's own count, and the mother's next day.
	if _, _, err := w.s.LeaveMessage(ctx, homelink.By{User: w.dad}, w.home.ID, w.child.ID, voice(10), w.day(), 3); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(24 * time.Hour)
	if _, _, err := w.s.LeaveMessage(ctx, by, w.home.ID, w.child.ID, voice(11), w.day(), 3); err != nil {
		t.Fatal(err)
	}
}

func equalDumps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestMailboxRefusesOtherFamiliesAndOtherHomes(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	w.leave(t, mom, voice(1))
	otherTeacher := teacherOf(2)
	stranger := int64(777)
	siblingMom := int64(503) // a guardian of another child of the same home
	sibling := w.addChild(t, "丽丽")
	w.link(t, sibling.ID, siblingMom)
	before := w.mailKeys(t)
	checks := map[string]error{}
	for name, who := range map[string]int64{"stranger": stranger, "other teacher": otherTeacher, "sibling's mother": siblingMom, "teacher": w.teacher, "coordinator": 1} {
		_, _, err := w.s.LeaveMessage(ctx, homelink.By{User: who}, w.home.ID, w.child.ID, voice(5), w.day(), 30)
		checks[name+" leaves"] = err
	}
	for name, who := range map[string]int64{"stranger": stranger, "other teacher": otherTeacher, "mother": mom, "coordinator": 1} {
		_, _, err := w.s.OpenMailbox(ctx, homelink.By{User: who}, w.home.ID, w.child.ID, 0, 10)
		checks[name+" opens"] = err
		_, err = w.s.MarkHeard(ctx, homelink.By{User: who}, w.home.ID, w.child.ID, 1<<40)
		checks[name+" marks heard"] = err
		_, err = w.s.Reply(ctx, homelink.By{User: who}, w.home.ID, w.child.ID, []homelink.MailItem{voice(6)})
		checks[name+" replies"] = err
	}
	// The right teacher, but a child of another home.
	_, _, err := w.s.OpenMailbox(ctx, homelink.By{User: w.teacher}, w.home.ID, w.otherChild.ID, 0, 10)
	checks["teacher opens another home's child"] = err
	for name, err := range checks {
		if !errors.Is(err, homelink.ErrNotAllowed) {
			t.Errorf("%s: %v, want ErrNotAllowed", name, err)
		}
	}
	if after := w.mailKeys(t); !equalDumps(before, after) {
		t.Fatal("a refused change changed Redis")
	}
}

func TestOpenMailboxPagesInOrderAndHeardPlansReceipts(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	teacher := homelink.By{User: w.teacher}
	var ids []int64
	for i := range 13 {
		who := int64(mom)
		if i%4 == 3 {
			who = w.dad
		}
		ids = append(ids, w.leave(t, who, voice(i)).ID)
		w.clock.Advance(time.Minute)
	}
	page, left, err := w.s.OpenMailbox(ctx, teacher, w.home.ID, w.child.ID, 0, homelink.MailPageSize)
	if err != nil || len(page) != 10 || left != 3 {
		t.Fatalf("first page: %d items, %d left, %v", len(page), left, err)
	}
	for i, it := range page {
		if it.ID != ids[i] || it.FileID != voice(i).FileID {
			t.Fatalf("item %d: %+v", i, it)
		}
	}
	rest, left, err := w.s.OpenMailbox(ctx, teacher, w.home.ID, w.child.ID, page[9].ID, homelink.MailPageSize)
	if err != nil || len(rest) != 3 || left != 0 || rest[0].ID != ids[10] {
		t.Fatalf("second page: %v, %d left, %v", rest, left, err)
	}
	heard, err := w.s.MarkHeard(ctx, teacher, w.home.ID, w.child.ID, page[9].ID)
	if err != nil || len(heard) != 10 || heard[0].Heard.IsZero() {
		t.Fatalf("heard %d, %v", len(heard), err)
	}
	if n := w.unread(t); n != 3 {
		t.Fatalf("unread after heard: %d", n)
	}
	key := fmt.Sprintf("%d.%d.%d", w.home.ID, w.child.ID, page[9].ID)
	if got := w.agendaOf(t, key); !got[KindMailHeard].Equal(w.clock.Now().UTC()) {
		t.Fatalf("receipt items %v", got)
	}
	payload := agendaPayload(t, w.s, KindMailHeard, key)
	if payload != fmt.Sprintf("%d=8,%d=2", mom, w.dad) {
		t.Fatalf("receipt payload %q", payload)
	}
	again, err := w.s.MarkHeard(ctx, teacher, w.home.ID, w.child.ID, page[9].ID)
	if err != nil || len(again) != 0 {
		t.Fatalf("marked again: %d, %v", len(again), err)
	}
	if c := w.mailCounts(t); c.Heard != 10 || c.ToChild != 13 {
		t.Fatalf("counts %+v", c)
	}
}

// agendaPayload reads the payload of a waiting agenda item.
func agendaPayload(t testing.TB, s *Store, kind, key string) string {
	t.Helper()
	v, err := s.rdb.HGet(context.Background(), s.k.prefix+"{agenda}:i:"+kind+":"+sha4(key), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	// "attempts|token|due|payload"
	for i, n := 0, 0; i < len(v); i++ {
		if v[i] == '|' {
			n++
			if n == 3 {
				return v[i+1:]
			}
		}
	}
	return ""
}

func TestReplyGoesToEveryGuardianLinkedNow(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	items := []homelink.MailItem{voice(1), {Kind: homelink.MailPhoto, FileID: "photo-1", Text: "我画的"}}
	got, err := w.s.Reply(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID, items)
	if err != nil || len(got) != 2 {
		t.Fatalf("reply: %v, %v", got, err)
	}
	for _, it := range got {
		if !it.Reply || it.From != w.teacher || !slices.Equal(it.To, []int64{mom, w.dad}) {
			t.Fatalf("reply item %+v", it)
		}
	}
	key := fmt.Sprintf("%d.%d.%d", w.home.ID, w.child.ID, got[0].ID)
	if p := agendaPayload(t, w.s, KindMailReply, key); p != fmt.Sprintf("%d,%d", got[0].ID, got[1].ID) {
		t.Fatalf("delivery payload %q", p)
	}
	if c := w.mailCounts(t); c.FromChild != 2 {
		t.Fatalf("counts %+v", c)
	}
	again, err := w.s.MailItems(ctx, w.home.ID, w.child.ID, []int64{got[1].ID, 999999})
	if err != nil || len(again) != 1 || again[0].Text != "我画的" {
		t.Fatalf("items %v, %v", again, err)
	}
	for _, who := range []int64{mom, w.dad, w.teacher} {
		mine, err := w.s.UserMail(ctx, who)
		if err != nil || len(mine) != 2 {
			t.Fatalf("mail of %d: %v, %v", who, mine, err)
		}
	}
	// A child no one is linked to yet: nothing kept.
	lone := w.addChild(t, "丽丽")
	none, err := w.s.Reply(ctx, homelink.By{User: w.teacher}, w.home.ID, lone.ID, items)
	if err != nil || len(none) != 0 {
		t.Fatalf("reply of a child without family: %v, %v", none, err)
	}
}

func TestMailGoesAfterItsRetention(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	w.s.UseMailRetention(90 * 24 * time.Hour)
	heard := w.leave(t, mom, voice(1))
	waiting := w.leave(t, mom, voice(2))
	if _, err := w.s.MarkHeard(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID, heard.ID); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(30*24*time.Hour - time.Minute)
	if n, err := w.s.ExpireAllMail(ctx); err != nil || n != 0 {
		t.Fatalf("before 30 days: %d, %v", n, err)
	}
	w.clock.Advance(time.Minute)
	if n, err := w.s.ExpireAllMail(ctx); err != nil || n != 1 {
		t.Fatalf("30 days after heard: %d, %v", n, err)
	}
	if got, _ := w.s.MailItems(ctx, w.home.ID, w.child.ID, []int64{heard.ID, waiting.ID}); len(got) != 1 || got[0].ID != waiting.ID {
		t.Fatalf("left %v", got)
	}
	w.clock.Advance(60 * 24 * time.Hour)
	if n, err := w.s.ExpireAllMail(ctx); err != nil || n != 1 {
		t.Fatalf("90 days after arrival: %d, %v", n, err)
	}
	if w.unread(t) != 0 {
		t.Fatal("an expired item still waits")
	}
	if mine, _ := w.s.UserMail(ctx, mom); len(mine) != 0 {
		t.Fatalf("the mother's index still names %v", mine)
	}
}

func TestForgetAndChildRemovalTakeTheMail(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	left := w.leave(t, mom, voice(1))
	dads := w.leave(t, w.dad, voice(2))
	both, err := w.s.Reply(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID, []homelink.MailItem{voice(3)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Forget(ctx, mom); err != nil {
		t.Fatal(err)
	}
	got, _ := w.s.MailItems(ctx, w.home.ID, w.child.ID, []int64{left.ID, dads.ID, both[0].ID})
	if len(got) != 2 || got[0].ID != dads.ID || !slices.Equal(got[1].To, []int64{w.dad}) {
		t.Fatalf("after the mother forgot: %+v", got)
	}
	// Now the reply is the father's alone: forgetting him deletes it.
	if _, err := w.s.Forget(ctx, w.dad); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.s.MailItems(ctx, w.home.ID, w.child.ID, []int64{dads.ID, both[0].ID}); len(got) != 0 {
		t.Fatalf("after the father forgot: %+v", got)
	}
	// A child removed takes its mailbox with it, and the indexes that named it.
	w.link(t, w.child.ID, 504)
	w.leave(t, 504, voice(4))
	if _, err := w.s.RemoveChild(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{w.s.k.mailbox(w.home.ID, w.child.ID), w.s.k.unread(w.home.ID, w.child.ID), w.s.k.mailExp(w.home.ID), w.s.k.userMail(504)} {
		if n, _ := w.s.rdb.Exists(ctx, k).Result(); n != 0 {
			t.Errorf("%s is left after the child was removed", k)
		}
	}
}

// A guardian a teacher unlinked from the child: what they left that was
// not heard yet is never played; what was heard, and the other parent's,
// stay.
func TestUnlinkedGuardiansUnheardMessagesGo(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	heard := w.leave(t, w.dad, voice(1))
	if _, err := w.s.MarkHeard(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID, heard.ID); err != nil {
		t.Fatal(err)
	}
	waiting := w.leave(t, w.dad, voice(2))
	moms := w.leave(t, mom, voice(3))
	if ok, err := w.s.UnlinkGuardian(ctx, w.home.ID, w.child.ID, w.dad, w.teacher, 0); err != nil || !ok {
		t.Fatalf("unlink: %v, %v", ok, err)
	}
	got, _ := w.s.MailItems(ctx, w.home.ID, w.child.ID, []int64{heard.ID, waiting.ID, moms.ID})
	if len(got) != 2 || got[0].ID != heard.ID || got[1].ID != moms.ID || w.unread(t) != 1 {
		t.Fatalf("after the father was unlinked: %+v, %d waiting", got, w.unread(t))
	}
}
