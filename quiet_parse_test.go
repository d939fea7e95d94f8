package homelink

import (
	"errors"
	"testing"
)

func TestParseQuietHours(t *testing.T) {
	night := QuietHours{Start: 22 * 60, End: 7 * 60}
	cases := []struct {
		name, text string
		want       QuietHours
	}{
		{"clock times", "22:00-07:00", night},
		{"bare hours", "22-7", night},
		{"en dash and spaces", " 22:00 – 07:00 ", night},
		{"full-width", "２２：００－０７：００", night},
		{"wave dash", "22:00～07:00", night},
		{"am and pm", "10pm-7am", night},
		{"pm start only", "10 p.m. to 7", night},
		{"words", "22:00 to 07:00", night},
		{"chinese", "晚上10点到早上7点", night},
		{"chinese short", "晚10点-早7点", night},
		{"chinese every day and next day", "每天晚上10点到第二天早上7点", night},
		{"chinese next day", "22点至次日7点", night},
		{"next day", "10pm to 7am the next day", night},
		{"half hours", "22:30-06:30", QuietHours{Start: 22*60 + 30, End: 6*60 + 30}},
		{"night shift's day", "8:00-16:00", QuietHours{Start: 8 * 60, End: 16 * 60}},
		{"night shift's day chinese", "早上8点到下午4点", QuietHours{Start: 8 * 60, End: 16 * 60}},
		{"afternoon end inherits", "下午1点到5点", QuietHours{Start: 13 * 60, End: 17 * 60}},
		{"until midnight", "21:00-24:00", QuietHours{Start: 21 * 60, End: 0}},
		{"from midnight", "0:00-6:00", QuietHours{Start: 0, End: 6 * 60}},
		{"four digits", "2300-0600", QuietHours{Start: 23 * 60, End: 6 * 60}},
		{"off", "off", QuietOff},
		{"OFF", " OFF ", QuietOff},
		{"关", "关", QuietOff},
		{"关闭", "关闭", QuietOff},
		{"不要", "不要。", QuietOff},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseQuietHours(c.text)
			if err != nil {
				t.Fatalf("ParseQuietHours(%q): %v", c.text, err)
			}
			if got != c.want {
				t.Fatalf("ParseQuietHours(%q) = %+v, want %+v", c.text, got, c.want)
			}
		})
	}
}

func TestParseQuietHoursRefuses(t *testing.T) {
	cases := []struct {
		name, text string
		want       error
	}{
		{"empty", "", ErrBadLine},
		{"spaces", "   ", ErrBadLine},
		{"garbage", "hello", ErrBadLine},
		{"one time", "22:00", ErrBadLine},
		{"no dash", "22:00 07:00", ErrBadLine},
		{"three times", "22-7-9", ErrBadLine},
		{"two ranges", "22-7, 13-14", ErrBadLine},
		{"a day", "Sat 22-7", ErrBadLine},
		{"a weekday", "周六 22-7", ErrBadLine},
		{"start is end", "22:00-22:00", ErrQuietEmpty},
		{"bare hours read as 20 hours", "8-4", ErrQuietTooLong},
		{"21 hours", "10-7", ErrQuietTooLong},
		{"midnight to midnight", "0:00-24:00", ErrQuietEmpty},
		{"word that would change a time", "10 in the evening to 7", ErrBadLine},
		{"hour out of range", "25:00-07:00", ErrBadTime},
		{"minutes out of range", "22:75-07:00", ErrBadTime},
		{"pm out of range", "13pm-7am", ErrBadTime},
		{"past 24:00", "22:00-24:30", ErrBadTime},
		{"long", "22:00-07:00 " + string(make([]byte, 80)), ErrBadLine},
		{"cancel is not off", "取消", ErrBadLine},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseQuietHours(c.text)
			if !errors.Is(err, c.want) {
				t.Fatalf("ParseQuietHours(%q) = %+v, %v; want %v", c.text, got, err, c.want)
			}
			if got != (QuietHours{}) {
				t.Fatalf("ParseQuietHours(%q) returned %+v with its error", c.text, got)
			}
		})
	}
}
