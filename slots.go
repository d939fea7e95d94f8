package homelink

import "time"

// Availability is what listing a home's free slots needs, read in one
// round trip: the hours, the home's zone, the calls holding a line, and
// the calls of the child being booked for.
type Availability struct {
	Hours Hours
	Zone  *time.Location
	// Taken are the home's active calls (requested or confirmed) in the
	// range asked for; each holds one line for its interval.
	Taken []Interval
	// ChildBusy are the child's active calls, whichever guardian booked
	// them: a child never has two overlapping calls.
	ChildBusy []Interval
}

// Slots lists the start of every slot of h that starts in [from, to), in
// loc (the home's zone), skipping closed dates. Around a daylight-saving
// change a local time that does not exist is skipped and one that occurs
// twice is offered once (its first occurrence).
// TODO(slots.go): implemented by the domain work.
func (h Hours) Slots(loc *time.Location, from, to time.Time) []time.Time { return nil }

// IsSlot reports whether start is the start of one of h's slots in loc
// on a day the home is open.
func (h Hours) IsSlot(loc *time.Location, start time.Time) bool { return false }

// ClosedOn reports whether the home is closed on d.
func (h Hours) ClosedOn(d Date) bool { return false }

// Free lists the slots starting in [from, to) that have a free line and
// do not overlap the child's calls; with shifts, the slots overlapping
// them (read in the guardian's zone, personal) are left out and counted
// in hidden.
func (a Availability) Free(from, to time.Time, shifts Shifts, personal *time.Location) (free []time.Time, hidden int) {
	return nil, 0
}

// FreeAt reports whether the slot at start has a free line and does not
// overlap the child's calls.
func (a Availability) FreeAt(start time.Time) bool { return false }
