package app

import (
	"context"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Reminders end to end: the fake clock is moved to each reminder's
// moment and the test reads what each person's phone shows. Before each
// moment the clock stands one second short of it and everything due by
// then is sent (settle), so a reminder that came early is caught.

// Every kind of reminder at its time, in English (dad, the first
// teacher) and Chinese (mom, the second teacher): the parent's a day
// ahead, an hour ahead and at the start (with the home's calling
// instructions), the teachers' nudge 10 minutes ahead and their 08:00
// digest of the day's calls with each parent's answer; no digest on a
// day without calls.
func TestEachReminderAtItsTimeInBothLanguages(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.confirmedCall(w.f.dad, w.f.child, sunday6Dec(14, 0), homelink.VideoCall)
	w.confirmedCall(w.f.mom, w.f.child, sunday6Dec(14, 15), homelink.VoiceCall)

	// Saturday 08:00: the home's digest of a day without calls is nothing.
	w.h.clock.Set(at(2026, 12, 5, 8, 0))
	w.h.settle()
	if n := len(withoutReports(w.teacher.Messages())) + len(withoutReports(w.teacher2.Messages())); n != 0 { // Monday's report came
		t.Fatalf("the teachers got %d messages on a day without calls:\n%s%s", n,
			transcript(w.teacher.Messages()), transcript(w.teacher2.Messages()))
	}

	// A day ahead, answerable.
	m := w.comesAt(at(2026, 12, 5, 14, 0), arrival{w.dad, "Reminder", "Reminder: your call with 小明 is tomorrow at 14:00"})[0]
	wantLines(t, m, "Time: Sun 6 Dec 14:00", "How: Video call", "Will you be there? Tap below so the teachers know.")
	wantSilent(t, m, false)
	if !m.HasButton("✅ I'll be there") || !m.HasButton("❌ I can't make it") {
		t.Fatalf("the reminder cannot be answered: %v", m.Buttons())
	}
	m = w.comesAt(at(2026, 12, 5, 14, 15), arrival{w.mom, "提醒", "提醒您：明天 14:15，和小明通话"})[0]
	wantLines(t, m, "时间：12月6日 周日 14:15", "通话方式：语音通话", "到时候您能准时参加吗？")
	if !m.HasButton("✅ 我会准时参加") || !m.HasButton("❌ 这次来不了") {
		t.Fatalf("the Chinese reminder cannot be answered: %v", m.Buttons())
	}

	// The teachers' digest at 08:00 home time on the day.
	ms := w.comesAt(at(2026, 12, 6, 8, 0), arrival{w.teacher, "today", "青溪村儿童之家 today, Sun 6 Dec: 2 calls"},
		arrival{w.teacher2, "今天", "青溪村儿童之家今天（12月6日 周日）有 2 次通话"})
	wantLines(t, ms[0], "14:00 · 小明 · Jian (Father) · Video call: no answer yet",
		"14:15 · 小明 · 李秀兰 (Mother) · Voice call: no answer yet", "Open /calls")
	wantLines(t, ms[1], "14:00 小明，Jian（爸爸），视频通话：还没回复", "14:15 小明，李秀兰（妈妈），语音通话：还没回复")

	// An hour ahead.
	m = w.comesAt(sunday6Dec(13, 0), arrival{w.dad, "starts in", "Your call with 小明 starts in 1 hour, at 14:00."})[0]
	wantSilent(t, m, false)
	w.comesAt(sunday6Dec(13, 15), arrival{w.mom, "再过", "再过 1 小时就要和小明通话了，开始时间：14:15"})

	// The teachers' nudge 10 minutes ahead.
	ms = w.comesAt(sunday6Dec(13, 50), arrival{w.teacher, "In 10 minutes", "In 10 minutes, at 14:00: a call with 小明"},
		arrival{w.teacher2, "分钟后", "小明的通话 10 分钟后开始，时间：14:00"})
	wantLines(t, ms[0], "Parent: Jian (Father)", "The parent has not answered the reminder yet.")

	// At the start, with the calling instructions.
	m = w.comesAt(sunday6Dec(14, 0), arrival{w.dad, "It is time", "It is time for your call with 小明."})[0]
	wantLines(t, m, "How to reach the Children's Home: 0851-1234")
	w.comesAt(sunday6Dec(14, 5), arrival{w.teacher, "at 14:15", "In 10 minutes, at 14:15: a call with 小明"},
		arrival{w.teacher2, "时间：14:15", "小明的通话 10 分钟后开始，时间：14:15"})
	m = w.comesAt(sunday6Dec(14, 15), arrival{w.mom, "现在", "现在可以和小明通话了。"})[0]
	wantLines(t, m, "联系儿童之家：0851-1234")

	// Each came once: the parents got three each, no more.
	w.h.settle()
	for _, p := range []*person{w.dad, w.mom} {
		if n := len(p.Messages()); n != 3 {
			t.Errorf("user %d got %d messages, want 3:\n%s", p.ID, n, transcript(p.Messages()))
		}
	}
}

// A parent answers a reminder: [I'll be there] reaches the teachers'
// digest and nudge; [I can't make it] tells the teachers at once and
// offers moving or cancelling, and a call moved from there has its
// reminders at the new time and none at the old.
func TestRemindersAnsweredAndFollowAMovedCall(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.confirmedCall(w.f.dad, w.f.child, sunday6Dec(14, 0), homelink.VideoCall)
	moved := w.confirmedCall(w.f.mom, w.f.child, sunday6Dec(14, 15), homelink.VoiceCall)

	w.h.clock.Set(at(2026, 12, 5, 14, 0))
	w.dad.Sees("Reminder: your call with 小明 is tomorrow at 14:00")
	w.dad.Tap("✅ I'll be there")
	w.dad.SeesAlert("Thank you! I've told the teachers.")
	m := seesButtonsKept(t, w.dad, "Reminder: your call with 小明", "You told the teachers you will be there.")
	wantLines(t, m, "Time: Sun 6 Dec 14:00")
	if n := len(w.teacher.Messages()); n != 0 {
		t.Fatalf("the teachers were told of a parent who will come:\n%s", transcript(w.teacher.Messages()))
	}

	w.h.clock.Set(at(2026, 12, 5, 14, 15))
	w.mom.Sees("提醒您：明天 14:15，和小明通话")
	w.mom.Tap("❌ 这次来不了")
	// The teachers hear at once, each in their language.
	m = onlyOnce(t, w.teacher, "A parent can't make the call with 小明")
	wantLines(t, m, "Parent: 李秀兰 (Mother)", "Time: Sun 6 Dec 14:15", "They may move or cancel it")
	onlyOnce(t, w.teacher2, "和小明的通话，家长这次来不了")
	// The parent is offered moving or cancelling.
	ask := w.mom.Sees("没关系。和小明的通话，您想改约时间，还是取消？")
	wantLines(t, ask, "已经告诉老师您这次来不了。")
	if !ask.HasButton("改约时间") || !ask.HasButton("取消通话") {
		t.Fatalf("the parent is not offered move or cancel: %v", ask.Buttons())
	}
	seesButtonsKept(t, w.mom, "提醒您：明天 14:15", "您已告诉老师：这次来不了。")
	// A second tap tells the teachers nothing more.
	w.mom.Tap("❌ 这次来不了")
	w.handled(w.mom)
	if n := count(w.teacher, "A parent can't make the call"); n != 1 {
		t.Fatalf("the teachers were told %d times", n)
	}

	// The digest shows both answers.
	w.h.clock.Set(at(2026, 12, 6, 8, 0))
	m = w.teacher.Sees("青溪村儿童之家 today, Sun 6 Dec: 2 calls")
	wantLines(t, m, "14:00 · 小明 · Jian (Father) · Video call: ✅ will be there",
		"14:15 · 小明 · 李秀兰 (Mother) · Voice call: ❌ can't make it")
	m = w.teacher2.Sees("青溪村儿童之家今天（12月6日 周日）有 2 次通话")
	wantLines(t, m, "14:00 小明，Jian（爸爸），视频通话：✅ 会准时参加", "14:15 小明，李秀兰（妈妈），语音通话：❌ 来不了")

	// Mom moves her call to 16:00 from the buttons she was offered.
	w.h.clock.Set(at(2026, 12, 6, 9, 0))
	w.mom.Tap("改约时间")
	w.handled(w.mom)
	tapStarting(t, w.mom, "12月6日 周日")
	w.mom.Tap("16:00")
	w.mom.Sees("改约成功。")
	if c := w.wantState(moved.ID, homelink.Confirmed); !c.Start.Equal(sunday6Dec(16, 0)) {
		t.Fatalf("moved to %v", c.Start)
	}
	w.teacher.Sees("A parent moved a call")
	teacherBefore, momBefore := len(w.teacher.Messages()), len(w.mom.Messages())

	// Dad's nudge carries his answer.
	w.h.clock.Set(sunday6Dec(13, 50))
	m = w.teacher.Sees("In 10 minutes, at 14:00: a call with 小明")
	wantLines(t, m, "The parent said they will be there.")
	w.teacher2.Sees("家长说会准时参加。")

	// The old times of mom's call bring nothing.
	for _, old := range []time.Time{sunday6Dec(13, 15), sunday6Dec(14, 5), sunday6Dec(14, 15)} {
		w.h.clock.Set(old)
		w.h.settle()
	}
	if n := len(w.mom.Messages()); n != momBefore {
		t.Fatalf("mom was reminded at her call's old time:\n%s", transcript(w.mom.Messages()[momBefore:]))
	}
	if n := count(w.teacher, "In 10 minutes, at 14:15"); n != 0 {
		t.Fatalf("the teachers were nudged at the old time:\n%s", transcript(w.teacher.Messages()[teacherBefore:]))
	}
	// The new ones come, and the answer was cleared by the move.
	m = w.comesAt(sunday6Dec(15, 0), arrival{w.mom, "再过", "再过 1 小时就要和小明通话了，开始时间：16:00"})[0]
	wantLines(t, m, "时间：12月6日 周日 16:00", "到时候您能准时参加吗？")
	ms := w.comesAt(sunday6Dec(15, 50), arrival{w.teacher, "at 16:00", "In 10 minutes, at 16:00: a call with 小明"},
		arrival{w.teacher2, "时间：16:00", "小明的通话 10 分钟后开始，时间：16:00"})
	wantLines(t, ms[0], "The parent has not answered the reminder yet.")
	w.comesAt(sunday6Dec(16, 0), arrival{w.mom, "现在", "现在可以和小明通话了。"})
}

// A call cancelled one second before its reminder is not announced, nor
// at any later reminder's time.
func TestCallCancelledASecondBeforeItsReminder(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	c := w.confirmedCall(w.f.dad, w.f.child, sunday6Dec(14, 0), homelink.VideoCall)
	w.h.clock.Set(at(2026, 12, 5, 14, 0))
	w.dad.Sees("Reminder: your call with 小明 is tomorrow at 14:00")
	w.justBefore(sunday6Dec(13, 0))
	w.dad.Types("/calls")
	w.dad.Tap("Sun 6 Dec 14:00 小明")
	w.dad.Tap("Cancel call")
	w.dad.Tap("Cancel without a reason")
	w.dad.Sees("The call with 小明 is cancelled.")
	w.wantState(c.ID, homelink.Cancelled)
	w.teacher.Sees("A parent cancelled a call")
	parent, teacher := len(w.dad.Messages()), len(w.teacher.Messages())
	for _, moment := range []time.Time{sunday6Dec(13, 0), sunday6Dec(13, 50), sunday6Dec(14, 0), sunday6Dec(14, 15)} {
		w.h.clock.Set(moment)
		w.h.settle()
	}
	if ms := w.dad.Messages(); len(ms) != parent {
		t.Fatalf("the cancelled call was announced:\n%s", transcript(ms[parent:]))
	}
	if ms := w.teacher.Messages(); len(ms) != teacher {
		t.Fatalf("the teachers were nudged about a cancelled call:\n%s", transcript(ms[teacher:]))
	}
	if n := w.h.reminders("call.remind.soon", "sent") + w.h.reminders("call.remind.start", "sent") +
		w.h.reminders("call.remind.nudge", "sent"); n != 0 {
		t.Fatalf("%d reminders of the cancelled call counted as sent", n)
	}
}

// Quiet hours: a teacher in Berlin, where the home's 08:00 is 01:00 in
// their default quiet hours (22:00–07:00), gets the digest at 07:00
// their time and not before, their nudge silently; a night-shift parent
// asleep 08:00–16:00 gets the reminder a day ahead at 16:00, and the
// hour-ahead and start reminders inside those hours silently.
func TestQuietHoursHoldTheDigestAndANightShiftParentsReminders(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	ctx, st := context.Background(), w.h.store()
	if err := st.SetTimeZone(ctx, w.f.teacher, "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetQuietHours(ctx, w.f.mom, &homelink.QuietHours{Start: 8 * 60, End: 16 * 60}); err != nil {
		t.Fatal(err)
	}
	w.confirmedCall(w.f.dad, w.f.child, sunday6Dec(14, 0), homelink.VideoCall)
	w.confirmedCall(w.f.mom, w.f.child, sunday6Dec(14, 15), homelink.VoiceCall)

	// Mom's reminder a day ahead, due at 14:15, waits for 16:00.
	w.h.clock.Set(at(2026, 12, 5, 14, 15))
	w.h.settle()
	notYet(t, w.mom, "提醒")
	m := w.comesAt(at(2026, 12, 5, 16, 0), arrival{w.mom, "提醒", "提醒您：明天 14:15，和小明通话"})[0]
	wantSilent(t, m, false)

	// The digest: the teacher in Shanghai at 08:00, the one in Berlin at
	// 07:00 Berlin time (14:00 at the home), in their own time.
	w.h.clock.Set(at(2026, 12, 6, 8, 0))
	w.teacher2.Sees("青溪村儿童之家今天（12月6日 周日）有 2 次通话")
	w.h.settle()
	notYet(t, w.teacher, "today")
	berlin7 := time.Date(2026, 12, 6, 7, 0, 0, 0, mustZone(t, "Europe/Berlin"))
	if !berlin7.Equal(sunday6Dec(14, 0)) {
		t.Fatalf("07:00 in Berlin is %v at the home", berlin7.In(sunday6Dec(0, 0).Location()))
	}

	// Mom's hour-ahead reminder falls in her quiet hours: it comes, silently.
	w.h.clock.Set(sunday6Dec(13, 0))
	wantSilent(t, onlyOnce(t, w.dad, "starts in 1 hour"), false)
	w.h.clock.Set(sunday6Dec(13, 15))
	wantSilent(t, onlyOnce(t, w.mom, "再过 1 小时就要和小明通话了"), true)
	// The Berlin teacher's nudge at 06:50 their time: silently, as their
	// quiet hours end before the call does.
	w.h.clock.Set(sunday6Dec(13, 50))
	wantSilent(t, onlyOnce(t, w.teacher, "In 10 minutes, at 07:00: a call with 小明"), true)
	wantSilent(t, onlyOnce(t, w.teacher2, "小明的通话 10 分钟后开始，时间：14:00"), false)
	m = w.comesAt(berlin7, arrival{w.teacher, "today", "青溪村儿童之家 today, Sun 6 Dec: 2 calls"})[0]
	wantLines(t, m, "07:00 · 小明 · Jian (Father) · Video call", "07:15 · 小明 · 李秀兰 (Mother) · Voice call")
	w.h.clock.Set(sunday6Dec(14, 15))
	m = onlyOnce(t, w.mom, "现在可以和小明通话了。")
	wantSilent(t, m, true)
}

// A parent in Berlin across both changes of the clocks in 2027: each
// reminder comes at the right instant (24 hours, one hour, zero before
// the call, however Berlin's clocks moved meanwhile) and says the call's
// time as Berlin reads it then, the home's beside it.
func TestParentInBerlinAcrossBothDaylightSavingChanges(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	if err := w.h.store().SetTimeZone(context.Background(), w.f.dad, "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	utc := func(m time.Month, d, hh int) time.Time { return time.Date(2027, m, d, hh, 0, 0, 0, time.UTC) }

	// Summer time begins on Sunday 28 March at 01:00 UTC. The call is at
	// 16:00 at the home, 08:00 UTC: 10:00 in Berlin on the day, while the
	// day before, at 08:00 UTC, Berlin's clocks say 09:00.
	w.h.clock.Set(utc(3, 20, 9))
	w.confirmedCall(w.f.dad, w.f.child, at(2027, 3, 28, 16, 0), homelink.VideoCall)
	m := w.comesAt(utc(3, 27, 8), arrival{w.dad, "Reminder", "Reminder: your call with 小明 is tomorrow at 10:00"})[0]
	wantLines(t, m, "Time: Sun 28 Mar 10:00 (home time 16:00)")
	w.comesAt(utc(3, 28, 7), arrival{w.dad, "starts in", "Your call with 小明 starts in 1 hour, at 10:00."})
	m = w.comesAt(utc(3, 28, 8), arrival{w.dad, "It is time", "It is time for your call with 小明."})[0]
	wantLines(t, m, "Time: Sun 28 Mar 10:00 (home time 16:00)")

	// Summer time ends on Sunday 31 October at 01:00 UTC. The call is at
	// 15:00 at the home, 07:00 UTC: 08:00 in Berlin on the day, while the
	// day before, at 07:00 UTC, Berlin's clocks say 09:00.
	w.h.clock.Set(utc(10, 23, 9))
	w.confirmedCall(w.f.dad, w.f.child, at(2027, 10, 31, 15, 0), homelink.VoiceCall)
	m = w.comesAt(utc(10, 30, 7), arrival{w.dad, "Sun 31 Oct", "Reminder: your call with 小明 is tomorrow at 08:00"})[0]
	wantLines(t, m, "Time: Sun 31 Oct 08:00 (home time 15:00)")
	m = w.comesAt(utc(10, 31, 6), arrival{w.dad, "at 08:00.", "Your call with 小明 starts in 1 hour, at 08:00."})[0]
	wantSilent(t, m, false) // 07:00 in Berlin: their quiet hours just ended
	w.justBefore(utc(10, 31, 7))
	seesTimes(t, w.dad, "It is time for your call with 小明.", 1) // March's
	w.h.clock.Set(utc(10, 31, 7))
	seesTimes(t, w.dad, "It is time for your call with 小明.", 2)
	wantLines(t, w.dad.Last(), "It is time for your call with 小明.", "Time: Sun 31 Oct 08:00 (home time 15:00)")
}
