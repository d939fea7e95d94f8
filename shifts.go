package homelink

import "time"

// Shifts are when a guardian works, in their own time zone: /book offers
// only slots outside them. Either weekly (a day shift Mon–Sat 07:00–19:00,
// a night shift that crosses midnight) or a rotation of blocks of days
// (2 days, 2 nights, 2 off) from a start date.
type Shifts struct {
	// Weekly are shifts that repeat each week. End <= Start means the
	// shift runs past midnight into the next day.
	Weekly []ShiftWindow `json:"w,omitempty"`
	// Rotation, when set, replaces Weekly.
	Rotation *Rotation `json:"r,omitempty"`
}

// ShiftWindow is one weekly shift starting on Day.
type ShiftWindow struct {
	Day   time.Weekday `json:"d"`
	Start int          `json:"s"`
	End   int          `json:"e"`
}

// Rotation is a repeating cycle of blocks starting on Start.
type Rotation struct {
	Start  Date         `json:"s"`
	Blocks []ShiftBlock `json:"b"`
}

// ShiftBlock is Days days of the same shift (Start to End, minutes after
// midnight, crossing midnight when End <= Start), or Days days off.
type ShiftBlock struct {
	Days  int  `json:"n"`
	Off   bool `json:"o,omitempty"`
	Start int  `json:"s"`
	End   int  `json:"e"`
}

// IsZero reports whether no shifts are set.
func (s Shifts) IsZero() bool { return len(s.Weekly) == 0 && s.Rotation == nil }

// ParseShifts reads typed shifts in either language: weekly lines such as
// "Mon-Sat 07:00-19:00" or "周一至周六 7:00-19:00" (a night shift
// "Mon-Fri 19:00-07:00" crosses midnight), or a rotation such as
// "2 days 07:00-19:00, 2 nights 19:00-07:00, 2 off, from 2026-12-01" /
// "白班2天 7:00-19:00，夜班2天 19:00-07:00，休2天，12月1日起".
// TODO(shifts.go): implemented by the domain work.
func ParseShifts(text string, today Date) (Shifts, error) { return Shifts{}, ErrBadLine }

// Overlaps reports whether i meets any shift, reading shifts in loc.
func (s Shifts) Overlaps(i Interval, loc *time.Location) bool { return false }
