package app

import (
	"context"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// A notice that is not held for quiet hours comes silently to whoever is
// in them: a request reaching a teacher whose quiet hours cover the
// moment wakes nobody, while the other teacher hears it as usual.
func TestNoticesComeSilentlyInQuietHours(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	// The clock stands at Saturday 17:00 in the home's zone.
	afternoon := homelink.QuietHours{Start: 13 * 60, End: 18 * 60}
	if err := w.h.store().SetQuietHours(context.Background(), w.f.teacher, &afternoon); err != nil {
		t.Fatal(err)
	}
	w.dadBooksSunday()
	wantSilent(t, w.teacher.Sees("New call request"), true)
	wantSilent(t, w.teacher2.Sees("新的通话预约"), false)
}

// [I can't make it] once the call has begun tells the teachers and offers
// another time at once, not a move or cancel that can no longer be made;
// the start reminder offers [I can't make it] alone (above [Leave a
// message], which every reminder has).
func TestCannotMakeItOnceTheCallHasBegun(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	w.confirmedCall(w.f.dad, w.f.child, sunday1400, homelink.VideoCall)
	start := w.comesAt(sunday1400, arrival{w.dad, "It is time", "It is time for your call with 小明."})[0]
	if got := start.Buttons(); len(got) != 2 || got[0] != "❌ I can't make it" || got[1] != "✉️ Leave a message" {
		t.Fatalf("the start reminder's buttons: %q", got)
	}
	w.h.clock.Set(sunday1400.Add(2 * time.Minute))
	w.dad.TapsData(start.ID, start.Keyboard[0][0].CallbackData)
	w.dad.Sees("has begun, so it can no longer be moved")
	if !hasButton(w.dad, "Book another time") {
		t.Fatalf("no new time offered:\n%s", transcript(w.dad.Messages()))
	}
	w.teacher.Sees("A parent can't make the call with 小明")
	w.teacher2.Sees("家长这次来不了")
}

// Back after a downtime past both asks of whether a call took place, the
// teachers are asked once, not twice.
func TestAfterDowntimeTheTeachersAreAskedOnce(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	c := w.confirmedCall(w.f.dad, w.f.child, sunday1400, homelink.VideoCall)
	w.h.clock.Set(c.End().Add(homelink.MarkAgainAfter + time.Hour))
	w.h.settle()
	onlyOnce(t, w.teacher, "Still to record:")
	if n := count(w.teacher, "Did this call take place?"); n != 0 {
		t.Fatalf("the first ask came too, %d times:\n%s", n, transcript(w.teacher.Messages()))
	}
}
