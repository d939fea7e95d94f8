package homelink

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseShiftsWeekly(t *testing.T) {
	today := Date{2026, 12, 5}
	monSat := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	shifts := func(start, end int, days ...time.Weekday) Shifts {
		var s Shifts
		for _, d := range days {
			s.Weekly = append(s.Weekly, ShiftWindow{Day: d, Start: start, End: end})
		}
		return s
	}
	cases := []struct {
		name, text string
		want       Shifts
	}{
		{"day shift", "Mon-Sat 07:00-19:00", shifts(420, 1140, monSat...)},
		{"day shift chinese", "周一至周六 7:00-19:00", shifts(420, 1140, monSat...)},
		{"night shift crosses midnight", "Mon-Fri 19:00-07:00", shifts(1140, 420, monToFri...)},
		{"night shift chinese", "周一到周五 晚上7点到早上7点", shifts(1140, 420, monToFri...)},
		{"24 hours", "Sat 08:00-08:00", shifts(480, 480, time.Saturday)},
		{"two lines", "Mon 7-19\nTue 19-7", Shifts{Weekly: []ShiftWindow{{time.Monday, 420, 1140}, {time.Tuesday, 1140, 420}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseShifts(c.text, today)
			if err != nil {
				t.Fatalf("ParseShifts(%q): %v", c.text, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("ParseShifts(%q) = %+v, want %+v", c.text, got, c.want)
			}
		})
	}
}

func TestParseShiftsRotation(t *testing.T) {
	today := Date{2026, 12, 5}
	twoTwoTwo := Shifts{Rotation: &Rotation{Start: Date{2026, 12, 1}, Blocks: []ShiftBlock{
		{Days: 2, Start: 420, End: 1140}, {Days: 2, Start: 1140, End: 420}, {Days: 2, Off: true}}}}
	cases := []struct {
		name, text string
		want       Shifts
	}{
		{"english", "2 days 07:00-19:00, 2 nights 19:00-07:00, 2 off, from 2026-12-01", twoTwoTwo},
		{"chinese 起", "白班2天 7:00-19:00，夜班2天 19:00-07:00，休2天，12月1日起", twoTwoTwo},
		{"chinese 从开始", "白班2天 7:00-19:00，夜班2天 19:00-07:00，休2天，从12月1日开始", twoTwoTwo},
		{"lines", "2 days 7-19\n2 nights 19-7\n2 days off\nfrom Dec 1", twoTwoTwo},
		{"chinese other order", "2天白班 7点到19点；2天夜班 19点到7点；2天休息；2026年12月1日起", twoTwoTwo},
		{"comma in date", "2 days 7-19, 2 nights 19-7, 2 off, from Dec 1, 2026", twoTwoTwo},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseShifts(c.text, today)
			if err != nil {
				t.Fatalf("ParseShifts(%q): %v", c.text, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("ParseShifts(%q) = %+v, want %+v", c.text, got.Rotation, c.want.Rotation)
			}
		})
	}
}

func TestParseShiftsRefuses(t *testing.T) {
	today := Date{2026, 12, 5}
	cases := []struct {
		name, text string
		want       error
	}{
		{"unknown day", "Mnday 7-19", ErrUnknownDay},
		{"bad time", "Mon 7-25", ErrBadTime},
		{"nonsense", "whenever", ErrBadLine},
		{"too many weekly", "Mon-Sun 1-2, 3-4, 5-6", ErrTooMany},
		{"rotation without start", "2 days 7-19, 2 off", ErrBadDate},
		{"rotation bad start", "2 days 7-19, 2 off, from 2026-02-30", ErrBadDate},
		{"rotation work without hours", "2 days, 2 off, from 2026-12-01", ErrBadLine},
		{"rotation only off", "2 off, from 2026-12-01", ErrBadLine},
		{"rotation too many blocks", "1 day 7-19, 1 off, 1 day 7-19, 1 off, 1 day 7-19, 1 off, 1 day 7-19, from 2026-12-01", ErrTooMany},
		{"rotation too long", "20 days 7-19, 10 off, from 2026-12-01", ErrTooMany},
		{"rotation two starts", "2 days 7-19, 2 off, from 2026-12-01, from 2026-12-02", ErrBadLine},
		{"empty", "  ", ErrBadLine},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseShifts(c.text, today)
			var he *HoursError
			if !errors.As(err, &he) || !errors.Is(err, c.want) || !got.IsZero() {
				t.Fatalf("ParseShifts(%q) = %+v, %v; want %v", c.text, got, err, c.want)
			}
		})
	}
}

func TestShiftsOverlaps(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	night, _ := ParseShifts("Mon-Fri 19:00-07:00", Date{2026, 12, 1})
	day, _ := ParseShifts("Mon-Sat 07:00-19:00", Date{2026, 12, 1})
	rot, _ := ParseShifts("2 days 07:00-19:00, 2 nights 19:00-07:00, 2 off, from 2026-12-01", Date{2026, 12, 1})
	cases := []struct {
		name       string
		s          Shifts
		start, end string
		want       bool
	}{
		// 2026-12-05 is a Saturday.
		{"day shift on Saturday", day, "2026-12-05 10:00", "2026-12-05 10:15", true},
		{"after the day shift", day, "2026-12-05 19:00", "2026-12-05 19:15", false},
		{"before the day shift", day, "2026-12-05 06:45", "2026-12-05 07:00", false},
		{"Sunday free", day, "2026-12-06 10:00", "2026-12-06 10:15", false},
		{"Friday night", night, "2026-12-04 23:00", "2026-12-04 23:15", true},
		{"Saturday morning after Friday night", night, "2026-12-05 06:45", "2026-12-05 07:00", true},
		{"Saturday 07:00", night, "2026-12-05 07:00", "2026-12-05 07:15", false},
		{"Saturday night free", night, "2026-12-05 23:00", "2026-12-05 23:15", false},
		{"Monday morning free", night, "2026-12-07 06:00", "2026-12-07 06:15", false},
		{"rotation day 1", rot, "2026-12-01 12:00", "2026-12-01 12:15", true},
		{"rotation night 3 evening", rot, "2026-12-03 12:00", "2026-12-03 12:15", false},
		{"rotation night 4 into day 5", rot, "2026-12-05 06:00", "2026-12-05 06:15", true},
		{"rotation off day 6", rot, "2026-12-06 12:00", "2026-12-06 12:15", false},
		{"rotation repeats", rot, "2026-12-07 12:00", "2026-12-07 12:15", true},
		{"rotation backwards", rot, "2026-11-30 12:00", "2026-11-30 12:15", false},
		{"rotation backwards off", rot, "2026-11-29 12:00", "2026-11-29 12:15", false},
		{"rotation backwards night", rot, "2026-11-28 01:00", "2026-11-28 01:15", true},
		{"a month long", rot, "2026-12-01 00:00", "2027-01-15 00:00", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.s.Overlaps(Interval{at(c.start), at(c.end)}, shanghai); got != c.want {
				t.Fatalf("Overlaps(%s–%s) = %v, want %v", c.start, c.end, got, c.want)
			}
		})
	}
	if (Shifts{}).Overlaps(Interval{at("2026-12-05 10:00"), at("2026-12-05 11:00")}, shanghai) {
		t.Fatal("no shifts overlap something")
	}
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
