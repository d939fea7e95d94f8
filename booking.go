package homelink

import (
	"errors"
	"time"
)

// Calls between a parent and a child, booked in a home's call hours.

// CallKind is how the call is made.
type CallKind string

// The kinds of call a parent chooses from.
const (
	VideoCall CallKind = "video"
	VoiceCall CallKind = "voice"
	TextChat  CallKind = "text"
)

// CallKinds lists them in the order they are offered.
var CallKinds = []CallKind{VideoCall, VoiceCall, TextChat}

// Valid reports whether k is one of CallKinds.
func (k CallKind) Valid() bool { return k == VideoCall || k == VoiceCall || k == TextChat }

// BookingState is where a call is in its life.
type BookingState string

// A call is requested, then confirmed, declined or expired; a confirmed
// call is held, missed or cancelled. Rescheduling moves a call and keeps
// its id.
const (
	Requested BookingState = "requested"
	Confirmed BookingState = "confirmed"
	Declined  BookingState = "declined"
	Expired   BookingState = "expired"
	Held      BookingState = "held"
	Missed    BookingState = "missed"
	Cancelled BookingState = "cancelled"
)

// BookingStates lists every state, in the order counts are shown.
var BookingStates = []BookingState{Requested, Confirmed, Declined, Expired, Held, Missed, Cancelled}

// Active reports whether a call in state s holds its slot: requested or
// confirmed.
func (s BookingState) Active() bool { return s == Requested || s == Confirmed }

// Limits of booking.
const (
	// MaxNote bounds a parent's note for the teacher.
	MaxNote = 200
	// MaxReason bounds a cancellation's reason.
	MaxReason = 200
	// DefaultMaxUpcoming is how many upcoming calls a guardian may hold per
	// child (MAX_UPCOMING_PER_CHILD).
	DefaultMaxUpcoming = 2
	// MaxProposals is how many other times a teacher may propose.
	MaxProposals = 3
	// SeriesWeeks is how far ahead a standing weekly call's occurrences
	// exist.
	SeriesWeeks = 4
	// DefaultHistoryRetention is how long a call is kept after its time
	// (BOOKING_HISTORY_RETENTION).
	DefaultHistoryRetention = 365 * 24 * time.Hour
	// MarkAgainAfter is how long after a call's end the teachers are asked
	// again to mark it held or missed.
	MarkAgainAfter = 2 * time.Hour
)

// Booking is one call of a child with a guardian at a home.
type Booking struct {
	ID, HomeID, ChildID int64
	// Guardian booked it.
	Guardian int64
	Start    time.Time
	Minutes  int
	Kind     CallKind
	Note     string
	State    BookingState
	// Series is the standing weekly call it belongs to (0: none).
	Series int64
	// CreatedAt is when it was requested.
	CreatedAt time.Time
	// By and At are who made the last change and when; Reason is a
	// cancellation's reason.
	By     int64
	At     time.Time
	Reason string
	// Proposals are the times a teacher offered instead (Another time),
	// until the guardian chooses one.
	Proposals []time.Time
	// Answer is what the guardian answered a reminder of the call, and
	// AnsweredAt when; a move clears both.
	Answer     CallAnswer
	AnsweredAt time.Time
}

// End is when the call's slot ends.
func (b Booking) End() time.Time { return b.Start.Add(time.Duration(b.Minutes) * time.Minute) }

// Interval is the call's slot.
func (b Booking) Interval() Interval { return Interval{b.Start, b.End()} }

// Upcoming reports whether the call still lies ahead and holds its slot.
func (b Booking) Upcoming(now time.Time) bool { return b.State.Active() && b.End().After(now) }

// RequestExpiry is when a request made at created for a call at start
// expires unanswered: 24 hours before the call, but never sooner than 2
// hours after it was made (the teachers always get that long to answer)
// nor later than the call's start. That is
// max(start-24h, min(created+2h, start)).
func RequestExpiry(created, start time.Time) time.Time {
	answer := created.Add(2 * time.Hour)
	if start.Before(answer) {
		answer = start
	}
	if at := start.Add(-24 * time.Hour); at.After(answer) {
		return at
	}
	return answer
}

// BookingRequest is what a guardian asks for: a call of Minutes at Start
// (a slot of the home's hours), or, with Weekly, a standing weekly call
// whose first occurrence is Start.
type BookingRequest struct {
	HomeID, ChildID int64
	Start           time.Time
	Kind            CallKind
	Note            string
	Weekly          bool
	// MaxUpcoming is the guardian's limit of upcoming calls for the child.
	MaxUpcoming int
}

// Series is a standing weekly call: the same local time each week in the
// home's zone, its occurrences booked SeriesWeeks ahead.
type Series struct {
	ID, HomeID, ChildID, Guardian int64
	Day                           time.Weekday
	// Minute is the local start, minutes after the home's midnight.
	Minute  int
	Minutes int
	Kind    CallKind
	Note    string
	// State is Requested until a teacher confirms it (or the home
	// auto-confirms), Confirmed after; once ended, Cancelled, or Declined
	// or Expired when its request was declined or expired (which takes
	// its other requested occurrences with it). Active while it lives.
	State BookingState
}

// Errors of booking, turned into localized messages by the bot.
var (
	// ErrSlotTaken: the slot's lines are all taken, or it is no longer
	// in the home's hours.
	ErrSlotTaken = errors.New("homelink: slot taken")
	// ErrChildBusy: the child has another call at that time.
	ErrChildBusy = errors.New("homelink: the child has another call then")
	// ErrTooManyUpcoming: the guardian holds MaxUpcoming calls for the
	// child already.
	ErrTooManyUpcoming = errors.New("homelink: too many upcoming calls")
	// ErrSlotPast: the slot starts in the past.
	ErrSlotPast = errors.New("homelink: slot in the past")
	// ErrClosed: the home is closed that day.
	ErrClosed = errors.New("homelink: home closed that day")
	// ErrStateChanged: someone else acted on the call first.
	ErrStateChanged = errors.New("homelink: the call changed meanwhile")
)

// WeekOf names the week t falls in, in loc, as ISO year and week
// ("2026-W49"): the key of a home's weekly counts.
func WeekOf(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + "-W" + twoDigits(w)
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
