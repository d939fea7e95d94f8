package homelink

import "time"

// Contact gaps and weekly reports: each Monday at 08:00 home time the
// teachers and coordinators of a home get its figures of the week just
// ended and the children nobody has reached for a while; those children's
// guardians get one warm nudge to book a call.

// DefaultContactGapDays is CONTACT_GAP_DAYS: a child with no held call
// and no message either way for this many days or more is in the alert.
const DefaultContactGapDays = 14

// GapNudgeEvery is the least time between two contact-gap nudges to one
// guardian about one child.
const GapNudgeEvery = 7 * 24 * time.Hour

// ReportWeeks is how many weeks the report's chart shows.
const ReportWeeks = 8

// ReportRule is when the weekly report and the contact-gap alert go, in
// each home's zone (agenda/rule's form).
const ReportRule = "every Monday at 08:00"

// Contact is what counts as reaching a child: a call marked held, a
// message a guardian left, or a reply the child sent.

// Gap is a child not reached for a while.
type Gap struct {
	Home  int64
	Child int64
	Name  string
	// Last is the last contact (zero: never since the child was added);
	// Since is Last, or when the child was added when never.
	Last  time.Time
	Since time.Time
	// Days is the whole days from Since to the time asked about.
	Days int
	// Guardians are the child's guardians (for the nudge).
	Guardians []int64
}

// WeekFigures are one home's figures of one week (homelink.WeekOf).
type WeekFigures struct {
	Home int64
	Week string
	// Calls: requested, confirmed, held, missed, cancelled in the week.
	Requested, Confirmed, Held, Missed, Cancelled int
	// Messages: items guardians left (parent → child) and items of the
	// children's replies (child → parent).
	ToChild, FromChild int
	// Reached is how many children had a contact in the week; Children
	// how many the home has now (NotReached = Children − Reached, at
	// least 0).
	Reached, Children int
}

// NotReached is how many of the home's children had no contact in the
// week.
func (f WeekFigures) NotReached() int {
	if f.Children > f.Reached {
		return f.Children - f.Reached
	}
	return 0
}
