package store

import (
	"context"
	"strings"
	"testing"

	"github.com/homelink/homelink"
)

// Each link remembers the invitation that made it; an unlink records who
// did it and which link it was; forgetting either person deletes the
// record and leaves no id of theirs behind.
func TestWhoActedIsNotedAndForgotten(t *testing.T) {
	s, clock := newStore(t)
	ctx := context.Background()
	h, c := homeWithChild(t, s, 1)
	// 7770002 teaches there too.
	if _, err := s.RedeemInvite(ctx, newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}).ID, 7770002, "en"); err != nil {
		t.Fatal(err)
	}
	first := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if _, err := s.RedeemInvite(ctx, first.ID, 7770001, "en"); err != nil {
		t.Fatal(err)
	}
	if link, err := s.LinkedBy(ctx, h.ID, c.ID, 7770001); err != nil || link != first.ID {
		t.Fatalf("linked by %d, %v; want %d", link, err, first.ID)
	}
	if ok, err := s.UnlinkGuardian(ctx, h.ID, c.ID, 7770001, 7770002, 0); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if link, _ := s.LinkedBy(ctx, h.ID, c.ID, 7770001); link != 0 {
		t.Fatalf("an unlinked guardian still has link %d", link)
	}
	if who, ok, err := s.Unlinked(ctx, h.ID, c.ID, 7770001); !ok || err != nil || who.By != 7770002 {
		t.Fatalf("who unlinked: %+v %v %v", who, ok, err)
	}
	// They join again: a new link, made by another invitation.
	again := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if _, err := s.RedeemInvite(ctx, again.ID, 7770001, "en"); err != nil {
		t.Fatal(err)
	}
	if link, _ := s.LinkedBy(ctx, h.ID, c.ID, 7770001); link != again.ID {
		t.Fatalf("linked by %d, want %d", link, again.ID)
	}
	// The teacher revokes an invitation, then both people leave.
	spare := newInvite(t, s, clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID})
	if ok, err := s.RevokeInvite(ctx, homelink.By{User: 7770002}, h.ID, spare.ID); !ok || err != nil {
		t.Fatal(ok, err)
	}
	for _, u := range []int64{7770001, 7770002} {
		if _, err := s.Forget(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := s.Unlinked(ctx, h.ID, c.ID, 7770001); ok {
		t.Fatal("the unlink record outlived both people")
	}
	if _, _, ok, _ := s.Revoked(ctx, spare.ID); ok {
		t.Fatal("the revoke record outlived its revoker")
	}
	keys, _ := s.rdb.Keys(ctx, s.k.prefix+"*").Result()
	for _, k := range keys {
		var vals []string
		switch s.rdb.Type(ctx, k).Val() {
		case "hash":
			for f, v := range s.rdb.HGetAll(ctx, k).Val() {
				vals = append(vals, f, v)
			}
		case "set":
			vals = s.rdb.SMembers(ctx, k).Val()
		case "zset":
			vals = s.rdb.ZRange(ctx, k, 0, -1).Val()
		case "string":
			vals = []string{s.rdb.Get(ctx, k).Val()}
		}
		for _, v := range append(vals, k) {
			if strings.Contains(v, "7770001") || strings.Contains(v, "7770002") {
				t.Errorf("key %s still names a forgotten person: %q", k, v)
			}
		}
	}
}
