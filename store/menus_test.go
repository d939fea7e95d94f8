package store

import (
	"context"
	"testing"
	"time"
)

func TestMenuWalkIsLeasedResumableAndFinishesOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	start := func(version, token string) (MenuWalk, int64) {
		t.Helper()
		w, after, err := s.StartMenuWalk(ctx, version, token, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return w, after
	}
	if w, after := start("v1", "a"); w != MenuWalkYours || after != 0 {
		t.Fatalf("first start = %v, %d", w, after)
	}
	if w, _ := start("v1", "b"); w != MenuWalkHeld {
		t.Fatalf("second replica = %v, want held", w)
	}
	if ok, _ := s.AdvanceMenuWalk(ctx, "v1", "b", 99, time.Minute); ok {
		t.Fatal("a replica without the lease advanced the walk")
	}
	if ok, _ := s.AdvanceMenuWalk(ctx, "v1", "a", 40, time.Minute); !ok {
		t.Fatal("the holder could not advance")
	}
	// "a" died; once its lease is gone "b" goes on from 40.
	s.ReleaseMenuWalk(ctx, "a")
	if w, after := start("v1", "b"); w != MenuWalkYours || after != 40 {
		t.Fatalf("resume = %v, %d; want from 40", w, after)
	}
	if s.rdb.Get(ctx, s.k.menuVersion()).Val() != "" {
		t.Fatal("version stored before the walk completed")
	}
	if ok, _ := s.FinishMenuWalk(ctx, "v1", "b"); !ok {
		t.Fatal("finish refused")
	}
	if w, _ := start("v1", "c"); w != MenusCurrent {
		t.Fatalf("after finishing = %v, want current", w)
	}
	// A walk to v2 stopped half way; a release with v3 starts over.
	start("v2", "d")
	s.AdvanceMenuWalk(ctx, "v2", "d", 70, time.Minute)
	s.ReleaseMenuWalk(ctx, "d")
	if w, after := start("v3", "e"); w != MenuWalkYours || after != 0 {
		t.Fatalf("new version = %v, %d; want from the start", w, after)
	}
}
