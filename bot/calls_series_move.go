package bot

import (
	"context"
	"errors"
	"time"

	"github.com/homelink/homelink"
)

// Moving a whole standing weekly call: the guardian picks a new day and
// time as for one call; in one step (MoveSeries) a new weekly call is
// booked there first, and only once it holds its first slot is the old
// one ended, so the child is never left without their weekly call and
// the old slots are free at once. The teachers get the new one to
// confirm (unless the home confirms by itself), with the old time beside.

func (b *Bot) seriesMoveActions() {
	c := &b.calls
	c.moveSeries = b.movePicker(&c.seriesPick, "series.move", "CMd", "CMt", ownsCall, b.seriesTimeChosen)
	c.moveSeriesStart = b.acts.add(&action{name: "series.move", code: "CM", args: []arg{argHome, argBooking}, need: ownsCall,
		run: b.moveSeriesTapped})
}

// moveSeriesTapped starts moving the weekly call of t's call: day → time.
func (b *Bot) moveSeriesTapped(ctx context.Context, r *request, t target) error {
	call, ok, err := b.activeCall(ctx, r, t)
	if !ok || err != nil {
		return err
	}
	if call.Series == 0 {
		return r.expired(ctx)
	}
	t.child = call.ChildID
	return r.moveTo(ctx, b.calls.seriesPick.day, bookAnswers{about: about{Home: t.home, Child: call.ChildID, Booking: t.booking}}, t)
}

// seriesTimeChosen moves the weekly call to its new time: one step books
// it there and only then ends the old one.
func (b *Bot) seriesTimeChosen(ctx context.Context, r *request, t target) error {
	before, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	if before.Series == 0 {
		return errors.Join(r.endFlow(ctx), r.expired(ctx))
	}
	old, err := b.Store.Series(ctx, t.home, before.Series)
	if err != nil {
		return err
	}
	if !old.State.Active() {
		return errors.Join(r.endFlow(ctx), b.callSettled(ctx, r, before))
	}
	_, calls, skipped, err := b.Store.MoveSeries(ctx, r.by(), t.home, old.ID, moment(t.at))
	if errors.Is(err, homelink.ErrStateChanged) {
		return errors.Join(r.endFlow(ctx), b.callSettled(ctx, r, before))
	}
	if err == nil && len(calls) == 0 {
		err = homelink.ErrSlotTaken
	}
	if err != nil {
		return b.bookRefused(ctx, r, b.calls.seriesPick, t, err)
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return b.seriesMoved(ctx, r, before, calls[0], skipped)
}

// seriesMoved shows the guardian the weekly call at its new time and
// tells the teachers.
func (b *Bot) seriesMoved(ctx context.Context, r *request, before, first homelink.Booking, skipped []time.Time) error {
	ci, err := b.infoOf(ctx, first)
	if err != nil {
		return err
	}
	was := func(rd *request) string {
		line := rd.html("SeriesMovedFromLine", "Weekly", rd.weekly(before.Start, b.zoneOf(ctx, rd.user), b.homeZone(ci.home)))
		if s := b.skippedLine(ctx, rd, skipped); s != "" {
			line += "\n" + s
		}
		return line
	}
	title := "SeriesMovedSentTitle"
	if first.State == homelink.Confirmed {
		title = "SeriesMovedConfirmedTitle"
	}
	text, err := b.card(ctx, r, ci, r.html(title, "Child", ci.childName(r)), was(r))
	if err != nil {
		return err
	}
	if err := r.show(ctx, text, b.callButtons(r, first)); err != nil {
		return err
	}
	b.tellTeachersNew(ctx, ci, newCallTitle(first), was)
	return nil
}
