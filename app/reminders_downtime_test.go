package app

import (
	"strings"
	"testing"

	"github.com/homelink/homelink"
)

// Reminders after homelink was down over their time: what is still
// useful comes, marked late; the rest is dropped and counted.

// Three hours down: back at 16:25 (down since 13:25), the calls of 14:00
// and 15:00 are over and their reminders are dropped; the 16:15 call has
// begun, so its hour-ahead reminder is overtaken and dropped while its
// start reminder and nudge come late, saying so; the 16:45 call's
// hour-ahead reminder comes late, and its nudge and start on time. Each
// dropped one is counted.
func TestThreeHoursDownSendsWhatIsStillUseful(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	grandma := w.h.person(w.f.otherParent, "Grandma", "en")
	w.h.clock.Set(at(2026, 12, 5, 18, 0)) // less than a day ahead: no reminders a day ahead
	w.confirmedCall(w.f.dad, w.f.child, sunday6Dec(14, 0), homelink.VideoCall)
	w.confirmedCall(w.f.mom, w.f.child, sunday6Dec(15, 0), homelink.VoiceCall)
	w.confirmedCall(w.f.dad, w.f.child, sunday6Dec(16, 15), homelink.VideoCall)
	w.confirmedCall(w.f.otherParent, w.f.sibling, sunday6Dec(16, 45), homelink.TextChat)
	w.h.clock.Set(sunday6Dec(13, 0))
	w.dad.Sees("Your call with 小明 starts in 1 hour, at 14:00.")
	w.h.settle()
	teacher, teacher2 := len(w.teacher.Messages()), len(w.teacher2.Messages()) // the morning's digest

	w.h.clock.Set(sunday6Dec(13, 25))
	w.h.settle()
	w.h.down(w.h.reps[0])
	w.h.clock.Set(sunday6Dec(16, 25))
	w.h.addReplica(webhook)
	w.h.settle()

	m := onlyOnce(t, w.dad, "Your call with 小明 began at 16:15. There is still time until 16:30.")
	wantLines(t, m, "How to reach the Children's Home: 0851-1234", "Sorry, this reminder is late: homelink was down for a while.")
	m = onlyOnce(t, grandma, "Your call with Lili starts in 20 minutes, at 16:45.")
	wantLines(t, m, "this reminder is late")
	m = onlyOnce(t, w.teacher, "The call with 小明 began at 16:15")
	wantLines(t, m, "this reminder is late")
	m = onlyOnce(t, w.teacher2, "小明的通话已经开始")
	wantLines(t, m, "这条提醒晚到了")
	// Nothing of the calls that ended meanwhile, nor the overtaken reminder.
	if n := len(w.mom.Messages()); n != 0 {
		t.Errorf("mom was reminded of a call that is over:\n%s", transcript(w.mom.Messages()))
	}
	if n := count(w.dad, "starts in"); n != 1 {
		t.Errorf("dad got %d hour-ahead reminders, want only the one before the downtime:\n%s", n, transcript(w.dad.Messages()))
	}
	if n := count(w.dad, "It is time for your call") + count(w.dad, "began at 14:00"); n != 0 {
		t.Errorf("dad was told a call that is over is starting:\n%s", transcript(w.dad.Messages()))
	}
	for kind, want := range map[string]int{"call.remind.soon": 1, "call.remind.nudge": 2, "call.remind.start": 2} {
		if got := w.h.reminders(kind, "dropped_ended"); got != want {
			t.Errorf("%s dropped as ended: %d, want %d", kind, got, want)
		}
	}
	if got := w.h.reminders("call.remind.soon", "dropped_superseded"); got != 1 {
		t.Errorf("hour-ahead reminders dropped as overtaken: %d, want 1", got)
	}
	for kind, want := range map[string]int{"call.remind.soon": 1, "call.remind.nudge": 2, "call.remind.start": 1} {
		if got := w.h.reminders(kind, "late"); got != want {
			t.Errorf("%s sent late: %d, want %d", kind, got, want)
		}
	}
	// Since the downtime the teachers have had no nudge about the calls
	// that ended, nor one counting down to a call already begun.
	if ms := w.teacher.Messages()[teacher:]; strings.Contains(transcript(ms), "In 10 minutes") {
		t.Errorf("the teacher was nudged about a call that is over or begun:\n%s", transcript(ms))
	}
	if ms := w.teacher2.Messages()[teacher2:]; strings.Contains(transcript(ms), "分钟后") {
		t.Errorf("the teacher was nudged about a call that is over or begun:\n%s", transcript(ms))
	}

	// After it, on time again: no late line.
	w.h.clock.Set(sunday6Dec(16, 35))
	m = onlyOnce(t, w.teacher, "In 10 minutes, at 16:45: a call with Lili")
	if strings.Contains(m.Text, "is late") {
		t.Errorf("a nudge on time says it is late:\n%s", m.Text)
	}
	w.h.clock.Set(sunday6Dec(16, 45))
	m = onlyOnce(t, grandma, "It is time for your call with Lili.")
	if strings.Contains(m.Text, "is late") {
		t.Errorf("a reminder on time says it is late:\n%s", m.Text)
	}
}

// Down for more than a day, from Saturday 07:30: back at 13:20 on
// Sunday, the call's day, the reminder a day ahead (due Saturday 14:00)
// is overtaken by the hour-ahead one (due 13:00) and dropped, counted;
// the hour-ahead one comes late, and so does the teachers' digest of the
// day (Saturday's, of a day without calls and over, is not what they
// need), each saying so.
func TestADayDownDropsTheReminderADayAheadForTheHourAheadOne(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.confirmedCall(w.f.dad, w.f.child, sunday6Dec(14, 0), homelink.VideoCall)
	w.h.clock.Set(at(2026, 12, 5, 7, 30))
	w.h.settle()
	w.h.down(w.h.reps[0])
	w.h.clock.Set(sunday6Dec(13, 20))
	w.h.addReplica(webhook)
	w.h.settle()

	m := onlyOnce(t, w.dad, "Your call with 小明 starts in 40 minutes, at 14:00.")
	wantLines(t, m, "this reminder is late")
	if n := count(w.dad, "Reminder: your call"); n != 0 {
		t.Fatalf("the overtaken reminder a day ahead came:\n%s", transcript(w.dad.Messages()))
	}
	if got := w.h.reminders("call.remind.day", "dropped_superseded"); got != 1 {
		t.Errorf("reminders a day ahead dropped as overtaken: %d, want 1", got)
	}
	m = onlyOnce(t, w.teacher, "青溪村儿童之家 today, Sun 6 Dec: 1 call")
	wantLines(t, m, "14:00 · 小明 · Jian (Father) · Video call: no answer yet", "this reminder is late")
	m = onlyOnce(t, w.teacher2, "青溪村儿童之家今天（12月6日 周日）有 1 次通话")
	wantLines(t, m, "这条提醒晚到了")
}
