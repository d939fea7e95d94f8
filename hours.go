package homelink

import (
	"errors"
	"time"
)

// Call hours: when a home can host calls. A home publishes weekly windows
// (Saturday 09:00–11:30) in its own time zone, cut into slots of one
// length, each able to host Lines calls at once (one per phone or
// tablet), except on closed dates.

// Limits and defaults of call hours.
const (
	MinSlotMinutes     = 10
	MaxSlotMinutes     = 60
	DefaultSlotMinutes = 15
	MinLines           = 1
	MaxLines           = 10
	DefaultLines       = 1
	// MaxWindows bounds a home's weekly windows.
	MaxWindows = 28
	// MaxClosed bounds a home's closed dates and ranges.
	MaxClosed = 30
	// BookingDays is how far ahead /book offers days.
	BookingDays = 14
)

// Window is one weekly stretch of call hours, in the home's local time:
// Start and End are minutes after local midnight, End after Start, both
// within the day (End may be 24*60).
type Window struct {
	Day        time.Weekday
	Start, End int
}

// Date is a calendar date with no time or zone (a closed day is closed in
// the home's zone, whatever zone a reader is in).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is t's date in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// In is local midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// String is d as 2006-01-02.
func (d Date) String() string { return d.In(time.UTC).Format(time.DateOnly) }

// DateRange is closed dates, From to To inclusive (From == To for one
// day). Note is an optional label ("Spring Festival").
type DateRange struct {
	From, To Date
	Note     string
}

// Hours is a home's call hours.
type Hours struct {
	Windows []Window
	// SlotMinutes is every slot's length.
	SlotMinutes int
	// Lines is how many calls the home can host at once.
	Lines int
	// Closed lists closed dates and ranges.
	Closed []DateRange
	// AutoConfirm confirms requests without a teacher.
	AutoConfirm bool
	// Reminders are the home's reminder offsets (nil: DefaultReminders;
	// see ReminderOffsets).
	Reminders *Reminders `json:"rem,omitempty"`
	// Set is false for a home that never set its hours.
	Set bool
	// Version is the stored hours' version, as read (never stored in the
	// JSON): a change is refused with ErrStateChanged when the hours
	// changed since; 0 writes without that check.
	Version int64 `json:"-"`
}

// DefaultHours are a home's hours before anyone set them: no windows.
func DefaultHours() Hours {
	return Hours{SlotMinutes: DefaultSlotMinutes, Lines: DefaultLines}
}

// Errors of call hours. A *HoursError carries which line of typed text was
// refused and why; errors.Is finds the reason.
var (
	ErrUnknownDay     = errors.New("homelink: unknown day")
	ErrBadTime        = errors.New("homelink: not a time of day")
	ErrEndBeforeStart = errors.New("homelink: end before start")
	ErrOverlap        = errors.New("homelink: windows overlap")
	ErrBadLine        = errors.New("homelink: line not understood")
	ErrBadSlot        = errors.New("homelink: slot length out of range")
	ErrBadLines       = errors.New("homelink: lines out of range")
	ErrTooMany        = errors.New("homelink: too many entries")
	ErrBadDate        = errors.New("homelink: not a date")
	ErrPastDate       = errors.New("homelink: date in the past")
)

// HoursError is a refused line of typed hours, shifts or dates.
type HoursError struct {
	// Line is the 1-based line number; Text the line as typed.
	Line int
	Text string
	Err  error
}

func (e *HoursError) Error() string { return "homelink: line " + e.Text + ": " + e.Err.Error() }
func (e *HoursError) Unwrap() error { return e.Err }

// The functions below are the contract the bot and the store build on;
// hours_parse.go, slots.go and shifts.go implement them.

// Interval is a stretch of time: a call, a shift.
type Interval struct{ Start, End time.Time }

// Overlaps reports whether i and j share any moment (touching ends do not).
func (i Interval) Overlaps(j Interval) bool { return i.Start.Before(j.End) && j.Start.Before(i.End) }
