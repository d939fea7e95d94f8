package app

import (
	"context"
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// confirmedCall books 小明's call at start for guardian g, in the home's
// weekend hours, and has the teacher confirm it: its reminders are then
// in the agenda.
func confirmedCall(t *testing.T, h *harness, f fixture, g int64, start time.Time) homelink.Booking {
	t.Helper()
	ctx := context.Background()
	st := h.store()
	if err := st.SetHours(ctx, homelink.By{User: f.teacher}, f.home, weekendHours(2)); err != nil {
		t.Fatal(err)
	}
	c, err := st.Book(ctx, homelink.By{User: g}, homelink.BookingRequest{HomeID: f.home, ChildID: f.child,
		Start: start, Kind: homelink.VideoCall})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = st.Decide(ctx, homelink.By{User: f.teacher}, f.home, c.ID, homelink.Confirmed); err != nil {
		t.Fatal(err)
	}
	return c
}

// agendaOf is what the agenda holds for call c: each item's kind and when
// it is due.
func (h *harness) agendaOf(c homelink.Booking) map[string]time.Time {
	h.t.Helper()
	zs, err := h.rdb.ZRangeWithScores(context.Background(), h.prefix+"{agenda}:due", 0, -1).Result()
	if err != nil {
		h.t.Fatal(err)
	}
	key := i64(c.HomeID) + "." + i64(c.ID)
	out := map[string]time.Time{}
	for _, z := range zs {
		if kind, k, _ := strings.Cut(z.Member.(string), "\x1f"); k == key {
			out[kind] = time.UnixMilli(int64(z.Score))
		}
	}
	return out
}

// wantReminder fails unless the agenda holds call c's reminder kind due at
// due, or, with due zero, holds none.
func (h *harness) wantReminder(c homelink.Booking, kind string, due time.Time) {
	h.t.Helper()
	got, ok := h.agendaOf(c)[kind]
	switch {
	case due.IsZero() && ok:
		h.t.Fatalf("call %d still has its %s, due %v", c.ID, kind, got)
	case !due.IsZero() && (!ok || !got.Equal(due)):
		h.t.Fatalf("call %d: %s due %v (held %v), want %v; agenda %v", c.ID, kind, got, ok, due, h.agendaOf(c))
	}
}

// userHash is everything stored in a person's user hash.
func (h *harness) userHash(id int64) map[string]string {
	h.t.Helper()
	m, err := h.rdb.HGetAll(context.Background(), h.prefix+"{u"+strconv.FormatInt(id, 10)+"}:user").Result()
	if err != nil || len(m) == 0 {
		h.t.Fatalf("user %d: %v %v", id, m, err)
	}
	return m
}

func (h *harness) wantQuiet(id int64, want *homelink.QuietHours) {
	h.t.Helper()
	got := h.userOf(id).Quiet
	if (got == nil) != (want == nil) || got != nil && *got != *want {
		h.t.Fatalf("user %d's quiet hours %+v, want %+v", id, got, want)
	}
}

// A father sets his quiet hours by a preset, types a night-shift day,
// switches them off and on again; hours he types wrong are refused and
// change nothing.
func TestQuietHoursInSettings(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	dad := h.person(f.dad, "Jian", "en")

	dad.Types("/settings")
	dad.Sees("Quiet hours: 22:00–07:00 (your time)")
	dad.Tap("Set quiet hours")
	dad.SeesLast("Now: 22:00–07:00 every day, in your time.")
	dad.SeesLast("still come, but silently")
	dad.Tap("23:00–06:00")
	dad.SeesLast("Done: quiet hours are 23:00–06:00, your time.")
	dad.SeesLast("Now: 23:00–06:00 every day")
	h.wantQuiet(f.dad, &homelink.QuietHours{Start: 23 * 60, End: 6 * 60})

	dad.Tap("Type other hours")
	dad.SeesLast("From when to when should I keep quiet?")
	dad.isAt("settings.quiet/quiet")
	before := h.userHash(f.dad)
	for _, c := range []struct{ text, why string }{
		{"25:00-07:00", "that is not a time of day"},
		{"22:00-22:00", "they start when they end"},
		{"8-4", "more than 16 quiet hours would hold back nearly everything"},
		{"Sat 22-7", "I could not read it"},
	} {
		n := len(dad.Messages())
		dad.Types(c.text)
		dad.SeesNew(n, c.why)
		dad.SeesLast("Nothing was changed.")
		dad.SeesLast("For example: 22:00-07:00")
		dad.isAt("settings.quiet/quiet")
	}
	if after := h.userHash(f.dad); !maps.Equal(before, after) {
		t.Fatalf("refused quiet hours changed the user: %v, then %v", before, after)
	}
	dad.Types("8:00-16:00")
	dad.SeesLast("Done: quiet hours are 08:00–16:00, your time.")
	h.wantQuiet(f.dad, &homelink.QuietHours{Start: 8 * 60, End: 16 * 60})
	dad.isAt("menu/")

	dad.Tap("Turn quiet hours off")
	dad.SeesLast("Done: quiet hours are off.")
	dad.SeesLast("Now: off.")
	h.wantQuiet(f.dad, &homelink.QuietOff)
	dad.Tap("« Back")
	dad.SeesLast("Quiet hours: off")
	dad.Tap("Set quiet hours")
	dad.Tap("Turn quiet hours on")
	dad.SeesLast("Done: quiet hours are 22:00–07:00, your time.")
	h.wantQuiet(f.dad, nil) // the default
	dad.Tap("Day 08:00–16:00")
	dad.SeesLast("Now: 08:00–16:00 every day")
	h.wantQuiet(f.dad, &homelink.QuietHours{Start: 8 * 60, End: 16 * 60})
	dad.Tap("Type other hours")
	dad.Types("off")
	dad.SeesLast("Done: quiet hours are off.")
	h.wantQuiet(f.dad, &homelink.QuietOff)

	// What he chose is in what /mydata sends him.
	dad.Types("/mydata")
	if !h.tg.WaitFor(5*time.Second, func() bool { return dad.Last().Kind == "document" }) {
		t.Fatalf("no document; dad sees:\n%s", transcript(dad.Messages()))
	}
	var data struct {
		Account struct {
			Quiet string `json:"quiet_hours"`
		} `json:"account"`
	}
	if err := json.Unmarshal(dad.Last().File, &data); err != nil || data.Account.Quiet != "off" {
		t.Fatalf("/mydata: %s (%v)", dad.Last().File, err)
	}
}

// A mother types her quiet hours in Chinese and switches them off and on;
// a teacher has quiet hours too, but no reminder the day before to stop.
func TestQuietHoursInChinese(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	mom := h.person(f.mom, "秀兰", "zh-hans")
	teacher := h.person(f.teacher, "Ms Wang", "en")

	mom.Types("/settings")
	mom.Sees("免打扰时间：22:00–07:00（您当地时间）")
	mom.Tap("设置免打扰时间")
	mom.SeesLast("上夜班的话，可以把免打扰设在白天")
	mom.Tap("输入其他时间")
	mom.SeesLast("晚上10点到早上7点")
	mom.Types("晚上十一点")
	mom.SeesLast("我没看懂这一行。这次什么都没有保存")
	h.wantQuiet(f.mom, nil)
	mom.Types("晚上11点到第二天早上6点")
	mom.SeesLast("好的，免打扰时间改为每天 23:00–06:00（您当地时间）。")
	h.wantQuiet(f.mom, &homelink.QuietHours{Start: 23 * 60, End: 6 * 60})
	mom.Tap("输入其他时间")
	mom.Types("８：００－１６：００")
	mom.SeesLast("现在：每天 08:00–16:00（您当地时间）。")
	h.wantQuiet(f.mom, &homelink.QuietHours{Start: 8 * 60, End: 16 * 60})
	mom.Tap("关闭免打扰")
	mom.SeesLast("好的，已关闭免打扰，通知随时都会发给您。")
	h.wantQuiet(f.mom, &homelink.QuietOff)
	mom.Tap("开启免打扰")
	mom.SeesLast("好的，免打扰时间改为每天 22:00–07:00（您当地时间）。")
	h.wantQuiet(f.mom, nil)
	mom.Tap("« 返回")
	mom.SeesLast("通话前一天的提醒：已开启")

	teacher.Types("/settings")
	teacher.Sees("Quiet hours: 22:00–07:00 (your time)")
	if m := teacher.Last(); m.HasButton("Stop day-before reminders") || !m.HasButton("Set quiet hours") ||
		strings.Contains(m.Text, "day before") {
		t.Fatalf("a teacher's settings: %q %q", m.Text, m.Buttons())
	}
}

// A father stops the reminder the day before his calls: his confirmed
// call loses it at once, and gains it back when he wants it again; the
// reminders shortly before and at the start stay.
func TestDayBeforeReminderSwitch(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	call := confirmedCall(t, h, f, f.dad, at(2026, 12, 6, 14, 0))
	dayBefore, hourBefore := call.Start.Add(-24*time.Hour), call.Start.Add(-time.Hour)
	h.wantReminder(call, "call.remind.day", dayBefore)
	dad := h.person(f.dad, "Jian", "en")
	mom := h.person(f.mom, "秀兰", "zh-hans")

	dad.Types("/settings")
	dad.Sees("Reminder the day before a call: on")
	dad.Tap("Stop day-before reminders")
	dad.SeesLast("Done: no more reminders the day before your calls.")
	dad.SeesLast("Reminder the day before a call: off")
	if !h.userOf(f.dad).DayAheadOff {
		t.Fatal("the day before is still on")
	}
	h.wantReminder(call, "call.remind.day", time.Time{})
	h.wantReminder(call, "call.remind.soon", hourBefore)
	h.wantReminder(call, "call.remind.start", call.Start)

	dad.Tap("Get day-before reminders")
	dad.SeesLast("Done: I will remind you the day before each call.")
	dad.SeesLast("Reminder the day before a call: on")
	if h.userOf(f.dad).DayAheadOff {
		t.Fatal("the day before is still off")
	}
	h.wantReminder(call, "call.remind.day", dayBefore)

	// The mother's choice is hers: the father's call keeps its reminder.
	mom.Types("/settings")
	mom.Sees("通话前一天的提醒：已开启")
	mom.Tap("关闭前一天的提醒")
	mom.SeesLast("好的，以后通话前一天不再提醒您。")
	mom.SeesLast("通话前一天的提醒：已关闭")
	h.wantReminder(call, "call.remind.day", dayBefore)
	mom.Tap("开启前一天的提醒")
	mom.SeesLast("通话前一天的提醒：已开启")
}
