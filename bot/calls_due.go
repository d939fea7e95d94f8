package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/homelink/homelink"
)

// What happens to calls as time passes, handed over by the agenda (app
// wires each kind to one of these). Each rereads the call and acts only
// on what its state still calls for, so an item that fires late, twice,
// or after the call changed does nothing wrong.

// CallExpired expires a request still unanswered: the slot is freed, the
// guardian is told (with [Book another time]) and the teachers' copies
// say so.
func (b *Bot) CallExpired(ctx context.Context, h, id int64) error {
	call, expired, err := b.Store.Expire(ctx, h, id)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil || !expired {
		return err
	}
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return fmt.Errorf("bot: expired call %d: %w", id, err)
	}
	b.editRequestCopies(ctx, nil, ci)
	b.tell(ctx, call.Guardian, ci, "CallExpiredTitle", seriesEndedLine(call), b.bookAgainButton(ci))
	return nil
}

// CallEnded asks the home's teachers whether a confirmed call took place
// (again, when it is still unmarked later). After a downtime past both,
// only the second asks.
func (b *Bot) CallEnded(ctx context.Context, h, id int64, again bool) error {
	call, err := b.Store.Booking(ctx, h, id)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: ended call %d: %w", id, err)
	}
	if call.State != homelink.Confirmed {
		return nil
	}
	if !again && !b.Clock.Now().Before(call.End().Add(homelink.MarkAgainAfter)) {
		// Back after a downtime: the second ask is due too, and is the one.
		return nil
	}
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return fmt.Errorf("bot: ended call %d: %w", id, err)
	}
	title := "MarkAskTitle"
	if again {
		title = "MarkAgainTitle"
	}
	b.tellTeachersTracked(ctx, ci, title, nil, b.markButtons(call))
	return nil
}

// RenewSeries books a standing weekly call's next occurrence; one the
// home cannot host (closed, or full) is skipped and both sides are told.
func (b *Bot) RenewSeries(ctx context.Context, h, id int64) error {
	calls, skipped, err := b.Store.RenewSeries(ctx, h, id)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: renew weekly call %d: %w", id, err)
	}
	for _, c := range calls {
		if c.State != homelink.Requested {
			continue
		}
		ci, err := b.infoOf(ctx, c)
		if err != nil {
			return fmt.Errorf("bot: renew weekly call %d: %w", id, err)
		}
		b.tellTeachersNew(ctx, ci, newCallTitle(c), nil)
	}
	if len(skipped) == 0 {
		return nil
	}
	s, err := b.Store.Series(ctx, h, id)
	if err != nil {
		return fmt.Errorf("bot: renew weekly call %d: %w", id, err)
	}
	for _, at := range skipped {
		if err := b.tellSkipped(ctx, s, at); err != nil {
			return err
		}
	}
	return nil
}

// tellSkipped tells the guardian and the teachers that a standing call
// has no call at at (the home is closed or full then).
func (b *Bot) tellSkipped(ctx context.Context, s homelink.Series, at time.Time) error {
	call := homelink.Booking{HomeID: s.HomeID, ChildID: s.ChildID, Guardian: s.Guardian, Start: at,
		Minutes: s.Minutes, Kind: s.Kind, Note: s.Note, State: s.State, Series: s.ID}
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return fmt.Errorf("bot: skipped weekly call %d: %w", s.ID, err)
	}
	b.tell(ctx, s.Guardian, ci, "SeriesSkippedTitle", nil, b.bookAgainButton(ci))
	b.tellTeachers(ctx, ci, 0, "SeriesSkippedStaffTitle", nil)
	return nil
}

// seriesEndedLine says, under a declined or lapsed request that began a
// standing weekly call, that the weekly call ended with it (the store
// declines or expires its other weeks in the same step); nil otherwise.
func seriesEndedLine(c homelink.Booking) func(*request) string {
	if c.Series == 0 {
		return nil
	}
	return func(r *request) string { return r.html("SeriesEndedLine") }
}
