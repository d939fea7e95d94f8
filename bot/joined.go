package bot

import (
	"context"
	"errors"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// When a guardian joins, each of the home's teachers is told, with a
// standing button to unlink them: invitation links get forwarded, and the
// teacher who knows the family is the one to notice a stranger. The
// button works for as long as the link exists, whatever menus the teacher
// opened since; the first teacher to unlink acts, and anyone tapping later
// is told who acted and when.

// joinedActs are the standing buttons on a "guardian joined" notice.
type joinedActs struct {
	unlinkAsk, unlink, keep *action
}

func (b *Bot) joinedActions() {
	// The invitation that made the link names which link the notice is
	// about: one made later, after an unlink, has a notice of its own.
	add, hcu := b.acts.add, []arg{argHome, argChild, argUser, argInvite}
	b.joined = joinedActs{
		unlinkAsk: add(&action{name: "joined.unlinkAsk", code: "ju", args: hcu, need: teachesChild, run: b.joinedUnlinkAsk,
			standing: true, exists: b.childThere}),
		unlink: add(&action{name: "joined.unlink", code: "juy", args: hcu, need: teachesChild, run: b.joinedUnlink,
			standing: true, exists: b.childThere}),
		keep: add(&action{name: "joined.keep", code: "jun", args: hcu, need: teachesChild, run: b.joinedKeep,
			standing: true, exists: b.childThere}),
	}
}

// childThere reports whether the child the notice is about is still at
// the home.
func (b *Bot) childThere(ctx context.Context, t target) (bool, error) {
	_, err := b.Store.Child(ctx, t.home, t.child)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// joinNoticeDelay is how long the teachers' notice waits for the guardian
// to say how they are related to the child, so it can say it too.
const joinNoticeDelay = 15 * time.Minute

// guardianJoinedNotice tells the teachers of c's home that guardian
// joined through invitation inv, by name and (when they said it) how
// they are related to the child.
func (b *Bot) guardianJoinedNotice(ctx context.Context, c homelink.Child, teachers []int64, guardian, inv int64, name string, rel homelink.Relationship) {
	t := target{home: c.HomeID, child: c.ID, user: guardian, invite: inv}
	id, kv := joinedMessage(c, name, rel)
	for _, teacher := range teachers {
		b.notify(ctx, teacher, id, func(r *request) [][]outbox.Button {
			return rows(b.joined.unlinkAsk.button(r, r.text("UnlinkJoinedButton"), t))
		}, kv...)
	}
}

// joinedMessage is the notice's message id and values.
func joinedMessage(c homelink.Child, name string, rel homelink.Relationship) (string, []any) {
	if rel != "" {
		return "GuardianJoinedAs", []any{"Child", c.Name, "Name", name, "Relationship", msgRef("Rel_" + string(rel))}
	}
	return "GuardianJoinedNamed", []any{"Child", c.Name, "Name", name}
}

// joinedText is the notice as r's reader reads it, for editing it.
func (b *Bot) joinedText(ctx context.Context, r *request, c homelink.Child, user int64) string {
	g, _ := c.Guardian(user)
	id, kv := joinedMessage(c, b.nameOf(ctx, user), g.Relationship)
	return r.html(id, r.resolve(kv)...)
}

// planJoinNotice has the teachers told that the guardian joined once they
// said how they are related, or after joinNoticeDelay if they never do.
func (b *Bot) planJoinNotice(ctx context.Context, n homelink.JoinNotice) error {
	return b.Store.PlanJoinNotice(ctx, n, b.Clock.Now().Add(joinNoticeDelay))
}

// SendDueJoinNotices sends the join notices whose guardian never said how
// they are related, once due; a job runs it on every replica. A notice
// whose link is gone by then is dropped.
func (b *Bot) SendDueJoinNotices(ctx context.Context) error {
	for {
		due, err := b.Store.ClaimJoinNotices(ctx, 100, time.Minute)
		if err != nil || len(due) == 0 {
			return err
		}
		for _, n := range due {
			if err := b.sendJoinNotice(ctx, n); err != nil {
				return err
			}
			if err := b.Store.AckJoinNotice(ctx, n); err != nil {
				return err
			}
		}
	}
}

// sendJoinNotice tells the teachers about n's link if it is still current.
func (b *Bot) sendJoinNotice(ctx context.Context, n homelink.JoinNotice) error {
	c, h, err := b.childAndHome(ctx, target{home: n.HomeID, child: n.ChildID})
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	link, err := b.Store.LinkedBy(ctx, n.HomeID, n.ChildID, n.UserID)
	if err != nil || link != n.Invite {
		return err
	}
	g, _ := c.Guardian(n.UserID)
	b.guardianJoinedNotice(ctx, c, h.Teachers, n.UserID, n.Invite, b.nameOf(ctx, n.UserID), g.Relationship)
	return nil
}

// joinedUnlinkAsk asks the teacher to confirm, on the notice itself.
func (b *Bot) joinedUnlinkAsk(ctx context.Context, r *request, t target) error {
	c, linked, err := b.joinedLink(ctx, t)
	if err != nil || !linked {
		return b.joinedSettled(ctx, r, t, err)
	}
	return r.replace(ctx, r.html("UnlinkAsk", "Child", c.Name, "Label", b.guardianOf(ctx, r, c, t.user)), [][]outbox.Button{{
		b.joined.unlink.button(r, r.text("YesUnlinkButton"), t), b.joined.keep.button(r, r.text("KeepButton"), t),
	}})
}

// joinedUnlink unlinks the guardian, once, whoever taps first.
func (b *Bot) joinedUnlink(ctx context.Context, r *request, t target) error {
	c, linked, err := b.joinedLink(ctx, t)
	if err != nil || !linked {
		return b.joinedSettled(ctx, r, t, err)
	}
	h, err := b.Store.Home(ctx, t.home)
	if err != nil {
		return err
	}
	unlinked, err := b.Store.UnlinkGuardian(ctx, t.home, t.child, t.user, r.user.ID, t.invite)
	if err != nil || !unlinked {
		return b.joinedSettled(ctx, r, t, err)
	}
	b.notify(ctx, t.user, "UnlinkedNotice", nil, "Child", c.Name, "Home", h.Name)
	b.refreshMenu(ctx, t.user)
	return r.replace(ctx, b.joinedText(ctx, r, c, t.user)+"\n\n"+r.html("Unlinked"), nil)
}

// joinedKeep puts the notice back as it was.
func (b *Bot) joinedKeep(ctx context.Context, r *request, t target) error {
	c, linked, err := b.joinedLink(ctx, t)
	if err != nil || !linked {
		return b.joinedSettled(ctx, r, t, err)
	}
	return r.replace(ctx, b.joinedText(ctx, r, c, t.user),
		rows(b.joined.unlinkAsk.button(r, r.text("UnlinkJoinedButton"), t)))
}

// nameOf is a person's display name, or "" when they have none (or it
// cannot be read: a name is a nicety in a notice).
func (b *Bot) nameOf(ctx context.Context, user int64) string {
	names, _ := b.Store.Names(ctx, []int64{user})
	return names[user]
}

// joinedLink reads the child and whether the guardian is still linked by
// the link the notice is about.
func (b *Bot) joinedLink(ctx context.Context, t target) (homelink.Child, bool, error) {
	c, err := b.Store.Child(ctx, t.home, t.child)
	if err != nil {
		return c, false, err
	}
	link, err := b.Store.LinkedBy(ctx, t.home, t.child, t.user)
	return c, err == nil && link == t.invite, err
}

// joinedSettled answers a tap on a notice whose link is gone: who unlinked
// it and when, or that it no longer exists; either way the notice loses
// its buttons.
func (b *Bot) joinedSettled(ctx context.Context, r *request, t target, err error) error {
	if err != nil && !errors.Is(err, homelink.ErrNotFound) {
		return err
	}
	acted, ok, err := b.Store.Unlinked(ctx, t.home, t.child, t.user)
	if err != nil {
		return err
	}
	if !ok {
		return r.settled(ctx, r.text("Gone"), r.html("Gone"))
	}
	zone := ""
	if h, err := b.Store.Home(ctx, t.home); err == nil {
		zone = h.TimeZone
	}
	notice, line := b.whoActed(ctx, r, acted, zone, "Unlinked")
	return r.settled(ctx, notice, line)
}
