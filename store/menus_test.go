package store

import (
	"context"
	"testing"
	"time"
)

func TestMenuWalkIsLeasedResumableAndFinishesOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	start := func(version, token string) (bool, int64) {
		t.Helper()
		after, ok, err := s.StartMenuWalk(ctx, version, token, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok, after
	}
	if ok, after := start("v1", "a"); !ok || after != 0 {
		t.Fatalf("first start = %v, %d", ok, after)
	}
	if ok, _ := start("v1", "b"); ok {
		t.Fatal("a second replica walks too")
	}
	if ok, _ := s.AdvanceMenuWalk(ctx, "v1", "b", 99, time.Minute); ok {
		t.Fatal("a replica without the lease advanced the walk")
	}
	if ok, _ := s.AdvanceMenuWalk(ctx, "v1", "a", 40, time.Minute); !ok {
		t.Fatal("the holder could not advance")
	}
	// "a" died; once its lease is gone "b" goes on from 40.
	s.ReleaseMenuWalk(ctx, "a")
	if ok, after := start("v1", "b"); !ok || after != 40 {
		t.Fatalf("resume = %v, %d; want from 40", ok, after)
	}
	if s.rdb.Get(ctx, s.k.menuVersion()).Val() != "" {
		t.Fatal("version stored before the walk completed")
	}
	if ok, _ := s.FinishMenuWalk(ctx, "v1", "b"); !ok {
		t.Fatal("finish refused")
	}
	if ok, _ := start("v1", "c"); ok {
		t.Fatal("walks again after finishing")
	}
	// A walk to v2 stopped half way; a release with v3 starts over.
	start("v2", "d")
	s.AdvanceMenuWalk(ctx, "v2", "d", 70, time.Minute)
	s.ReleaseMenuWalk(ctx, "d")
	if ok, after := start("v3", "e"); !ok || after != 0 {
		t.Fatalf("new version = %v, %d; want from the start", ok, after)
	}
}
