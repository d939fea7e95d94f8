package bot

import (
	"context"
	"errors"

	"github.com/homelink/homelink"
)

// Who may broadcast, checked at the door as authz.go checks everything
// else; the store checks the same again as it writes (CountAudience,
// SaveBroadcast), so a right lost meanwhile still refuses.
//
// A coordinator sends to any of the homes they coordinate (one, or all of
// them), to its parents, its teachers or everyone; a teacher to their own
// home only, to its parents or everyone there; only a coordinator marks
// one urgent. Every step of /broadcast judges the homes and audience its
// answers name, so answers altered on the way (another home, teachers as
// a teacher's audience) find the need unmet.

// broadcaster: a coordinator or a teacher, of any home.
func broadcaster(_ context.Context, r *request, _ target) (bool, error) {
	return r.user.Roles.IsStaff(), nil
}

// composesFor: the user may send the broadcast the flow's answers
// describe so far (anyone who may broadcast, before its homes are chosen).
func composesFor(_ context.Context, r *request, _ target) (bool, error) {
	a := answersOf[bcAnswers](r)
	return maySend(r.user.Roles, a.Homes, a.Audience, a.Urgent), nil
}

// sendsToHome: a home button of the home step: the user may send the
// audience chosen to that home alone.
func sendsToHome(_ context.Context, r *request, t target) (bool, error) {
	a := answersOf[bcAnswers](r)
	return t.home != 0 && maySend(r.user.Roles, []int64{t.home}, a.Audience, a.Urgent), nil
}

// marksUrgent: the urgent switch, a coordinator's of every home.
func marksUrgent(ctx context.Context, r *request, t target) (bool, error) {
	a := answersOf[bcAnswers](r)
	return len(a.Homes) > 0 && manager(r.user.Roles, a.Homes) && maySend(r.user.Roles, a.Homes, a.Audience, false), nil
}

// maySend is the rule: homes none yet (still choosing), all managed by
// roles, or one home roles teach at for its parents or everyone, not
// urgent.
func maySend(roles homelink.Roles, homes []int64, a homelink.Audience, urgent bool) bool {
	if !roles.IsStaff() || a != "" && !a.Valid() {
		return false
	}
	switch {
	case len(homes) == 0:
		return true
	case manager(roles, homes):
		return true
	}
	return len(homes) == 1 && roles.TeachesAt(homes[0]) && a != homelink.AudienceTeachers && !urgent
}

// manager reports whether roles coordinate every one of homes.
func manager(roles homelink.Roles, homes []int64) bool {
	for _, h := range homes {
		if !roles.ManagesHome(h) {
			return false
		}
	}
	return len(homes) > 0
}

// sentBroadcast: the broadcast a /broadcasts button names is the user's
// own (read from the store; the store checks again as it changes it). One
// deleted meanwhile is left to the handler to call gone, for staff: a
// sender tapping an older list learns nothing new of anyone's.
func sentBroadcast(ctx context.Context, r *request, t target) (bool, error) {
	bc, err := r.b.Store.Broadcast(ctx, t.broadcast)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.user.Roles.IsStaff(), nil
	}
	return err == nil && bc.From == r.user.ID, err
}
