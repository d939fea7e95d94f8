package homelink

import (
	"errors"
	"strings"
)

// ParseShifts reads typed shifts in either language: weekly lines such as
// "Mon-Sat 07:00-19:00" or "周一至周六 7:00-19:00" (a night shift
// "Mon-Fri 19:00-07:00" crosses midnight, covering Mon 19:00 to Tue
// 07:00), or a rotation such as
// "2 days 07:00-19:00, 2 nights 19:00-07:00, 2 off, from 2026-12-01" /
// "白班2天 7:00-19:00，夜班2天 19:00-07:00，休2天，12月1日起" (or
// "从12月1日开始"): the cycle repeats from its start date, both ways. A
// start date without a year is the one nearest today. An error names the
// refused line (a *HoursError), or every refused weekly line (LineErrors).
func ParseShifts(text string, today Date) (Shifts, error) {
	var lines []numberedLine
	for n, line := range splitLines(text) {
		if strings.TrimSpace(line) != "" {
			lines = append(lines, numberedLine{n + 1, strings.TrimSpace(line), foldLine(line)})
		}
	}
	if len(lines) == 0 {
		return Shifts{}, &HoursError{Line: 1, Text: strings.TrimSpace(text), Err: ErrBadLine}
	}
	for _, l := range lines {
		if looksLikeRotation(lexLine(l.rs)) {
			return parseRotation(lines, today)
		}
	}
	return parseWeekly(lines)
}

// numberedLine is a non-empty typed line, its number and folded runes.
type numberedLine struct {
	n    int
	text string
	rs   []rune
}

func (l numberedLine) refuse(err error) error { return &HoursError{Line: l.n, Text: l.text, Err: err} }

// parseWeekly reads weekly shifts: the grammar of call hours, with an end
// at or before the start crossing midnight.
// Every refused line is named (a LineErrors), not only the first.
func parseWeekly(lines []numberedLine) (Shifts, error) {
	var out []ShiftWindow
	var refused LineErrors
	for _, l := range lines {
		ws, err := weeklyLine(l, len(out))
		if err != nil {
			refused = append(refused, &HoursError{Line: l.n, Text: l.text, Err: err})
			if errors.Is(err, ErrTooMany) {
				break
			}
			continue
		}
		out = append(out, ws...)
	}
	if len(refused) > 0 {
		return Shifts{}, refused
	}
	return Shifts{Weekly: out}, nil
}

// weeklyLine reads one line of weekly shifts, have of them read before.
func weeklyLine(l numberedLine, have int) ([]ShiftWindow, error) {
	dts, err := parseDayTimes(l.rs)
	if err != nil {
		return nil, err
	}
	var out []ShiftWindow
	for _, dt := range dts {
		if dt.start >= 24*60 {
			return nil, ErrBadTime
		}
		if have+len(out) == MaxWeeklyShifts {
			return nil, ErrTooMany
		}
		out = append(out, ShiftWindow{Day: dt.day, Start: dt.start, End: dt.end})
	}
	return out, nil
}

// shiftWord is what a word says in a rotation's block.
type shiftWord uint8

const (
	swUnknown shiftWord = iota
	swUnit              // day, days, 天
	swWork              // night, 白班, 夜班
	swOff               // off, 休, 休息
)

func classifyShiftWord(w string) shiftWord {
	switch w {
	case "day", "days", "天", "x":
		return swUnit
	case "night", "nights", "shift", "shifts", "work", "working", "白班", "夜班", "早班", "中班", "晚班", "大夜班", "上班", "日班":
		return swWork
	case "off", "rest", "free", "休", "休息", "休班", "轮休":
		return swOff
	}
	return swUnknown
}

// looksLikeRotation reports whether a line speaks of blocks of days: a
// number of days or nights, a shift's name, days off.
func looksLikeRotation(toks []token) bool {
	for i, t := range toks {
		if t.kind != tokWord {
			continue
		}
		switch classifyShiftWord(t.word) {
		case swWork, swOff:
			if t.word != "shift" && t.word != "shifts" && t.word != "work" && t.word != "working" {
				return true
			}
		case swUnit:
			if i > 0 && toks[i-1].kind == tokTime && toks[i-1].clock.bare {
				return true
			}
		}
	}
	return false
}

// parseRotation reads a rotation's blocks and start date, separated by
// commas or lines.
func parseRotation(lines []numberedLine, today Date) (Shifts, error) {
	r := &Rotation{}
	hasStart := false
	last := lines[len(lines)-1]
	for _, l := range lines {
		for _, piece := range rotationPieces(l.rs) {
			if d, ok, err := rotationStart(piece, today); ok || err != nil {
				if err != nil {
					return Shifts{}, l.refuse(err)
				}
				if hasStart {
					return Shifts{}, l.refuse(ErrBadLine)
				}
				r.Start, hasStart = d, true
				continue
			}
			b, err := parseBlock(lexLine(piece))
			if err != nil {
				return Shifts{}, l.refuse(err)
			}
			if len(r.Blocks) == MaxRotationBlocks {
				return Shifts{}, l.refuse(ErrTooMany)
			}
			r.Blocks = append(r.Blocks, b)
		}
	}
	if !hasStart {
		return Shifts{}, last.refuse(ErrBadDate)
	}
	if err := r.validate(); err != nil {
		return Shifts{}, last.refuse(err)
	}
	return Shifts{Rotation: r}, nil
}

// rotationPieces splits a line at commas and semicolons, keeping a year
// typed after a comma with its date ("from Dec 1, 2026").
func rotationPieces(rs []rune) [][]rune {
	var out [][]rune
	start := 0
	for i := 0; i <= len(rs); i++ {
		if i < len(rs) && rs[i] != ',' && rs[i] != ';' && rs[i] != '、' {
			continue
		}
		p := rs[start:i]
		if y := strings.TrimSpace(string(p)); len(out) > 0 && len(y) == 4 && isAllDigits(y) {
			out[len(out)-1] = append(append([]rune(nil), out[len(out)-1]...), append([]rune{' '}, []rune(y)...)...)
		} else if strings.TrimSpace(string(p)) != "" {
			out = append(out, p)
		}
		start = i + 1
	}
	return out
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if !isDigit(r) {
			return false
		}
	}
	return s != ""
}

// rotationStart reads a piece that is a start date: "from 2026-12-01",
// "12月1日起", "从12月1日开始", or a bare date. ok is false when the piece
// is no date at all.
func rotationStart(piece []rune, today Date) (Date, bool, error) {
	s := strings.TrimSpace(string(piece))
	marked := false
	for _, p := range [...]string{"starting from", "starting on", "starting", "start", "from", "since", "beginning", "begins", "从", "自", "由"} {
		if t, ok := strings.CutPrefix(s, p); ok {
			s, marked = strings.TrimSpace(t), true
			break
		}
	}
	for _, p := range [...]string{"开始", "起算", "起", "开始算"} {
		if t, ok := strings.CutSuffix(s, p); ok {
			s, marked = strings.TrimSpace(t), true
			break
		}
	}
	rs := []rune(s)
	dt, j, ok := scanDate(rs, 0)
	if !ok || dt.m == 0 || skipSpaces(rs, j) != len(rs) {
		if marked {
			return Date{}, false, ErrBadDate
		}
		return Date{}, false, nil
	}
	d, err := dt.nearest(today)
	return d, true, err
}

// parseBlock reads one block: "2 days 07:00-19:00", "2 nights
// 19:00-07:00", "2 off", "白班2天 7:00-19:00", "休2天".
func parseBlock(toks []token) (ShiftBlock, error) {
	var b ShiftBlock
	count, timed := 0, false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case tokTime:
			if t.clock.bare && count == 0 && i+1 < len(toks) && toks[i+1].kind == tokWord && classifyShiftWord(toks[i+1].word) != swUnknown {
				count = max(t.clock.h, 0)
				continue
			}
			if timed || i+2 >= len(toks) || toks[i+1].kind != tokRange || toks[i+2].kind != tokTime {
				return b, ErrBadLine
			}
			s, e, err := clockRange(t.clock, toks[i+2].clock)
			if err != nil {
				return b, err
			}
			if s >= 24*60 {
				return b, ErrBadTime
			}
			b.Start, b.End, timed = s, e, true
			i += 2
		case tokWord:
			switch classifyShiftWord(t.word) {
			case swOff:
				b.Off = true
			case swUnknown:
				return b, ErrBadLine
			}
		case tokList:
		default:
			return b, ErrBadLine
		}
	}
	switch {
	case count < 1:
		return b, ErrBadLine
	case count > MaxRotationDays:
		return b, ErrTooMany
	case b.Off == timed:
		return b, ErrBadLine // work needs its hours; days off have none
	}
	b.Days = count
	return b, nil
}
