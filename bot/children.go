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
	if _, err := r.openMenu(ctx); err != nil {
		return err
	}
	homes := slices.Sorted(maps.Keys(r.user.Roles.Teaches))
	if len(homes) == 1 {
		return b.childrenView(ctx, r, target{home: homes[0]})
	}
	hs, err := b.Store.Homes(ctx, homes)
	if err != nil {
		return err
	}
	var bs []outbox.Button
	for _, h := range hs {
		bs = append(bs, r.btn(h.Name, "kl", h.ID))
	}
	return r.reply(ctx, r.html("ChooseHome"), rows(bs...))
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
		kb = append(kb, []outbox.Button{r.btn(c.Name, "kv", t.home, c.ID)})
	}
	kb = append(kb, []outbox.Button{r.btn(r.text("ChildAddButton"), "ka", t.home)})
	text, err := r.render("children", map[string]any{"Home": h, "Children": b.childViews(r, children)})
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

func (b *Bot) childViews(r *request, cs []homelink.Child) []childView {
	out := make([]childView, len(cs))
	for i, c := range cs {
		out[i] = childView{Child: c}
		for _, g := range c.Guardians {
			label := r.text("Rel_guardian")
			if g.Relationship != "" {
				label = r.text("Rel_" + string(g.Relationship))
			}
			// A tg:// link opens the guardian's profile in the teacher's
			// app; homelink itself keeps no name or phone number.
			out[i].Guardians = append(out[i].Guardians, guardianView{
				Link: template.URL("tg://user?id=" + strconv.FormatInt(g.UserID, 10)), Label: label})
		}
	}
	return out
}

func (b *Bot) childAdd(ctx context.Context, r *request, t target) error {
	return r.ask(ctx, "kname", data("h", t.home), r.html("ChildNameAsk", "Max", homelink.MaxChildName), rows(r.btn(r.text("BackButton"), "kl", t.home)))
}

func (b *Bot) childNameTyped(ctx context.Context, r *request, t target, text string) error {
	name, err := homelink.CleanName(text, homelink.MaxChildName)
	if err != nil {
		return r.reply(ctx, r.textError(err, homelink.MaxChildName), nil)
	}
	return r.ask(ctx, "kyear", data("h", t.home, "name", name), r.html("ChildYearAsk", "Name", name), rows(r.btn(r.text("SkipButton"), "ks", t.home)))
}

func (b *Bot) childYearTyped(ctx context.Context, r *request, t target, text string) error {
	year, err := homelink.ParseBirthYear(text, b.Clock.Now())
	if err != nil {
		now := b.Clock.Now().Year()
		return r.reply(ctx, r.html("ChildYearInvalid", "Min", now-homelink.MaxChildAge, "Max", now),
			rows(r.btn(r.text("SkipButton"), "ks", t.home)))
	}
	return b.childCreate(ctx, r, t.home, year)
}

func (b *Bot) childAddSkipYear(ctx context.Context, r *request, t target) error {
	if r.session.Step != "kyear" || sessionTarget(r.session).home != t.home {
		return r.answer(ctx, r.text("ButtonExpired"))
	}
	return b.childCreate(ctx, r, t.home, 0)
}

func (b *Bot) childCreate(ctx context.Context, r *request, home int64, year int) error {
	c, err := b.Store.AddChild(ctx, homelink.Child{HomeID: home, Name: r.session.Data["name"], BirthYear: year})
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	if err := r.setStep(ctx, "", nil); err != nil {
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
	v := b.childViews(r, []homelink.Child{c})[0]
	kb := [][]outbox.Button{{r.btn(r.text("GuardianInviteButton"), "gi", t.home, t.child)}}
	for i, g := range c.Guardians {
		kb = append(kb, []outbox.Button{r.btn(r.text("UnlinkButton", "Label", v.Guardians[i].Label), "gu", t.home, t.child, g.UserID)})
	}
	if len(invites) > 0 {
		kb = append(kb, []outbox.Button{r.btn(r.text("InvitesButton", "N", len(invites)), "il", t.home, t.child)})
	}
	kb = append(kb, []outbox.Button{r.btn(r.text("ChildRemoveButton"), "kr", t.home, t.child)},
		[]outbox.Button{r.btn(r.text("BackChildrenButton"), "kl", t.home)})
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
	return r.show(ctx, r.html("UnlinkAsk", "Child", c.Name), [][]outbox.Button{{
		r.btn(r.text("YesUnlinkButton"), "guy", t.home, t.child, t.user), r.btn(r.text("NoButton"), "kv", t.home, t.child),
	}})
}

func (b *Bot) guardianUnlink(ctx context.Context, r *request, t target) error {
	c, h, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	unlinked, err := b.Store.UnlinkGuardian(ctx, t.home, t.child, t.user)
	if err != nil {
		return err
	}
	if unlinked {
		b.notify(ctx, t.user, "UnlinkedNotice", "Child", c.Name, "Home", h.Name)
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
		r.btn(r.text("YesRemoveButton"), "kry", t.home, t.child), r.btn(r.text("NoButton"), "kv", t.home, t.child),
	}})
}

func (b *Bot) childRemove(ctx context.Context, r *request, t target) error {
	c, h, err := b.childAndHome(ctx, t)
	if err != nil {
		return err
	}
	guardians, err := b.Store.RemoveChild(ctx, t.home, t.child)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	for _, g := range guardians {
		b.notify(ctx, g, "ChildRemovedNotice", "Child", c.Name, "Home", h.Name)
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
