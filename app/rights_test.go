package app

import (
	"context"
	"testing"

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
