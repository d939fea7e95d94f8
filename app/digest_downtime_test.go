package app

import (
	"context"
	"strings"
	"testing"

	"github.com/homelink/homelink"
)

// Back after being down over several mornings (the home's first digest
// was due days ago), the teachers still get the digest of today, whose
// call is still to come, marked late (it is an hour past its morning),
// each in their language; the days
// missed, whose calls are over, bring nothing.
func TestAfterDowntimeOverSeveralMorningsTodaysDigestComes(t *testing.T) {
	hrs := weekendHours(1)
	hrs.AutoConfirm = true
	w := newBookingWorld(t, hrs)
	ctx := context.Background()
	start := at(2026, 12, 5, 10, 0) // Saturday, a week after the clock's start
	call, err := w.h.store().Book(ctx, homelink.By{User: w.f.mom}, homelink.BookingRequest{HomeID: w.f.home,
		ChildID: w.f.child, Start: start, Kind: homelink.VideoCall})
	if err != nil || call.State != homelink.Confirmed {
		t.Fatalf("book: %+v, %v", call, err)
	}
	seen := len(w.teacher.Messages())
	w.h.clock.Set(at(2026, 12, 5, 9, 0)) // down since Saturday 28 November, back an hour after today's morning
	w.h.reps[0].app.RunJobs()
	digest := w.teacher.Sees("today, Sat 5 Dec: 1 call")
	for _, want := range []string{"10:00 · 小明 · 李秀兰 (Mother) · Video call: no answer yet", "this reminder is late"} {
		if !strings.Contains(digest.Text, want) {
			t.Errorf("the digest lacks %q:\n%s", want, digest.Text)
		}
	}
	w.teacher2.Sees("今天（12月5日 周六）有 1 次通话")
	for _, m := range w.teacher.Messages()[seen:] {
		if m.ID != digest.ID && strings.Contains(m.Text, "☀️") {
			t.Errorf("a digest of another day came: %q", m.Text)
		}
	}
}
