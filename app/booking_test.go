package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Booking a call end to end: a parent books by buttons, every teacher of
// the home gets the request, the first to act decides and the other's
// copy says so, and the parent hears every decision in their language.

func TestBookOneCallByButtonsAndATeacherConfirms(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	if !hasButton(w.dad, "Cancel call") {
		t.Fatalf("the request has no Cancel:\n%s", transcript(w.dad.Messages()))
	}
	req := w.teacher.Sees("New call request")
	for _, want := range []string{"Child: 小明", "Parent: Jian (Father)", "Time: Sun 29 Nov 14:00", "How: Video call", "Note: She has a cold"} {
		if !strings.Contains(req.Text, want) {
			t.Errorf("the teacher's request lacks %q:\n%s", want, req.Text)
		}
	}
	zh := w.teacher2.Sees("新的通话预约")
	for _, want := range []string{"孩子：小明", "家长：Jian（爸爸）", "时间：11月29日 周日 14:00", "通话方式：视频通话", "给老师的话：She has a cold"} {
		if !strings.Contains(zh.Text, want) {
			t.Errorf("the Chinese request lacks %q:\n%s", want, zh.Text)
		}
	}
	call := w.only()
	if call.State != homelink.Requested || !call.Start.Equal(sunday1400) || call.Kind != homelink.VideoCall {
		t.Fatalf("stored %+v", call)
	}
	w.teacher.Tap("Confirm")
	seesEdited(t, w.h, w.teacher, "New call request", "You confirmed this call on")
	seesEdited(t, w.h, w.teacher2, "新的通话预约", "王老师在 ")
	w.teacher2.Sees("确认了这次通话")
	w.dad.Sees("Confirmed:")
	w.wantState(call.ID, homelink.Confirmed)

	// The second teacher's old button, tapped anyway: told who acted.
	w.teacher2.TapsData(0, w.h.reps[0].app.Bot.ButtonData("call.decline", "", w.f.home, call.ID))
	w.teacher2.SeesAlert("王老师在 ")
	w.wantState(call.ID, homelink.Confirmed)
}

func TestBookInChineseAndTheTeacherDeclines(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.mom.Types("/book")
	w.mom.Sees("您想哪天和小明通话？")
	w.mom.Tap("11月29日 周日（12）")
	w.mom.Sees("11月29日 周日几点和小明通话？请选一个时间。")
	w.mom.Tap("15:30")
	w.mom.Tap("语音通话")
	w.mom.Sees("有什么想告诉老师的吗？")
	w.mom.Tap("跳过")
	w.mom.Sees("请核对通话信息")
	w.mom.Tap("发送预约")
	w.mom.Sees("预约已发送。")
	w.teacher.Sees("Parent: 李秀兰 (Mother)")
	w.teacher2.Sees("家长：李秀兰（妈妈）")
	w.teacher2.Tap("婉拒")
	w.mom.Sees("抱歉，儿童之家这个时间安排不了您和小明的通话。")
	seesEdited(t, w.h, w.teacher, "New call request", "李老师 declined this call on")
	w.wantState(w.only().ID, homelink.Declined)
	// [Book another time] starts /book again, in a new message.
	w.mom.Tap("另约时间")
	w.mom.Sees("您想哪天和小明通话？")
}

func TestAnotherTimeWithThreeProposals(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	w.teacher.Sees("New call request")
	w.teacher.Tap("Offer another time")
	w.teacher.Sees("Choose up to 3 other times")
	for _, slot := range []string{"Sun 29 Nov 14:15", "Sun 29 Nov 15:00", "Sun 29 Nov 16:45"} {
		w.teacher.Tap(slot)
		seesButton(t, w.h, w.teacher, "✓ "+slot)
	}
	w.teacher.Tap("Sun 29 Nov 16:30") // a fourth is refused
	w.teacher.SeesAlert("You can offer at most 3 times.")
	w.teacher.Tap("Send to the parent (3)")
	seesEdited(t, w.h, w.teacher, "New call request", "You offered other times on")
	seesEdited(t, w.h, w.teacher2, "新的通话预约", "王老师在 ")
	w.dad.Sees("these times are free")
	w.dad.Tap("Sun 29 Nov 15:00")
	w.dad.Sees("Confirmed:")
	w.teacher.Sees("The parent chose a time:")
	w.teacher2.Sees("家长选好了时间")
	c := w.wantState(w.only().ID, homelink.Confirmed)
	if !c.Start.Equal(at(2026, 11, 29, 15, 0)) {
		t.Fatalf("moved to %v", c.Start)
	}
}

// A request made less than 24 hours ahead expires 2 hours after it was
// made: the parent is told warmly, the teachers' copies say so, and the
// slot is free again.
func TestUnansweredRequestExpires(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	w.dadBooksSunday()
	w.teacher.Sees("New call request")
	w.teacher2.Sees("新的通话预约")
	id := w.only().ID
	w.h.clock.Advance(2*time.Hour + time.Minute)
	w.dad.Sees("could not answer your request for a call with 小明 in time")
	seesEdited(t, w.h, w.teacher, "New call request", "Nobody answered this request in time")
	seesEdited(t, w.h, w.teacher2, "新的通话预约", "没有人及时答复")
	w.wantState(id, homelink.Expired)
	w.dad.Tap("Book another time")
	seesButton(t, w.h, w.dad, "Sun 29 Nov (12)") // 14:00 is free again
}

// After the slot each teacher is asked Held or Missed; unmarked two hours
// later, they are asked again; a missed call tells the parent warmly.
func TestHeldOrMissedAfterTheSlot(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	w.dadBooksSunday()
	w.teacher.Tap("Confirm")
	w.dad.Sees("Confirmed:")
	id := w.only().ID
	w.h.clock.Set(sunday1400.Add(16 * time.Minute))
	w.teacher.Sees("Did this call take place?")
	w.teacher2.Sees("这次通话进行了吗？")
	w.h.clock.Advance(homelink.MarkAgainAfter)
	w.teacher.Sees("Still to record:")
	w.teacher2.Sees("还没有记录：")
	w.teacher2.Tap("没能进行")
	w.wantState(id, homelink.Missed)
	w.dad.Sees("could not take place this time")
	if !hasButton(w.dad, "Book another time") {
		t.Fatal("a missed call offers no new time")
	}
	// The other teacher's question says who answered it, with no buttons.
	if m := seesEdited(t, w.h, w.teacher, "Did this call take place?", "李老师 recorded this call as missed on"); len(m.Keyboard) != 0 {
		t.Fatalf("the answered question keeps its buttons: %v", m.Buttons())
	}
	w.teacher.Tap("Yes, it took place") // on the first question, sent before
	w.teacher.SeesAlert("李老师 recorded this call as missed on")
	w.wantState(id, homelink.Missed)
}

func TestAutoConfirmHome(t *testing.T) {
	hrs := weekendHours(1)
	hrs.AutoConfirm = true
	w := newBookingWorld(t, hrs)
	w.books(w.dad, "Sun 29 Nov (12)", "14:00", "Text chat", "")
	w.dad.Sees("Confirmed! Your call with 小明 is booked.")
	m := w.teacher.Sees("New call booked")
	if len(m.Keyboard) != 0 {
		t.Fatalf("an auto-confirmed call asks the teacher to decide: %v", m.Buttons())
	}
	w.teacher2.Sees("已自动确认")
	w.wantState(w.only().ID, homelink.Confirmed)
}

// Two teachers tap Confirm and Decline at the same moment: one decision,
// and each is told what happened.
func TestTwoTeachersDecideAtOnce(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	w.dadBooksSunday()
	w.teacher.Sees("New call request")
	w.teacher2.Sees("新的通话预约")
	done := make(chan struct{}, 2)
	go func() { w.teacher.Taps("Confirm"); done <- struct{}{} }()
	go func() { w.teacher2.Taps("婉拒"); done <- struct{}{} }()
	<-done
	<-done
	var c homelink.Booking
	ok := w.h.tg.WaitFor(5*time.Second, func() bool {
		c, _ = w.h.store().Booking(context.Background(), w.f.home, w.only().ID)
		if c.State == homelink.Confirmed {
			_, a := message(w.teacher, "You confirmed this call")
			_, b := message(w.teacher2, "王老师在 ")
			return a && b
		}
		if c.State == homelink.Declined {
			_, a := message(w.teacher2, "您在 ")
			_, b := message(w.teacher, "李老师 declined this call")
			return a && b
		}
		return false
	})
	if !ok {
		t.Fatalf("state %s; teachers see:\n%s\n%s", c.State, transcript(w.teacher.Messages()), transcript(w.teacher2.Messages()))
	}
	told := func() int { return count(w.dad, "Confirmed:") + count(w.dad, "Sorry, the Children's Home cannot host") }
	if !w.h.tg.WaitFor(5*time.Second, func() bool { return told() >= 1 }) || told() != 1 {
		t.Fatalf("the parent was told %d decisions:\n%s", told(), transcript(w.dad.Messages()))
	}
}
