package homelink

import (
	"errors"
	"slices"
	"time"
)

// Reminders are the offsets of a home's call reminders: how long before a
// confirmed call the guardian who booked it is reminded (DayAhead, Soon;
// the guardian is also reminded at the start, always), and how long before
// it the home's teachers are nudged. 0 switches one off.
type Reminders struct {
	DayAhead time.Duration `json:"day"`
	Soon     time.Duration `json:"soon"`
	Nudge    time.Duration `json:"nudge"`
}

// DefaultReminders are a home's reminders until its staff change them:
// 24 hours and 1 hour before, and the teachers' nudge 10 minutes before.
var DefaultReminders = Reminders{DayAhead: 24 * time.Hour, Soon: time.Hour, Nudge: 10 * time.Minute}

// The offsets a home may choose from, offered as buttons in /hours (0 is
// "off"). Anything else is refused: a reminder "in 72 hours" for a call
// booked tomorrow helps nobody.
var (
	DayAheadChoices = []time.Duration{48 * time.Hour, 24 * time.Hour, 12 * time.Hour, 0}
	SoonChoices     = []time.Duration{2 * time.Hour, time.Hour, 30 * time.Minute, 0}
	NudgeChoices    = []time.Duration{30 * time.Minute, 15 * time.Minute, 10 * time.Minute, 5 * time.Minute, 0}
)

// ErrBadReminder means an offset that is not among the choices.
var ErrBadReminder = errors.New("homelink: not a reminder time")

// Validate refuses offsets outside the choices.
func (r Reminders) Validate() error {
	if !slices.Contains(DayAheadChoices, r.DayAhead) || !slices.Contains(SoonChoices, r.Soon) ||
		!slices.Contains(NudgeChoices, r.Nudge) {
		return ErrBadReminder
	}
	return nil
}

// ReminderOffsets are the home's reminders: the ones its staff chose, else
// DefaultReminders.
func (h Hours) ReminderOffsets() Reminders {
	if h.Reminders == nil {
		return DefaultReminders
	}
	return *h.Reminders
}

// DigestMinute is when the teachers' morning digest of the day's calls
// comes, in minutes after midnight, home time (08:00).
const DigestMinute = 8 * 60

// DigestOn is when the morning digest of day comes in loc: DigestMinute
// on its wall clock.
func DigestOn(day Date, loc *time.Location) time.Time {
	return time.Date(day.Year, day.Month, day.Day, DigestMinute/60, DigestMinute%60, 0, 0, loc)
}

// NextDigest is the first DigestMinute in loc after t: when a home's
// next morning digest comes.
func NextDigest(t time.Time, loc *time.Location) time.Time {
	day := DateOf(t.In(loc))
	if at := DigestOn(day, loc); at.After(t) {
		return at
	}
	return DigestOn(DateOf(day.In(time.UTC).AddDate(0, 0, 1)), loc)
}

// ReminderLateAfter is how late a reminder may be sent before it says it
// is late (homelink was down at its time).
const ReminderLateAfter = 5 * time.Minute

// CallAnswer is what a guardian answered a reminder: they will be there,
// or they cannot make it ("" before they answer; a move clears it).
type CallAnswer string

// The answers.
const (
	AnswerNone CallAnswer = ""
	AnswerYes  CallAnswer = "yes"
	AnswerNo   CallAnswer = "no"
)

// QuietHours are when a person wants no notices: Start to End, minutes
// after midnight in their own zone, across midnight when End is not after
// Start (22:00–07:00), or within a day (a night-shift parent's 08:00–16:00).
// Start == End means off.
type QuietHours struct {
	Start int `json:"s"`
	End   int `json:"e"`
}

// DefaultQuietHours are everyone's until they change them: 22:00–07:00.
var DefaultQuietHours = QuietHours{Start: 22 * 60, End: 7 * 60}

// QuietOff is quiet hours switched off.
var QuietOff = QuietHours{}

// Off reports whether quiet hours are switched off.
func (q QuietHours) Off() bool { return q.Start == q.End }

// Until reports whether t falls in the quiet hours read in loc and, if so,
// the moment they end. The hours are wall-clock times on each day, so a
// change of the clocks moves them with the day.
func (q QuietHours) Until(t time.Time, loc *time.Location) (time.Time, bool) {
	if q.Off() {
		return time.Time{}, false
	}
	local := t.In(loc)
	y, m, d := local.Date()
	at := func(day, minute int) time.Time {
		return time.Date(y, m, d+day, minute/60, minute%60, 0, 0, loc)
	}
	// The quiet stretch that began today and the one that began yesterday
	// are the only ones t can be in.
	for _, day := range []int{0, -1} {
		start := at(day, q.Start)
		end := at(day, q.End)
		if q.End <= q.Start {
			end = at(day+1, q.End)
		}
		if !t.Before(start) && t.Before(end) {
			return end, true
		}
	}
	return time.Time{}, false
}

// QuietHours are the user's quiet hours: the ones they chose, else
// DefaultQuietHours.
func (u User) QuietHours() QuietHours {
	if u.Quiet == nil {
		return DefaultQuietHours
	}
	return *u.Quiet
}

// DueCall is what telling a call's guardian and its home's teachers about
// it needs, read at one moment in one round trip: the call, its home's
// reminder offsets (Hours.ReminderOffsets, as the store planned the
// call's reminders with them), the home with its staff, zone and calling
// instructions (its Children and Guardians counts are not read, and are
// 0), the child (the zero Child when it was removed meanwhile), and the
// guardian who booked the call.
type DueCall struct {
	Call      Booking
	Reminders Reminders
	Home      Home
	Child     Child
	Guardian  User
}
