package bot

import (
	"context"
	"errors"

	"github.com/homelink/homelink"
)

// Authorization lives here and only here. Every command, every button and
// every typed answer names a need; the router checks it before the
// handler runs, against the target the button or the flow names. A
// handler therefore only ever acts on a home, child or invitation its
// user may act on, and a button whose data was altered finds its need
// unmet.

// need decides whether r's user may act on t. It may read the store (a
// child must belong to the home named beside it).
type need func(ctx context.Context, r *request, t target) (bool, error)

func anyone(context.Context, *request, target) (bool, error) { return true, nil }

func coordinator(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.IsCoordinator(), nil
}

func coordinatorOrAdmin(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.IsCoordinator() || r.user.Roles.Admin, nil
}

func teacherOrGuardian(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.IsTeacher() || r.user.Roles.IsGuardian(), nil
}

// member: anyone who holds a role (a parent, a teacher, a coordinator).
func member(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.Any(), nil
}

// guardian: a parent or guardian of any child.
func guardian(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.IsGuardian(), nil
}

// staff: a teacher or a coordinator, of any home.
func staff(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.IsStaff(), nil
}

// staffOfHome: a teacher or a coordinator of the target home.
func staffOfHome(_ context.Context, r *request, t target) (bool, error) {
	return t.home != 0 && (r.user.Roles.TeachesAt(t.home) || r.user.Roles.ManagesHome(t.home)), nil
}

// managesHome: a coordinator of the target home.
func managesHome(_ context.Context, r *request, t target) (bool, error) {
	return r.user.Roles.ManagesHome(t.home), nil
}

// mayShareHome: a coordinator of the target home, or an admin when no
// coordinator manages it any more (its last one left).
func mayShareHome(ctx context.Context, r *request, t target) (bool, error) {
	if r.user.Roles.ManagesHome(t.home) {
		return true, nil
	}
	if !r.user.Roles.Admin {
		return false, nil
	}
	h, err := r.b.Store.Home(ctx, t.home)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	return err == nil && len(h.Coordinators) == 0, err
}

// teachesAt: a teacher of the target home.
func teachesAt(_ context.Context, r *request, t target) (bool, error) {
	return r.user.Roles.TeachesAt(t.home), nil
}

// anyTeacher: a teacher of any home (a coordinator or a parent is not).
func anyTeacher(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.IsTeacher(), nil
}

// teachesChild: a teacher of the target home, and the child is there.
func teachesChild(ctx context.Context, r *request, t target) (bool, error) {
	if !r.user.Roles.TeachesAt(t.home) {
		return false, nil
	}
	_, err := r.b.Store.Child(ctx, t.home, t.child)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// guardsChild: a guardian of the target child at the target home.
func guardsChild(_ context.Context, r *request, t target) (bool, error) {
	g, ok := r.user.Roles.Guards[t.child]
	return ok && g.HomeID == t.home, nil
}

// mayRevoke: guardian invitations are the home's teachers' to revoke,
// teacher invitations its coordinators', and coordinator invitations
// belong to whoever manages every home they share (an admin for the first
// coordinator's). A used or revoked invitation is judged by what it was
// for, so a stranger to it learns nothing of it; an expired one that
// nobody revoked has nothing left to tell.
func mayRevoke(ctx context.Context, r *request, t target) (bool, error) {
	inv, err := r.b.Store.Invite(ctx, t.invite)
	if errors.Is(err, homelink.ErrInviteInvalid) {
		var revoked bool
		inv, _, revoked, err = r.b.Store.Revoked(ctx, t.invite)
		if err == nil && !revoked {
			return r.user.Roles.IsStaff() || r.user.Roles.Admin, nil
		}
	}
	if err != nil && !errors.Is(err, homelink.ErrInviteUsed) {
		return false, err
	}
	return mayRevokeFor(r.user.ID, r.user.Roles, inv), nil
}

// mayRevokeFor says whether user, holding roles, may revoke an invitation
// like inv (the store checks the same when it revokes).
func mayRevokeFor(user int64, roles homelink.Roles, inv homelink.Invite) bool {
	switch inv.Role {
	case homelink.RoleGuardian:
		return roles.TeachesAt(inv.HomeID)
	case homelink.RoleTeacher:
		return roles.ManagesHome(inv.HomeID)
	}
	if inv.MadeBy == user || roles.Admin {
		return true // their own, even sharing no home
	}
	if len(inv.Homes) == 0 {
		return false
	}
	for _, h := range inv.Homes {
		if !roles.ManagesHome(h) {
			return false
		}
	}
	return true
}

// holdsInvite: the invitation is the one whose code this user opened;
// without it, a changed id in a consent button would redeem an invitation
// its code was never shown for.
func holdsInvite(_ context.Context, r *request, t target) (bool, error) {
	return t.invite != 0 && sessionTarget(r.session).invite == t.invite, nil
}

// gate checks n for t and tells a user who may not act so.
func (r *request) gate(ctx context.Context, n need, t target) (bool, error) {
	ok, err := n(ctx, r, t)
	if err != nil || ok {
		return ok, err
	}
	return false, r.denied(ctx)
}

// denied counts a refusal and tells the user they may not do that.
func (r *request) denied(ctx context.Context) error {
	r.b.Metrics.Denied.Inc()
	if r.update.CallbackQuery != nil {
		return r.answer(ctx, r.text("NotAllowed"))
	}
	return r.reply(ctx, r.html("NotAllowed"), nil)
}

// refused is denied for a change the store refused after the checks at
// the door passed: the user lost the right meanwhile, so any flow they
// were in ends too.
func (r *request) refused(ctx context.Context) error {
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return r.denied(ctx)
}
