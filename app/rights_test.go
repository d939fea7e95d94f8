package app

import (
	"context"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// A teacher opens a guardian invitation they made, is removed by the
// coordinator while its consent page is open, then agrees: refused, in
// their language, and 小明 gains no guardian. Issue 11's attack.
func TestRemovedTeachersOwnInvitationIsRefused(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	st := h.store()
	secondTeacher(t, h, f, 7201)
	if err := st.SetLanguage(ctx, 7201, "zh-Hans"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id          int64
		lang, agree string
		invalid     string
	}{
		{f.teacher, "en", "Yes, I'm a parent – I agree", "This invitation is not valid or has expired."},
		{7201, "zh-Hans", "我是家长，同意", "这个邀请无效或已过期。"},
	} {
		teacher := h.person(tc.id, "T", tc.lang)
		link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child, MadeBy: tc.id})
		teacher.Types("/start " + link)
		teacher.Sees("小明")
		if _, err := st.RemoveTeacher(ctx, homelink.By{User: f.coord}, f.home, tc.id); err != nil {
			t.Fatal(err)
		}
		teacher.Tap(tc.agree)
		teacher.Sees(tc.invalid)
		if u, _ := st.User(ctx, tc.id); u.Roles.GuardianOf(f.child) {
			t.Fatalf("the removed teacher %d became 小明's guardian", tc.id)
		}
	}
	if c, _ := st.Child(ctx, f.home, f.child); len(c.Guardians) != 2 {
		t.Fatalf("小明's guardians: %+v, want mom and dad only", c.Guardians)
	}
}

// A coordinator shares their home, then leaves (/forget): whoever opens
// the share is told it is not valid and manages nothing.
func TestShareOfACoordinatorWhoLeftIsRefused(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	st := h.store()
	link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleCoordinator, Homes: []int64{f.home}, MadeBy: f.coord})
	if _, err := st.Forget(ctx, f.coord); err != nil {
		t.Fatal(err)
	}
	p := h.person(7202, "New", "en")
	p.Types("/start " + link)
	p.Sees("This invitation is not valid or has expired.")
	if u, _ := st.User(ctx, 7202); u.Roles.IsCoordinator() {
		t.Fatalf("roles after a dead share: %+v", u.Roles)
	}
}

// Someone who only chose a language, and someone who then blocked the
// bot, are forgotten 30 days after they last wrote (FORGET_STRANGERS_AFTER
// defaults to 720h): their language, name and the outbox's mark on their
// chat go. A parent who went quiet keeps everything.
func TestStrangersAreForgottenAfterThirtyDaysOfSilence(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	a := h.reps[0].app
	lingering, blocker := h.person(7301, "Lin", "en"), h.person(7302, "Bo", "en")
	mom := h.person(f.mom, "Mom", "zh-Hans")
	for _, p := range []*person{lingering, blocker} {
		p.Types("/language")
		p.Sees("Which language")
	}
	mom.Types("/language")
	mom.Sees("您想用哪种语言")
	lingering.Tap("English")
	lingering.Sees("English")
	if err := a.Outbox.SetReachable(ctx, blocker.ID, false); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(29 * 24 * time.Hour)
	if err := a.sched.RunNow("forget-strangers"); err != nil {
		t.Fatal(err)
	}
	if u, _ := a.Store.User(ctx, lingering.ID); u.Language != "en" {
		t.Fatalf("forgotten after 29 days: %+v", u)
	}
	h.clock.Advance(2 * 24 * time.Hour)
	if err := a.sched.RunNow("forget-strangers"); err != nil {
		t.Fatal(err)
	}
	if u, _ := a.Store.User(ctx, lingering.ID); u.Language != "" || u.Name != "" {
		t.Fatalf("kept after 31 days of silence: %+v", u)
	}
	if ok, _ := a.Outbox.Reachable(ctx, blocker.ID); !ok {
		t.Fatal("the outbox still marks the stranger who blocked the bot")
	}
	if u, _ := a.Store.User(ctx, f.mom); !u.Roles.GuardianOf(f.child) || u.Name == "" {
		t.Fatalf("a quiet parent lost what is kept about them: %+v", u)
	}
}
