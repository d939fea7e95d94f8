package homelink

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// Typed hours are judged line by line against the home's hours: every
// bad line is named with the text as typed, and nothing is added.
func TestAddTypedWindows(t *testing.T) {
	sat := time.Saturday
	existing := []Window{win(sat, "09:00", "11:30")}

	merged, added, err := AddTypedWindows(existing, "周日 9:00-11:00\nMon 18:00-19:00", 15)
	if err != nil {
		t.Fatal(err)
	}
	want := []Window{win(time.Monday, "18:00", "19:00"), win(sat, "09:00", "11:30"), win(time.Sunday, "09:00", "11:00")}
	if !reflect.DeepEqual(merged, want) || len(added) != 2 || added[0].Day != time.Sunday {
		t.Fatalf("merged %v, added %v", merged, added)
	}

	_, _, err = AddTypedWindows(existing, "周六 10:00-12:00\nSun 9-11\n周一 8:00-8:10\nSun 10-12\nhello", 15)
	var lines LineErrors
	if !errors.As(err, &lines) || len(lines) != 4 {
		t.Fatalf("error %v, want four lines", err)
	}
	for i, w := range []struct {
		line int
		text string
		why  error
	}{{1, "周六 10:00-12:00", ErrOverlap}, {3, "周一 8:00-8:10", ErrTooShort}, {4, "Sun 10-12", ErrOverlap}, {5, "hello", ErrBadLine}} {
		if got := lines[i]; got.Line != w.line || got.Text != w.text || !errors.Is(got, w.why) {
			t.Errorf("line %d: %+v, want %+v", i, got, w)
		}
	}
	var first *HoursError
	if !errors.As(err, &first) || first.Line != 1 || !errors.Is(err, ErrTooShort) {
		t.Fatalf("errors.As/Is through LineErrors: %v", err)
	}
	if _, _, err := AddTypedWindows(nil, " \n", 15); !errors.Is(err, ErrBadLine) {
		t.Fatalf("blank: %v", err)
	}
}

func TestSpareMinutes(t *testing.T) {
	for _, c := range []struct {
		w          Window
		slot, want int
		short      bool
	}{
		{win(time.Saturday, "09:00", "11:30"), 20, 10, false},
		{win(time.Saturday, "09:00", "11:30"), 15, 0, false},
		{win(time.Monday, "08:00", "08:10"), 15, 10, true},
		{win(time.Monday, "08:00", "08:15"), 15, 0, false},
	} {
		if got := c.w.SpareMinutes(c.slot); got != c.want || c.w.TooShort(c.slot) != c.short {
			t.Errorf("%v with %d: spare %d short %v, want %d %v", c.w, c.slot, got, c.w.TooShort(c.slot), c.want, c.short)
		}
	}
}

func TestParseSlotMinutes(t *testing.T) {
	for text, want := range map[string]int{"25": 25, "２５分钟": 25, "25 min": 25, "25分": 25, " 60 minutes ": 60, "10mins": 10} {
		if got, err := ParseSlotMinutes(text); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", text, got, err, want)
		}
	}
	for text, want := range map[string]error{"5": ErrBadSlot, "90 min": ErrBadSlot, "abc": ErrBadLine, "25 hours": ErrBadLine, "": ErrBadLine} {
		if _, err := ParseSlotMinutes(text); !errors.Is(err, want) {
			t.Errorf("%q: %v, want %v", text, err, want)
		}
	}
}

// Every bad line of typed closed dates and weekly shifts is named.
func TestTypedRefusesEveryLine(t *testing.T) {
	today := Date{2026, 12, 5}
	_, err := ParseClosed("2027-02-30\n2027-05-01\n2025-01-01 元旦", today)
	var lines LineErrors
	if !errors.As(err, &lines) || len(lines) != 2 || lines[0].Line != 1 || lines[1].Line != 3 || !errors.Is(lines[1], ErrPastDate) {
		t.Fatalf("closed: %v", err)
	}
	_, err = ParseShifts("Mon 25:00-19:00\nTue 07:00-19:00\nFunday 7-19", today)
	if !errors.As(err, &lines) || len(lines) != 2 || lines[1].Line != 3 {
		t.Fatalf("shifts: %v", err)
	}
}
