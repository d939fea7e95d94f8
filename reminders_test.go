package homelink

import (
	"testing"
	"time"
)

func TestQuietHoursUntil(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, berlin) }
	night, day := DefaultQuietHours, QuietHours{Start: 8 * 60, End: 16 * 60}
	cases := []struct {
		q     QuietHours
		t     time.Time
		quiet bool
		until time.Time
	}{
		{night, at(2026, 12, 5, 21, 59), false, time.Time{}},
		{night, at(2026, 12, 5, 22, 0), true, at(2026, 12, 6, 7, 0)},
		{night, at(2026, 12, 6, 3, 0), true, at(2026, 12, 6, 7, 0)},
		{night, at(2026, 12, 6, 7, 0), false, time.Time{}},
		{day, at(2026, 12, 6, 7, 59), false, time.Time{}},
		{day, at(2026, 12, 6, 8, 0), true, at(2026, 12, 6, 16, 0)},
		{day, at(2026, 12, 6, 15, 59), true, at(2026, 12, 6, 16, 0)},
		{day, at(2026, 12, 6, 23, 0), false, time.Time{}},
		{QuietOff, at(2026, 12, 6, 3, 0), false, time.Time{}},
		// The night the clocks spring forward (28 March 2027) and fall
		// back (31 October 2027): quiet ends at 07:00 on the wall.
		{night, at(2027, 3, 28, 1, 30), true, at(2027, 3, 28, 7, 0)},
		{night, at(2027, 10, 31, 2, 30), true, at(2027, 10, 31, 7, 0)},
	}
	for _, c := range cases {
		until, quiet := c.q.Until(c.t, berlin)
		if quiet != c.quiet || !until.Equal(c.until) {
			t.Errorf("%+v at %v: %v %v, want %v %v", c.q, c.t, quiet, until, c.quiet, c.until)
		}
	}
	// Read in the person's zone: 22:00 in Shanghai is 15:00 in Berlin.
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	if _, quiet := night.Until(at(2026, 12, 5, 15, 30), shanghai); !quiet {
		t.Error("quiet hours read in the wrong zone")
	}
}

func TestNextDigest(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, berlin) }
	for _, c := range []struct{ now, want time.Time }{
		{at(2026, 12, 5, 7, 59), at(2026, 12, 5, 8, 0)},
		{at(2026, 12, 5, 8, 0), at(2026, 12, 6, 8, 0)},
		{at(2027, 3, 27, 9, 0), at(2027, 3, 28, 8, 0)}, // a day of 23 hours
		{at(2027, 10, 30, 9, 0), at(2027, 10, 31, 8, 0)},
	} {
		if got := NextDigest(c.now, berlin); !got.Equal(c.want) {
			t.Errorf("NextDigest(%v) = %v, want %v", c.now, got, c.want)
		}
	}
}

func TestRemindersValidate(t *testing.T) {
	if err := DefaultReminders.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Reminders{}).Validate(); err != nil {
		t.Fatalf("all off: %v", err)
	}
	for _, r := range []Reminders{{DayAhead: 72 * time.Hour, Soon: time.Hour}, {Soon: 3 * time.Minute}, {Nudge: -time.Minute}} {
		if r.Validate() == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	if (Hours{}).ReminderOffsets() != DefaultReminders {
		t.Error("no offsets are not the defaults")
	}
}
