package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Changing a call: either side cancels with a reason, the parent moves
// it, a standing weekly call skips a closed week; /calls shows each side
// what it can do.

// confirmedSunday has dad book Sunday 14:00 and the first teacher confirm.
func (w *bookingWorld) confirmedSunday() homelink.Booking {
	w.t.Helper()
	w.dadBooksSunday()
	w.teacher.Tap("Confirm")
	w.dad.Sees("Confirmed:")
	return w.wantState(w.only().ID, homelink.Confirmed)
}

func TestParentCancelsWithAReason(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	c := w.confirmedSunday()
	w.dad.Types("/calls")
	w.dad.Sees("Your upcoming calls")
	w.dad.Sees("Sun 29 Nov 14:00: 小明, Video call, confirmed")
	w.dad.Tap("Sun 29 Nov 14:00 小明")
	w.dad.Sees("Call with 小明 (confirmed)")
	w.dad.Tap("Cancel call")
	w.dad.Sees("Cancel this call with 小明?")
	w.dad.Types("I have to work late")
	w.dad.Sees("The call with 小明 is cancelled.")
	w.wantState(c.ID, homelink.Cancelled)
	w.teacher.Sees("A parent cancelled a call")
	for _, want := range []string{"Reason: I have to work late", "Jian cancelled this call on", "Time: Sun 29 Nov 14:00"} {
		w.teacher.Sees(want)
	}
	w.teacher2.Sees("家长取消了一次通话")
	w.teacher2.Sees("原因：I have to work late")
	w.dad.Types("/calls")
	w.dad.Sees("You have no calls booked.")
}

func TestTeacherCancelsWithAReason(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	c := w.confirmedSunday()
	w.teacher.Types("/calls")
	w.teacher.Sees("Calls at 青溪村儿童之家, today and tomorrow")
	w.teacher.Sees("Sun 29 Nov 14:00 小明 with Jian (Father): Video call, confirmed")
	w.teacher.Tap("Sun 29 Nov 14:00 小明")
	w.teacher.Sees("Call with 小明 (confirmed)")
	if hasButton(w.teacher, "Yes, it took place") {
		t.Fatal("Held is offered before the call's start")
	}
	w.teacher.Tap("Cancel call")
	w.teacher.Types("The power is out")
	w.teacher.Sees("The call with 小明 is cancelled.")
	w.wantState(c.ID, homelink.Cancelled)
	w.dad.Sees("Sorry, the Children's Home had to cancel your call with 小明.")
	w.dad.Sees("Reason: The power is out")
	w.teacher2.Sees("有一次通话取消了")
	w.teacher2.Sees("王老师在 ")
	if !hasButton(w.dad, "Book another time") {
		t.Fatal("the parent is not offered another time")
	}
}

// Keep, and cancelling without a reason.
func TestCancelKeepAndNoReason(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	id := w.only().ID
	w.dad.Tap("Cancel call")
	w.dad.Tap("No, keep the call")
	w.dad.Sees("Okay, the call stays as it is.")
	w.wantState(id, homelink.Requested)
	w.dad.Tap("Cancel call")
	w.dad.Tap("Cancel without a reason")
	w.dad.Sees("The call with 小明 is cancelled.")
	w.wantState(id, homelink.Cancelled)
	seesEdited(t, w.h, w.teacher, "New call request", "Jian cancelled this call on")
	// The request's Confirm, tapped after: told who cancelled.
	w.teacher2.TapsData(0, w.h.reps[0].app.Bot.ButtonData("call.confirm", "", w.f.home, id))
	w.teacher2.SeesAlert("Jian 在 ")
}

// A parent moves a confirmed call: it stays confirmed at its new time
// (a decline of a new request would have left them with no call), the
// old slot is free, and the teachers are told. Its own time is not
// offered as a new one.
func TestParentReschedules(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	c := w.confirmedSunday()
	w.dad.Types("/calls")
	w.dad.Tap("Sun 29 Nov 14:00 小明")
	w.dad.Tap("Reschedule")
	w.dad.Tap("Sun 29 Nov (11)")
	if hasButton(w.dad, "14:00") {
		t.Fatalf("the call's own time is offered as a new one:\n%s", transcript(w.dad.Messages()))
	}
	w.dad.Tap("16:00")
	w.dad.Sees("Rescheduled.")
	moved := w.wantState(c.ID, homelink.Confirmed)
	if !moved.Start.Equal(at(2026, 11, 29, 16, 0)) {
		t.Fatalf("moved to %v", moved.Start)
	}
	w.teacher.Sees("A parent moved a call")
	w.teacher.Sees("Was: Sun 29 Nov 14:00")
	w.teacher2.Sees("原定时间：11月29日 周日 14:00")
}

// A request the parent moves is still a request, for the teachers to
// decide at its new time.
func TestParentMovesARequest(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	c := w.only()
	w.dad.Types("/calls")
	w.dad.Tap("Sun 29 Nov 14:00 小明")
	w.dad.Tap("Reschedule")
	w.dad.Tap("Sun 29 Nov (11)")
	w.dad.Tap("16:00")
	w.dad.Sees("New time sent.")
	moved := w.wantState(c.ID, homelink.Requested)
	if !moved.Start.Equal(at(2026, 11, 29, 16, 0)) {
		t.Fatalf("moved to %v", moved.Start)
	}
	w.teacher.Sees("A parent asks to move a call")
	w.teacher2.Sees("家长想改一次通话的时间")
	w.teacher2.Tap("确认通话")
	w.dad.Sees("Confirmed:")
	w.wantState(c.ID, homelink.Confirmed)
}

// A standing weekly call across a closed week: the week is skipped, and
// both sides are told.
func TestWeeklyCallAcrossAClosedWeek(t *testing.T) {
	hrs := weekendHours(2)
	day := func(m time.Month, d int) homelink.DateRange {
		return homelink.DateRange{From: homelink.Date{Year: 2026, Month: m, Day: d}, To: homelink.Date{Year: 2026, Month: m, Day: d}}
	}
	hrs.Closed = []homelink.DateRange{day(12, 6), day(12, 27)}
	w := newBookingWorld(t, hrs)
	w.dad.Types("/book")
	w.dad.Tap("Sun 29 Nov (12)")
	w.dad.Tap("14:00")
	w.dad.Tap("Voice call")
	w.dad.Tap("Skip")
	w.dad.Sees("Or make it a weekly call: every Sunday at 14:00")
	w.dad.Tap("Make it weekly")
	w.dad.Sees("Request sent.")
	w.dad.Sees("No call on Sun 6 Dec 14:00: the home is closed or full then.")
	w.teacher.Sees("New request for a weekly call")
	w.teacher.Sees("Repeats: every Sunday at 14:00")
	w.teacher.Sees("No call on Sun 6 Dec 14:00")
	w.teacher2.Sees("儿童之家休息或已约满，以下时间没有通话：12月6日 周日 14:00")
	if hasButton(w.teacher, "Offer another time") {
		t.Fatal("a weekly request offers another time for one of its weeks")
	}
	w.teacher.Tap("Confirm")
	w.dad.Sees("Confirmed:")
	w.wantWeekly(sunday1400, at(2026, 12, 13, 14, 0), at(2026, 12, 20, 14, 0))
	// The renewal at the first call's start books four weeks ahead: 27 Dec
	// is closed too, and both sides are told.
	w.h.clock.Set(sunday1400.Add(time.Minute))
	w.dad.Sees("There is no weekly call with 小明 this time")
	w.teacher.Sees("A weekly call is skipped this time")
	w.teacher2.Sees("每周固定通话这一次暂停")
	// The parent ends it from /calls.
	w.dad.Types("/calls")
	w.dad.Tap("Sun 29 Nov 14:00 小明")
	w.dad.Tap("Cancel the weekly call")
	w.dad.Sees("End the weekly call with 小明?")
	w.dad.Tap("Cancel without a reason")
	w.dad.Sees("The weekly call with 小明 has ended.")
	w.teacher.Sees("A parent ended a weekly call")
	up, _ := w.h.store().GuardianCalls(context.Background(), w.f.dad)
	if len(up) != 0 {
		t.Fatalf("calls left after ending the weekly call: %+v", up)
	}
}

// wantWeekly checks that the home's calls are the confirmed occurrences
// of a standing call at want.
func (w *bookingWorld) wantWeekly(want ...time.Time) {
	w.t.Helper()
	t := w.t
	calls, err := w.h.store().HomeCalls(context.Background(), w.f.home, at(2026, 11, 1, 0, 0), at(2027, 2, 1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var starts []time.Time
	for _, c := range calls {
		if c.State != homelink.Confirmed || c.Series == 0 {
			t.Errorf("occurrence %+v", c)
		}
		starts = append(starts, c.Start)
	}
	if len(starts) != len(want) {
		t.Fatalf("occurrences %v, want %v", starts, want)
	}
	for i := range want {
		if !starts[i].Equal(want[i]) {
			t.Fatalf("occurrences %v, want %v", starts, want)
		}
	}
}

// A teacher moves a confirmed call to a time that suits the parent: it
// stays confirmed, the old slot is free in the same step, and the parent
// (with buttons to move or cancel it) and the other teacher are told.
func TestTeacherMovesAConfirmedCall(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	c := w.confirmedSunday()
	// The parent works Sundays until 15:00: those times are not offered.
	shifts := homelink.Shifts{Weekly: []homelink.ShiftWindow{{Day: time.Sunday, Start: 7 * 60, End: 15 * 60}}}
	if err := w.h.store().SetShifts(context.Background(), w.f.dad, shifts); err != nil {
		t.Fatal(err)
	}
	w.teacher.Types("/calls")
	w.teacher.Tap("Sun 29 Nov 14:00 小明")
	w.teacher.Tap("Move to another time")
	w.teacher.Sees("Move 小明's call to which day?")
	w.teacher.Tap("Sun 29 Nov (8)")
	if hasButton(w.teacher, "14:30") {
		t.Fatalf("a time within the parent's shift is offered:\n%s", transcript(w.teacher.Messages()))
	}
	w.teacher.Tap("15:30")
	w.teacher.Sees("Call moved.")
	moved := w.dad.Sees("The home moved your call with 小明.")
	for _, want := range []string{"Time: Sun 29 Nov 15:30", "Was: Sun 29 Nov 14:00"} {
		if !strings.Contains(moved.Text, want) {
			t.Fatalf("the parent's notice lacks %q:\n%s", want, moved.Text)
		}
	}
	if !hasButton(w.dad, "Cancel call") {
		t.Fatalf("the parent cannot cancel the moved call:\n%s", transcript(w.dad.Messages()))
	}
	w.teacher2.Sees("一次通话改了时间")
	got := w.wantState(c.ID, homelink.Confirmed)
	if !got.Start.Equal(at(2026, 11, 29, 15, 30)) {
		t.Fatalf("moved to %v", got.Start)
	}
	av, err := w.h.store().Availability(context.Background(), w.f.home, w.f.child, at(2026, 11, 29, 0, 0), at(2026, 11, 30, 0, 0))
	if err != nil || len(av.Taken) != 1 || !av.Taken[0].Start.Equal(at(2026, 11, 29, 15, 30)) {
		t.Fatalf("lines after the move: %+v, %v", av.Taken, err)
	}
}

// Staff see, beyond today's and tomorrow's calls, the requests further
// ahead that still wait for an answer, and can open them.
func TestStaffSeeLaterRequests(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.books(w.dad, "Sat 5 Dec (10)", "09:00", "Video call", "")
	w.dad.Sees("Request sent.")
	w.coord.Types("/calls")
	w.coord.Sees("Later, waiting for an answer:")
	w.coord.Sees("Sat 5 Dec 09:00 小明 with Jian (Father): Video call, waiting for the teacher")
	w.teacher.Types("/calls")
	w.teacher.Tap("Sat 5 Dec 09:00 小明")
	w.teacher.Tap("Confirm")
	w.dad.Sees("Confirmed:")
}

// Cancel, tapped once the call's time has come, says so (not who
// confirmed it), and changes nothing.
func TestCancelAfterTheCallsTime(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	c := w.confirmedSunday()
	w.h.clock.Set(sunday1400.Add(5 * time.Minute))
	w.dad.Tap("Cancel call")
	w.dad.SeesAlert("This call's time has come")
	w.wantState(c.ID, homelink.Confirmed)
}

// The home can end a weekly call it can no longer host: the parent is
// told with a button to book again, the other teacher too, and no week
// of it is left.
func TestTeacherEndsAWeeklyCall(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dad.Types("/book")
	w.dad.Tap("Sun 29 Nov (12)")
	w.dad.Tap("14:00")
	w.dad.Tap("Voice call")
	w.dad.Tap("Skip")
	w.dad.Tap("Make it weekly")
	w.teacher.Sees("New request for a weekly call")
	w.teacher.Tap("Confirm")
	w.dad.Sees("Confirmed:")
	w.teacher.Types("/calls")
	w.teacher.Tap("Sun 29 Nov 14:00 小明")
	w.teacher.Tap("Cancel the weekly call")
	w.teacher.Sees("End the weekly call with 小明?")
	w.teacher.Types("The home's phone line is down until spring")
	w.dad.Sees("the Children's Home ended your weekly call with 小明")
	w.dad.Sees("The home's phone line is down until spring")
	if !hasButton(w.dad, "Book another time") {
		t.Fatalf("the parent cannot book again:\n%s", transcript(w.dad.Messages()))
	}
	w.teacher2.Sees("每周固定通话")
	up, _ := w.h.store().GuardianCalls(context.Background(), w.f.dad)
	if len(up) != 0 {
		t.Fatalf("calls left after the home ended the weekly call: %+v", up)
	}
}

// Closing a day with a request on it: the request's copies lose their
// buttons and say who cancelled it, and the other teacher hears how many
// calls went.
func TestClosingADayEndsItsRequestsForEveryTeacher(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	w.teacher2.Sees("新的通话预约")
	w.teacher.Types("/hours")
	w.teacher.Tap("Set closed dates")
	w.teacher.Tap("+ Add closed dates")
	w.teacher.Types("2026-11-29")
	w.teacher.Sees("1 call on those days was cancelled")
	w.dad.Sees("is closed on the day of 小明's call")
	w.teacher2.Sees("那几天约好的 1 次通话已取消")
	m := seesEdited(t, w.h, w.teacher2, "新的通话预约", "取消")
	if len(m.Keyboard) != 0 {
		t.Fatalf("the cancelled request still has buttons: %v", m.Buttons())
	}
}
