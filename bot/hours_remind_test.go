package bot

import (
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// A home's reminders read as people say them, in both languages, "off"
// where one is switched off.
func TestRemindersInWords(t *testing.T) {
	w := newWalker(t)
	h, m := time.Hour, time.Minute
	for _, c := range []struct {
		lang string
		rem  homelink.Reminders
		want string
	}{
		{"en", homelink.DefaultReminders, "parents 24 h and 1 h before and at the start; teachers 10 min before"},
		{"zh-Hans", homelink.DefaultReminders, "家长在通话前 24 小时、1 小时和开始时；老师在通话前 10 分钟"},
		{"en", homelink.Reminders{DayAhead: 48 * h, Soon: 30 * m}, "parents 48 h and 30 min before and at the start; teachers' nudge off"},
		{"zh-Hans", homelink.Reminders{Soon: 2 * h, Nudge: 5 * m}, "家长在通话前 2 小时和开始时；老师在通话前 5 分钟"},
		{"en", homelink.Reminders{DayAhead: 12 * h, Nudge: 30 * m}, "parents 12 h before and at the start; teachers 30 min before"},
		{"zh-Hans", homelink.Reminders{}, "家长只在通话开始时；老师的提醒已关闭"},
	} {
		r := &request{b: w.b, lang: c.lang}
		if got := r.remindersText(c.rem); got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.lang, c.rem, got, c.want)
		}
	}
	// Every offered choice has a short name of its own.
	for _, lang := range []string{"en", "zh-Hans"} {
		r := &request{b: w.b, lang: lang}
		for _, row := range remindRows {
			seen := map[string]bool{}
			for _, d := range row.choices {
				if l := r.duration(d); seen[l] {
					t.Errorf("%s: two choices read %q", lang, l)
				} else {
					seen[l] = true
				}
			}
			if len(row.choices) >= remindRowSpan {
				t.Errorf("the row %s has more choices than its span", row.label)
			}
		}
	}
}
