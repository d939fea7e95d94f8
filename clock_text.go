package homelink

// A typed time of day: "9:00", "09h30", "9.30", "9点半", "下午2点",
// "2:30pm", "0900".

// meridiem is what a word before or after a time says of its half of the
// day. English am/pm are strict (1–12); the Chinese words are read as
// people use them (下午14点 is 14:00, 晚上12点 is midnight).
type meridiem uint8

const (
	merNone      meridiem = iota
	merAM                 // am
	merPM                 // pm
	merMorning            // 上午, 早上: 12 stays noon
	merEarly              // 凌晨: 12 is midnight
	merNoon               // 中午: 1 is 13:00
	merAfternoon          // 下午, 傍晚
	merEvening            // 晚上: 12 is the end of the day
)

// clockText is a time of day as typed, before its meridiem is applied.
type clockText struct {
	h, m int
	mer  meridiem
	// bare is a plain number with nothing that makes it a time: "2" in
	// "2 days" as much as "9" in "Sat 9-11".
	bare bool
	bad  bool
}

// scanClock reads a time of day at rs[i:], which starts with a digit, and
// returns it and the index after it.
func scanClock(rs []rune, i int) (clockText, int) {
	v, n := digitsAt(rs, i)
	j := i + n
	c := clockText{h: v, bare: true}
	switch {
	case n == 3 || n == 4:
		c.h, c.m, c.bare = v/100, v%100, false
	case n > 4:
		c.bad = true
	default:
		j = scanMinutes(rs, j, &c)
	}
	k := skipSpaces(rs, j)
	if mer, l := meridiemSuffix(rs, k); l > 0 {
		c.mer, c.bare = mer, false
		j = k + l
	}
	return c, j
}

// scanMinutes reads what follows the hour: ":30", ".30", "h30", "h",
// "点", "点半", "点30分", "点整".
func scanMinutes(rs []rune, j int, c *clockText) int {
	if j >= len(rs) {
		return j
	}
	switch rs[j] {
	case ':', '.', 'h':
		m, n := digitsAt(rs, j+1)
		switch {
		case n == 2:
			c.m, c.bare = m, false
			return j + 3
		case n > 0:
			c.bad = true
			return j + 1 + n
		case rs[j] == 'h' && (j+1 == len(rs) || !isLetter(rs[j+1])):
			c.bare = false
			return j + 1
		}
	case '点', '时', '時', '點':
		c.bare = false
		j++
		if j < len(rs) && (rs[j] == '半' || rs[j] == '整') {
			if rs[j] == '半' {
				c.m = 30
			}
			return j + 1
		}
		m, n := digitsAt(rs, j)
		if n > 2 {
			c.bad = true
		}
		c.m = m
		j += n
		if n > 0 && j < len(rs) && rs[j] == '分' {
			j++
		}
	}
	return j
}

// meridiemSuffix reads "am", "pm", "a.m." or "p.m." at rs[i:] when no
// letter follows.
func meridiemSuffix(rs []rune, i int) (meridiem, int) {
	for _, s := range [...]struct {
		text string
		mer  meridiem
	}{{"a.m.", merAM}, {"p.m.", merPM}, {"am", merAM}, {"pm", merPM}} {
		if hasPrefixAt(rs, i, s.text) {
			if end := i + len(s.text); end == len(rs) || !isLetter(rs[end]) {
				return s.mer, len(s.text)
			}
		}
	}
	return merNone, 0
}

// minutes is c as minutes after midnight, from 0 to 24*60.
func (c clockText) minutes() (int, error) {
	if c.bad || c.m > 59 {
		return 0, ErrBadTime
	}
	h, ok := c.mer.hour(c.h)
	if !ok || h > 24 || (h == 24 && c.m != 0) {
		return 0, ErrBadTime
	}
	return h*60 + c.m, nil
}

// hour applies the meridiem to a typed hour.
func (mer meridiem) hour(h int) (int, bool) {
	switch mer {
	case merAM, merPM:
		if h < 1 || h > 12 {
			return 0, false
		}
		if h == 12 {
			h = 0
		}
		if mer == merPM {
			h += 12
		}
	case merMorning, merEarly:
		if h > 12 {
			return 0, false
		}
		if h == 12 && mer == merEarly {
			h = 0
		}
	case merNoon:
		if h <= 5 {
			h += 12
		} else if h < 11 {
			return 0, false
		}
	case merAfternoon, merEvening:
		if h == 0 {
			return 0, false
		}
		if h < 12 || (h == 12 && mer == merEvening) {
			h += 12
		}
	}
	return h, true
}

// clockRange resolves a typed start and end: an end with no meridiem
// takes the start's ("下午2点到5点" is 14:00–17:00, "2pm-5" 14:00–17:00),
// and a start with none takes an afternoon end's when that keeps it
// before the end ("2-5pm", not "8-5pm").
func clockRange(a, b clockText) (start, end int, err error) {
	if b.mer == merNone && a.mer != merNone {
		b2 := b
		b2.mer = a.mer
		if e, err := b2.minutes(); err == nil {
			if s, err := a.minutes(); err == nil && e > s {
				b = b2
			}
		}
	}
	if a.mer == merNone && a.h < 12 && (b.mer == merPM || b.mer == merAfternoon || b.mer == merEvening) {
		a2 := a
		a2.mer = b.mer
		s, err1 := a2.minutes()
		e, err2 := b.minutes()
		if err1 == nil && err2 == nil && s < e {
			a = a2
		}
	}
	if start, err = a.minutes(); err != nil {
		return 0, 0, err
	}
	if end, err = b.minutes(); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}
