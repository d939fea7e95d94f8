package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/homelink/homelink"
)

// A teacher's guardian invitation dies with their place at the home:
// removing them revokes it, and one the revocation missed is refused at
// redemption, because the redeeming script checks its maker still teaches
// there. Even the removed teacher, opening their own link, gets nothing.
func TestAnInvitationDiesWithItsMakersRight(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	teacher := teacherOf(1)
	inv := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if inv.MadeBy != teacher {
		t.Fatalf("made by %d, want the teacher %d", inv.MadeBy, teacher)
	}
	// Another invitation of theirs, not in their list (as if written by a
	// release before the list existed): only the redemption check stops it.
	missed := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	s.rdb.ZRem(ctx, s.k.made(teacher), missed.ID)

	if ok, err := s.RemoveTeacher(ctx, homelink.By{User: 1}, h.ID, teacher); !ok || err != nil {
		t.Fatalf("remove teacher: %v %v", ok, err)
	}
	if _, err := s.InviteByCode(ctx, inv.Link); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("the removed teacher's invitation still opens: %v", err)
	}
	if open, _ := s.OpenInvites(ctx, h.ID, homelink.RoleGuardian, c.ID); len(open) != 1 || open[0].ID != missed.ID {
		t.Fatalf("open invitations after the removal: %+v", open)
	}
	for _, who := range []int64{teacher, 555} {
		if _, err := s.RedeemInvite(ctx, missed.ID, who, "en"); !errors.Is(err, homelink.ErrInviteInvalid) {
			t.Fatalf("user %d redeemed the removed teacher's invitation: %v", who, err)
		}
	}
	if child, _ := s.Child(ctx, h.ID, c.ID); len(child.Guardians) != 0 {
		t.Fatalf("guardians after the refusals: %+v", child.Guardians)
	}
	if open, _ := s.OpenInvites(ctx, h.ID, homelink.RoleGuardian, c.ID); len(open) != 0 {
		t.Fatalf("the refused invitation is still listed: %+v", open)
	}
}

// A coordinator shares a home, then leaves (/forget): the share dies.
func TestAShareDiesWhenItsCoordinatorLeaves(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, _ := homeWithChild(t, s, 1)
	share := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator, Homes: []int64{h.ID}, MadeBy: 1})
	kept := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator, Homes: []int64{h.ID}, MadeBy: 1})
	s.rdb.ZRem(ctx, s.k.made(1), kept.ID)
	if _, err := s.Forget(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InviteByCode(ctx, share.Typed); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("a departed coordinator's share still opens: %v", err)
	}
	if _, err := s.RedeemInvite(ctx, kept.ID, 77, "en"); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("a departed coordinator's share was redeemed: %v", err)
	}
	if u, _ := s.User(ctx, 77); u.Roles.ManagesHome(h.ID) {
		t.Fatal("the redeemer manages the home")
	}
}

// Every change checks, where it writes, that who asks holds the right now:
// a teacher removed a moment ago cannot add or remove a child, unlink a
// parent or make an invitation; a removed coordinator cannot edit the
// home, remove its teachers or create homes.
func TestRightsAreCheckedWhereTheWriteHappens(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	teacher, coord := homelink.By{User: teacherOf(1)}, homelink.By{User: 1}
	g := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if _, err := s.RedeemInvite(ctx, g.ID, 30, "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveTeacher(ctx, coord, h.ID, teacher.User); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddChild(ctx, teacher, homelink.Child{HomeID: h.ID, Name: "Lili"}); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("add child: %v", err)
	}
	if _, err := s.RemoveChild(ctx, teacher, h.ID, c.ID); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("remove child: %v", err)
	}
	if _, err := s.UnlinkGuardian(ctx, h.ID, c.ID, 30, teacher.User, 0); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("unlink: %v", err)
	}
	inv := homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID, MadeBy: teacher.User, ExpiresAt: clock.Now().Add(homelink.DefaultInviteTTL)}
	inv.Link, inv.Typed = homelink.NewInviteCodes()
	if _, err := s.CreateInvite(ctx, inv); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("create invite: %v", err)
	}
	if _, err := s.InviteByCode(ctx, inv.Link); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("a refused invitation's code opens: %v", err)
	}
	home, _ := s.Home(ctx, h.ID)
	if home.Children != 1 || home.Guardians != 1 {
		t.Fatalf("the home changed: %+v", home)
	}
	// The coordinator leaves; what needs a coordinator is refused to them.
	if _, err := s.Forget(ctx, coord.User); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateHome(ctx, coord, h.ID, homelink.HomeName, "X"); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("update home: %v", err)
	}
	if _, err := s.RemoveTeacher(ctx, coord, h.ID, 99); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("remove teacher: %v", err)
	}
	if _, err := s.CreateHome(ctx, coord, homelink.Home{Name: "Y"}); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("create home: %v", err)
	}
	if home, _ := s.Home(ctx, h.ID); home.Name != "Qingxi" {
		t.Fatalf("renamed to %q", home.Name)
	}
}

// Forgetting yourself does not reset the wrong-code throttle.
func TestForgetKeepsTheWrongCodeCounter(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	for range homelink.MaxCodeFailures {
		if _, err := s.CodeFailed(ctx, 40, homelink.CodeFailureWindow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Forget(ctx, 40); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CodeFailures(ctx, 40); err != nil || n != homelink.MaxCodeFailures {
		t.Fatalf("after /forget %d wrong codes counted, %v; want %d", n, err, homelink.MaxCodeFailures)
	}
}

// Codes are kept as HMACs under INVITE_KEY, which Redis never holds: the
// database alone (nor its plain SHA-256 of a code) finds no invitation,
// another key finds none, and after a rotation the previous key still
// finds the codes made under it while new ones use the new key.
func TestCodesAreKeptUnderAKeyOutsideRedis(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	old := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	keys, _ := s.rdb.Keys(ctx, s.k.prefix+"*").Result()
	for _, k := range keys {
		for _, code := range []string{old.Link, old.Typed} {
			sum := sha256.Sum256([]byte(code))
			if strings.Contains(k, code) || strings.Contains(k, hex.EncodeToString(sum[:])) {
				t.Fatalf("key %s gives the code away", k)
			}
		}
	}
	other := New(s.rdb, s.k.prefix, clock)
	other.UseCodeKeys([]byte("another-key-entirely-0123456789abcdef"))
	if _, err := other.InviteByCode(ctx, old.Link); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("another key opened a code: %v", err)
	}
	unkeyed := New(s.rdb, s.k.prefix, clock)
	if _, err := unkeyed.InviteByCode(ctx, old.Link); !errors.Is(err, ErrNoCodeKey) {
		t.Fatalf("a store without a key: %v", err)
	}
	// Rotation: the new key first, the old one still finds old codes.
	rotated := New(s.rdb, s.k.prefix, clock)
	rotated.UseCodeKeys([]byte("the-new-invite-key-0123456789abcdef"), s.codeKeys[0])
	for _, code := range []string{old.Link, old.Typed} {
		if inv, err := rotated.InviteByCode(ctx, code); err != nil || inv.ID != old.ID {
			t.Fatalf("after the rotation an old code opens %+v, %v", inv, err)
		}
	}
	fresh := newInvite(t, rotated, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if _, err := s.InviteByCode(ctx, fresh.Link); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("a new code was kept under the old key: %v", err)
	}
	if inv, err := rotated.InviteByCode(ctx, fresh.Typed); err != nil || inv.ID != fresh.ID {
		t.Fatalf("a new code does not open: %+v, %v", inv, err)
	}
}

// An admin's invitation is good while they are an admin: dropped from
// ADMIN_IDS, what they opened no longer opens a door.
func TestAnAdminsInvitationDiesWithTheirPlaceInAdminIDs(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	s.UseAdmins([]int64{500})
	inv := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator, MadeBy: 500, ByAdmin: true})
	s.UseAdmins(nil) // the operator removed them and restarted
	if _, err := s.RedeemInvite(ctx, inv.ID, 77, "en"); !errors.Is(err, homelink.ErrInviteInvalid) {
		t.Fatalf("a former admin's invitation: %v", err)
	}
	// The operator's own, from the command line (user 0), stands.
	cli := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator})
	if _, err := s.RedeemInvite(ctx, cli.ID, 78, "en"); err != nil {
		t.Fatalf("the operator's invitation: %v", err)
	}
}

// The record of who revoked an invitation names its maker too: the
// maker's /forget deletes it, as the revoker's does.
func TestARevokeRecordGoesWithItsMaker(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, _ := homeWithChild(t, s, 1)
	share := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator, Homes: []int64{h.ID}, MadeBy: 1})
	if _, err := s.RedeemInvite(ctx, newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleCoordinator, Homes: []int64{h.ID}, MadeBy: 1}).ID, 2, "en"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.RevokeInvite(ctx, homelink.By{User: 2}, 0, share.ID); !ok || err != nil {
		t.Fatalf("a co-coordinator revoking: %v %v", ok, err)
	}
	if _, err := s.Forget(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := s.Revoked(ctx, share.ID); ok {
		t.Fatal("the revoke record outlived the invitation's maker")
	}
}

// An invitation an older release made (no maker, a plain digest) cannot
// open any more; the upgrade takes it off its home's list of open ones.
func TestTheUpgradeRevokesInvitationsWithoutAMaker(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	old := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	s.rdb.HDel(ctx, s.k.invite(old.ID), "by", "admin") // as an older release wrote it
	kept := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if err := s.Upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	open, _ := s.OpenInvites(ctx, h.ID, homelink.RoleGuardian, c.ID)
	if len(open) != 1 || open[0].ID != kept.ID {
		t.Fatalf("open after the upgrade: %+v, want only %d", open, kept.ID)
	}
}
