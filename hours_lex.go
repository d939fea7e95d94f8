package homelink

import (
	"time"
	"unicode"
)

// The words of typed call hours and shifts: days, times, the dashes
// between a start and an end, the commas between items, and any other
// word, left for the grammar to judge.

type tokKind uint8

const (
	tokDays   tokKind = iota + 1 // one or more days
	tokBadDay                    // 周八: a day word naming no day
	tokTime
	tokRange // -, ~, to, 到, 至
	tokList  // , 、 / ; and 和
	tokWord
)

// token is one word of a typed line.
type token struct {
	kind tokKind
	// days has bit 1<<weekday set for each day; single days also carry
	// day, so "Mon-Fri" can be read as a range.
	days   uint8
	day    time.Weekday
	single bool
	clock  clockText
	word   string
}

func dayToken(d time.Weekday) token {
	return token{kind: tokDays, days: 1 << d, day: d, single: true}
}

const (
	weekdayMask uint8 = 0b0111110
	weekendMask uint8 = 0b1000001
	allDaysMask uint8 = 0b1111111
)

// lexLine splits a folded line into tokens.
func lexLine(rs []rune) []token {
	var toks []token
	pending := merNone
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isDigit(r):
			c, j := scanClock(rs, i)
			if pending != merNone && c.mer == merNone {
				c.mer, c.bare = pending, false
			}
			pending = merNone
			toks = append(toks, token{kind: tokTime, clock: c})
			i = j
		case isLetter(r):
			w := wordAt(rs, i)
			i += len(w)
			if t, ok := englishToken(w); ok {
				toks = append(toks, t)
			}
		default:
			t, n, mer := otherToken(rs, i, toks)
			if mer != merNone {
				pending = mer
			} else if t.kind != 0 {
				toks = append(toks, t)
			}
			i += n
		}
	}
	return toks
}

// englishToken classifies an English word; fillers ("every", "on") give
// no token.
func englishToken(w string) (token, bool) {
	if d, ok := englishDay(w); ok {
		return dayToken(d), true
	}
	switch w {
	case "to", "till", "until", "through", "thru":
		return token{kind: tokRange}, true
	case "and":
		return token{kind: tokList}, true
	case "weekday", "weekdays":
		return token{kind: tokDays, days: weekdayMask}, true
	case "weekend", "weekends":
		return token{kind: tokDays, days: weekendMask}, true
	case "daily", "everyday":
		return token{kind: tokDays, days: allDaysMask}, true
	case "noon":
		return token{kind: tokTime, clock: clockText{h: 12}}, true
	case "midnight":
		return token{kind: tokTime, clock: clockText{h: 0}}, true
	case "every", "each", "on", "at", "from", "s":
		return token{}, false
	}
	return token{kind: tokWord, word: w}, true
}

// englishDay reads a day's name, abbreviation or plural.
func englishDay(w string) (time.Weekday, bool) {
	switch w {
	case "sun", "sunday", "sundays":
		return time.Sunday, true
	case "mon", "monday", "mondays":
		return time.Monday, true
	case "tue", "tues", "tuesday", "tuesdays":
		return time.Tuesday, true
	case "wed", "weds", "wednesday", "wednesdays":
		return time.Wednesday, true
	case "thu", "thur", "thurs", "thursday", "thursdays":
		return time.Thursday, true
	case "fri", "friday", "fridays":
		return time.Friday, true
	case "sat", "saturday", "saturdays":
		return time.Saturday, true
	}
	return 0, false
}

// chineseDay reads the rune after 周, 星期 or 礼拜.
func chineseDay(r rune) (time.Weekday, bool) {
	switch r {
	case '日', '天':
		return time.Sunday, true
	case '一':
		return time.Monday, true
	case '二':
		return time.Tuesday, true
	case '三':
		return time.Wednesday, true
	case '四':
		return time.Thursday, true
	case '五':
		return time.Friday, true
	case '六':
		return time.Saturday, true
	}
	return 0, false
}

// otherToken reads punctuation and Chinese at rs[i:]: a token, the runes
// it took, or a meridiem word that applies to the next time.
func otherToken(rs []rune, i int, prev []token) (token, int, meridiem) {
	r := rs[i]
	switch r {
	case ' ', ':', '.', '(', ')', '（', '）', '。', '!', '?':
		return token{}, 1, merNone
	case '-', '~':
		return token{kind: tokRange}, 1, merNone
	case ',', '、', '/', ';', '&', '+':
		return token{kind: tokList}, 1, merNone
	}
	if t, n, ok := chineseDayToken(rs, i, prev); ok {
		return t, n, merNone
	}
	for n := 3; n >= 1; n-- {
		if i+n > len(rs) {
			continue
		}
		if t, mer, ok := chineseWord(string(rs[i : i+n])); ok {
			return t, n, mer
		}
	}
	j := i + 1
	for j < len(rs) && rs[j] > 0x7f && unicode.IsLetter(rs[j]) && !startsKnown(rs, j, prev) {
		j++
	}
	return token{kind: tokWord, word: string(rs[i:j])}, j - i, merNone
}

// startsKnown reports whether a known Chinese word starts at rs[j:], so
// an unknown word ends there.
func startsKnown(rs []rune, j int, prev []token) bool {
	if _, _, ok := chineseDayToken(rs, j, prev); ok {
		return true
	}
	for n := 3; n >= 1; n-- {
		if j+n <= len(rs) {
			if _, _, ok := chineseWord(string(rs[j : j+n])); ok {
				return true
			}
		}
	}
	return false
}

// chineseDayToken reads 周一, 星期天, 礼拜六, and a bare 五 right after
// "周一至" (周一至五).
func chineseDayToken(rs []rune, i int, prev []token) (token, int, bool) {
	for _, p := range [...]string{"周", "週", "星期", "礼拜", "禮拜"} {
		if !hasPrefixAt(rs, i, p) {
			continue
		}
		n := len([]rune(p))
		if p == "周" && hasPrefixAt(rs, i, "周末") {
			return token{}, 0, false
		}
		if i+n < len(rs) {
			if d, ok := chineseDay(rs[i+n]); ok {
				return dayToken(d), n + 1, true
			}
			return token{kind: tokBadDay}, n + 1, true
		}
		return token{kind: tokBadDay}, n, true
	}
	if k := len(prev); k >= 2 && prev[k-1].kind == tokRange && prev[k-2].kind == tokDays && prev[k-2].single {
		if d, ok := chineseDay(rs[i]); ok {
			return dayToken(d), 1, true
		}
	}
	return token{}, 0, false
}

// chineseWord classifies a Chinese word that is not a day.
func chineseWord(w string) (token, meridiem, bool) {
	switch w {
	case "到", "至", "至到":
		return token{kind: tokRange}, merNone, true
	case "和", "及", "与", "跟", "或":
		return token{kind: tokList}, merNone, true
	case "周末":
		return token{kind: tokDays, days: weekendMask}, merNone, true
	case "工作日":
		return token{kind: tokDays, days: weekdayMask}, merNone, true
	case "每天", "每日", "天天":
		return token{kind: tokDays, days: allDaysMask}, merNone, true
	case "每", "逢", "在", "从", "的", "每逢", "每个":
		return token{}, merNone, true
	case "上午", "早上", "早晨", "清晨", "早":
		return token{}, merMorning, true
	case "凌晨":
		return token{}, merEarly, true
	case "中午":
		return token{}, merNoon, true
	case "下午", "午后", "傍晚":
		return token{}, merAfternoon, true
	case "晚上", "晚", "夜里", "夜间", "夜晚":
		return token{}, merEvening, true
	case "白班", "夜班", "早班", "中班", "晚班", "大夜班", "上班", "休息", "休班", "轮休", "休", "天", "日班":
		return token{kind: tokWord, word: w}, merNone, true
	}
	return token{}, merNone, false
}
