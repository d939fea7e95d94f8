package app

import (
	"context"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Times in the reader's zone, the home's beside them; shifts hide the
// slots within them and say how many.

// A parent in Madrid books a home in Shanghai and sees both times, right
// on both sides of Madrid's change to summer time (28 March 2027).
func TestParentInMadridAcrossDaylightSaving(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.h.clock.Set(time.Date(2027, 3, 22, 9, 0, 0, 0, time.UTC))
	if err := w.h.store().SetTimeZone(context.Background(), w.f.dad, "Europe/Madrid"); err != nil {
		t.Fatal(err)
	}
	w.dad.Types("/book")
	w.dad.Sees("Times are in your time zone, Spain (Madrid); the home's own time, China (Beijing time), is in brackets.")
	w.dad.Tap("Sat 27 Mar (10)") // before the change: UTC+1, seven hours behind
	w.dad.Sees("Choose a time on Sat 27 Mar")
	if !hasButton(w.dad, "02:00 (09:00)") || !hasButton(w.dad, "04:15 (11:15)") {
		t.Fatalf("winter times wrong:\n%s", transcript(w.dad.Messages()))
	}
	w.dad.Tap("« Back")
	w.dad.Tap("Sun 28 Mar (12)") // the day of the change: already UTC+2
	w.dad.Sees("Choose a time on Sun 28 Mar")
	if !hasButton(w.dad, "08:00 (14:00)") {
		t.Fatalf("times on the day of the change wrong:\n%s", transcript(w.dad.Messages()))
	}
	w.dad.Tap("« Back")
	w.dad.Tap("Sat 3 Apr (10)") // after: six hours behind
	w.dad.Tap("03:00 (09:00)")
	w.dad.Tap("Video call")
	w.dad.Tap("Skip")
	w.dad.Sees("Time: Sat 3 Apr 03:00 (home time 09:00)")
	// A weekly call keeps the home's hour, which is Madrid's 02:00 or
	// 03:00 by the season: its rhythm is said in the home's time.
	w.dad.Sees("Or make it a weekly call: every Saturday at 09:00 home time")
	w.dad.Tap("Send request")
	w.dad.Sees("Request sent.")
	w.teacher.Sees("Time: Sat 3 Apr 09:00")
	w.teacher2.Sees("时间：4月3日 周六 09:00")
	if c := w.only(); !c.Start.Equal(at(2027, 4, 3, 9, 0)) {
		t.Fatalf("booked %v", c.Start)
	}
	w.teacher.Tap("Confirm")
	w.dad.Sees("Confirmed:")
	w.dad.Types("/calls")
	w.dad.Sees("Sat 3 Apr 03:00 (home time 09:00): 小明")
}

// Shifts hide the slots that overlap them, and /book says how many.
func TestShiftsHideSlots(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	sundayAfternoon := homelink.Shifts{Weekly: []homelink.ShiftWindow{{Day: time.Sunday, Start: 14 * 60, End: 15 * 60}}}
	if err := w.h.store().SetShifts(context.Background(), w.f.mom, sundayAfternoon); err != nil {
		t.Fatal(err)
	}
	w.mom.Types("/book")
	w.mom.Sees("您上班期间的 8 个空闲时间没有列出。") // two Sundays ahead, four slots each
	w.mom.Tap("11月29日 周日（8）")
	w.mom.Sees("您上班期间的 4 个空闲时间")
	if hasButton(w.mom, "14:45") || !hasButton(w.mom, "15:00") {
		t.Fatalf("the wrong slots are hidden:\n%s", transcript(w.mom.Messages()))
	}
	// Dad has no shifts: he sees them all.
	w.dad.Types("/book")
	seesButton(t, w.h, w.dad, "Sun 29 Nov (12)")
}

// A home with no hours says so; a full home says so.
func TestNothingToBook(t *testing.T) {
	w := newBookingWorld(t, homelink.DefaultHours())
	w.dad.Types("/book")
	w.dad.Sees("The Children's Home has not set its call hours yet.")
	w.mom.Types("/book")
	w.mom.Sees("儿童之家还没有设置通话时间。")
}
