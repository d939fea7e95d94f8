package homelink

import (
	"strings"
	"time"
)

// When a broadcast is due, as its sender types it in either language:
// once at a date and time ("tomorrow 9:00", "明天上午9点", "周五 18:00",
// "2月10日 下午6点", "Feb 10 6pm"), or every week on some days at a time
// ("Friday 18:00", "每周五晚上6点", "每天 9点", "Mon-Fri 7:30"). They read
// the words of typed call hours (lexLine, scanDate), so a time or a date
// means here what it means in /hours and in closed dates.

// maxWhenRunes bounds a typed moment: "2027年2月10日 星期三 晚上6点30分"
// is 24.
const maxWhenRunes = 64

// relativeDays are the words that name a day from today, longest first,
// with the part of the day some of them imply (今晚 is this evening).
var relativeDays = []struct {
	word string
	days int
	mer  meridiem
}{
	{"day after tomorrow", 2, merNone}, {"this evening", 0, merEvening}, {"this morning", 0, merMorning},
	{"this afternoon", 0, merAfternoon}, {"tomorrow", 1, merNone}, {"tonight", 0, merEvening}, {"today", 0, merNone},
	{"大后天", 3, merNone}, {"后天", 2, merNone}, {"後天", 2, merNone}, {"今天", 0, merNone}, {"今日", 0, merNone},
	{"今晚", 0, merEvening}, {"今早", 0, merMorning}, {"明天", 1, merNone}, {"明日", 1, merNone},
	{"明晚", 1, merEvening}, {"明早", 1, merMorning},
}

// partsOfDay are English words for a half of the day around a time
// ("tomorrow morning at 9", "Friday 6 in the evening").
var partsOfDay = []struct {
	word string
	mer  meridiem
}{
	{"in the morning", merMorning}, {"in the afternoon", merAfternoon}, {"in the evening", merEvening},
	{"at night", merEvening}, {"morning", merMorning}, {"afternoon", merAfternoon}, {"evening", merEvening},
	{"night", merEvening},
}

// ParseMoment reads a typed date and time for something due once, seen
// from now (read in the zone the answer is meant in): a date typed ("2027-02-10
// 18:00", "2/10 18:00", "2月10日下午6点", "10 Feb 6pm"; without a year,
// its next occurrence), a day named from today ("tomorrow 9:00", "今晚8点",
// "后天上午10点"), a weekday ("Friday 18:00", "周五 18:00", "下周一 9点":
// its first such moment after now, or in the next week after 下), or a
// time alone ("18:00": today if still ahead, else tomorrow). It returns
// the date and the minutes after midnight; ErrBadTime when no time, or
// not one time, is typed; ErrBadDate for a date that is none; ErrPastDate
// for a date typed before today; ErrBadLine for anything else. Whether
// the moment lies ahead (a date of today with a time gone) is the
// caller's to judge.
func ParseMoment(text string, now time.Time) (Date, int, error) {
	rs := foldLine(strings.TrimSpace(text))
	if len(rs) == 0 || len(rs) > maxWhenRunes {
		return Date{}, 0, ErrBadLine
	}
	today := DateOf(now)
	var day Date
	dated := false
	if dt, j, ok := scanDate(rs, skipSpaces(rs, 0)); ok && dt.m != 0 {
		d, err := dt.onOrAfter(today)
		if err != nil {
			return Date{}, 0, err
		}
		if d.Before(today) {
			return Date{}, 0, ErrPastDate
		}
		day, dated, rs = d, true, blank(rs, 0, j)
	} else if dt.m != 0 || ok {
		return Date{}, 0, ErrBadDate
	}
	rs, rel, relMer, relative := cutRelative(rs)
	if relative && dated {
		return Date{}, 0, ErrBadLine
	}
	rs, nextWeek := cutNextWeek(rs)
	rs, mer := cutPartOfDay(rs, relMer)
	wd, hasDay, clock, err := dayAndTime(lexLine(rs))
	switch {
	case err != nil:
		return Date{}, 0, err
	case hasDay && relative, nextWeek && (!hasDay || dated):
		return Date{}, 0, ErrBadLine
	case hasDay && dated && weekdayOfDay(dayNumber(day)) != wd:
		return Date{}, 0, ErrBadDate // "2月10日 周五" when the 10th is a Wednesday
	}
	if clock.mer == merNone && mer != merNone {
		clock.mer, clock.bare = mer, false
	}
	m, err := clock.minutes()
	if err != nil || m >= 24*60 {
		return Date{}, 0, ErrBadTime
	}
	switch {
	case dated:
	case relative:
		day = dateOfDay(dayNumber(today) + rel)
	case hasDay && nextWeek:
		// 下周一: the day of the week after this one, weeks starting Monday.
		n := dayNumber(today)
		monday := n - (int(weekdayOfDay(n))+6)%7
		day = dateOfDay(monday + 7 + (int(wd)+6)%7)
	case hasDay:
		day = nextWeekday(today, wd, m, now)
	default:
		day = today
		if m <= now.Hour()*60+now.Minute() {
			day = dateOfDay(dayNumber(today) + 1)
		}
	}
	return day, m, nil
}

// nextWeekday is the first day of weekday wd whose time m is after now.
func nextWeekday(today Date, wd time.Weekday, m int, now time.Time) Date {
	n := dayNumber(today)
	ahead := floorMod(int(wd)-int(weekdayOfDay(n)), 7)
	if ahead == 0 && m <= now.Hour()*60+now.Minute() {
		ahead = 7
	}
	return dateOfDay(n + ahead)
}

// dayAndTime reads the tokens of a moment: at most one single weekday and
// exactly one time, among fillers.
func dayAndTime(toks []token) (wd time.Weekday, hasDay bool, clock clockText, err error) {
	times := 0
	for _, t := range toks {
		switch {
		case t.kind == tokTime:
			times++
			clock = t.clock
		case t.kind == tokDays && t.single && !hasDay:
			wd, hasDay = t.day, true
		case t.kind == tokDays || t.kind == tokBadDay:
			return 0, false, clock, ErrUnknownDay
		default:
			return 0, false, clock, ErrBadLine
		}
	}
	if times != 1 {
		return 0, false, clock, ErrBadTime
	}
	return wd, hasDay, clock, nil
}

// cutRelative finds a word naming a day from today, and blanks it out.
func cutRelative(rs []rune) ([]rune, int, meridiem, bool) {
	s := string(rs)
	for _, w := range relativeDays {
		if i := strings.Index(s, w.word); i >= 0 {
			at := len([]rune(s[:i]))
			return blank(rs, at, at+len([]rune(w.word))), w.days, w.mer, true
		}
	}
	return rs, 0, merNone, false
}

// cutNextWeek finds 下 before 周, 星期 or 礼拜 (下周五), and blanks it out.
func cutNextWeek(rs []rune) ([]rune, bool) {
	for i, r := range rs {
		if r != '下' {
			continue
		}
		for _, p := range [...]string{"周", "週", "星期", "礼拜", "禮拜"} {
			if hasPrefixAt(rs, i+1, p) {
				return blank(rs, i, i+1), true
			}
		}
	}
	return rs, false
}

// cutPartOfDay finds an English word for the part of the day, and blanks
// it out; mer is what a relative day implied already.
func cutPartOfDay(rs []rune, mer meridiem) ([]rune, meridiem) {
	s := string(rs)
	for _, p := range partsOfDay {
		if i := strings.Index(s, p.word); i >= 0 {
			at := len([]rune(s[:i]))
			return blank(rs, at, at+len([]rune(p.word))), p.mer
		}
	}
	return rs, mer
}

// blank is rs with rs[i:j] turned into spaces (a copy).
func blank(rs []rune, i, j int) []rune {
	out := make([]rune, len(rs))
	copy(out, rs)
	for k := i; k < j && k < len(out); k++ {
		out[k] = ' '
	}
	return out
}

// ParseWeeklyTime reads the days and time of something repeating every
// week: "Friday 18:00", "every Fri 6pm", "周五 18:00", "每周五晚上6点",
// "Mon-Fri 7:30", "周一、周三、周五 9点", "每天 9点", "daily 9:00". days are
// the days named, Sunday first (all seven for every day). ErrBadTime when
// not one time is typed; ErrUnknownDay when no day, or a day that is
// none, is; ErrBadLine for anything else.
func ParseWeeklyTime(text string) (days []time.Weekday, minutes int, err error) {
	rs := foldLine(strings.TrimSpace(text))
	if len(rs) == 0 || len(rs) > maxWhenRunes {
		return nil, 0, ErrBadLine
	}
	rs, mer := cutPartOfDay(rs, merNone)
	var mask uint8
	var clock clockText
	times := 0
	toks := lexLine(rs)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tokTime:
			times++
			clock = t.clock
		case t.kind == tokDays && t.single && i+2 < len(toks) && toks[i+1].kind == tokRange &&
			toks[i+2].kind == tokDays && toks[i+2].single:
			mask |= dayRange(t.day, toks[i+2].day)
			i += 2
		case t.kind == tokDays:
			mask |= t.days
		case t.kind == tokWord && (t.word == "day" || t.word == "days"):
			mask |= allDaysMask
		case t.kind == tokList:
		case t.kind == tokBadDay:
			return nil, 0, ErrUnknownDay
		default:
			return nil, 0, ErrBadLine
		}
	}
	if times != 1 {
		return nil, 0, ErrBadTime
	}
	if mask == 0 {
		return nil, 0, ErrUnknownDay
	}
	if clock.mer == merNone && mer != merNone {
		clock.mer, clock.bare = mer, false
	}
	if minutes, err = clock.minutes(); err != nil || minutes >= 24*60 {
		return nil, 0, ErrBadTime
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if mask&(1<<d) != 0 {
			days = append(days, d)
		}
	}
	return days, minutes, nil
}

// ParseTimeOfDay reads one typed time of day, "18:00", "6pm", "下午6点",
// "晚上7点半", as minutes after midnight (ErrBadTime otherwise).
func ParseTimeOfDay(text string) (int, error) {
	rs := foldLine(strings.TrimSpace(text))
	if len(rs) == 0 || len(rs) > maxWhenRunes {
		return 0, ErrBadTime
	}
	rs, mer := cutPartOfDay(rs, merNone)
	toks := lexLine(rs)
	if len(toks) != 1 || toks[0].kind != tokTime {
		return 0, ErrBadTime
	}
	clock := toks[0].clock
	if clock.mer == merNone && mer != merNone {
		clock.mer, clock.bare = mer, false
	}
	m, err := clock.minutes()
	if err != nil || m >= 24*60 {
		return 0, ErrBadTime
	}
	return m, nil
}
