package homelink

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// A broadcast's moment typed in either language, seen from Saturday
// 28 November 2026, 10:30.
func TestParseMomentReadsBothLanguages(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC) // a Saturday
	for _, c := range []struct {
		text string
		want string
	}{
		{"2026-12-05 18:00", "2026-12-05 18:00"},
		{"2027/1/2 9:00", "2027-01-02 09:00"},
		{"12/5 18:00", "2026-12-05 18:00"},
		{"Dec 5 6pm", "2026-12-05 18:00"},
		{"5 December 6 pm", "2026-12-05 18:00"},
		{"12月5日 下午6点", "2026-12-05 18:00"},
		{"12月5日下午6点半", "2026-12-05 18:30"},
		{"１２月５日　１８：００", "2026-12-05 18:00"},
		{"2027年1月2日 9点", "2027-01-02 09:00"},
		{"12月5日 周六 18:00", "2026-12-05 18:00"},
		{"tomorrow 9:00", "2026-11-29 09:00"},
		{"tomorrow morning at 9", "2026-11-29 09:00"},
		{"Tomorrow at 9am", "2026-11-29 09:00"},
		{"today 18:00", "2026-11-28 18:00"},
		{"tonight 8", "2026-11-28 20:00"},
		{"this evening 7:30", "2026-11-28 19:30"},
		{"明天上午9点", "2026-11-29 09:00"},
		{"明天 9:00", "2026-11-29 09:00"},
		{"今晚8点", "2026-11-28 20:00"},
		{"后天下午3点", "2026-11-30 15:00"},
		{"Friday 18:00", "2026-12-04 18:00"},
		{"on Saturday at 18:00", "2026-11-28 18:00"}, // today, still ahead
		{"Saturday 9:00", "2026-12-05 09:00"},        // today's is gone
		{"周五 18:00", "2026-12-04 18:00"},
		{"星期五晚上7点", "2026-12-04 19:00"},
		{"下周一 9点", "2026-11-30 09:00"},
		{"下周六 9点", "2026-12-05 09:00"},
		{"18:00", "2026-11-28 18:00"},
		{"9:00", "2026-11-29 09:00"},
		{"下午6点", "2026-11-28 18:00"},
	} {
		d, m, err := ParseMoment(c.text, now)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if got := fmt.Sprintf("%s %02d:%02d", d, m/60, m%60); got != c.want {
			t.Errorf("%q = %s, want %s", c.text, got, c.want)
		}
	}
}

func TestParseMomentRefusesWhatItCannotRead(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		text string
		want error
	}{
		{"", ErrBadLine},
		{"tomorrow", ErrBadTime},
		{"明天", ErrBadTime},
		{"12月5日", ErrBadTime},
		{"Friday 9:00 10:00", ErrBadTime},
		{"25:00", ErrBadTime},
		{"24:00", ErrBadTime},
		{"2026-02-30 9:00", ErrBadDate},
		{"2025-12-05 9:00", ErrPastDate},
		{"12月5日 周五 18:00", ErrBadDate},
		{"weekends 9:00", ErrUnknownDay},
		{"soon", ErrBadLine},
		{"next week at 9", ErrBadLine},
		{"tomorrow Friday 9:00", ErrBadLine},
	} {
		if _, _, err := ParseMoment(c.text, now); !errors.Is(err, c.want) {
			t.Errorf("%q: err %v, want %v", c.text, err, c.want)
		}
	}
}

func TestParseWeeklyTimeReadsDaysAndATime(t *testing.T) {
	for _, c := range []struct {
		text string
		want string
	}{
		{"Friday 18:00", "[Friday] 1080"},
		{"every Fri 6pm", "[Friday] 1080"},
		{"fridays at 6 in the evening", "[Friday] 1080"},
		{"周五 18:00", "[Friday] 1080"},
		{"每周五晚上6点", "[Friday] 1080"},
		{"每天 9点", "[Sunday Monday Tuesday Wednesday Thursday Friday Saturday] 540"},
		{"every day at 9:00", "[Sunday Monday Tuesday Wednesday Thursday Friday Saturday] 540"},
		{"daily 9:00", "[Sunday Monday Tuesday Wednesday Thursday Friday Saturday] 540"},
		{"Mon-Fri 7:30", "[Monday Tuesday Wednesday Thursday Friday] 450"},
		{"周一至周五 7点半", "[Monday Tuesday Wednesday Thursday Friday] 450"},
		{"周一、周三、周五 9点", "[Monday Wednesday Friday] 540"},
		{"weekends 10am", "[Sunday Saturday] 600"},
	} {
		days, m, err := ParseWeeklyTime(c.text)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if got := fmt.Sprint(days, " ", m); got != c.want {
			t.Errorf("%q = %s, want %s", c.text, got, c.want)
		}
	}
	for _, c := range []struct {
		text string
		want error
	}{
		{"18:00", ErrUnknownDay},
		{"周八 18:00", ErrUnknownDay},
		{"Friday", ErrBadTime},
		{"Friday 18:00-19:00", ErrBadLine},
		{"Friday 25:00", ErrBadTime},
		{"Friday soon 18:00", ErrBadLine},
	} {
		if _, _, err := ParseWeeklyTime(c.text); !errors.Is(err, c.want) {
			t.Errorf("%q: err %v, want %v", c.text, err, c.want)
		}
	}
}

func TestParseTimeOfDay(t *testing.T) {
	for text, want := range map[string]int{"18:00": 1080, "6pm": 1080, "下午6点": 1080, "晚上7点半": 1170,
		"９：１５": 555, "0730": 450, "7 in the evening": 1140} {
		if m, err := ParseTimeOfDay(text); err != nil || m != want {
			t.Errorf("%q = %d, %v; want %d", text, m, err, want)
		}
	}
	for _, text := range []string{"", "24:00", "Friday 18:00", "18:00-19:00", "soon"} {
		if _, err := ParseTimeOfDay(text); !errors.Is(err, ErrBadTime) {
			t.Errorf("%q: err %v, want ErrBadTime", text, err)
		}
	}
}

// Whatever is typed, the moment and weekly parsers answer without
// panicking, and what they take is a real date and time.
func FuzzParseBroadcastTimes(f *testing.F) {
	for _, s := range []string{"tomorrow 9:00", "明天上午9点", "下周一 9点", "12月5日 周六 18:00", "Friday 6pm",
		"Mon-Fri 7:30", "每周五晚上6点", "2027年2月30日 9点", "今晚12点", "９：１５"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if d, m, err := ParseMoment(s, now); err == nil {
			if !d.valid() || m < 0 || m >= 24*60 || d.Before(DateOf(now)) {
				t.Fatalf("%q = %v %d", s, d, m)
			}
		}
		if days, m, err := ParseWeeklyTime(s); err == nil && (len(days) == 0 || m < 0 || m >= 24*60) {
			t.Fatalf("%q = %v %d", s, days, m)
		}
		if m, err := ParseTimeOfDay(s); err == nil && (m < 0 || m >= 24*60) {
			t.Fatalf("%q = %d", s, m)
		}
	})
}
