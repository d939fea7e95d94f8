package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// tapInRow taps the button label in the row of choices under the label
// button row, on p's last message (several rows offer "Off").
func (p *person) tapInRow(row, label string) {
	p.h.t.Helper()
	m := p.Last()
	for i := 0; i+1 < len(m.Keyboard); i++ {
		if len(m.Keyboard[i]) != 1 || m.Keyboard[i][0].Text != row {
			continue
		}
		// The choices stand in the rows up to the next heading (headings
		// all show the same view again: the same data).
		heading := m.Keyboard[i][0].CallbackData
		for _, r := range m.Keyboard[i+1:] {
			if r[0].CallbackData == heading {
				break
			}
			for _, b := range r {
				if b.Text == label {
					p.TapsData(m.ID, b.CallbackData)
					return
				}
			}
		}
	}
	p.h.t.Fatalf("no %q under %q: %q", label, row, m.Buttons())
}

// A teacher changes the home's reminders with buttons, and the reminders
// of a call already confirmed move with them; the coordinator does in
// Chinese; a parent cannot open them.
func TestHoursReminders(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	call := confirmedCall(t, h, f, f.mom, at(2026, 12, 6, 14, 0))
	teacher := h.person(f.teacher, "Ms Wang", "en")
	coord := h.person(f.coord, "周主任", "zh-hans")
	mom := h.person(f.mom, "秀兰", "zh-hans")

	teacher.Types("/hours")
	teacher.Sees("Reminders: parents 24 h and 1 h before and at the start; teachers 10 min before")
	teacher.Tap("Change reminders")
	teacher.SeesLast("Call reminders for 青溪村儿童之家")
	if m := teacher.Last(); !m.HasButton("✓ 24 h") || !m.HasButton("✓ 1 h") || !m.HasButton("✓ 10 min") ||
		!m.HasButton("48 h") || !m.HasButton("30 min") || m.HasButton("✓ 48 h") {
		t.Fatalf("reminder choices %q", m.Buttons())
	}
	teacher.Tap("12 h")
	teacher.SeesLast("Saved. The change also applies to calls already confirmed.")
	teacher.SeesLast("Now: parents 12 h and 1 h before and at the start; teachers 10 min before")
	want := homelink.Reminders{DayAhead: 12 * time.Hour, Soon: time.Hour, Nudge: 10 * time.Minute}
	if got := h.hoursOf(f.home).Reminders; got == nil || *got != want {
		t.Fatalf("reminders %+v, want %+v", got, want)
	}
	h.wantReminder(call, "call.remind.day", call.Start.Add(-12*time.Hour))
	if !teacher.Last().HasButton("✓ 12 h") {
		t.Fatalf("the choice is not marked: %q", teacher.Last().Buttons())
	}

	teacher.tapInRow("Teachers, before a call:", "5 min")
	teacher.SeesLast("teachers 5 min before")
	h.wantReminder(call, "call.remind.nudge", call.Start.Add(-5*time.Minute))
	teacher.tapInRow("Parents, shortly before:", "Off")
	teacher.SeesLast("Now: parents 12 h before and at the start; teachers 5 min before")
	h.wantReminder(call, "call.remind.soon", time.Time{})
	teacher.tapInRow("Parents, the day before:", "Off")
	teacher.SeesLast("Now: parents at the start only; teachers 5 min before")
	h.wantReminder(call, "call.remind.day", time.Time{})
	h.wantReminder(call, "call.remind.start", call.Start)
	teacher.tapInRow("Teachers, before a call:", "Off")
	teacher.SeesLast("Now: parents at the start only; teachers' nudge off")
	h.wantReminder(call, "call.remind.nudge", time.Time{})
	// Tapping the choice already made changes nothing.
	version := h.hoursOf(f.home).Version
	teacher.tapInRow("Teachers, before a call:", "✓ Off")
	teacher.settled(len(teacher.Messages()))
	if v := h.hoursOf(f.home).Version; v != version {
		t.Fatalf("the same choice saved the hours again: version %d, then %d", version, v)
	}
	teacher.Tap("« Back")
	teacher.SeesLast("Call hours of 青溪村儿童之家")
	teacher.SeesLast("Reminders: parents at the start only; teachers' nudge off")

	coord.Types("/hours")
	coord.Sees("提醒：家长只在通话开始时；老师的提醒已关闭")
	coord.Tap("修改提醒时间")
	coord.SeesLast("青溪村儿童之家的通话提醒")
	coord.Tap("2 小时")
	coord.SeesLast("已保存。")
	coord.SeesLast("现在：家长在通话前 2 小时和开始时；老师的提醒已关闭")
	coord.tapInRow("老师：通话前的提醒", "15 分钟")
	coord.tapInRow("家长：前一天的提醒", "24 小时")
	coord.SeesLast("现在：家长在通话前 24 小时、2 小时和开始时；老师在通话前 15 分钟")
	h.wantReminder(call, "call.remind.day", call.Start.Add(-24*time.Hour))
	h.wantReminder(call, "call.remind.soon", call.Start.Add(-2*time.Hour))
	h.wantReminder(call, "call.remind.nudge", call.Start.Add(-15*time.Minute))

	// A parent is refused, and nothing changes.
	mom.Types("/settings")
	mom.Sees("您的设置")
	s, err := h.store().Session(context.Background(), f.mom)
	if err != nil {
		t.Fatal(err)
	}
	before := h.hoursOf(f.home)
	b := h.reps[0].app.Bot
	mom.TapsData(0, b.ButtonData("hours.reminders", s.Nonce, f.home))
	mom.SeesAlert("您不能使用这个功能")
	mom.TapsData(0, b.ButtonData("hours.reminders.set", s.Nonce, f.home, 3))
	h.tg.WaitFor(5*time.Second, func() bool { return len(mom.Alerts()) == 2 })
	if a := mom.Alerts(); len(a) != 2 || !strings.Contains(a[1], "您不能使用这个功能") {
		t.Fatalf("the parent's taps were answered %q", a)
	}
	if after := h.hoursOf(f.home); after.Version != before.Version || *after.Reminders != *before.Reminders {
		t.Fatalf("a parent changed the reminders: %+v, then %+v", before.Reminders, after.Reminders)
	}
}
