package homelink

import (
	"slices"
	"testing"
	"time"
)

// The weeks these tests use: 2026-12-05 and 2027-03-27 are Saturdays;
// Madrid springs forward on Sunday 2027-03-28 (02:00 → 03:00) and falls
// back on Sunday 2027-10-31 (03:00 → 02:00); New York on 2027-03-14 and
// 2027-11-07.

func wall(ts []time.Time, loc *time.Location) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.In(loc).Format("01-02 15:04 -0700"))
	}
	return out
}

func TestSlots(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	sat := Date{2026, 12, 5}.In(shanghai)
	week := sat.AddDate(0, 0, 7)
	hours := Hours{SlotMinutes: 20, Lines: 1, Windows: []Window{win(time.Saturday, "09:00", "10:00"), win(time.Sunday, "14:00", "15:10")}}
	t.Run("whole slots only", func(t *testing.T) {
		got := wall(hours.Slots(shanghai, sat, week), shanghai)
		want := []string{"12-05 09:00 +0800", "12-05 09:20 +0800", "12-05 09:40 +0800",
			"12-06 14:00 +0800", "12-06 14:20 +0800", "12-06 14:40 +0800"}
		if !slices.Equal(got, want) {
			t.Fatalf("Slots = %v, want %v", got, want)
		}
	})
	t.Run("from and to bound the starts", func(t *testing.T) {
		got := wall(hours.Slots(shanghai, sat.Add(9*time.Hour+time.Minute), sat.Add(24*time.Hour+14*time.Hour+20*time.Minute)), shanghai)
		want := []string{"12-05 09:20 +0800", "12-05 09:40 +0800", "12-06 14:00 +0800"}
		if !slices.Equal(got, want) {
			t.Fatalf("Slots = %v, want %v", got, want)
		}
	})
	t.Run("closed days skipped", func(t *testing.T) {
		h := hours
		h.Closed = []DateRange{{From: Date{2026, 12, 6}, To: Date{2026, 12, 6}}}
		got := wall(h.Slots(shanghai, sat, week), shanghai)
		if len(got) != 3 || got[2] != "12-05 09:40 +0800" {
			t.Fatalf("Slots = %v, want Saturday's only", got)
		}
		if !h.ClosedOn(Date{2026, 12, 6}) || h.ClosedOn(Date{2026, 12, 5}) || h.ClosedOn(Date{2026, 12, 7}) {
			t.Fatal("ClosedOn wrong")
		}
	})
	t.Run("in another zone's view", func(t *testing.T) {
		madrid := mustZone(t, "Europe/Madrid")
		got := hours.Slots(shanghai, sat.In(madrid), week.In(madrid))
		if len(got) != 6 || !got[0].Equal(sat.Add(9*time.Hour)) {
			t.Fatalf("Slots from Madrid times = %v", wall(got, shanghai))
		}
	})
	t.Run("unsorted windows", func(t *testing.T) {
		h := hours
		h.Windows = []Window{h.Windows[1], h.Windows[0]}
		if got := h.Slots(shanghai, sat, week); len(got) != 6 || !slices.IsSortedFunc(got, time.Time.Compare) {
			t.Fatalf("Slots = %v", wall(got, shanghai))
		}
	})
	t.Run("no windows", func(t *testing.T) {
		if got := DefaultHours().Slots(shanghai, sat, week); got != nil {
			t.Fatalf("Slots = %v", got)
		}
	})
}

func TestSlotsDaylightSaving(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	newYork := mustZone(t, "America/New_York")
	cases := []struct {
		name string
		loc  *time.Location
		day  Date
		want []string
	}{
		{"Madrid spring forward", madrid, Date{2027, 3, 28}, []string{
			"03-28 01:00 +0100", "03-28 01:30 +0100", "03-28 03:00 +0200", "03-28 03:30 +0200"}},
		{"Madrid fall back", madrid, Date{2027, 10, 31}, []string{
			"10-31 01:00 +0200", "10-31 01:30 +0200", "10-31 02:00 +0200", "10-31 02:30 +0200", "10-31 03:00 +0100", "10-31 03:30 +0100"}},
		{"New York spring forward", newYork, Date{2027, 3, 14}, []string{
			"03-14 01:00 -0500", "03-14 01:30 -0500", "03-14 03:00 -0400", "03-14 03:30 -0400"}},
		{"New York fall back", newYork, Date{2027, 11, 7}, []string{
			"11-07 01:00 -0400", "11-07 01:30 -0400", "11-07 02:00 -0500", "11-07 02:30 -0500", "11-07 03:00 -0500", "11-07 03:30 -0500"}},
		{"Madrid day after", madrid, Date{2027, 3, 29}, []string{
			"03-29 01:00 +0200", "03-29 01:30 +0200", "03-29 02:00 +0200", "03-29 02:30 +0200", "03-29 03:00 +0200", "03-29 03:30 +0200"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wd := c.day.In(time.UTC).Weekday()
			h := Hours{SlotMinutes: 30, Lines: 1, Windows: []Window{win(wd, "01:00", "04:00")}}
			from := c.day.In(c.loc)
			slots := h.Slots(c.loc, from, from.Add(30*time.Hour))
			if got := wall(slots, c.loc); !slices.Equal(got, c.want) {
				t.Fatalf("Slots = %v, want %v", got, c.want)
			}
			if !slices.IsSortedFunc(slots, time.Time.Compare) {
				t.Fatal("slots out of order")
			}
			for _, s := range slots {
				if !h.IsSlot(c.loc, s) {
					t.Errorf("IsSlot(%v) = false", s)
				}
				if h.IsSlot(c.loc, s.Add(time.Hour)) && !slices.ContainsFunc(slots, s.Add(time.Hour).Equal) {
					t.Errorf("IsSlot(%v) = true, not a slot", s.Add(time.Hour))
				}
			}
		})
	}
	t.Run("second occurrence is not a slot", func(t *testing.T) {
		h := Hours{SlotMinutes: 30, Lines: 1, Windows: []Window{win(time.Sunday, "01:00", "04:00")}}
		first := time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC) // 02:00 CEST
		if !h.IsSlot(madrid, first) {
			t.Fatalf("IsSlot(%v) = false", first.In(madrid))
		}
		if second := first.Add(time.Hour); h.IsSlot(madrid, second) {
			t.Fatalf("IsSlot(%v) = true for the repeated hour", second.In(madrid))
		}
	})
}

func TestIsSlot(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	h := Hours{SlotMinutes: 15, Lines: 1, Windows: []Window{win(time.Saturday, "09:00", "11:30")},
		Closed: []DateRange{{From: Date{2026, 12, 12}, To: Date{2026, 12, 12}}}}
	at := func(s string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04:05", s, shanghai)
		return tm
	}
	cases := []struct {
		name, at string
		want     bool
	}{
		{"first slot", "2026-12-05 09:00:00", true},
		{"last slot", "2026-12-05 11:15:00", true},
		{"window end", "2026-12-05 11:30:00", false},
		{"between slots", "2026-12-05 09:10:00", false},
		{"seconds", "2026-12-05 09:15:01", false},
		{"other day", "2026-12-06 09:00:00", false},
		{"before window", "2026-12-05 08:45:00", false},
		{"closed day", "2026-12-12 09:00:00", false},
		{"next week", "2026-12-19 09:00:00", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := h.IsSlot(shanghai, at(c.at)); got != c.want {
				t.Fatalf("IsSlot(%s) = %v, want %v", c.at, got, c.want)
			}
		})
	}
	if !h.IsSlot(shanghai, at("2026-12-05 09:00:00").In(time.UTC)) {
		t.Fatal("IsSlot depends on the time's location")
	}
}
