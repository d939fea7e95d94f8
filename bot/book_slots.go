package bot

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The day and time questions of /book and of moving a call: only days
// and slots that are free for the child, outside the guardian's shifts,
// in the guardian's zone.

// freeView is what the guardian may book, and how to show it.
type freeView struct {
	free           []time.Time
	hidden         int
	personal, home *time.Location
	// open is false while the home has no call hours at all.
	open bool
}

// freeSlots lists the slots of t's home free for t's child in [from, to)
// outside the guardian's shifts, read in personal. When t names a call
// being moved, its own slot counts as free, and the shifts are those of
// the guardian who booked it (staff moving it see what suits the parent).
func (b *Bot) freeSlots(ctx context.Context, r *request, t target, personal *time.Location, from, to time.Time) (freeView, error) {
	av, err := b.Store.Availability(ctx, t.home, t.child, from, to)
	if err != nil {
		return freeView{}, err
	}
	shifts, own := r.user.Shifts, (*time.Time)(nil)
	if t.booking != 0 {
		c, err := b.Store.Booking(ctx, t.home, t.booking)
		if err != nil {
			return freeView{}, err
		}
		av.Taken = without(av.Taken, c.Interval())
		av.ChildBusy = without(av.ChildBusy, c.Interval())
		own = &c.Start
		if c.Guardian != r.user.ID {
			g, err := b.Store.User(ctx, c.Guardian)
			if err != nil {
				return freeView{}, err
			}
			shifts = g.Shifts
		}
	}
	fv := freeView{personal: personal, home: av.Zone, open: len(av.Hours.Windows) > 0}
	if fv.home == nil {
		fv.home = b.defaultZone()
	}
	fv.free, fv.hidden = av.Free(from, to, shifts, personal)
	if own != nil { // a call is not moved to where it is
		fv.free = slices.DeleteFunc(fv.free, func(s time.Time) bool { return s.Equal(*own) })
	}
	return fv, nil
}

// without is is with one interval equal to x left out.
func without(is []homelink.Interval, x homelink.Interval) []homelink.Interval {
	out := make([]homelink.Interval, 0, len(is))
	dropped := false
	for _, i := range is {
		if !dropped && i.Start.Equal(x.Start) && i.End.Equal(x.End) {
			dropped = true
			continue
		}
		out = append(out, i)
	}
	return out
}

// bookingSpan is from now to the midnight BookingDays days ahead, in loc.
func bookingSpan(now time.Time, loc *time.Location) (time.Time, time.Time) {
	d := now.In(loc)
	return now, time.Date(d.Year(), d.Month(), d.Day()+homelink.BookingDays, 0, 0, 0, 0, loc)
}

// maxSlotButtons bounds a day's time buttons, leaving room for the row
// under them.
const maxSlotButtons = 90

// dayCount is a day (its midnight) and how many slots it has free.
type dayCount struct {
	start time.Time
	n     int
}

// byDay groups slots, in order, by their date in loc.
func byDay(slots []time.Time, loc *time.Location) []dayCount {
	var out []dayCount
	for _, s := range slots {
		d := s.In(loc)
		mid := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		if n := len(out); n > 0 && out[n-1].start.Equal(mid) {
			out[n-1].n++
			continue
		}
		out = append(out, dayCount{mid, 1})
	}
	return out
}

// showDays asks for the day: the days ahead with a free slot, each with
// how many.
func (b *Bot) showDays(ctx context.Context, r *request, p slotPicker, t target, notice string) error {
	personal := b.zoneOf(ctx, r.user)
	from, to := bookingSpan(b.Clock.Now(), personal)
	fv, err := b.freeSlots(ctx, r, t, personal, from, to)
	if err != nil {
		return err
	}
	if len(fv.free) == 0 {
		return b.nothingFree(ctx, r, fv, notice)
	}
	var bs []outbox.Button
	for _, d := range byDay(fv.free, personal) {
		bs = append(bs, p.dayAct.button(r, r.text("DayButton", "Day", r.day(d.start, personal), "N", d.n), target{at: d.start.Unix()}))
	}
	name, err := b.childNameOf(ctx, r, t)
	if err != nil {
		return err
	}
	text := joinLines(notice, r.html(cmp.Or(p.dayAsk, "BookDayAsk"), "Child", name), b.zoneLines(r, fv))
	return r.present(ctx, text, append(grid(2, bs), b.bookBack(r, b.firstAsked(r, p.day))))
}

// showTimes asks for the time: the chosen day's free slots. A day that
// filled up meanwhile goes back to the days.
func (b *Bot) showTimes(ctx context.Context, r *request, p slotPicker, t target, notice string) error {
	a := answersOf[bookAnswers](r)
	personal := b.zoneOf(ctx, r.user)
	start := moment(a.Day).In(personal)
	end := time.Date(start.Year(), start.Month(), start.Day()+1, 0, 0, 0, 0, personal)
	from := start
	if now := b.Clock.Now(); now.After(from) {
		from = now
	}
	fv, err := b.freeSlots(ctx, r, t, personal, from, end)
	if err != nil {
		return err
	}
	if len(fv.free) == 0 {
		if err := r.at(ctx, p.day, a); err != nil {
			return err
		}
		return b.showDays(ctx, r, p, t, joinLines(notice, r.html("DayFull")))
	}
	var bs []outbox.Button
	// Telegram takes 100 buttons a keyboard; a day has fewer slots.
	for _, s := range fv.free[:min(len(fv.free), maxSlotButtons)] {
		bs = append(bs, p.timeAct.button(r, r.clock(s, personal, fv.home), target{at: s.Unix()}))
	}
	name, err := b.childNameOf(ctx, r, t)
	if err != nil {
		return err
	}
	text := joinLines(notice, r.html(cmp.Or(p.timeAsk, "BookTimeAsk"), "Child", name, "Day", r.day(start, personal)), b.zoneLines(r, fv))
	perRow := 4
	if !sameOffset(start, personal, fv.home) {
		perRow = 3 // "02:00 (09:00)" needs the room
	}
	return r.present(ctx, text, append(grid(perRow, bs), b.bookBack(r, b.firstAsked(r, p.time))))
}

// nothingFree ends the flow: the home has no hours yet, or every slot
// ahead is taken (or within the guardian's shifts).
func (b *Bot) nothingFree(ctx context.Context, r *request, fv freeView, notice string) error {
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	id := "NoFreeSlots"
	switch {
	case !fv.open:
		id = "NoHoursYet"
	case fv.hidden > 0:
		id = "NoFreeOutsideShifts"
	}
	return r.present(ctx, joinLines(notice, r.html(id, "N", homelink.BookingDays)), nil)
}

// zoneLines say, when they differ, that times are in the guardian's zone
// with the home's in brackets, and how many slots shifts hid.
func (b *Bot) zoneLines(r *request, fv freeView) string {
	var lines []string
	if !sameOffset(b.Clock.Now(), fv.personal, fv.home) {
		lines = append(lines, r.html("ZonesDiffer", "Zone", zoneLabel(r, fv.personal.String()), "Home", zoneLabel(r, fv.home.String())))
	}
	if fv.hidden > 0 {
		lines = append(lines, r.html("ShiftsHidden", "Count", fv.hidden))
	}
	return strings.Join(lines, "\n")
}

// childNameOf is the name of t's child.
func (b *Bot) childNameOf(ctx context.Context, r *request, t target) (string, error) {
	c, err := b.Store.Child(ctx, t.home, t.child)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.text("TheChild"), nil
	}
	return c.Name, err
}

// joinLines joins the parts that are not empty as paragraphs.
func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}
