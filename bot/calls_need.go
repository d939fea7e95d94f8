package bot

import (
	"context"
	"errors"

	"github.com/homelink/homelink"
)

// Who may act on calls. Like every need (authz.go) these are checked at
// the door against what the button or flow names; the store checks the
// same again as it writes.

// callsReader: a guardian, a teacher or a coordinator of a home, who
// each have calls to see.
func callsReader(_ context.Context, r *request, _ target) (bool, error) {
	ro := r.user.Roles
	return ro.IsGuardian() || ro.IsTeacher() || len(ro.Coordinates) > 0, nil
}

// ownsCall: the guardian who booked the target call, still a guardian of
// its child at its home.
func ownsCall(ctx context.Context, r *request, t target) (bool, error) {
	c, err := r.b.Store.Booking(ctx, t.home, t.booking)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	g, ok := r.user.Roles.Guards[c.ChildID]
	return c.Guardian == r.user.ID && ok && g.HomeID == t.home && c.HomeID == t.home, nil
}

// mayCancelCall: the guardian who booked the call, or the staff of its
// home.
func mayCancelCall(ctx context.Context, r *request, t target) (bool, error) {
	if ok, _ := staffOfHome(ctx, r, t); ok {
		return callAt(ctx, r.b, t)
	}
	return ownsCall(ctx, r, t)
}

// callAt reports whether the target call is one of the target home's.
func callAt(ctx context.Context, b *Bot, t target) (bool, error) {
	c, err := b.Store.Booking(ctx, t.home, t.booking)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	return err == nil && c.HomeID == t.home, err
}

// teachesCall: a teacher of the target home, whose call it is.
func teachesCall(ctx context.Context, r *request, t target) (bool, error) {
	if !r.user.Roles.TeachesAt(t.home) {
		return false, nil
	}
	return callAt(ctx, r.b, t)
}

// callThere is the exists of a call's standing buttons: the call is still
// kept (its handler tells a tapper what became of it).
func (b *Bot) callThere(ctx context.Context, t target) (bool, error) {
	return callAt(ctx, b, t)
}
