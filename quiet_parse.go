package homelink

import (
	"errors"
	"strings"
)

// Refusals of typed quiet hours beyond those of typed times.
var (
	// ErrQuietEmpty: they start when they end.
	ErrQuietEmpty = errors.New("homelink: quiet hours start when they end")
	// ErrQuietTooLong: more than MaxQuietMinutes, which would hold back
	// nearly everything; "8-4" typed for 8 pm to 4 am lands here rather
	// than meaning 20 quiet hours.
	ErrQuietTooLong = errors.New("homelink: quiet hours too long")
)

// MaxQuietMinutes bounds quiet hours typed: 16 hours.
const MaxQuietMinutes = 16 * 60

// ParseQuietHours reads typed quiet hours, in either language: "22:00-07:00",
// "22-7", "10pm-7am", "晚上10点到早上7点", "每天晚上10点到第二天早上7点",
// "8:00–16:00" (a night-shift parent's day), with full-width digits and
// any dash. "off"/"关" switches them off (QuietOff). Anything else is an
// error a person can be shown: ErrBadTime for a time that is none
// (25:00), ErrQuietEmpty for hours that start when they end,
// ErrQuietTooLong for more than MaxQuietMinutes, ErrBadLine for the rest.
//
// It reads the words of typed call hours (lexLine), so a time typed here
// means what it means in /hours: one start, a dash or 到, one end.
func ParseQuietHours(s string) (QuietHours, error) {
	rs := foldLine(strings.TrimSpace(s))
	if len(rs) == 0 || len(rs) > maxQuietRunes {
		return QuietHours{}, ErrBadLine
	}
	if quietOffWords[strings.TrimRight(string(rs), " .!。！")] {
		return QuietOff, nil
	}
	var times []token
	ranges := 0
	for _, t := range lexLine(rs) {
		switch {
		case t.kind == tokTime && ranges == len(times):
			times = append(times, t)
		case t.kind == tokRange && len(times) == 1 && ranges == 0:
			ranges++
		case t.kind == tokWord && quietFillers[t.word],
			t.kind == tokDays && t.days == allDaysMask && len(times) == 0:
		default:
			return QuietHours{}, ErrBadLine
		}
	}
	if len(times) != 2 {
		return QuietHours{}, ErrBadLine
	}
	start, end, err := clockRange(times[0].clock, times[1].clock)
	if err != nil {
		return QuietHours{}, err
	}
	q := QuietHours{Start: start % (24 * 60), End: end % (24 * 60)} // 24:00 is midnight
	switch {
	case q.Off():
		return QuietHours{}, ErrQuietEmpty
	case (q.End-q.Start+24*60)%(24*60) > MaxQuietMinutes:
		return QuietHours{}, ErrQuietTooLong
	}
	return q, nil
}

// maxQuietRunes bounds typed quiet hours: "每天晚上10点到第二天早上7点"
// is 16.
const maxQuietRunes = 64

// quietOffWords switch quiet hours off.
var quietOffWords = map[string]bool{
	"off": true, "none": true, "turn off": true, "switch off": true,
	"关": true, "关闭": true, "关掉": true, "不要": true, "不用": true, "无": true, "没有": true,
}

// quietFillers are words that may stand around the times without
// changing them: "次日早上7点", "到第二天早上7点" (lexLine reads 第二天
// as 第二 and 天), "7am the next day". Words that would change a time
// ("in the evening") are not among them: such a line is refused rather
// than misread.
var quietFillers = map[string]bool{
	"次日": true, "第二": true, "第二天": true, "隔天": true, "翌日": true, "天": true,
	"the": true, "next": true, "day": true,
}
