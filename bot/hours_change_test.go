package bot

import (
	"context"
	"errors"
	"testing"

	"github.com/homelink/homelink"
)

// Two staff change the hours at once: the change whose write finds the
// hours saved meanwhile is made again on the fresh hours, so both are
// kept; hours that keep changing give up after hoursTries.
func TestHoursChangesAreNotLostToAnotherEdit(t *testing.T) {
	w := newWalker(t)
	ctx := context.Background()
	_, h := w.coordinator(100)
	r := &request{b: w.b, user: homelink.User{ID: 100}}
	other := func(change func(*homelink.Hours)) {
		hrs, err := w.st.Hours(ctx, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		change(&hrs)
		if err := w.st.SetHours(ctx, homelink.By{User: 100}, h.ID, hrs); err != nil {
			t.Fatal(err)
		}
	}
	other(func(hrs *homelink.Hours) { hrs.Lines = 2 })

	tries := 0
	got, err := w.b.changeHours(ctx, r, h.ID, func(hrs *homelink.Hours) error {
		tries++
		if tries == 1 { // another teacher saves between this reading and the write
			other(func(hrs *homelink.Hours) { hrs.Lines = 3 })
		}
		hrs.SlotMinutes = 30
		return nil
	})
	if err != nil || tries != 2 {
		t.Fatalf("change = %v after %d tries", err, tries)
	}
	stored, _ := w.st.Hours(ctx, h.ID)
	if stored.Lines != 3 || stored.SlotMinutes != 30 || got.SlotMinutes != 30 {
		t.Fatalf("hours after both changes %+v", stored)
	}

	tries = 0
	_, err = w.b.changeHours(ctx, r, h.ID, func(hrs *homelink.Hours) error {
		tries++
		other(func(hrs *homelink.Hours) { hrs.Lines = 1 + tries })
		hrs.SlotMinutes = 45
		return nil
	})
	if !errors.Is(err, homelink.ErrStateChanged) || tries != hoursTries {
		t.Fatalf("a change on hours that keep changing = %v after %d tries", err, tries)
	}
	if stored, _ := w.st.Hours(ctx, h.ID); stored.SlotMinutes != 30 || stored.Lines != 1+hoursTries {
		t.Fatalf("hours after the abandoned change %+v", stored)
	}
}
