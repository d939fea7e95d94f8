package app

import (
	"context"
	"fmt"
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

// A stranger who sends 45 messages at once hears the welcome a few times,
// not 45: an answer to what the bot did not ask for is not queued while
// another waits for the chat. A parent writing meanwhile is answered at
// once. Telegram's per-chat pace (one a second, three at once) holds.
func TestAFloodingStrangerHearsTheWelcomeAFewTimes(t *testing.T) {
	h := startWith(t, webhook, func(c *Config) { c.ChatPerSecond, c.ChatBurst = 1, 3 })
	f := seed(t, h)
	stranger, mom := h.person(7401, "S", "en"), h.person(f.mom, "Mom", "zh-Hans")
	for i := 0; i < 45; i++ {
		stranger.Types(fmt.Sprintf("hello %d", i))
	}
	mom.Types("/help")
	mom.Sees("/mydata")
	a := h.reps[0].app
	if !h.tg.WaitFor(10*time.Second, func() bool {
		n, _, err := a.Store.PendingInboxes(context.Background(), time.Minute)
		return h.tg.PendingUpdates() == 0 && err == nil && n == 0
	}) {
		t.Fatal("the stranger's messages were not all handled")
	}
	// At most one more waits for the stranger's chat (it goes within a
	// second or so); the rest were never queued.
	waiting, err := a.Outbox.Queued(context.Background(), stranger.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(stranger.Messages()) + len(waiting); got > 5 {
		t.Fatalf("the stranger was sent %d welcomes and %d more wait, for 45 messages; want a few",
			len(stranger.Messages()), len(waiting))
	}
}
