package bot

import (
	"context"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// What the other side is told of a call that was made without anyone
// tapping through /book: the sandbox's demonstration books its calls with
// the store's own operations, then tells people exactly as the taps would
// have.

// Requested shows the guardian their request as /book would (with
// [Cancel]) and tells the teachers of the call's home, with its standing
// [Confirm] [Decline] [Another time].
func (b *Bot) Requested(ctx context.Context, call homelink.Booking) error {
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	b.tell(ctx, call.Guardian, ci, "BookSentTitle", nil, func(rd *request) [][]outbox.Button {
		return rows(b.callCancelButton(rd, call))
	})
	b.tellTeachersNew(ctx, ci, newCallTitle(call), nil)
	return nil
}

// Confirmed tells the guardian who booked the call that it is confirmed,
// with [Cancel].
func (b *Bot) Confirmed(ctx context.Context, call homelink.Booking) error {
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	b.tellConfirmed(ctx, ci)
	return nil
}

// tellConfirmed tells the guardian their call is confirmed, with [Cancel].
func (b *Bot) tellConfirmed(ctx context.Context, ci callInfo) {
	b.tell(ctx, ci.call.Guardian, ci, "CallConfirmedTitle", nil, func(rd *request) [][]outbox.Button {
		return rows(b.callCancelButton(rd, ci.call))
	})
}
