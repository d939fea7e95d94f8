package bot

import (
	"context"
	"errors"
	"html/template"
	"maps"
	"slices"
	"strconv"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// childActs are a teacher's buttons on the home's children.
type childActs struct {
	list, add, view, guardianInvite, invites *action
	unlinkAsk, unlink, removeAsk, remove     *action
	// skipYear answers the birth-year question.
	skipYear *action
}

// childFlows are a teacher's questions about a child.
type childFlows struct {
	add *flow
}

// childAnswers are the answers of the flow registering a child.
type childAnswers struct {
	about
	Name string `json:"name,omitempty"`
}

// childActions declares the teacher's buttons and the flow registering a
// child: name → birth year (or Skip).
func (b *Bot) childActions() {
	year := &step{name: "year", accepts: inText, need: teachesAt, answer: b.childYearTyped, ask: b.askChildYear}
	b.childFlows.add = b.flows.add(&flow{name: "child.add", steps: []*step{
		{name: "name", accepts: inText, need: teachesAt, answer: b.childNameTyped, ask: b.askChildName}, year}})
	add, h, hc, hcu := b.acts.add, []arg{argHome}, []arg{argHome, argChild}, []arg{argHome, argChild, argUser}
	b.kids = childActs{
		list:           add(&action{name: "children.list", code: "kl", args: h, need: teachesAt, run: b.childrenView}),
		add:            add(&action{name: "child.add", code: "ka", args: h, need: teachesAt, run: b.childAdd}),
		view:           add(&action{name: "child.view", code: "kv", args: hc, need: teachesChild, run: b.childView}),
		guardianInvite: add(&action{name: "guardian.invite", code: "gi", args: hc, need: teachesChild, run: b.guardianInvite}),
		invites:        add(&action{name: "invites.view", code: "il", args: hc, need: teachesChild, run: b.invitesView}),
		unlinkAsk:      add(&action{name: "guardian.unlinkAsk", code: "gu", args: hcu, need: teachesChild, run: b.guardianUnlinkAsk}),
		unlink:         add(&action{name: "guardian.unlink", code: "guy", args: hcu, need: teachesChild, run: b.guardianUnlink}),
		removeAsk:      add(&action{name: "child.removeAsk", code: "kr", args: hc, need: teachesChild, run: b.childRemoveAsk}),
		remove:         add(&action{name: "child.remove", code: "kry", args: hc, need: teachesChild, run: b.childRemove}),
		skipYear:       add(&action{name: "child.add.skipYear", code: "ks", need: teachesAt, run: b.childAddSkipYear, at: year}),
	}
}

// childrenCommand shows a teacher their home's children (or the homes to
// choose from), and a guardian their own children.
func (b *Bot) childrenCommand(ctx context.Context, r *request) error {
	if r.user.Roles.IsGuardian() {
		if err := b.myChildren(ctx, r); err != nil {
			return err
		}
	}
	if !r.user.Roles.IsTeacher() {
		return nil
	}
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	homes := slices.Sorted(maps.Keys(r.user.Roles.Teaches))
	if len(homes) == 1 {
		return b.childrenView(ctx, r, target{home: homes[0]})
	}
	kb, err := b.homeButtons(ctx, r, homes, b.kids.list)
	if err != nil {
		return err
	}
	return r.reply(ctx, r.html("ChooseHome"), kb)
}

// myChildren lists a guardian's children: only their own.
func (b *Bot) myChildren(ctx context.Context, r *request) error {
	type mine struct {
		Name, Home, Relationship string
	}
	var list []mine
	for _, cid := range slices.Sorted(maps.Keys(r.user.Roles.Guards)) {
		g := r.user.Roles.Guards[cid]
		c, h, err := b.childAndHome(ctx, target{home: g.HomeID, child: cid})
		if errors.Is(err, homelink.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		rel := ""
		if g.Relationship != "" {
			rel = r.text("Rel_" + string(g.Relationship))
		}
		list = append(list, mine{c.Name, h.Name, rel})
	}
	text, err := r.render("mychildren", map[string]any{"Children": list})
	if err != nil {
		return err
	}
	return r.reply(ctx, text, nil)
}

// childrenView lists a home's children with their guardians.
func (b *Bot) childrenView(ctx context.Context, r *request, t target) error {
	h, err := b.Store.Home(ctx, t.home)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	children, err := b.Store.Children(ctx, t.home)
	if err != nil {
		return err
	}
	var kb [][]outbox.Button
	for _, c := range children {
		kb = append(kb, []outbox.Button{b.kids.view.button(r, c.Name, target{home: t.home, child: c.ID})})
	}
	kb = append(kb, []outbox.Button{b.kids.add.button(r, r.text("ChildAddButton"), target{home: t.home})})
	views, err := b.childViews(ctx, r, children)
	if err != nil {
		return err
	}
	text, err := r.render("children", map[string]any{"Home": h, "Children": views})
	if err != nil {
		return err
	}
	return r.show(ctx, text, kb)
}

// childView is a child as a template shows it.
type childView struct {
	homelink.Child
	Guardians []guardianView
}

type guardianView struct {
	Link  template.URL
	Label string
}

// childViews are children as templates show them: each guardian by name
// and relationship ("李秀兰（妈妈）"), so a teacher knows who is who.
func (b *Bot) childViews(ctx context.Context, r *request, cs []homelink.Child) ([]childView, error) {
	var ids []int64
	for _, c := range cs {
		for _, g := range c.Guardians {
			ids = append(ids, g.UserID)
		}
	}
	names, err := b.Store.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]childView, len(cs))
	for i, c := range cs {
		out[i] = childView{Child: c}
		for _, g := range c.Guardians {
			// A tg:// link opens the guardian's profile in the teacher's app.
			out[i].Guardians = append(out[i].Guardians, guardianView{
				Link: template.URL("tg://user?id=" + strconv.FormatInt(g.UserID, 10)), Label: guardianLabel(r, names[g.UserID], g.Relationship)})
		}
	}
	return out, nil
}

// guardianOf names child c's guardian user for r's reader.
func (b *Bot) guardianOf(ctx context.Context, r *request, c homelink.Child, user int64) string {
	g, ok := c.Guardian(user)
	if !ok {
		return ""
	}
	if name := b.nameOf(ctx, user); name != "" || g.Relationship != "" {
		return guardianLabel(r, name, g.Relationship)
	}
	return "" // the message says "this parent"
}

// guardianLabel names a guardian for the home's staff: name and
// relationship, whichever are known.
func guardianLabel(r *request, name string, rel homelink.Relationship) string {
	switch {
	case name != "" && rel != "":
		return r.text("GuardianNamed", "Name", name, "Relationship", r.text("Rel_"+string(rel)))
	case name != "":
		return name
	case rel != "":
		return r.text("Rel_" + string(rel))
	}
	return r.text("GuardianUnnamed")
}

func (b *Bot) childAdd(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, b.childFlows.add.steps[0], childAnswers{about: about{Home: t.home}}, t)
}

func (b *Bot) askChildName(ctx context.Context, r *request, t target) error {
	return r.show(ctx, r.html("ChildNameAsk", "Max", homelink.MaxChildName),
		[][]outbox.Button{{b.kids.list.button(r, r.text("BackButton"), target{home: t.home}), r.cancelButton()}})
}

func (b *Bot) childNameTyped(ctx context.Context, r *request, t target, in input) error {
	name, ok, err := r.typed(ctx, in, homelink.MaxChildName, false)
	if !ok {
		return err
	}
	a := answersOf[childAnswers](r)
	a.Name = name
	return r.moveTo(ctx, b.childFlows.add.steps[1], a, t)
}

func (b *Bot) askChildYear(ctx context.Context, r *request, _ target) error {
	a := answersOf[childAnswers](r)
	return r.show(ctx, r.html("ChildYearAsk", "Name", a.Name), b.yearButtons(r))
}

func (b *Bot) yearButtons(r *request) [][]outbox.Button {
	return [][]outbox.Button{{b.kids.skipYear.button(r, r.text("SkipButton"), target{})}, r.backButton()}
}

func (b *Bot) childYearTyped(ctx context.Context, r *request, t target, in input) error {
	year, err := homelink.ParseBirthYear(in.text, b.Clock.Now())
	if err != nil {
		now := b.Clock.Now().Year()
		return r.reply(ctx, r.html("ChildYearInvalid", "Min", now-homelink.MaxChildAge, "Max", now), b.yearButtons(r))
	}
	return b.childCreate(ctx, r, t.home, year)
}

func (b *Bot) childAddSkipYear(ctx context.Context, r *request, t target) error {
	return b.childCreate(ctx, r, t.home, 0)
}

func (b *Bot) childCreate(ctx context.Context, r *request, home int64, year int) error {
	c, err := b.Store.AddChild(ctx, r.by(), homelink.Child{HomeID: home, Name: answersOf[childAnswers](r).Name, BirthYear: year})
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	return b.showChild(ctx, r, target{home: home, child: c.ID}, r.html("ChildAdded", "Name", c.Name))
}

// childView shows one child, its guardians and what a teacher can do.
func (b *Bot) childView(ctx context.Context, r *request, t target) error {
	return b.showChild(ctx, r, t, "")
}

func (b *Bot) showChild(ctx context.Context, r *request, t target, notice string) error {
	c, _, err := b.childAndHome(ctx, t)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	invites, err := b.Store.OpenInvites(ctx, t.home, homelink.RoleGuardian, t.child)
	if err != nil {
		return err
	}
	views, err := b.childViews(ctx, r, []homelink.Child{c})
	if err != nil {
		return err
	}
	v := views[0]
	a, ch := b.kids, target{home: t.home, child: t.child}
	kb := [][]outbox.Button{{a.guardianInvite.button(r, r.text("GuardianInviteButton"), ch)}}
	for i, g := range c.Guardians {
		kb = append(kb, []outbox.Button{a.unlinkAsk.button(r, r.text("UnlinkButton", "Label", v.Guardians[i].Label),
			target{home: t.home, child: t.child, user: g.UserID})})
	}
	if len(invites) > 0 {
		kb = append(kb, []outbox.Button{a.invites.button(r, r.text("InvitesButton", "N", len(invites)), ch)})
	}
	kb = append(kb, []outbox.Button{a.removeAsk.button(r, r.text("ChildRemoveButton"), ch)},
		[]outbox.Button{a.list.button(r, r.text("BackChildrenButton"), target{home: t.home})})
	text, err := r.render("child", map[string]any{"Child": v, "Notice": template.HTML(notice)})
	if err != nil {
		return err
	}
	return r.show(ctx, text, kb)
}

func (b *Bot) guardianUnlinkAsk(ctx context.Context, r *request, t target) error {
	c, _, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html("UnlinkAsk", "Child", c.Name, "Label", b.guardianOf(ctx, r, c, t.user)), [][]outbox.Button{{
		b.kids.unlink.button(r, r.text("YesUnlinkButton"), t),
		b.kids.view.button(r, r.text("NoButton"), target{home: t.home, child: t.child}),
	}})
}

func (b *Bot) guardianUnlink(ctx context.Context, r *request, t target) error {
	c, h, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	unlinked, err := b.Store.UnlinkGuardian(ctx, t.home, t.child, t.user, r.user.ID, 0)
	if err != nil {
		return err
	}
	if unlinked {
		b.notify(ctx, t.user, "UnlinkedNotice", nil, "Child", c.Name, "Home", h.Name)
		b.refreshMenu(ctx, t.user)
	}
	return b.showChild(ctx, r, t, r.html("Unlinked"))
}

func (b *Bot) childRemoveAsk(ctx context.Context, r *request, t target) error {
	c, _, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html("ChildRemoveAsk", "Child", c.Name), [][]outbox.Button{{
		b.kids.remove.button(r, r.text("YesRemoveButton"), t), b.kids.view.button(r, r.text("NoButton"), t),
	}})
}

func (b *Bot) childRemove(ctx context.Context, r *request, t target) error {
	c, h, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	guardians, err := b.Store.RemoveChild(ctx, r.by(), t.home, t.child)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	for _, g := range guardians {
		b.notify(ctx, g, "ChildRemovedNotice", nil, "Child", c.Name, "Home", h.Name)
		b.refreshMenu(ctx, g)
	}
	if err := r.answer(ctx, r.text("ChildRemoved", "Name", c.Name)); err != nil {
		return err
	}
	return b.childrenView(ctx, r, target{home: t.home})
}

// childAndHome reads a child and its home; homelink.ErrNotFound when the
// child is not at that home.
func (b *Bot) childAndHome(ctx context.Context, t target) (homelink.Child, homelink.Home, error) {
	c, err := b.Store.Child(ctx, t.home, t.child)
	if err != nil {
		return c, homelink.Home{}, err
	}
	h, err := b.Store.Home(ctx, t.home)
	return c, h, err
}

// homeButtons are one button a row per home of ids, by name, each acting
// on its home with a: the choice of a home for someone with several.
func (b *Bot) homeButtons(ctx context.Context, r *request, ids []int64, a *action) ([][]outbox.Button, error) {
	hs, err := b.Store.Homes(ctx, ids)
	if err != nil {
		return nil, err
	}
	bs := make([]outbox.Button, 0, len(hs))
	for _, h := range hs {
		bs = append(bs, a.button(r, h.Name, target{home: h.ID}))
	}
	return rows(bs...), nil
}
