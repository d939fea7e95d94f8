package homelink

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The parsers' promises, fuzzed: never panic; refuse with a *HoursError
// carrying a known reason and nothing else; accept only what validates
// and reads back the same from a canonical rendering.

var fuzzToday = Date{2026, 12, 5}

func checkRefusal(t *testing.T, text string, err error) {
	t.Helper()
	var he *HoursError
	if !errors.As(err, &he) {
		t.Fatalf("%q: error %v is not a *HoursError", text, err)
	}
	for _, known := range []error{ErrUnknownDay, ErrBadTime, ErrEndBeforeStart, ErrOverlap, ErrBadLine,
		ErrTooMany, ErrBadDate, ErrPastDate, ErrTextTooLong, ErrTextControl, ErrTextEmpty} {
		if errors.Is(err, known) {
			return
		}
	}
	t.Fatalf("%q: unknown reason %v", text, err)
}

func FuzzParseWindows(f *testing.F) {
	for _, s := range []string{"Sat 09:00-11:30", "周六 9:00-11:30", "Sat, Sun 14:00-17:00", "周一至周五 18:00-20:00",
		"Mon-Fri 2pm-5pm", "周六、周日 ９：００～１１：３０", "周六 下午2点到5点", "Tues 9.30-10.30; Thurs 14-16",
		"Sat 09h30 to 11h", "星期天 上午9点半—11点", "礼拜六 晚上7点~9点", "Sat/Sun 22:00-24:00", "周一至五 9点30分到11点",
		"Sat 9-11, 14-17\nSun 10-12", "Sxt 9-11", "Sat 25:00-26:00", "Sat 9:75-10", "Sat 11-9", "hello", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ws, err := ParseWindows(text)
		if err != nil {
			checkRefusal(t, text, err)
			if ws != nil {
				t.Fatalf("%q: windows with an error", text)
			}
			return
		}
		if err := (Hours{Windows: ws, SlotMinutes: 15, Lines: 1}).Validate(); err != nil {
			t.Fatalf("%q: parsed %v does not validate: %v", text, ws, err)
		}
		var lines []string
		for _, w := range ws {
			lines = append(lines, w.String())
		}
		again, err := ParseWindows(strings.Join(lines, "\n"))
		if err != nil || !slices.Equal(again, ws) {
			t.Fatalf("%q: %v reads back as %v, %v", text, ws, again, err)
		}
		if _, err := AddWindows(nil, ws); err != nil {
			t.Fatalf("%q: AddWindows refuses parsed %v: %v", text, ws, err)
		}
	})
}

func FuzzParseClosed(f *testing.F) {
	for _, s := range []string{"2027-02-10", "2027/2/10", "2/10", "2027-02-10 - 2027-02-17 Spring Festival", "2月10日",
		"2月10日-17日", "2月10日-2月17日 春节", "2027年2月10日至2月17日", "Feb 10", "10 Feb", "Feb 10 - Feb 17",
		"Dec 30 - Jan 3", "February 10th, 2027", "2027-02-31", "10.2.", "2025-01-01", "2/29", "2/10/2027", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rs, err := ParseClosed(text, fuzzToday)
		if err != nil {
			checkRefusal(t, text, err)
			if rs != nil {
				t.Fatalf("%q: dates with an error", text)
			}
			return
		}
		if err := (Hours{Closed: rs, SlotMinutes: 15, Lines: 1}).Validate(); err != nil {
			t.Fatalf("%q: parsed %v does not validate: %v", text, rs, err)
		}
		var lines []string
		for _, r := range rs {
			if r.To.Before(fuzzToday) {
				t.Fatalf("%q: %v ended before today", text, r)
			}
			lines = append(lines, strings.TrimSpace(r.From.String()+" - "+r.To.String()+" "+r.Note))
		}
		again, err := ParseClosed(strings.Join(lines, "\n"), fuzzToday)
		if err != nil || !slices.Equal(again, rs) {
			t.Fatalf("%q: %v reads back as %v, %v", text, rs, again, err)
		}
	})
}

func FuzzParseShifts(f *testing.F) {
	for _, s := range []string{"Mon-Sat 07:00-19:00", "周一至周六 7:00-19:00", "Mon-Fri 19:00-07:00",
		"2 days 07:00-19:00, 2 nights 19:00-07:00, 2 off, from 2026-12-01",
		"白班2天 7:00-19:00，夜班2天 19:00-07:00，休2天，12月1日起", "白班2天 7:00-19:00，夜班2天 19:00-07:00，休2天，从12月1日开始",
		"2 days 7-19, 2 off, from Dec 1, 2026", "2天白班 7点到19点；2天休息；2026年12月1日起", "Sat 08:00-08:00",
		"2 days, 2 off", "Mnday 7-19", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseShifts(text, fuzzToday)
		if err != nil {
			checkRefusal(t, text, err)
			if !s.IsZero() {
				t.Fatalf("%q: shifts with an error", text)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("%q: parsed %+v does not validate: %v", text, s, err)
		}
		if s.IsZero() {
			t.Fatalf("%q: no shifts and no error", text)
		}
		again, err := ParseShifts(renderShifts(s), fuzzToday)
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("%q: %+v reads back from %q as %+v, %v", text, s, renderShifts(s), again, err)
		}
	})
}

// renderShifts writes shifts the way the tests read them back.
func renderShifts(s Shifts) string {
	var parts []string
	if r := s.Rotation; r != nil {
		for _, b := range r.Blocks {
			if b.Off {
				parts = append(parts, strconv.Itoa(b.Days)+" off")
			} else {
				parts = append(parts, strconv.Itoa(b.Days)+" days "+clockString(b.Start)+"-"+clockString(b.End))
			}
		}
		return strings.Join(append(parts, "from "+r.Start.String()), ", ")
	}
	for _, w := range s.Weekly {
		parts = append(parts, w.Day.String()[:3]+" "+clockString(w.Start)+"-"+clockString(w.End))
	}
	return strings.Join(parts, "\n")
}

func FuzzParseQuietHours(f *testing.F) {
	for _, s := range []string{"22:00-07:00", "22-7", "22:00–07:00", "２２：００－０７：００", "晚上10点到早上7点", "10pm-7am",
		"8:00-16:00", "每天晚上10点到第二天早上7点", "22点至次日7点", "21:00-24:00", "off", "关闭", "不要", "22:00-22:00",
		"25:00-07:00", "Sat 22-7", "22-7-9", "hello", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := ParseQuietHours(text)
		if err != nil {
			if !errors.Is(err, ErrBadTime) && !errors.Is(err, ErrBadLine) && !errors.Is(err, ErrQuietEmpty) &&
				!errors.Is(err, ErrQuietTooLong) {
				t.Fatalf("%q: unknown reason %v", text, err)
			}
			if q != (QuietHours{}) {
				t.Fatalf("%q: quiet hours %+v with an error", text, q)
			}
			return
		}
		if q.Start < 0 || q.Start >= 24*60 || q.End < 0 || q.End >= 24*60 {
			t.Fatalf("%q: %+v out of the day", text, q)
		}
		again := "off"
		if !q.Off() {
			again = clockString(q.Start) + "-" + clockString(q.End)
		}
		if back, err := ParseQuietHours(again); err != nil || back != q {
			t.Fatalf("%q: %+v reads back from %q as %+v, %v", text, q, again, back, err)
		}
	})
}
