package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/homelink/homelink"
)

// Two staff change the hours from the same reading: the second change,
// made against the version the first replaced, is refused and changes
// nothing; a change made against the version read back is taken.
func TestHoursChangedMeanwhileAreNotOverwritten(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	read := func() homelink.Hours {
		t.Helper()
		hrs, err := w.s.Hours(ctx, w.home.ID)
		if err != nil {
			t.Fatal(err)
		}
		return hrs
	}
	first, second := read(), read()
	if first.Version == 0 || first.Version != second.Version {
		t.Fatalf("versions read %d, %d", first.Version, second.Version)
	}
	first.Lines = 3
	if err := w.s.SetHours(ctx, homelink.By{User: w.teacher}, w.home.ID, first); err != nil {
		t.Fatal(err)
	}
	second.SlotMinutes = 30
	err := w.s.SetHours(ctx, homelink.By{User: 1}, w.home.ID, second)
	if !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("a change against stale hours: %v", err)
	}
	now := read()
	if now.Lines != 3 || now.SlotMinutes != 15 || now.Version != first.Version+1 {
		t.Fatalf("hours after the refused change %+v", now)
	}
	now.SlotMinutes = 30
	if err := w.s.SetHours(ctx, homelink.By{User: 1}, w.home.ID, now); err != nil {
		t.Fatal(err)
	}
	if got := read(); got.Lines != 3 || got.SlotMinutes != 30 || got.Version != now.Version+1 {
		t.Fatalf("hours after the re-applied change %+v", got)
	}
	// Version 0 writes blind.
	blind := allWeek(2)
	if err := w.s.SetHours(ctx, homelink.By{User: 1}, w.home.ID, blind); err != nil {
		t.Fatal(err)
	}
	if raw := w.s.rdb.HGet(ctx, w.s.k.hours(w.home.ID), "json").Val(); len(raw) == 0 || strings.Contains(raw, "Version") {
		t.Fatalf("stored json %s", raw)
	}
}
