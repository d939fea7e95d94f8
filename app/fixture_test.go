package app

import (
	"context"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// fixture is two homes with their people, made through the store's own
// operations (invitations redeemed as users would).
type fixture struct {
	home, otherHome                  int64
	child, sibling, otherChild       int64
	coord, otherCoord                int64
	teacher, otherTeacher            int64
	mom, dad, otherParent, farParent int64
	momInvite                        int64 // an open guardian invitation for child
	teacherInvite                    int64 // an open teacher invitation for home
	momLink                          int64 // the (used) invitation that linked mom to child
	revokedInvite                    int64 // a guardian invitation for child the teacher revoked
	momCall                          int64 // a call mom asked for (seedCall), 0 until then
}

// seed fills the harness's Redis: 青溪村儿童之家 (coordinator, teacher,
// 小明 with mom and dad, Lili with another parent) and 山口儿童之家
// (its own coordinator, teacher, and 阿福 with a parent).
func seed(t testing.TB, h *harness) fixture {
	t.Helper()
	ctx := context.Background()
	st := h.store()
	f := fixture{coord: 7001, otherCoord: 7002, teacher: 7003, otherTeacher: 7004,
		mom: 7005, dad: 7006, otherParent: 7007, farParent: 7008}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// invite makes an invitation as whoever may: an admin for a
	// coordinator, the home's first coordinator for a teacher, its first
	// teacher for a guardian.
	invite := func(inv homelink.Invite) int64 {
		t.Helper()
		if inv.Role == homelink.RoleCoordinator {
			inv.ByAdmin = true
		} else {
			hm, err := st.Home(ctx, inv.HomeID)
			must(err)
			if inv.MadeBy = hm.Coordinators[0]; inv.Role == homelink.RoleGuardian {
				inv.MadeBy = hm.Teachers[0]
			}
		}
		inv.Link, inv.Typed = homelink.NewInviteCodes()
		inv.ExpiresAt = h.clock.Now().Add(homelink.DefaultInviteTTL)
		inv, err := st.CreateInvite(ctx, inv)
		must(err)
		return inv.ID
	}
	join := func(inv homelink.Invite, user int64, lang string) int64 {
		t.Helper()
		id := invite(inv)
		_, err := st.RedeemInvite(ctx, id, user, lang)
		must(err)
		return id
	}
	home := func(name string, coord int64) int64 {
		t.Helper()
		join(homelink.Invite{Role: homelink.RoleCoordinator}, coord, "")
		hm, err := st.CreateHome(ctx, homelink.By{User: coord}, homelink.Home{Name: name, TimeZone: "Asia/Shanghai", Instructions: "0851-1234"})
		must(err)
		return hm.ID
	}
	child := func(home int64, name string, year int) int64 {
		t.Helper()
		hm, err := st.Home(ctx, home)
		must(err)
		c, err := st.AddChild(ctx, homelink.By{User: hm.Teachers[0]}, homelink.Child{HomeID: home, Name: name, BirthYear: year})
		must(err)
		return c.ID
	}
	guardian := func(home, child, user int64, rel homelink.Relationship, lang string) int64 {
		t.Helper()
		id := join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: home, ChildID: child}, user, lang)
		must(st.SetRelationship(ctx, home, child, user, rel))
		return id
	}
	f.home = home("青溪村儿童之家", f.coord)
	f.otherHome = home("山口儿童之家", f.otherCoord)
	join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: f.home}, f.teacher, "en")
	join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: f.otherHome}, f.otherTeacher, "en")
	f.child = child(f.home, "小明", 2016)
	f.sibling = child(f.home, "Lili", 0)
	f.otherChild = child(f.otherHome, "阿福", 2015)
	f.momLink = guardian(f.home, f.child, f.mom, homelink.Mother, "zh-Hans")
	guardian(f.home, f.child, f.dad, homelink.Father, "en")
	guardian(f.home, f.sibling, f.otherParent, homelink.Grandparent, "en")
	guardian(f.otherHome, f.otherChild, f.farParent, homelink.Mother, "en")
	f.momInvite = invite(homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child})
	f.teacherInvite = invite(homelink.Invite{Role: homelink.RoleTeacher, HomeID: f.home})
	// Everyone has the name they joined with, as through the bot.
	for id, name := range map[int64]string{f.coord: "周主任", f.otherCoord: "Mr Shan", f.teacher: "王老师",
		f.otherTeacher: "Mr Lin", f.mom: "李秀兰", f.dad: "Jian", f.otherParent: "Grandma Li", f.farParent: "阿芳"} {
		must(st.SetName(ctx, id, name))
	}
	f.revokedInvite = invite(homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child})
	if _, err := st.RevokeInvite(ctx, homelink.By{User: f.teacher}, f.home, f.revokedInvite); err != nil {
		t.Fatal(err)
	}
	_ = time.Second
	return f
}
