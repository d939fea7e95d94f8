package app

import (
	"context"
	"testing"

	"github.com/homelink/homelink"
)

// A guardian holds at most MAX_UPCOMING_PER_CHILD calls per child ahead;
// /book says the limit and where to make room.
func TestTooManyUpcomingCalls(t *testing.T) {
	w := newBookingWorldWith(t, weekendHours(2), func(c *Config) { c.MaxUpcomingPerChild = 3 })
	for _, h := range []int{14, 15, 16} {
		_, err := w.h.store().Book(context.Background(), homelink.By{User: w.f.dad}, homelink.BookingRequest{HomeID: w.f.home,
			ChildID: w.f.child, Start: at(2026, 11, 29, h, 0), Kind: homelink.VoiceCall, MaxUpcoming: 3})
		if err != nil {
			t.Fatal(err)
		}
	}
	w.books(w.dad, "Sat 5 Dec (10)", "09:00", "Video call", "")
	w.dad.Sees("You already have 3 calls with 小明 coming up, the most you can book at once.")
	if calls, _ := w.h.store().GuardianCalls(context.Background(), w.f.dad); len(calls) != 3 {
		t.Fatalf("%d calls", len(calls))
	}
}

// A guardian of several children is asked which one first.
func TestBookAsksWhichChild(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	_, inv := inviteFor(t, w.h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: w.f.home, ChildID: w.f.sibling})
	if _, err := w.h.store().RedeemInvite(context.Background(), inv, w.f.dad, "en"); err != nil {
		t.Fatal(err)
	}
	w.dad.Types("/book")
	w.dad.Sees("Which child would you like to call?")
	w.dad.Tap("Lili")
	w.dad.Sees("When would you like to call Lili?")
	w.dad.Tap("« Back")
	w.dad.Sees("Which child would you like to call?")
}

// A coordinator sees the home's calls and may cancel one, but deciding is
// the teachers'.
func TestCoordinatorSeesTheHomesCalls(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	w.coord.Types("/calls")
	w.coord.Sees("Calls at 青溪村儿童之家, today and tomorrow")
	w.coord.Sees("Sun 29 Nov 14:00 小明 with Jian (Father): Video call, waiting for the teacher")
	w.coord.Tap("Sun 29 Nov 14:00 小明")
	w.coord.Sees("Call with 小明 (waiting for the teacher)")
	if hasButton(w.coord, "Confirm") || !hasButton(w.coord, "Cancel call") {
		t.Fatalf("the coordinator's buttons: %v", w.coord.Last().Buttons())
	}
}
