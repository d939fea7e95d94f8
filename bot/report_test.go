package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/homelink/homelink"
)

// A coordinator of 200 homes gets their summary in a few messages, each
// within Telegram's 4,096 characters: a line for every home, once, those
// with the most children not reached first; the children not reached,
// at most 5 a home and 30 homes, the rest counted.
func TestASummaryOfTwoHundredHomesIsCutAndCapped(t *testing.T) {
	b, _ := newBot(t)
	for _, lang := range []string{"zh-Hans", "en"} {
		rd := &request{b: b, lang: lang}
		var lines []homeLine
		for i := range 200 {
			l := homeLine{home: homelink.Home{ID: int64(i + 1), Name: fmt.Sprintf("第%03d村儿童之家", i)},
				week: homelink.WeekFigures{Held: i % 7, ToChild: i % 11, Reached: 0, Children: 200 - i}}
			for j := range i % 9 {
				l.gaps = append(l.gaps, homelink.Gap{Name: fmt.Sprintf("Kid%d", j), Days: 14 + j})
			}
			lines = append(lines, l)
		}
		loc := time.UTC
		parts := packParts(b.summaryLines(rd, lines, homelink.WeekFigures{Held: 600, Children: 20100},
			time.Date(2026, 11, 23, 0, 0, 0, 0, loc), loc, reportKind{}))
		if len(parts) < 2 || len(parts) > 8 {
			t.Fatalf("%s: %d messages", lang, len(parts))
		}
		all := strings.Join(parts, "\n")
		for i, p := range parts {
			if n := len(utf16.Encode([]rune(p))); n > reportLimit {
				t.Fatalf("%s: message %d holds %d characters", lang, i, n)
			}
		}
		last := -1
		for _, l := range lines {
			line := rd.html("ReportHomeLine", "Home", l.home.Name, "Held", l.week.Held, "Messages", l.week.ToChild,
				"NotReached", l.week.NotReached(), "Gaps", len(l.gaps), "GapDays", b.ContactGapDays)
			at := strings.Index(all, line)
			if at < 0 || strings.Count(all, line) != 1 || at < last {
				t.Fatalf("%s: %s is not once and in order", lang, l.home.Name)
			}
			last = at
		}
		if n := strings.Count(all, "Kid"); n < 30 || n > 30*maxSummaryGaps {
			t.Fatalf("%s: %d children named", lang, n)
		}
		if !strings.Contains(all, rd.html("ReportMoreHomes", "Count", 177-maxSummaryHomes)) {
			t.Fatalf("%s: the homes left out are not counted", lang)
		}
		// The children left out are a clause after the names, not one more
		// name: "小明（21 天）、丽丽（15 天），还有 1 个".
		more := rd.text("ReportMoreShort", "Count", 1)
		if !strings.Contains(all, rd.text("ClauseSeparator")+more) || lang == "zh-Hans" && strings.Contains(all, "、"+more) {
			t.Fatalf("%s: the children left out are not counted after a clause separator", lang)
		}
	}
}

// The report's weeks: the latest Monday 08:00 at or before now, and the
// next, in the zone asked, across a change to summer time; the Monday of
// the week before; eight Mondays ending with one, each a midnight.
func TestReportWeeks(t *testing.T) {
	madrid, _ := time.LoadLocation("Europe/Madrid")
	for _, c := range []struct {
		now, last, next time.Time
	}{
		{time.Date(2027, 3, 29, 7, 59, 0, 0, madrid), time.Date(2027, 3, 22, 8, 0, 0, 0, madrid), time.Date(2027, 3, 29, 8, 0, 0, 0, madrid)},
		{time.Date(2027, 3, 29, 8, 0, 0, 0, madrid), time.Date(2027, 3, 29, 8, 0, 0, 0, madrid), time.Date(2027, 4, 5, 8, 0, 0, 0, madrid)},
		{time.Date(2027, 3, 31, 12, 0, 0, 0, madrid), time.Date(2027, 3, 29, 8, 0, 0, 0, madrid), time.Date(2027, 4, 5, 8, 0, 0, 0, madrid)},
	} {
		last, next, err := reportTimes(c.now, madrid)
		if err != nil || !last.Equal(c.last) || !next.Equal(c.next) {
			t.Errorf("at %v: %v, %v (%v), want %v, %v", c.now, last, next, err, c.last, c.next)
		}
	}
	monday := endedWeek(time.Date(2027, 3, 29, 8, 0, 0, 0, madrid), madrid)
	if monday.Format(time.DateOnly) != "2027-03-22" || homelink.WeekOf(monday, madrid) != "2027-W12" {
		t.Fatalf("the week ended on 29 March starts %v", monday)
	}
	weeks := trendWeeks(time.Date(2027, 4, 5, 0, 0, 0, 0, madrid))
	if len(weeks) != homelink.ReportWeeks || weeks[0].Format(time.DateOnly) != "2027-02-15" {
		t.Fatalf("trend %v", weeks)
	}
	for _, w := range weeks {
		if w.Hour() != 0 || w.Weekday() != time.Monday {
			t.Fatalf("a week starts at %v", w)
		}
	}
	if _, ok := mondayOf("2027-03-23", madrid); ok {
		t.Fatal("a Tuesday read as a week's Monday")
	}
}
