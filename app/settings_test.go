package app

import (
	"context"
	"strings"
	"testing"

	"github.com/homelink/homelink"
)

// userOf reads a person as the bot would.
func (h *harness) userOf(id int64) homelink.User {
	h.t.Helper()
	u, err := h.store().User(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// A father working in Madrid sets his time zone by button and by typing,
// then back to his home's; he sets his shifts by preset and as a typed
// rotation, and clears them. Nonsense changes nothing.
func TestSettingsTimeZoneAndShifts(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	dad := h.person(f.dad, "Jian", "en")

	dad.Types("/settings")
	dad.Sees("Time zone: China (Beijing time), your home's")
	dad.SeesLast("Work shifts: none set")
	dad.Tap("Change time zone")
	dad.SeesLast("Where are you?")
	dad.Tap("Madrid")
	dad.SeesLast("Done: I will show times for Spain (Madrid).")
	dad.SeesLast("Time zone: Spain (Madrid)")
	if z := h.userOf(f.dad).TimeZone; z != "Europe/Madrid" {
		t.Fatalf("zone %q", z)
	}
	dad.Tap("Change time zone")
	dad.Types("Mars/Olympus")
	dad.SeesLast("I don't know that time zone")
	dad.isAt("settings.zone/zone")
	dad.Types("America/Chicago")
	dad.SeesLast("Time zone: America/Chicago")
	if z := h.userOf(f.dad).TimeZone; z != "America/Chicago" {
		t.Fatalf("zone %q", z)
	}
	dad.Tap("Change time zone")
	dad.SeesLast("Now: America/Chicago") // before an older question's buttons are tapped
	dad.Tap("Use the Children's Home's time")
	dad.SeesLast("in the Children's Home's time zone, China (Beijing time)")
	if z := h.userOf(f.dad).TimeZone; z != "" {
		t.Fatalf("zone %q, want the home's", z)
	}

	dad.Tap("Set work shifts")
	dad.SeesLast("You have not set any work shifts yet.")
	dad.SeesLast("/book offers only times outside them")
	dad.Tap("Day shift Mon–Sat 7–19")
	dad.SeesLast("Shifts saved.")
	dad.SeesLast("Mon–Sat 07:00–19:00")
	if text := dad.Last().Text; strings.Count(text, "outside them") != 1 {
		t.Fatalf("saving shifts says the same twice: %q", text)
	}
	if s := h.userOf(f.dad).Shifts; len(s.Weekly) != 6 || s.Weekly[0].Start != 7*60 || s.Weekly[0].End != 19*60 {
		t.Fatalf("shifts %+v", s)
	}
	dad.Tap("Night shift Mon–Sat 19–7")
	dad.SeesLast("Mon–Sat 19:00–07:00")
	before := h.userOf(f.dad).Shifts
	dad.Tap("Type my shifts")
	dad.SeesLast("2 days 07:00-19:00, 2 nights 19:00-07:00, 2 off, from 2026-12-01")
	dad.Types("Mon-Sat 25:00-19:00")
	dad.SeesLast("Line 1 (“Mon-Sat 25:00-19:00”): that is not a time of day")
	dad.isAt("settings.shifts/shifts")
	if after := h.userOf(f.dad).Shifts; after.Rotation != nil || len(after.Weekly) != len(before.Weekly) {
		t.Fatalf("nonsense changed the shifts: %+v", after)
	}
	dad.Types("2 days 07:00-19:00, 2 nights 19:00-07:00, 2 off, from 2026-12-01")
	dad.SeesLast("2 days 07:00–19:00, 2 nights 19:00–07:00, 2 days off, from 1 Dec")
	if s := h.userOf(f.dad).Shifts; s.Rotation == nil || len(s.Rotation.Blocks) != 3 {
		t.Fatalf("shifts %+v", s)
	}
	dad.Tap("Clear shifts")
	dad.SeesLast("Shifts cleared.")
	if s := h.userOf(f.dad).Shifts; !s.IsZero() {
		t.Fatalf("shifts %+v, want none", s)
	}
	dad.Tap("« Back")
	dad.SeesLast("Your settings")
}

// A mother sets Tokyo time and her rotation, in Chinese; a teacher has no
// shifts to set.
func TestSettingsInChinese(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	mom := h.person(f.mom, "秀兰", "zh-hans")
	teacher := h.person(f.teacher, "Ms Wang", "en")

	mom.Types("/settings")
	mom.Sees("时区：跟随儿童之家，中国（北京时间）")
	mom.Tap("修改时区")
	mom.Tap("东京")
	mom.SeesLast("好的，时区已改为日本（东京）。")
	mom.Tap("设置上班时间")
	mom.SeesLast("您还没有设置上班时间。")
	mom.Tap("自己输入上班时间")
	mom.Types("白班2天 7:00-19:00，夜班2天 19:00-07:00，休2天，12月1日起")
	mom.SeesLast("白班 2 天 07:00–19:00，夜班 2 天 19:00–07:00，休 2 天，从 12月1日 起")
	u := h.userOf(f.mom)
	if u.TimeZone != "Asia/Tokyo" || u.Shifts.Rotation == nil {
		t.Fatalf("mom %+v", u)
	}
	mom.Tap("设为白班 周一至六 7–19点")
	mom.SeesLast("上班时间已保存。")
	mom.SeesLast("周一至周六 07:00–19:00")
	mom.Tap("« 返回")
	mom.Tap("修改时区")
	mom.Tap("用儿童之家的时间")
	mom.SeesLast("时区：跟随儿童之家，中国（北京时间）")

	teacher.Types("/settings")
	teacher.Sees("Time zone: China (Beijing time), your home's")
	if m := teacher.Last(); len(m.Buttons()) != 4 { // name, language, time zone, quiet hours
		t.Fatalf("a teacher's settings offer %q", m.Buttons())
	}
}
