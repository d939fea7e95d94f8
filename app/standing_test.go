package app

import (
	"context"
	"maps"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// inviteFor stores a fresh invitation and returns its link code and id.
// Unless it names its maker, the home's first teacher made a guardian's,
// its first coordinator a teacher's, an admin a coordinator's.
func inviteFor(t *testing.T, h *harness, inv homelink.Invite) (string, int64) {
	t.Helper()
	st := h.store()
	if inv.MadeBy == 0 && !inv.ByAdmin {
		if inv.Role == homelink.RoleCoordinator {
			inv.ByAdmin = true
		} else {
			hm, err := st.Home(context.Background(), inv.HomeID)
			if err != nil {
				t.Fatal(err)
			}
			if inv.MadeBy = hm.Coordinators[0]; inv.Role == homelink.RoleGuardian {
				inv.MadeBy = hm.Teachers[0]
			}
		}
	}
	inv.Link, inv.Typed = homelink.NewInviteCodes()
	inv.ExpiresAt = h.clock.Now().Add(time.Hour)
	inv, err := st.CreateInvite(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	return inv.Link, inv.ID
}

// joinAsGuardian has p open a fresh invitation for the fixture's 小明 and
// agree, as a parent would; the home's teachers are told.
func joinAsGuardian(t *testing.T, h *harness, f fixture, p *person) {
	t.Helper()
	link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child})
	p.Types("/start " + link)
	p.Tap("Yes, I'm a parent – I agree")
	p.Sees("How are you related")
	p.Tap("Other guardian") // the teachers hear once they said who they are
	// The teachers are told before the parent's flow ends: wait for its
	// end, so a test's snapshot of Redis does not race it.
	p.SeesLast("You are linked to")
}

// secondTeacher adds another teacher to the fixture's home.
func secondTeacher(t *testing.T, h *harness, f fixture, id int64) {
	t.Helper()
	st := h.store()
	_, inv := inviteFor(t, h, homelink.Invite{Role: homelink.RoleTeacher, HomeID: f.home})
	_, err := st.RedeemInvite(context.Background(), inv, id, "en")
	if err != nil {
		t.Fatal(err)
	}
}

// strangerJoins starts the fixture's home with a second teacher; a
// stranger joins as a guardian of 小明, and both teachers are told.
func strangerJoins(t *testing.T) (h *harness, f fixture, teacher, other, stranger *person) {
	t.Helper()
	h = start(t, webhook)
	f = seed(t, h)
	secondTeacher(t, h, f, 7101)
	teacher, other = h.person(f.teacher, "Ms Wang", "en"), h.person(7101, "Mr Li", "en")
	stranger = h.person(7102, "Stranger", "en")
	joinAsGuardian(t, h, f, stranger)
	return h, f, teacher, other, stranger
}

// A teacher gets the "guardian joined" notice, opens three other menus,
// and its Unlink still works; a second tap and a second teacher are told
// who acted, and the notices lose their buttons.
func TestStandingButtonOutlivesMenus(t *testing.T) {
	h, f, teacher, other, stranger := strangerJoins(t)
	teacher.Sees("has joined homelink")
	other.Sees("has joined homelink")

	teacher.Types("/children")
	teacher.Sees("Children at")
	teacher.Types("/language")
	teacher.Sees("Which language should I use?")
	teacher.Types("/forget")
	teacher.Sees("delete")

	teacher.Tap("Unlink")
	teacher.Sees("Unlink Stranger (Other guardian) from 小明?")
	yes := lastButtonData(teacher, "Yes, unlink")
	teacher.Tap("Yes, unlink")
	stranger.Sees("no longer linked")
	if !h.tg.WaitFor(5*time.Second, func() bool { return noticeSays(teacher, "The parent is unlinked.") }) {
		t.Fatalf("the notice does not say it is done:\n%s", transcript(teacher.Messages()))
	}
	// The same button again: nothing more happens, and they are told.
	teacher.TapsData(0, yes)
	teacher.SeesAlert("You unlinked this parent")
	// The other teacher's notice: told who acted, and its button goes.
	other.Tap("Unlink")
	other.SeesAlert("王老师 unlinked this parent on")
	if !h.tg.WaitFor(5*time.Second, func() bool { return !hasButton(other, "Unlink") }) {
		t.Fatalf("the other teacher's notice kept its button:\n%s", transcript(other.Messages()))
	}
	u, err := h.reps[0].app.Store.User(context.Background(), stranger.ID)
	if err != nil || u.Roles.GuardianOf(f.child) {
		t.Fatalf("still linked: %+v %v", u.Roles, err)
	}
	if n := strings.Count(transcript(stranger.Messages()), "no longer linked"); n != 1 {
		t.Fatalf("the guardian was told %d times:\n%s", n, transcript(stranger.Messages()))
	}
}

// A notice is about one link: after an unlink and a new invitation, the
// old notice says who unlinked, and only the new notice acts on the new
// link.
func TestOldNoticeDoesNotActOnANewLink(t *testing.T) {
	h, f, teacher, other, stranger := strangerJoins(t)
	other.Sees("has joined homelink")
	old := lastButtonData(other, "Unlink")
	teacher.Tap("Unlink")
	teacher.Tap("Yes, unlink")
	stranger.Sees("no longer linked")
	joinAsGuardian(t, h, f, stranger) // back, through a new invitation
	if !h.tg.WaitFor(5*time.Second, func() bool { return strings.Count(transcript(other.Messages()), "has joined homelink") == 2 }) {
		t.Fatalf("no second notice:\n%s", transcript(other.Messages()))
	}
	other.TapsData(0, old)
	other.SeesAlert("王老师 unlinked this parent on")
	u, _ := h.reps[0].app.Store.User(context.Background(), stranger.ID)
	if !u.Roles.GuardianOf(f.child) {
		t.Fatal("the old notice unlinked the new link")
	}
	other.Tap("Unlink") // the new notice
	other.Sees("Unlink Stranger (Other guardian) from 小明?")
}

// Two teachers tap Yes at the same moment, end to end: the guardian is
// unlinked once, and one of them is told the other acted. (The emulator
// delivers webhooks one at a time to the replica that set the hook last;
// bot's TestStandingUnlinkRacesToOneWinner runs the two taps truly at
// once on two Bots.)
func TestStandingButtonTwoTeachersAtOnce(t *testing.T) {
	h, _, teacher, other, stranger := strangerJoins(t)
	for _, p := range []*person{teacher, other} {
		p.Sees("has joined homelink")
		p.Tap("Unlink")
		p.Sees("Unlink Stranger (Other guardian) from 小明?")
	}
	var wg sync.WaitGroup
	for _, p := range []*person{teacher, other} {
		wg.Add(1)
		go func() { defer wg.Done(); p.Taps("Yes, unlink") }()
	}
	wg.Wait()
	var done, told int
	ok := h.tg.WaitFor(5*time.Second, func() bool {
		done, told = 0, 0
		for _, p := range []*person{teacher, other} {
			if noticeSays(p, "The parent is unlinked.") {
				done++
			}
			for _, a := range p.Alerts() {
				if strings.Contains(a, "unlinked this parent on") && !strings.Contains(a, "You") {
					told++
				}
			}
		}
		return done+told == 2
	})
	if !ok || done != 1 || told != 1 {
		t.Fatalf("unlinked by %d, told %d:\n%s\n%s", done, told, transcript(teacher.Messages()), transcript(other.Messages()))
	}
	if n := strings.Count(transcript(stranger.Messages()), "no longer linked"); n != 1 {
		t.Fatalf("the guardian was told %d times", n)
	}
}

// A notice about a child who has since been removed says so and loses its
// button.
func TestStandingButtonOnSomethingGone(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	teacher, stranger := h.person(f.teacher, "Ms Wang", "en"), h.person(7102, "Stranger", "en")
	joinAsGuardian(t, h, f, stranger)
	teacher.Sees("has joined homelink")
	if _, err := h.reps[0].app.Store.RemoveChild(context.Background(), homelink.By{User: f.teacher}, f.home, f.child); err != nil {
		t.Fatal(err)
	}
	teacher.Tap("Unlink")
	teacher.SeesAlert("This no longer exists.")
	if !h.tg.WaitFor(5*time.Second, func() bool { return !hasButton(teacher, "Unlink") }) {
		t.Fatalf("the notice kept its button:\n%s", transcript(teacher.Messages()))
	}
}

// The Revoke on an invitation card still works after its maker opened
// other menus; tapped again, it says who revoked it and when.
func TestInvitationRevokeOutlivesMenus(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	teacher := h.person(f.teacher, "Ms Wang", "en")
	teacher.Types("/children")
	teacher.Tap("小明")
	teacher.Tap("Invite a parent or guardian")
	card := teacher.Sees("?start=")
	link, _ := invitation(t, card.Text)
	revoke := lastButtonData(teacher, "Revoke")
	teacher.Types("/children")
	teacher.Sees("Children at")
	teacher.Types("/help")
	teacher.Sees("What I can do")
	teacher.Tap("Revoke")
	teacher.Sees("The invitation is revoked")
	teacher.TapsData(card.ID, revoke)
	teacher.SeesAlert("You revoked this invitation")
	mom := h.person(7103, "Mei", "en")
	mom.Types("/start " + link)
	mom.Sees("not valid")
}

// A standing button whose data was altered to name another guardian is
// refused by its MAC and changes nothing.
func TestStandingButtonAlteredData(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	teacher, stranger := h.person(f.teacher, "Ms Wang", "en"), h.person(7102, "Stranger", "en")
	joinAsGuardian(t, h, f, stranger)
	teacher.Sees("has joined homelink")
	data := lastButtonData(teacher, "Unlink")
	i := strings.LastIndexByte(data, '.')
	altered := strings.Replace(data, data[i:strings.LastIndexByte(data, ':')], "."+strconv.FormatInt(f.mom, 36), 1)
	if altered == data || !strings.HasPrefix(altered, "s:") {
		t.Fatalf("could not alter %q", data)
	}
	before := h.snapshot()
	teacher.TapsData(0, strings.Replace(altered, "ju.", "juy.", 1))
	teacher.SeesAlert("This button has expired")
	if !maps.Equal(before, h.snapshot()) {
		t.Fatal("an altered standing button changed Redis")
	}
}

func lastButtonData(p *person, label string) string {
	ms := p.Messages()
	for i := len(ms) - 1; i >= 0; i-- {
		for _, row := range ms[i].Keyboard {
			for _, b := range row {
				if b.Text == label {
					return b.CallbackData
				}
			}
		}
	}
	return ""
}

func hasButton(p *person, label string) bool { return lastButtonData(p, label) != "" }

// noticeSays reports whether the "guardian joined" notice now ends with text.
func noticeSays(p *person, text string) bool {
	for _, m := range p.Messages() {
		if strings.Contains(m.Text, "has joined homelink") && strings.Contains(m.Text, text) {
			return true
		}
	}
	return false
}
