package rule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseSimple reads "every <weekday|day> at HH:MM".
func parseSimple(text string, words []string, loc *time.Location) (Rule, error) {
	if len(words) != 4 || !strings.EqualFold(words[2], "at") {
		return Rule{}, fmt.Errorf("rule: parse %q: %w", text, ErrForm)
	}
	s := Simple{EveryDay: strings.EqualFold(words[1], "day")}
	if !s.EveryDay {
		day, ok := weekday(words[1])
		if !ok {
			return Rule{}, fmt.Errorf("rule: parse %q: %q is %w", text, words[1], ErrWeekday)
		}
		s.Weekday = day
	}
	var ok bool
	if s.Hour, s.Minute, ok = clock(words[3]); !ok {
		return Rule{}, fmt.Errorf("rule: parse %q: %q is %w", text, words[3], ErrClock)
	}
	return fromSimple(s, loc)
}

// fromSimple checks s and builds its rule; Daily, Weekly and Parse share it.
func fromSimple(s Simple, loc *time.Location) (Rule, error) {
	if s.EveryDay {
		s.Weekday = 0
	}
	text := describe(s)
	switch {
	case loc == nil:
		return Rule{}, fmt.Errorf("rule: %q: %w", text, ErrNoZone)
	case s.Weekday < time.Sunday || s.Weekday > time.Saturday:
		return Rule{}, fmt.Errorf("rule: weekday %d is %w", s.Weekday, ErrWeekday)
	case s.Hour < 0 || s.Hour > 23 || s.Minute < 0 || s.Minute > 59:
		return Rule{}, fmt.Errorf("rule: %02d:%02d is %w", s.Hour, s.Minute, ErrClock)
	}
	f := fields{minute: 1 << s.Minute, hour: 1 << s.Hour, dom: all(1, 31) | starBit, month: all(1, 12) | starBit}
	f.dow = 1 << s.Weekday
	if s.EveryDay {
		f.dow = all(0, 6) | starBit
	}
	return Rule{text: text, loc: loc, f: f, simple: s}, nil
}

// describe is the canonical English text of s, the inverse of parseSimple.
func describe(s Simple) string {
	day := "day"
	if !s.EveryDay {
		day = s.Weekday.String()
	}
	return fmt.Sprintf("every %s at %02d:%02d", day, s.Hour, s.Minute)
}

// weekday reads an English day name, full or three letters, in any case.
func weekday(word string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := d.String()
		if strings.EqualFold(word, name) || strings.EqualFold(word, name[:3]) {
			return d, true
		}
	}
	return 0, false
}

// clock reads H:MM or HH:MM on a 24-hour clock.
func clock(word string) (hour, minute int, ok bool) {
	h, m, found := strings.Cut(word, ":")
	if !found || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, 0, false
	}
	hour, _ = strconv.Atoi(h)
	minute, _ = strconv.Atoi(m)
	return hour, minute, hour <= 23 && minute <= 59
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
