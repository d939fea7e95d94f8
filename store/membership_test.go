package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// newInvite makes an invitation as whoever may make it: an admin's for a
// coordinator (unless MadeBy says otherwise), the home's first coordinator
// for a teacher, its first teacher for a guardian.
func newInvite(t testing.TB, s *Store, clock *homelink.FakeClock, inv homelink.Invite) homelink.Invite {
	t.Helper()
	if inv.MadeBy == 0 && !inv.ByAdmin {
		switch inv.Role {
		case homelink.RoleCoordinator:
			inv.ByAdmin = true
		default:
			h, err := s.Home(context.Background(), inv.HomeID)
			if err != nil {
				t.Fatal(err)
			}
			if inv.Role == homelink.RoleTeacher {
				inv.MadeBy = h.Coordinators[0]
			} else {
				inv.MadeBy = h.Teachers[0]
			}
		}
	}
	inv.Link, inv.Typed = homelink.NewInviteCodes()
	inv.ExpiresAt = clock.Now().Add(homelink.DefaultInviteTTL)
	inv, err := s.CreateInvite(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// teacherOf is the teacher homeWithChild gives the home of coordinator coord.
func teacherOf(coord int64) int64 { return coord + 1000 }

// homeWithChild makes coord a coordinator (an admin's invitation), their
// home, its teacher (teacherOf(coord)) and a child the teacher registers.
func homeWithChild(t testing.TB, s *Store, coord int64) (homelink.Home, homelink.Child) {
	t.Helper()
	ctx := context.Background()
	clock := s.clock.(*homelink.FakeClock)
	if _, err := s.RedeemInvite(ctx, newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator}).ID, coord, ""); err != nil {
		t.Fatal(err)
	}
	h, err := s.CreateHome(ctx, homelink.By{User: coord}, homelink.Home{Name: "Qingxi", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemInvite(ctx, newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}).ID, teacherOf(coord), ""); err != nil {
		t.Fatal(err)
	}
	c, err := s.AddChild(ctx, homelink.By{User: teacherOf(coord)}, homelink.Child{HomeID: h.ID, Name: "小明", BirthYear: 2016})
	if err != nil {
		t.Fatal(err)
	}
	return h, c
}

// Twenty people redeem one invitation at the same moment: exactly one is
// linked, the others hear it was used.
func TestRedeemingOneInvitationRacesToExactlyOneWinner(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	inv := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	var wg sync.WaitGroup
	results := make([]error, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = s.RedeemInvite(ctx, inv.ID, int64(100+i), "en")
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, homelink.ErrInviteUsed):
			t.Fatalf("loser got %v", err)
		}
	}
	child, _ := s.Child(ctx, h.ID, c.ID)
	if won != 1 || len(child.Guardians) != 1 {
		t.Fatalf("%d won, %d linked", won, len(child.Guardians))
	}
	if _, err := s.InviteByCode(ctx, inv.Link); !errors.Is(err, homelink.ErrInviteUsed) {
		t.Fatalf("used link reads as %v", err)
	}
}

func TestInvitationsExpireAndCanBeRevoked(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	a := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	b := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	for _, code := range []string{a.Link, a.Typed} {
		if got, err := s.InviteByCode(ctx, code); err != nil || got.ID != a.ID || got.ChildID != c.ID {
			t.Fatalf("code opens %+v, %v", got, err)
		}
	}
	if open, _ := s.OpenInvites(ctx, h.ID, homelink.RoleGuardian, c.ID); len(open) != 2 {
		t.Fatalf("open invites: %+v", open)
	}
	teacher := homelink.By{User: teacherOf(1)}
	if ok, err := s.RevokeInvite(ctx, teacher, h.ID+1, a.ID); ok || err != nil {
		t.Fatalf("another home revoked it: %v %v", ok, err)
	}
	if ok, err := s.RevokeInvite(ctx, homelink.By{User: 42}, h.ID, a.ID); ok || !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("someone who does not teach there revoked it: %v %v", ok, err)
	}
	if ok, err := s.RevokeInvite(ctx, teacher, h.ID, a.ID); !ok || err != nil {
		t.Fatalf("revoke: %v %v", ok, err)
	}
	if inv, who, ok, err := s.Revoked(ctx, a.ID); !ok || err != nil || who.By != teacher.User || !who.At.Equal(clock.Now().Truncate(time.Millisecond)) ||
		inv.Role != homelink.RoleGuardian || inv.HomeID != h.ID || inv.ChildID != c.ID {
		t.Fatalf("who revoked: %+v %+v %v %v", inv, who, ok, err)
	}
	if ok, err := s.RevokeInvite(ctx, teacher, h.ID, a.ID); ok || err != nil {
		t.Fatalf("revoked twice: %v %v", ok, err)
	}
	if _, who, _, _ := s.Revoked(ctx, a.ID); who.By != teacher.User {
		t.Fatalf("the second revoke took the record: %+v", who)
	}
	for _, code := range []string{a.Link, a.Typed} {
		if _, err := s.InviteByCode(ctx, code); !errors.Is(err, homelink.ErrInviteInvalid) {
			t.Fatalf("revoked code reads as %v", err)
		}
	}
	if _, err := s.RedeemInvite(ctx, a.ID, 5, "en"); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("revoked invite redeemed: %v", err)
	}
	// A coordinator's invitation belongs to no home; its maker revokes it.
	coord := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator, Homes: []int64{h.ID}, MadeBy: 1})
	if ok, err := s.RevokeInvite(ctx, homelink.By{User: 1}, 0, coord.ID); !ok || err != nil {
		t.Fatalf("revoke a coordinator invitation: %v %v", ok, err)
	}
	if _, err := s.InviteByCode(ctx, coord.Typed); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("revoked coordinator code reads as %v", err)
	}
	clock.Advance(homelink.DefaultInviteTTL + time.Second)
	if _, err := s.InviteByCode(ctx, b.Link); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("expired code reads as %v", err)
	}
	if _, err := s.RedeemInvite(ctx, b.ID, 5, "en"); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("expired invite redeemed: %v", err)
	}
	if open, _ := s.OpenInvites(ctx, h.ID, homelink.RoleGuardian, c.ID); len(open) != 0 {
		t.Fatalf("expired invites still open: %+v", open)
	}
}

func TestRolesAreReadWithTheUser(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	teach := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID})
	guard := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	share := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator, Homes: []int64{h.ID}})
	for _, id := range []int64{teach.ID, guard.ID, share.ID} {
		if _, err := s.RedeemInvite(ctx, id, 9, "zh-Hans"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetRelationship(ctx, h.ID, c.ID, 9, homelink.Father); err != nil {
		t.Fatal(err)
	}
	u, _ := s.User(ctx, 9)
	r := u.Roles
	if !r.TeachesAt(h.ID) || !r.ManagesHome(h.ID) || !r.IsCoordinator() || r.Guards[c.ID] != (homelink.Guardianship{HomeID: h.ID, Relationship: homelink.Father}) || u.Language != "zh-Hans" {
		t.Fatalf("user %+v", u)
	}
	// Holding a role already leaves the invitation open.
	again := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID})
	if _, err := s.RedeemInvite(ctx, again.ID, 9, "en"); !errors.Is(err, homelink.ErrAlreadyMember) {
		t.Fatalf("second teacher invite: %v", err)
	}
	if _, err := s.Invite(ctx, again.ID); err != nil {
		t.Fatalf("the invitation was spent: %v", err)
	}
	home, _ := s.Home(ctx, h.ID)
	if len(home.Teachers) != 2 || len(home.Coordinators) != 2 || home.Children != 1 || home.Guardians != 1 {
		t.Fatalf("home %+v", home)
	}
}

// Removing a child removes its record, its guardians' links and its open
// invitations, and nothing of another child.
func TestRemovingAChildLeavesNothingOfIt(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	teacher := homelink.By{User: teacherOf(1)}
	other, _ := s.AddChild(ctx, teacher, homelink.Child{HomeID: h.ID, Name: "Lili"})
	for _, g := range []int64{21, 22} {
		inv := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
		if _, err := s.RedeemInvite(ctx, inv.ID, g, "en"); err != nil {
			t.Fatal(err)
		}
	}
	open := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	keep := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: other.ID})
	if _, err := s.RemoveChild(ctx, teacher, h.ID+1, c.ID); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("removed from the wrong home: %v", err)
	}
	if _, err := s.RemoveChild(ctx, homelink.By{User: 1}, h.ID, c.ID); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("removed by its coordinator, who does not teach there: %v", err)
	}
	gone, err := s.RemoveChild(ctx, teacher, h.ID, c.ID)
	if err != nil || len(gone) != 2 {
		t.Fatalf("remove: %v %v", gone, err)
	}
	if _, err := s.Child(ctx, h.ID, c.ID); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("child still there: %v", err)
	}
	for _, g := range []int64{21, 22} {
		if u, _ := s.User(ctx, g); u.Roles.IsGuardian() {
			t.Fatalf("guardian %d still linked: %+v", g, u.Roles)
		}
	}
	if _, err := s.InviteByCode(ctx, open.Link); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("its invitation still opens: %v", err)
	}
	if _, err := s.InviteByCode(ctx, keep.Link); err != nil {
		t.Fatalf("another child's invitation was removed: %v", err)
	}
	keys, _ := s.rdb.Keys(ctx, s.k.prefix+"*").Result()
	for _, k := range keys {
		if k == s.k.child(h.ID, c.ID) || k == s.k.guardians(h.ID, c.ID) {
			t.Fatalf("%s is left", k)
		}
	}
}

func TestWrongCodesAreCountedPerHour(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		if n, err := s.CodeFailed(ctx, 3, time.Hour); n != i || err != nil {
			t.Fatalf("failure %d counted as %d, %v", i, n, err)
		}
	}
	if n, _ := s.CodeFailures(ctx, 3); n != 5 {
		t.Fatalf("failures = %d", n)
	}
	if n, _ := s.CodeFailures(ctx, 4); n != 0 {
		t.Fatalf("another user has %d failures", n)
	}
	if ttl := s.rdb.TTL(ctx, s.k.codeFail(3)).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("window %v", ttl)
	}
}

func TestOrphansAreHomesNoCoordinatorManages(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if got, err := s.Orphans(ctx); err != nil || len(got) != 0 {
		t.Fatalf("orphans of an empty store: %v %v", got, err)
	}
	a, _ := homeWithChild(t, s, 1)
	b, _ := homeWithChild(t, s, 2)
	if _, err := s.Forget(ctx, 1); err != nil {
		t.Fatal(err)
	}
	got, err := s.Orphans(ctx)
	if err != nil || len(got) != 1 || got[0].ID != a.ID || got[0].Children != 1 {
		t.Fatalf("orphans = %+v, %v; want home %d only (not %d)", got, err, a.ID, b.ID)
	}
}

func TestHomesReadsManyAtOnceInOrderSkippingTheGone(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	a, c := homeWithChild(t, s, 1)
	b, _ := homeWithChild(t, s, 2)
	inv := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: a.ID, ChildID: c.ID})
	if _, err := s.RedeemInvite(ctx, inv.ID, 30, "en"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Homes(ctx, []int64{b.ID, 99, a.ID})
	if err != nil || len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID ||
		got[0].Guardians != 1 || got[1].Guardians != 0 || got[0].Children != 1 || got[1].Coordinators[0] != 2 {
		t.Fatalf("homes = %+v, %v", got, err)
	}
	if got, err := s.Homes(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("no ids: %+v, %v", got, err)
	}
	if _, err := s.Home(ctx, 99); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("missing home: %v", err)
	}
}

// Homes created before the index existed are found once Upgrade ran, and
// Upgrade run again (every start, every replica) changes nothing.
func TestUpgradeIndexesHomesCreatedBeforeTheIndex(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	a, _ := homeWithChild(t, s, 1)
	b, _ := homeWithChild(t, s, 2)
	// As an older release left it: no index, and a gap in the ids.
	s.rdb.Del(ctx, s.k.homes(), s.k.home(b.ID))
	s.rdb.Incr(ctx, s.k.seq("home"))
	s.rdb.SRem(ctx, s.k.coordinators(a.ID), 1)
	if got, _ := s.Orphans(ctx); len(got) != 0 {
		t.Fatalf("orphans before the upgrade = %+v; the index is missing", got)
	}
	for range 2 {
		if err := s.Upgrade(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if ids, _ := s.rdb.SMembers(ctx, s.k.homes()).Result(); len(ids) != 1 {
		t.Fatalf("index = %v, want home %d only", ids, a.ID)
	}
	if got, err := s.Orphans(ctx); err != nil || len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("orphans = %+v, %v", got, err)
	}
}
