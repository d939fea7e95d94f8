package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// A teacher who opens [Offer another time] on two requests, and opens
// /calls between, still picks for each on its own message: the picks live
// on the picker's buttons, not in the teacher's session.
func TestProposalPickersOfTwoRequestsStayApart(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	w.teacher.Sees("New call request")
	w.teacher.Tap("Offer another time")
	w.teacher.Sees("Choose up to 3 other times")
	w.mom.Types("/book")
	for _, label := range []string{"11月29日 周日（11）", "16:00", "语音通话", "跳过", "发送预约"} {
		w.mom.Tap(label)
	}
	w.mom.Sees("预约已发送")
	w.teacher.Sees("Time: Sun 29 Nov 16:00")
	w.teacher.Tap("Offer another time") // the newest request: mom's
	w.teacher.Types("/calls")
	w.teacher.Sees("Calls at")

	dads := w.pickerOf("Jian")
	w.tapOn(dads, "Sun 29 Nov 15:00")
	w.h.tg.WaitFor(5*time.Second, func() bool { _, ok := w.find(dads.ID).Button("✓ Sun 29 Nov 15:00"); return ok })
	w.tapOn(w.find(dads.ID), "Send to the parent (1)")
	w.dad.Sees("these times are free")
	w.dad.Tap("Sun 29 Nov 15:00")
	w.dad.Sees("Confirmed:")

	moms := w.pickerOf("秀兰")
	if !strings.Contains(moms.Text, "16:00") {
		t.Fatalf("mom's picker shows another call:\n%s", moms.Text)
	}
	for _, m := range w.mom.Messages() {
		if strings.Contains(m.Text, "15:00") {
			t.Fatalf("mom was offered dad's times:\n%s", transcript(w.mom.Messages()))
		}
	}
	for _, c := range w.all() {
		if c.Guardian == w.f.mom && c.State != homelink.Requested {
			t.Fatalf("mom's request changed: %+v", c)
		}
	}
}

// all are the home's calls.
func (w *bookingWorld) all() []homelink.Booking {
	w.t.Helper()
	calls, err := w.h.store().HomeCalls(context.Background(), w.f.home, at(2026, 1, 1, 0, 0), at(2028, 1, 1, 0, 0))
	if err != nil {
		w.t.Fatal(err)
	}
	return calls
}

// pickerOf is the teacher's request card about guardian name that shows
// the proposal picker.
func (w *bookingWorld) pickerOf(name string) emulator.Message {
	w.t.Helper()
	for _, m := range w.teacher.Messages() {
		if strings.Contains(m.Text, name) && strings.Contains(m.Text, "Choose up to 3 other times") {
			return m
		}
	}
	w.t.Fatalf("no picker for %s:\n%s", name, transcript(w.teacher.Messages()))
	return emulator.Message{}
}

func (w *bookingWorld) find(id int) emulator.Message {
	for _, m := range w.teacher.Messages() {
		if m.ID == id {
			return m
		}
	}
	return emulator.Message{}
}

// tapOn has the teacher tap label on message m itself.
func (w *bookingWorld) tapOn(m emulator.Message, label string) {
	w.t.Helper()
	b, ok := m.Button(label)
	if !ok {
		w.t.Fatalf("message %d has no button %q: %v", m.ID, label, m.Buttons())
	}
	w.teacher.TapsData(m.ID, b.CallbackData)
}
