package homelink

import (
	"slices"
	"testing"
	"time"
)

func TestFree(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	sat := Date{2026, 12, 5}.In(shanghai) // a Saturday
	at := func(hm string) time.Time { return sat.Add(time.Duration(mustClock(hm)) * time.Minute) }
	call := func(start string, minutes int) Interval {
		return Interval{at(start), at(start).Add(time.Duration(minutes) * time.Minute)}
	}
	hours := Hours{SlotMinutes: 15, Lines: 2, Windows: []Window{win(time.Saturday, "09:00", "11:00")}}
	clocks := func(ts []time.Time) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.In(shanghai).Format("15:04"))
		}
		return out
	}
	all := []string{"09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30", "10:45"}
	cases := []struct {
		name       string
		taken      []Interval
		busy       []Interval
		shifts     Shifts
		personal   *time.Location
		want       []string
		wantHidden int
	}{
		{name: "all free", want: all},
		{name: "one call leaves a line", taken: []Interval{call("09:00", 15)}, want: all},
		{name: "two calls fill a slot", taken: []Interval{call("09:00", 15), call("09:00", 15)},
			want: all[1:]},
		{name: "calls of different lengths", taken: []Interval{call("09:00", 60), call("09:30", 15), call("09:40", 30)},
			want: []string{"09:00", "09:15", "10:00", "10:15", "10:30", "10:45"}},
		{name: "touching calls do not count", taken: []Interval{call("08:45", 15), call("08:45", 15), call("09:15", 15), call("09:15", 15)},
			want: []string{"09:00", "09:30", "09:45", "10:00", "10:15", "10:30", "10:45"}},
		{name: "unsorted calls", taken: []Interval{call("10:30", 30), call("09:00", 30), call("10:30", 15), call("09:15", 15)},
			want: []string{"09:00", "09:30", "09:45", "10:00", "10:15", "10:45"}},
		{name: "child busy", busy: []Interval{call("09:50", 20)},
			want: []string{"09:00", "09:15", "09:30", "10:15", "10:30", "10:45"}},
		{name: "day shift hides the morning", shifts: Shifts{Weekly: []ShiftWindow{{time.Saturday, 420, 600}}},
			want: []string{"10:00", "10:15", "10:30", "10:45"}, wantHidden: 4},
		{name: "hidden counts only free slots", shifts: Shifts{Weekly: []ShiftWindow{{time.Saturday, 420, 600}}},
			taken: []Interval{call("09:00", 30), call("09:00", 30)},
			want:  []string{"10:00", "10:15", "10:30", "10:45"}, wantHidden: 2},
		{name: "night shift from Friday", shifts: Shifts{Weekly: []ShiftWindow{{time.Friday, 1260, 570}}},
			want: []string{"09:30", "09:45", "10:00", "10:15", "10:30", "10:45"}, wantHidden: 2},
		{name: "shift read in the guardian's zone", personal: mustZone(t, "Europe/Madrid"),
			// Madrid is 7 hours behind: a night shift 20:00-03:00 there
			// is 03:00-10:00 in Shanghai.
			shifts: Shifts{Weekly: []ShiftWindow{{time.Friday, 1200, 180}}},
			want:   []string{"10:00", "10:15", "10:30", "10:45"}, wantHidden: 4},
		{name: "rotation off day", shifts: Shifts{Rotation: &Rotation{Start: Date{2026, 12, 1},
			Blocks: []ShiftBlock{{Days: 2, Start: 420, End: 1140}, {Days: 2, Start: 1140, End: 420}, {Days: 2, Off: true}}}},
			// Dec 5 is the rotation's fifth day: off, after Dec 4's night until 07:00.
			want: all},
		{name: "rotation work day", shifts: Shifts{Rotation: &Rotation{Start: Date{2026, 12, 4},
			Blocks: []ShiftBlock{{Days: 2, Start: 420, End: 600}, {Days: 2, Off: true}}}},
			want: []string{"10:00", "10:15", "10:30", "10:45"}, wantHidden: 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := Availability{Hours: hours, Zone: shanghai, Taken: c.taken, ChildBusy: c.busy}
			free, hidden := a.Free(sat, sat.AddDate(0, 0, 1), c.shifts, c.personal)
			if got := clocks(free); !slices.Equal(got, c.want) || hidden != c.wantHidden {
				t.Fatalf("Free = %v, hidden %d; want %v, hidden %d", got, hidden, c.want, c.wantHidden)
			}
			// FreeAt does not read shifts: it agrees with Free without them.
			unshifted, _ := a.Free(sat, sat.AddDate(0, 0, 1), Shifts{}, nil)
			if len(unshifted) != len(free)+hidden {
				t.Fatalf("%d free without shifts, %d free and %d hidden with them", len(unshifted), len(free), hidden)
			}
			for _, s := range a.Hours.Slots(shanghai, sat, sat.AddDate(0, 0, 1)) {
				want := slices.ContainsFunc(unshifted, s.Equal)
				if got := a.FreeAt(s); got != want {
					t.Errorf("FreeAt(%s) = %v, want %v", s.In(shanghai).Format("15:04"), got, want)
				}
			}
		})
	}
	t.Run("no zones", func(t *testing.T) {
		a := Availability{Hours: hours}
		day := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
		free, hidden := a.Free(day, day.AddDate(0, 0, 1), Shifts{Weekly: []ShiftWindow{{time.Saturday, 540, 600}}}, nil)
		if len(free) != 4 || hidden != 4 || free[0].Hour() != 10 {
			t.Fatalf("Free in UTC = %v, hidden %d", free, hidden)
		}
	})
	t.Run("FreeAt refuses what is not a slot", func(t *testing.T) {
		a := Availability{Hours: hours, Zone: shanghai}
		if a.FreeAt(at("09:05")) || a.FreeAt(at("11:00")) || a.FreeAt(at("09:00").AddDate(0, 0, 1)) {
			t.Fatal("FreeAt true off the slots")
		}
	})
}

// BenchmarkFreeSlots lists 14 days of 40 slots (08:00-18:00 every day,
// 15-minute slots, 5 lines) with 500 calls spread over them.
func BenchmarkFreeSlots(b *testing.B) {
	shanghai := mustZone(b, "Asia/Shanghai")
	var ws []Window
	for d := time.Sunday; d <= time.Saturday; d++ {
		ws = append(ws, win(d, "08:00", "18:00"))
	}
	h := Hours{SlotMinutes: 15, Lines: 5, Windows: ws}
	from := Date{2026, 12, 5}.In(shanghai)
	to := from.AddDate(0, 0, BookingDays)
	slots := h.Slots(shanghai, from, to)
	if len(slots) != 14*40 {
		b.Fatalf("%d slots", len(slots))
	}
	a := Availability{Hours: h, Zone: shanghai}
	for i := range 500 {
		s := slots[(i*7919)%len(slots)]
		a.Taken = append(a.Taken, Interval{s, s.Add(15 * time.Minute)})
	}
	slices.SortFunc(a.Taken, func(x, y Interval) int { return x.Start.Compare(y.Start) })
	a.ChildBusy = a.Taken[:2]
	shifts := Shifts{Weekly: []ShiftWindow{{time.Monday, 420, 1140}, {time.Friday, 1140, 420}}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		free, _ := a.Free(from, to, shifts, nil)
		if len(free) == 0 {
			b.Fatal("nothing free")
		}
	}
}
