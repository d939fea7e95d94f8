package homelink

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func win(d time.Weekday, start, end string) Window {
	return Window{Day: d, Start: mustClock(start), End: mustClock(end)}
}

func mustClock(s string) int {
	var h, m int
	h = int(s[0]-'0')*10 + int(s[1]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	return h*60 + m
}

func weekdays(start, end string, days ...time.Weekday) []Window {
	var out []Window
	for _, d := range days {
		out = append(out, win(d, start, end))
	}
	return out
}

var monToFri = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func TestParseWindows(t *testing.T) {
	sat := time.Saturday
	cases := []struct {
		name, text string
		want       []Window
	}{
		{"english", "Sat 09:00-11:30", []Window{win(sat, "09:00", "11:30")}},
		{"chinese", "周六 9:00-11:30", []Window{win(sat, "09:00", "11:30")}},
		{"full name lower case", "saturday 9:00-11:30", []Window{win(sat, "09:00", "11:30")}},
		{"capitals", "SAT 9:00-11:30", []Window{win(sat, "09:00", "11:30")}},
		{"tues thurs", "Tues 9-10; Thurs 14-16", []Window{win(time.Tuesday, "09:00", "10:00"), win(time.Thursday, "14:00", "16:00")}},
		{"english list", "Sat, Sun 14:00-17:00", weekdays("14:00", "17:00", sat, time.Sunday)},
		{"slash list", "Sat/Sun 14:00-17:00", weekdays("14:00", "17:00", sat, time.Sunday)},
		{"chinese list", "周六、周日 14:00-17:00", weekdays("14:00", "17:00", sat, time.Sunday)},
		{"english range", "Mon-Fri 18:00-20:00", weekdays("18:00", "20:00", monToFri...)},
		{"chinese range 至", "周一至周五 18:00-20:00", weekdays("18:00", "20:00", monToFri...)},
		{"chinese range 到", "周一到周五 18:00-20:00", weekdays("18:00", "20:00", monToFri...)},
		{"chinese short range", "周一至五 18:00-20:00", weekdays("18:00", "20:00", monToFri...)},
		{"星期", "星期一 9:00-10:00", []Window{win(time.Monday, "09:00", "10:00")}},
		{"星期天", "星期天 9:00-10:00", []Window{win(time.Sunday, "09:00", "10:00")}},
		{"礼拜天", "礼拜天 9:00-10:00", []Window{win(time.Sunday, "09:00", "10:00")}},
		{"周天", "周天 9:00-10:00", []Window{win(time.Sunday, "09:00", "10:00")}},
		{"range wraps", "Fri-Mon 9-10", weekdays("09:00", "10:00", time.Monday, time.Friday, sat, time.Sunday)},
		{"bare hours", "Sat 9-11", []Window{win(sat, "09:00", "11:00")}},
		{"leading zero", "Sat 09:00-11:00", []Window{win(sat, "09:00", "11:00")}},
		{"点", "周六 9点-11点", []Window{win(sat, "09:00", "11:00")}},
		{"点30", "周六 9点30-11点", []Window{win(sat, "09:30", "11:00")}},
		{"点半", "周六 9点半-11点半", []Window{win(sat, "09:30", "11:30")}},
		{"点分", "周六 9点15分到11点", []Window{win(sat, "09:15", "11:00")}},
		{"dot", "Sat 9.30-11.30", []Window{win(sat, "09:30", "11:30")}},
		{"h", "Sat 09h30-11h", []Window{win(sat, "09:30", "11:00")}},
		{"full width", "周六 ９：００～１１：３０", []Window{win(sat, "09:00", "11:30")}},
		{"上午", "周六 上午9点到11点", []Window{win(sat, "09:00", "11:00")}},
		{"下午 carries", "周六 下午2点到5点", []Window{win(sat, "14:00", "17:00")}},
		{"晚上", "周六 晚上7点-9点", []Window{win(sat, "19:00", "21:00")}},
		{"上午 to 下午", "周六 上午10点到下午2点", []Window{win(sat, "10:00", "14:00")}},
		{"pm", "Sat 2pm-5pm", []Window{win(sat, "14:00", "17:00")}},
		{"pm minutes", "Sat 2:30pm-4:45pm", []Window{win(sat, "14:30", "16:45")}},
		{"pm on end only", "Sat 2-5pm", []Window{win(sat, "14:00", "17:00")}},
		{"am to pm", "Sat 11am-1pm", []Window{win(sat, "11:00", "13:00")}},
		{"24:00 end", "Sat 22:00-24:00", []Window{win(sat, "22:00", "00:00")}},
		{"en dash", "Sat 9:00–11:00", []Window{win(sat, "09:00", "11:00")}},
		{"em dash", "Sat 9:00—11:00", []Window{win(sat, "09:00", "11:00")}},
		{"tilde", "Sat 9:00~11:00", []Window{win(sat, "09:00", "11:00")}},
		{"full width tilde", "Sat 9:00～11:00", []Window{win(sat, "09:00", "11:00")}},
		{"to", "Sat 9:00 to 11:00", []Window{win(sat, "09:00", "11:00")}},
		{"two lines", "Sat 9-11\nSun 14-17", []Window{win(sat, "09:00", "11:00"), win(time.Sunday, "14:00", "17:00")}},
		{"semicolon", "Sat 9-11; Sun 14-17", []Window{win(sat, "09:00", "11:00"), win(time.Sunday, "14:00", "17:00")}},
		{"full width semicolon", "周六 9-11；周日 14-17", []Window{win(sat, "09:00", "11:00"), win(time.Sunday, "14:00", "17:00")}},
		{"chinese comma", "周六 9-11，周日 14-17", []Window{win(sat, "09:00", "11:00"), win(time.Sunday, "14:00", "17:00")}},
		{"comma", "Sat 9-11, Sun 14-17", []Window{win(sat, "09:00", "11:00"), win(time.Sunday, "14:00", "17:00")}},
		{"two ranges one day", "Sat 9-11, 14-17", []Window{win(sat, "09:00", "11:00"), win(sat, "14:00", "17:00")}},
		{"empty lines skipped", "\n\nSat 9-11\n  \n", []Window{win(sat, "09:00", "11:00")}},
		{"weekends", "weekends 9-11", weekdays("09:00", "11:00", sat, time.Sunday)},
		{"周末", "周末 9-11", weekdays("09:00", "11:00", sat, time.Sunday)},
		{"touching", "Sat 9-10, 10-11", []Window{win(sat, "09:00", "10:00"), win(sat, "10:00", "11:00")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseWindows(c.text)
			if err != nil {
				t.Fatalf("ParseWindows(%q): %v", c.text, err)
			}
			want := c.want
			for i := range want {
				if want[i].End == 0 {
					want[i].End = 24 * 60
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("ParseWindows(%q) = %v, want %v", c.text, got, want)
			}
		})
	}
}

func TestParseWindowsRefuses(t *testing.T) {
	many := ""
	for _, d := range []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} {
		many += d + " 1-2, 2-3, 3-4, 4-5\n"
	}
	many += "Mon 5-6\n"
	cases := []struct {
		name, text string
		line       int
		want       error
	}{
		{"unknown day", "Sxt 9-11", 1, ErrUnknownDay},
		{"unknown chinese day", "周八 9-11", 1, ErrUnknownDay},
		{"no day", "9:00-11:00", 1, ErrUnknownDay},
		{"hour 25", "Sat 25:00-26:00", 1, ErrBadTime},
		{"minute 75", "Sat 9:75-10:00", 1, ErrBadTime},
		{"13pm", "Sat 13pm-14pm", 1, ErrBadTime},
		{"24:30", "Sat 22:00-24:30", 1, ErrBadTime},
		{"start 24:00", "Sat 24:00-24:00", 1, ErrBadTime},
		{"end before start", "Sat 11-9", 1, ErrEndBeforeStart},
		{"end equals start", "Sat 9:00-9:00", 1, ErrEndBeforeStart},
		{"nonsense", "hello", 1, ErrBadLine},
		{"chinese nonsense", "你好", 1, ErrBadLine},
		{"only a day", "Sat", 1, ErrBadLine},
		{"no end", "Sat 9:00", 1, ErrBadLine},
		{"trailing word", "Sat 9-11 please", 1, ErrBadLine},
		{"second line refused", "Sat 9-11\nSun 14-99", 2, ErrBadTime},
		{"overlap in text", "Sat 9-11\nSat 10-12", 2, ErrOverlap},
		{"too many", many, 8, ErrTooMany},
		{"empty", "", 1, ErrBadLine},
		{"blank", " \n \n", 1, ErrBadLine},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseWindows(c.text)
			var he *HoursError
			if !errors.As(err, &he) || !errors.Is(err, c.want) || he.Line != c.line {
				t.Fatalf("ParseWindows(%q) = %v, %v; want line %d %v", c.text, got, err, c.line, c.want)
			}
			if got != nil {
				t.Fatalf("ParseWindows(%q) returned windows with an error", c.text)
			}
		})
	}
}

func TestAddWindows(t *testing.T) {
	sat, sun := time.Saturday, time.Sunday
	existing := []Window{win(sun, "14:00", "17:00"), win(sat, "09:00", "10:00")}
	t.Run("merges and sorts Monday first", func(t *testing.T) {
		got, err := AddWindows(existing, []Window{win(sat, "10:00", "11:00"), win(time.Monday, "18:00", "20:00")})
		if err != nil {
			t.Fatal(err)
		}
		want := []Window{win(time.Monday, "18:00", "20:00"), win(sat, "09:00", "10:00"), win(sat, "10:00", "11:00"), win(sun, "14:00", "17:00")}
		if !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		if existing[0].Day != sun {
			t.Fatal("AddWindows changed existing")
		}
	})
	refusals := []struct {
		name  string
		added []Window
		line  int
		want  error
	}{
		{"overlap with existing", []Window{win(time.Monday, "09:00", "10:00"), win(sat, "09:30", "10:30")}, 2, ErrOverlap},
		{"overlap within added", []Window{win(sat, "12:00", "13:00"), win(sat, "12:30", "13:30")}, 2, ErrOverlap},
		{"same window twice", []Window{win(sat, "09:00", "10:00")}, 1, ErrOverlap},
		{"end before start", []Window{{Day: sat, Start: 600, End: 540}}, 1, ErrEndBeforeStart},
		{"bad time", []Window{{Day: sat, Start: 600, End: 1500}}, 1, ErrBadTime},
		{"bad day", []Window{{Day: 9, Start: 600, End: 700}}, 1, ErrUnknownDay},
	}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			got, err := AddWindows(existing, c.added)
			var he *HoursError
			if !errors.As(err, &he) || !errors.Is(err, c.want) || he.Line != c.line || got != nil {
				t.Fatalf("AddWindows = %v, %v; want line %d %v", got, err, c.line, c.want)
			}
		})
	}
	t.Run("too many", func(t *testing.T) {
		var added []Window
		for i := range MaxWindows - 1 {
			added = append(added, Window{Day: time.Monday, Start: i * 30, End: i*30 + 30})
		}
		_, err := AddWindows(existing, added)
		var he *HoursError
		if !errors.As(err, &he) || !errors.Is(err, ErrTooMany) || he.Line != MaxWindows-1 {
			t.Fatalf("AddWindows: %v, want ErrTooMany at line %d", err, MaxWindows-1)
		}
	})
}

func TestHoursValidate(t *testing.T) {
	good := Hours{SlotMinutes: 15, Lines: 2, Windows: []Window{win(time.Saturday, "09:00", "11:30")},
		Closed: []DateRange{{From: Date{2027, 2, 10}, To: Date{2027, 2, 17}, Note: "春节"}}}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
	if err := DefaultHours().Validate(); err != nil {
		t.Fatalf("Validate(default) = %v", err)
	}
	cases := []struct {
		name string
		edit func(*Hours)
		want error
	}{
		{"slot too short", func(h *Hours) { h.SlotMinutes = 5 }, ErrBadSlot},
		{"slot too long", func(h *Hours) { h.SlotMinutes = 90 }, ErrBadSlot},
		{"no lines", func(h *Hours) { h.Lines = 0 }, ErrBadLines},
		{"too many lines", func(h *Hours) { h.Lines = 11 }, ErrBadLines},
		{"window backwards", func(h *Hours) { h.Windows = []Window{{Day: 1, Start: 600, End: 500}} }, ErrEndBeforeStart},
		{"window past midnight", func(h *Hours) { h.Windows = []Window{{Day: 1, Start: 600, End: 1441}} }, ErrBadTime},
		{"windows overlap", func(h *Hours) {
			h.Windows = []Window{win(1, "09:00", "10:00"), win(1, "09:59", "11:00")}
		}, ErrOverlap},
		{"too many windows", func(h *Hours) { h.Windows = make([]Window, MaxWindows+1) }, ErrTooMany},
		{"31 Feb", func(h *Hours) { h.Closed = []DateRange{{From: Date{2027, 2, 31}, To: Date{2027, 3, 1}}} }, ErrBadDate},
		{"closed backwards", func(h *Hours) { h.Closed = []DateRange{{From: Date{2027, 3, 1}, To: Date{2027, 2, 1}}} }, ErrEndBeforeStart},
		{"too many closed", func(h *Hours) { h.Closed = make([]DateRange, MaxClosed+1) }, ErrTooMany},
		{"note too long", func(h *Hours) { h.Closed[0].Note = strings.Repeat("节", MaxClosedNote+1) }, ErrBadLine},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := good
			h.Closed = slices.Clone(good.Closed)
			c.edit(&h)
			if err := h.Validate(); !errors.Is(err, c.want) {
				t.Fatalf("Validate = %v, want %v", err, c.want)
			}
		})
	}
}
