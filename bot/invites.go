package bot

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// inviteActs are the buttons on invitations: revoking one, and the
// invited person's answer.
type inviteActs struct {
	revoke, agree, decline, relationship *action
	// standingRevoke is the Revoke on the invitation card itself, which
	// stays answerable while its maker goes on to other menus.
	standingRevoke *action
}

// shareActs choose the homes a new coordinator will share.
type shareActs struct {
	start, toggle, create *action
}

// shareAnswers are the homes chosen so far.
type shareAnswers struct {
	about
	Homes []int64 `json:"homes,omitempty"`
}

// consentAnswers name the invitation whose code the person opened.
type consentAnswers struct {
	about
}

// inviteActions declares the invitation buttons and the consent question.
func (b *Bot) inviteActions() {
	agree := &step{name: "agree", need: holdsInvite}
	b.consent = b.flows.add(&flow{name: "consent", steps: []*step{agree}})
	add, i := b.acts.add, []arg{argInvite}
	b.invite = inviteActs{
		revoke: add(&action{name: "invite.revoke", code: "ir", args: i, need: mayRevoke, run: b.inviteRevoke}),
		standingRevoke: add(&action{name: "invite.revokeOnCard", code: "ivr", args: i, need: mayRevoke, run: b.inviteRevoke,
			standing: true, exists: always}),
		agree:        add(&action{name: "consent.yes", code: "ca", args: i, need: holdsInvite, run: b.consentYes, at: agree}),
		decline:      add(&action{name: "consent.no", code: "cn", args: i, need: holdsInvite, run: b.consentNo, at: agree}),
		relationship: add(&action{name: "relationship.set", code: "rel", args: []arg{argHome, argChild, argChoice}, need: guardsChild, run: b.relationshipSet}),
	}
}

// shareActions declares choosing homes for a coordinator's invitation.
func (b *Bot) shareActions() {
	choose := &step{name: "choose", need: coordinatorOrAdmin, ask: b.shareView}
	b.shareFlow = b.flows.add(&flow{name: "share", steps: []*step{choose}})
	add := b.acts.add
	b.share = shareActs{
		start:  add(&action{name: "share.start", code: "ci", need: coordinatorOrAdmin, run: b.shareStart}),
		toggle: add(&action{name: "share.toggle", code: "cs", args: []arg{argHome}, need: mayShareHome, run: b.shareToggle, at: choose}),
		create: add(&action{name: "share.create", code: "cc", need: coordinatorOrAdmin, run: b.shareCreate, at: choose}),
	}
}

// makeInvite stores a new invitation with fresh codes, made by by.
func (b *Bot) makeInvite(ctx context.Context, by homelink.By, inv homelink.Invite) (homelink.Invite, error) {
	inv.MadeBy, inv.ByAdmin = by.User, by.Admin
	inv.Link, inv.Typed = homelink.NewInviteCodes()
	inv.ExpiresAt = b.Clock.Now().Add(b.InviteTTL)
	return b.Store.CreateInvite(ctx, inv)
}

// showInvite shows a new invitation: the link, the code to type, until
// when it works, and a button to revoke it.
func (b *Bot) showInvite(ctx context.Context, r *request, inv homelink.Invite, who, zone string, back []outbox.Button) error {
	text, err := r.render("invitation", map[string]any{
		"Who":   who,
		"Link":  "https://t.me/" + b.Username + "?start=" + inv.Link,
		"Code":  homelink.FormatTypedCode(inv.Typed),
		"Until": r.date(inv.ExpiresAt, zone),
	})
	if err != nil {
		return err
	}
	return r.show(ctx, text, [][]outbox.Button{{b.invite.standingRevoke.button(r, r.text("RevokeButton"), target{invite: inv.ID})}, back})
}

// teacherInvite makes a one-time link for a teacher of a home.
func (b *Bot) teacherInvite(ctx context.Context, r *request, t target) error {
	h, err := b.Store.Home(ctx, t.home)
	if err != nil {
		return err
	}
	inv, err := b.makeInvite(ctx, r.by(), homelink.Invite{Role: homelink.RoleTeacher, HomeID: t.home})
	if err != nil {
		return err
	}
	return b.showInvite(ctx, r, inv, r.text("InviteForTeacher", "Home", h.Name), h.TimeZone, b.backToHome(r, t.home))
}

// inviteCommand starts inviting a coordinator.
func (b *Bot) inviteCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.shareStart(ctx, r, target{})
}

// shareStart lets a coordinator choose which of their homes the invited
// coordinator will share.
func (b *Bot) shareStart(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, b.shareFlow.steps[0], shareAnswers{}, t)
}

func (b *Bot) shareView(ctx context.Context, r *request, _ target) error {
	homes, err := b.Store.Homes(ctx, slices.Collect(maps.Keys(r.user.Roles.Coordinates)))
	if err != nil {
		return err
	}
	if r.user.Roles.Admin {
		// An admin also hands on the homes whose last coordinator left.
		orphans, err := b.Store.Orphans(ctx)
		if err != nil {
			return err
		}
		homes = append(homes, orphans...)
	}
	chosen := answersOf[shareAnswers](r).Homes
	var kb [][]outbox.Button
	for _, h := range homes {
		label := "▫️ " + h.Name
		if slices.Contains(chosen, h.ID) {
			label = "✅ " + h.Name
		}
		kb = append(kb, []outbox.Button{b.share.toggle.button(r, label, target{home: h.ID})})
	}
	kb = append(kb, []outbox.Button{b.share.create.button(r, r.text("CreateLinkButton"), target{})}, []outbox.Button{r.cancelButton()})
	return r.show(ctx, r.html("ShareAsk"), kb)
}

func (b *Bot) shareToggle(ctx context.Context, r *request, t target) error {
	a := answersOf[shareAnswers](r)
	if i := slices.Index(a.Homes, t.home); i >= 0 {
		a.Homes = slices.Delete(a.Homes, i, i+1)
	} else {
		a.Homes = append(a.Homes, t.home)
	}
	return r.moveTo(ctx, b.shareFlow.steps[0], a, t)
}

func (b *Bot) shareCreate(ctx context.Context, r *request, _ target) error {
	chosen := answersOf[shareAnswers](r).Homes
	for _, h := range chosen {
		if ok, err := r.gate(ctx, mayShareHome, target{home: h}); !ok || err != nil {
			return err
		}
	}
	slices.Sort(chosen)
	inv, err := b.makeInvite(ctx, r.by(), homelink.Invite{Role: homelink.RoleCoordinator, Homes: chosen})
	if err != nil {
		return err
	}
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	homes, err := b.Store.Homes(ctx, chosen)
	if err != nil {
		return err
	}
	return b.showInvite(ctx, r, inv, r.text("InviteForCoordinator", "Homes", homeNames(r, homes)), "",
		[]outbox.Button{b.rights.close.button(r, r.text("CloseButton"), target{})})
}

func homeNames(r *request, homes []homelink.Home) string {
	if len(homes) == 0 {
		return r.text("NoHomesYet")
	}
	names := make([]string, len(homes))
	for i, h := range homes {
		names[i] = h.Name
	}
	return strings.Join(names, r.text("ListSeparator"))
}

// guardianInvite makes a one-time link and code for a child's guardian.
func (b *Bot) guardianInvite(ctx context.Context, r *request, t target) error {
	c, h, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	inv, err := b.makeInvite(ctx, r.by(), homelink.Invite{Role: homelink.RoleGuardian, HomeID: t.home, ChildID: t.child})
	if err != nil {
		return err
	}
	return b.showInvite(ctx, r, inv, r.text("InviteForGuardian", "Child", c.Name), h.TimeZone, []outbox.Button{b.kids.view.button(r, r.text("BackButton"), t)})
}

// invitesView lists a child's open guardian invitations to revoke.
func (b *Bot) invitesView(ctx context.Context, r *request, t target) error {
	c, h, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	invites, err := b.Store.OpenInvites(ctx, t.home, homelink.RoleGuardian, t.child)
	if err != nil {
		return err
	}
	var kb [][]outbox.Button
	for _, inv := range invites {
		kb = append(kb, []outbox.Button{b.invite.revoke.button(r, r.text("RevokeUntilButton", "Date", r.date(inv.ExpiresAt, h.TimeZone)), target{invite: inv.ID})})
	}
	kb = append(kb, []outbox.Button{b.kids.view.button(r, r.text("BackButton"), t)})
	return r.show(ctx, r.html("InvitesOpen", "Child", c.Name, "N", len(invites)), kb)
}

// inviteRevoke closes an invitation: its link and code stop working. A
// second tap, or a colleague's, is told who revoked it and when.
func (b *Bot) inviteRevoke(ctx context.Context, r *request, t target) error {
	inv, err := b.Store.Invite(ctx, t.invite)
	switch {
	case errors.Is(err, homelink.ErrInviteUsed):
		return b.usedNotRevoked(ctx, r, inv)
	case errors.Is(err, homelink.ErrInviteInvalid):
		return b.revokedBefore(ctx, r, t) // expired, or revoked already
	case err != nil:
		return err
	}
	revoked, err := b.Store.RevokeInvite(ctx, r.by(), inv.HomeID, inv.ID)
	if err != nil {
		return err
	}
	if !revoked {
		return b.revokedBefore(ctx, r, t)
	}
	return r.show(ctx, r.html("InviteRevoked"), nil)
}

// usedNotRevoked says a used invitation cannot be revoked, and offers the
// way to undo who joined with it: the child's page for a parent, the
// home's teacher list for a teacher.
func (b *Bot) usedNotRevoked(ctx context.Context, r *request, inv homelink.Invite) error {
	id, where := "InviteUsedCoordinator", outbox.Button{}
	switch inv.Role {
	case homelink.RoleGuardian:
		id = "InviteUsedGuardian"
		where = b.kids.view.button(r, r.text("GoToChildButton"), target{home: inv.HomeID, child: inv.ChildID})
	case homelink.RoleTeacher:
		id = "InviteUsedTeacher"
		where = b.home.teachers.button(r, r.text("TeachersButton"), target{home: inv.HomeID})
	}
	if r.standing {
		if err := r.answer(ctx, r.text(id)); err != nil {
			return err
		}
	}
	var kb [][]outbox.Button
	if where.Data != "" {
		kb = rows(where)
	}
	return r.show(ctx, r.html(id), kb)
}

// revokedBefore answers a revoke of an invitation that no longer works.
func (b *Bot) revokedBefore(ctx context.Context, r *request, t target) error {
	_, acted, ok, err := b.Store.Revoked(ctx, t.invite)
	if err != nil {
		return err
	}
	if !ok {
		return r.settled(ctx, r.text("InviteExpiredNotRevoked"), r.html("InviteExpiredNotRevoked"))
	}
	notice, line := b.whoActed(ctx, r, acted, "", "Revoked")
	return r.settled(ctx, notice, line)
}

// redeemCode looks at an invitation code from a link or typed, throttling
// guesses, and asks the person to agree before anything is stored. Codes
// are never logged.
func (b *Bot) redeemCode(ctx context.Context, r *request, code string) error {
	fails, err := b.Store.CodeFailures(ctx, r.user.ID)
	if err != nil {
		return err
	}
	if fails >= homelink.MaxCodeFailures {
		b.Metrics.InviteCodes.WithLabelValues("throttled").Inc()
		return r.reply(ctx, r.html("TooManyCodes"), nil)
	}
	var inv homelink.Invite
	if homelink.ValidLinkCode(code) {
		inv, err = b.Store.InviteByCode(ctx, code)
	} else {
		err = homelink.ErrInviteInvalid
	}
	switch {
	case errors.Is(err, homelink.ErrInviteUsed):
		b.Metrics.InviteCodes.WithLabelValues("used").Inc()
		return r.reply(ctx, r.html("InviteUsed"), nil)
	case errors.Is(err, homelink.ErrInviteInvalid):
		b.Metrics.InviteCodes.WithLabelValues("invalid").Inc()
		if _, err := b.Store.CodeFailed(ctx, r.user.ID, homelink.CodeFailureWindow); err != nil {
			return err
		}
		return r.reply(ctx, r.html("InviteInvalid"), nil)
	case err != nil:
		return err
	}
	b.Metrics.InviteCodes.WithLabelValues("ok").Inc()
	return b.consentAsk(ctx, r, inv)
}

// consentAsk says in plain words what joining stores and asks to agree.
func (b *Bot) consentAsk(ctx context.Context, r *request, inv homelink.Invite) error {
	if inv.Role == homelink.RoleGuardian && r.user.Roles.GuardianOf(inv.ChildID) {
		return r.reply(ctx, r.html("AlreadyLinked"), nil)
	}
	text, ok, err := b.consentText(ctx, r, inv)
	if err != nil || !ok {
		return errors.Join(err, r.reply(ctx, r.html("InviteInvalid"), nil))
	}
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	if err := r.at(ctx, b.consent.steps[0], consentAnswers{about{Invite: inv.ID}}); err != nil {
		return err
	}
	yes := "ConsentYesStaff"
	if inv.Role == homelink.RoleGuardian {
		yes = "ConsentYesGuardian"
	}
	t := target{invite: inv.ID}
	return r.reply(ctx, text, rows(b.invite.agree.button(r, r.text(yes), t), b.invite.decline.button(r, r.text("ConsentNo"), t)))
}

// consentText is what the person is asked to agree to for inv; ok is
// false when what it is for is gone.
func (b *Bot) consentText(ctx context.Context, r *request, inv homelink.Invite) (string, bool, error) {
	view := map[string]any{"Role": string(inv.Role)}
	switch inv.Role {
	case homelink.RoleGuardian:
		c, h, err := b.childAndHome(ctx, target{home: inv.HomeID, child: inv.ChildID})
		if err != nil {
			return "", false, nil
		}
		view["Child"], view["Home"] = c.Name, h.Name
		view["KeepDays"] = int(b.HistoryRetention / (24 * time.Hour))
		view["MailDays"] = int(b.MailRetention / (24 * time.Hour))
		view["HeardDays"] = int(homelink.HeardRetention / (24 * time.Hour))
	case homelink.RoleTeacher:
		h, err := b.Store.Home(ctx, inv.HomeID)
		if err != nil {
			return "", false, nil
		}
		view["Home"] = h.Name
	case homelink.RoleCoordinator:
		homes, err := b.Store.Homes(ctx, inv.Homes)
		if err != nil {
			return "", false, err
		}
		view["Home"] = homeNames(r, homes)
	}
	text, err := r.render("consent", view)
	return text, err == nil, err
}

// keepConsent leaves what the person agreed to in the chat, with when,
// and takes its buttons away; what follows comes as new messages.
func (b *Bot) keepConsent(ctx context.Context, r *request, inv homelink.Invite) error {
	text, ok, err := b.consentText(ctx, r, inv)
	if err != nil || !ok {
		return err
	}
	agreed := r.html("ConsentGiven", "When", r.date(b.Clock.Now(), ""))
	return r.replace(ctx, text+"\n\n"+agreed, nil)
}

// consentYes redeems the invitation the person agreed to.
func (b *Bot) consentYes(ctx context.Context, r *request, t target) error {
	inv, err := b.Store.RedeemInvite(ctx, t.invite, r.user.ID, r.lang)
	switch {
	case errors.Is(err, homelink.ErrInviteUsed):
		return r.endWith(ctx, "InviteUsed")
	case errors.Is(err, homelink.ErrAlreadyMember):
		return r.endWith(ctx, "AlreadyLinked")
	case errors.Is(err, homelink.ErrInviteInvalid):
		return r.endWith(ctx, "InviteInvalid")
	case err != nil:
		return err
	}
	if err := r.nameIfNone(ctx); err != nil {
		return err
	}
	b.refreshMenu(ctx, r.user.ID)
	if err := b.keepConsent(ctx, r, inv); err != nil {
		return err
	}
	switch inv.Role {
	case homelink.RoleGuardian:
		return b.guardianJoined(ctx, r, inv)
	case homelink.RoleTeacher:
		if err := r.endFlow(ctx); err != nil {
			return err
		}
		h, _ := b.Store.Home(ctx, inv.HomeID)
		for _, c := range h.Coordinators {
			b.notify(ctx, c, "TeacherJoinedNotice", nil, "Home", h.Name, "Name", r.user.Name)
		}
		return r.reply(ctx, r.html("WelcomeTeacher", "Home", h.Name), nil)
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return r.reply(ctx, r.html("WelcomeCoordinator"), nil)
}

// guardianJoined tells the home's teachers and asks the guardian how they
// are related to the child.
func (b *Bot) guardianJoined(ctx context.Context, r *request, inv homelink.Invite) error {
	c, h, err := b.childAndHome(ctx, target{home: inv.HomeID, child: inv.ChildID})
	if err != nil {
		return err
	}
	if err := b.planJoinNotice(ctx, homelink.JoinNotice{HomeID: inv.HomeID, ChildID: inv.ChildID, UserID: r.user.ID, Invite: inv.ID}); err != nil {
		return err
	}
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	var bs []outbox.Button
	for i, rel := range homelink.Relationships {
		bs = append(bs, b.invite.relationship.button(r, r.text("Rel_"+string(rel)), target{home: inv.HomeID, child: inv.ChildID, n: i}))
	}
	return r.reply(ctx, r.html("LinkedAskRelationship", "Child", c.Name, "Home", h.Name), [][]outbox.Button{bs[:2], bs[2:]})
}

func (b *Bot) consentNo(ctx context.Context, r *request, _ target) error {
	return r.endWith(ctx, "ConsentDeclined")
}

// relationshipSet records how the guardian is related to the child.
func (b *Bot) relationshipSet(ctx context.Context, r *request, t target) error {
	if t.n >= len(homelink.Relationships) {
		return r.expired(ctx)
	}
	rel := homelink.Relationships[t.n]
	if err := b.Store.SetRelationship(ctx, t.home, t.child, r.user.ID, rel); err != nil {
		return err
	}
	c, h, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	// The teachers hear now, with who they are, if they have not yet.
	link, err := b.Store.LinkedBy(ctx, t.home, t.child, r.user.ID)
	if err != nil {
		return err
	}
	n := homelink.JoinNotice{HomeID: t.home, ChildID: t.child, UserID: r.user.ID, Invite: link}
	if took, err := b.Store.TakeJoinNotice(ctx, n); err != nil {
		return err
	} else if took {
		b.guardianJoinedNotice(ctx, c, h.Teachers, r.user.ID, link, r.user.Name, rel)
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return r.show(ctx, r.html("RelationshipSet", "Child", c.Name, "Relationship", r.text("Rel_"+string(rel))), nil)
}

// date formats a moment as the reader's language writes a date and time
// (3月8日 15:04, 8 Mar 15:04), in a home's time zone (the deployment's
// default when zone is empty or unknown), with the year only when it is
// not this year's.
func (r *request) date(t time.Time, zone string) string {
	loc := r.b.Zone
	if l, err := homelink.CheckTimeZone(zone); err == nil {
		loc = l
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	layout := "DateTimeLayout"
	if t.Year() != r.b.Clock.Now().In(loc).Year() {
		layout = "DateTimeYearLayout"
	}
	return t.Format(r.text(layout))
}

// NewCoordinatorInvite makes the first coordinator's invitation, for the
// operator's `homelink invite coordinator`: its link, the code to type, and
// when it expires.
func (b *Bot) NewCoordinatorInvite(ctx context.Context) (link, typed string, expires time.Time, err error) {
	// The operator's word, as an admin's: good while the deployment runs.
	inv, err := b.makeInvite(ctx, homelink.By{Admin: true}, homelink.Invite{Role: homelink.RoleCoordinator})
	if err != nil {
		return "", "", time.Time{}, err
	}
	return "https://t.me/" + b.Username + "?start=" + inv.Link, homelink.FormatTypedCode(inv.Typed), inv.ExpiresAt, nil
}
