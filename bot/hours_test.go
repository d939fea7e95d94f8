package bot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

func TestHoursAddFlow(t *testing.T) {
	w := newWalker(t)
	coord, h := w.coordinator(100)
	coord.types("/hours")
	coord.sees("Call hours of 青溪村儿童之家")
	coord.taps("+ Add hours")
	coord.isAt("hours.add/day")
	for _, label := range []string{"« Back", "Cancel", "Mon", "Sun"} {
		if !coord.latest.HasButton(label) {
			t.Fatalf("the day question lacks %q: %v", label, coord.latest.Buttons())
		}
	}
	coord.taps("Sat")
	coord.isAt("hours.add/start")
	coord.sees("Saturday: from what time?")
	if b := coord.latest.Buttons(); b[0] != "07:00" || b[len(b)-3] != "21:30" {
		t.Fatalf("start buttons %v", b)
	}
	coord.taps("« Back")
	coord.isAt("hours.add/day")
	coord.taps("Sun")
	coord.taps("14:00")
	coord.isAt("hours.add/end")
	coord.sees("Sunday from 14:00: until what time?")
	if coord.latest.HasButton("14:00") || !coord.latest.HasButton("24:00") || !coord.latest.HasButton("14:30") {
		t.Fatalf("end buttons %v", coord.latest.Buttons())
	}
	coord.taps("17:00")
	coord.isAt("hours.view/hours")
	coord.sees("Added: Sunday 14:00–17:00.")

	// Typed at the day question: an overlap is refused and the question
	// stays open; good lines are added.
	coord.taps("+ Add hours")
	coord.types("Sun 16:00-18:00")
	coord.sees("it overlaps other hours")
	coord.isAt("hours.add/day")
	coord.types("Sat 09:00-11:30\nSun 09:00-10:00")
	coord.isAt("hours.view/hours")
	coord.sees("Added: Saturday 09:00–11:30, Sunday 09:00–10:00.")

	// On the hours themselves, a typed line is added too, and a second
	// one after it.
	coord.types("Mon 18:00-19:00")
	coord.sees("Added: Monday 18:00–19:00.")
	coord.isAt("hours.view/hours")
	coord.types("Mon 18:30-20:00")
	coord.sees("Line 1 (“Mon 18:30-20:00”): it overlaps other hours")
	coord.isAt("hours.view/hours")

	coord.taps("+ Add hours")
	coord.taps("Cancel")
	coord.isAt("")
	coord.sees("Okay, stopped. Nothing was changed.")

	hrs, err := w.st.Hours(context.Background(), h.ID)
	if err != nil || len(hrs.Windows) != 4 {
		t.Fatalf("hours %+v, %v", hrs, err)
	}
}

func TestClosedDatesFlow(t *testing.T) {
	w := newWalker(t)
	coord, h := w.coordinator(100)
	coord.types("/hours")
	coord.taps("Set closed dates")
	coord.taps("+ Add closed dates")
	coord.isAt("hours.closed/dates")
	coord.types("not a date at all")
	coord.sees("Line 1")
	coord.isAt("hours.closed/dates")
	next := w.clock.Now().AddDate(1, 0, 0)
	coord.types(next.Format("2006-01-02") + " Holiday")
	coord.isAt("")
	coord.sees("Closed dates saved.")
	coord.sees("(Holiday)")
	hrs, _ := w.st.Hours(context.Background(), h.ID)
	if len(hrs.Closed) != 1 || hrs.Closed[0].Note != "Holiday" {
		t.Fatalf("closed %+v", hrs.Closed)
	}
}

func TestSettingsZoneFlow(t *testing.T) {
	w := newWalker(t)
	coord, _ := w.coordinator(100)
	coord.types("/settings")
	coord.sees("Time zone: China (Beijing time), your home's")
	coord.taps("Change time zone")
	coord.isAt("settings.zone/zone")
	coord.types("Europe/Nowhere")
	coord.sees("I don't know that time zone")
	coord.isAt("settings.zone/zone")
	coord.types("Europe/Paris")
	coord.isAt("")
	coord.sees("Time zone: France (Paris)")
	if u, _ := w.st.User(context.Background(), coord.ID); u.TimeZone != "Europe/Paris" {
		t.Fatalf("zone %q", u.TimeZone)
	}
	if coord.latest.HasButton("Set work shifts") {
		t.Fatal("a coordinator is offered work shifts")
	}
}

// Shifts and days read as people write them, in both languages.
func TestShiftsInWords(t *testing.T) {
	w := newWalker(t)
	day := presetShifts(0)
	night := presetShifts(1)
	mixed := homelink.Shifts{Weekly: append(presetShifts(0).Weekly[:5], homelink.ShiftWindow{Day: time.Saturday, Start: 8 * 60, End: 12 * 60})}
	rotation := homelink.Shifts{Rotation: &homelink.Rotation{Start: homelink.Date{Year: w.clock.Now().Year(), Month: 12, Day: 1},
		Blocks: []homelink.ShiftBlock{{Days: 2, Start: 7 * 60, End: 19 * 60}, {Days: 2, Start: 19 * 60, End: 7 * 60}, {Days: 2, Off: true}}}}
	for _, c := range []struct {
		lang   string
		shifts homelink.Shifts
		want   string
	}{
		{"en", homelink.Shifts{}, "none set"},
		{"en", day, "Mon–Sat 07:00–19:00"},
		{"zh-Hans", night, "周一至周六 19:00–07:00"},
		{"en", mixed, "Mon–Fri 07:00–19:00; Sat 08:00–12:00"},
		{"zh-Hans", mixed, "周一至周五 07:00–19:00；周六 08:00–12:00"},
		{"en", rotation, "2 days 07:00–19:00, 2 nights 19:00–07:00, 2 days off, from 1 Dec"},
		{"zh-Hans", rotation, "白班 2 天 07:00–19:00，夜班 2 天 19:00–07:00，休 2 天，从 12月1日 起"},
	} {
		r := &request{b: w.b, lang: c.lang}
		if got := r.shiftsText(c.shifts); got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, got, c.want)
		}
	}
	r := &request{b: w.b, lang: "zh-Hans"}
	if got := r.weekdaySpan([]time.Weekday{time.Saturday, time.Sunday, time.Monday}); got != "周一、周六、周日" {
		t.Errorf("weekdays %q", got)
	}
	if got := r.windowLines([]homelink.Window{{Day: time.Sunday, Start: 14 * 60, End: 17 * 60},
		{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}, {Day: time.Saturday, Start: 14 * 60, End: 24 * 60}}); len(got) != 2 ||
		got[0] != "周六 09:00–11:30、14:00–24:00" || got[1] != "周日 14:00–17:00" {
		t.Errorf("window lines %q", got)
	}
}

// Every zone shown anywhere has its label, or its IANA name.
func TestZoneLabels(t *testing.T) {
	w := newWalker(t)
	zh, en := &request{b: w.b, lang: "zh-Hans"}, &request{b: w.b, lang: "en"}
	for z, want := range map[string]string{"Asia/Hong_Kong": "中国香港", "Europe/Madrid": "西班牙（马德里）", "America/Chicago": "America/Chicago"} {
		if got := zoneLabel(zh, z); got != want {
			t.Errorf("%s: %q, want %q", z, got, want)
		}
	}
	if got := zoneLabel(en, "America/New_York"); got != "US East (New York)" {
		t.Errorf("New York: %q", got)
	}
}

// Closed dates read as people write them: the year once, and only when it
// is not this one; a range within a month names it once.
func TestDateRangesInWords(t *testing.T) {
	w := newWalker(t)
	this := w.clock.Now().Year()
	d := func(y, m, day int) homelink.Date { return homelink.Date{Year: y, Month: time.Month(m), Day: day} }
	for _, c := range []struct {
		lang     string
		from, to homelink.Date
		long     string
		short    string
	}{
		{"zh-Hans", d(this+1, 1, 1), d(this+1, 1, 3), fmt.Sprintf("%d年1月1日至3日", this+1), "1月1日至3日"},
		{"en", d(this+1, 1, 1), d(this+1, 1, 3), fmt.Sprintf("1–3 Jan %d", this+1), "1–3 Jan"},
		{"zh-Hans", d(this, 1, 30), d(this, 2, 3), "1月30日至2月3日", "1月30日至2月3日"},
		{"en", d(this+1, 1, 30), d(this+1, 2, 3), fmt.Sprintf("30 Jan – 3 Feb %d", this+1), "30 Jan – 3 Feb"},
		{"zh-Hans", d(this, 12, 30), d(this+1, 1, 3), fmt.Sprintf("%d年12月30日至%d年1月3日", this, this+1), ""},
		{"en", d(this, 5, 1), d(this, 5, 1), "1 May", "1 May"},
	} {
		r := &request{b: w.b, lang: c.lang}
		rg := homelink.DateRange{From: c.from, To: c.to}
		if got := r.dateRange(rg); got != c.long {
			t.Errorf("%s %v: %q, want %q", c.lang, rg, got, c.long)
		}
		if c.short == "" {
			c.short = c.long
		}
		if got := r.dates(rg, false); got != c.short {
			t.Errorf("%s %v short: %q, want %q", c.lang, rg, got, c.short)
		}
	}
	// The same dates in two years keep their years on the buttons.
	r := &request{b: w.b, lang: "zh-Hans"}
	got := r.reopenLabels([]homelink.DateRange{{From: d(this+1, 2, 10), To: d(this+1, 2, 10)}, {From: d(this+2, 2, 10), To: d(this+2, 2, 10)}})
	if got[0] == got[1] {
		t.Errorf("reopen buttons read the same: %q", got)
	}
}

// Every button of /hours and /settings fits a small phone: about 24 Latin
// or 12 Chinese characters (a Han character is two wide).
func TestHoursAndSettingsButtonsAreShort(t *testing.T) {
	w := newWalker(t)
	width := func(s string) int {
		n := 0
		for _, c := range s {
			n++
			if c > 0x2e80 {
				n++
			}
		}
		return n
	}
	for _, lang := range []string{"en", "zh-Hans"} {
		r := &request{b: w.b, lang: lang}
		labels := []string{r.text("HoursAutoOffButton"), r.text("HoursRemoveOne", "Hours", r.text("WeekdayShort_3")+" "+span(18*60, 24*60)),
			r.text("ClosedRemoveOne", "Dates", r.dates(homelink.DateRange{From: homelink.Date{Year: 2027, Month: 9, Day: 28},
				To: homelink.Date{Year: 2027, Month: 10, Day: 7}}, false)),
			r.text("ShiftsTypeButton"), r.text("ShiftsClearButton"), r.text("SettingsLanguageButton")}
		for _, p := range shiftPresets {
			labels = append(labels, r.text(p.label, "Hours", hourSpan(p.start, p.end)))
		}
		labels = append(labels, r.text("SettingsQuietButton"), r.text("QuietTypeButton"), r.text("QuietOffButton"),
			r.text("QuietOnButton"), r.text("DayAheadOffButton"), r.text("DayAheadOnButton"), r.text("HoursRemindersButton"))
		for _, row := range remindRows {
			labels = append(labels, r.text(row.label))
		}
		// The quiet hours' presets stand two to a row.
		for _, p := range quietPresets {
			l := span(p.hours.Start, p.hours.End)
			if p.label != "" {
				l = r.text(p.label, "Hours", l)
			}
			if width(l) > 16 {
				t.Errorf("%s: quiet hours button %q is too long for half a row", lang, l)
			}
		}
		// A row of reminder times holds up to five buttons, the current
		// one marked.
		for _, row := range remindRows {
			n := width("✓ ")
			for _, d := range row.choices {
				n += width(r.duration(d))
			}
			if n > 40 {
				t.Errorf("%s: the row %q is %d wide", lang, r.text(row.label), n)
			}
		}
		for _, l := range labels {
			if width(l) > 26 {
				t.Errorf("%s: button %q is too long for a small phone", lang, l)
			}
		}
		// The zones stand two to a row: half as wide.
		for _, z := range personalZones {
			if l := zoneShort(r, z); width(l) > 13 || l == z {
				t.Errorf("%s: zone button %q is too long, or has no short name", lang, l)
			}
		}
	}
}
