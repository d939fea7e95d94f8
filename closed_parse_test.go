package homelink

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseClosed(t *testing.T) {
	today := Date{2026, 12, 5}
	d := func(y, m, day int) Date { return Date{y, timeMonth(m), day} }
	one := func(y, m, day int, note string) []DateRange {
		return []DateRange{{From: d(y, m, day), To: d(y, m, day), Note: note}}
	}
	festival := []DateRange{{From: d(2027, 2, 10), To: d(2027, 2, 17)}}
	cases := []struct {
		name, text string
		today      Date
		want       []DateRange
	}{
		{"iso", "2027-02-10", today, one(2027, 2, 10, "")},
		{"y/m/d", "2027/2/10", today, one(2027, 2, 10, "")},
		{"m/d", "2/10", today, one(2027, 2, 10, "")},
		{"iso range with note", "2027-02-10 - 2027-02-17 Spring Festival", today,
			[]DateRange{{From: d(2027, 2, 10), To: d(2027, 2, 17), Note: "Spring Festival"}}},
		{"chinese", "2月10日", today, one(2027, 2, 10, "")},
		{"chinese 号", "2月10号", today, one(2027, 2, 10, "")},
		{"chinese bare end", "2月10日-17日", today, festival},
		{"chinese range with note", "2月10日-2月17日 春节", today,
			[]DateRange{{From: d(2027, 2, 10), To: d(2027, 2, 17), Note: "春节"}}},
		{"chinese with year", "2027年2月10日至2月17日", today, festival},
		{"chinese 到", "2月10日到2月17日", today, festival},
		{"full width", "２０２７－０２－１０～２０２７－０２－１７", today, festival},
		{"month name", "Feb 10", today, one(2027, 2, 10, "")},
		{"day month", "10 Feb", today, one(2027, 2, 10, "")},
		{"long month ordinal year", "February 10th, 2027", today, one(2027, 2, 10, "")},
		{"month names range", "Feb 10 - Feb 17", today, festival},
		{"month name bare end", "Feb 10-17", today, festival},
		{"to", "Feb 10 to Feb 17", today, festival},
		{"today counts", "12/5", today, one(2026, 12, 5, "")},
		{"yesterday is next year", "12/4", today, one(2027, 12, 4, "")},
		{"across year end", "Dec 30 - Jan 3", today, []DateRange{{From: d(2026, 12, 30), To: d(2027, 1, 3)}}},
		{"across year end chinese", "12月30日-1月3日 元旦", today, []DateRange{{From: d(2026, 12, 30), To: d(2027, 1, 3), Note: "元旦"}}},
		{"under way across year end", "Dec 30 - Jan 3", Date{2027, 1, 2}, []DateRange{{From: d(2026, 12, 30), To: d(2027, 1, 3)}}},
		{"leap day without year", "2/29", today, one(2028, 2, 29, "")},
		{"note after comma", "2027-02-10, 春节", today, one(2027, 2, 10, "春节")},
		{"range started before today", "2026-12-01 - 2026-12-10", today, []DateRange{{From: d(2026, 12, 1), To: d(2026, 12, 10)}}},
		{"several lines", "2027-02-10\n\n5月1日-5日 劳动节", today,
			[]DateRange{{From: d(2027, 2, 10), To: d(2027, 2, 10)}, {From: d(2027, 5, 1), To: d(2027, 5, 5), Note: "劳动节"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseClosed(c.text, c.today)
			if err != nil {
				t.Fatalf("ParseClosed(%q): %v", c.text, err)
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("ParseClosed(%q) = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestParseClosedRefuses(t *testing.T) {
	today := Date{2026, 12, 5}
	cases := []struct {
		name, text string
		line       int
		want       error
	}{
		{"31 Feb", "2027-02-31", 1, ErrBadDate},
		{"31 Feb chinese", "2月31日", 1, ErrBadDate},
		{"month 13", "2027-13-01", 1, ErrBadDate},
		{"nonsense", "next week", 1, ErrBadDate},
		{"european dots", "10.2.", 1, ErrBadDate},
		{"day month year order unknown", "2/10/2027", 1, ErrBadDate},
		{"past", "2025-01-01", 1, ErrPastDate},
		{"past range", "2026-11-01 - 2026-12-04", 1, ErrPastDate},
		{"end before start", "2027-02-17 - 2027-02-10", 1, ErrEndBeforeStart},
		{"bare end before start", "2月17日-10日", 1, ErrEndBeforeStart},
		{"same month end before start", "2/10 - 2/5", 1, ErrEndBeforeStart},
		{"dash and nothing", "2027-02-10 - soon", 1, ErrBadDate},
		{"far future", "2099-01-01", 1, ErrBadDate},
		{"second line", "2027-02-10\n2027-02-30", 2, ErrBadDate},
		{"note too long", "2027-02-10 " + strings.Repeat("x", MaxClosedNote+1), 1, ErrTextTooLong},
		{"too many", strings.Repeat("2027-02-10\n", MaxClosed+1), MaxClosed + 1, ErrTooMany},
		{"empty", "\n \n", 1, ErrBadLine},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseClosed(c.text, today)
			var he *HoursError
			if !errors.As(err, &he) || !errors.Is(err, c.want) || he.Line != c.line || got != nil {
				t.Fatalf("ParseClosed(%q) = %v, %v; want line %d %v", c.text, got, err, c.line, c.want)
			}
		})
	}
}
