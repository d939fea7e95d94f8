package bot

import (
	"context"
	"errors"
	"html/template"
	"maps"
	"slices"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// homesCommand opens the coordinator's homes.
func (b *Bot) homesCommand(ctx context.Context, r *request) error {
	if _, err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.homesList(ctx, r, target{})
}

// homesList shows the homes the coordinator manages.
func (b *Bot) homesList(ctx context.Context, r *request, _ target) error {
	homes, err := b.Store.Homes(ctx, slices.Collect(maps.Keys(r.user.Roles.Coordinates)))
	if err != nil {
		return err
	}
	var kb [][]outbox.Button
	for _, h := range homes {
		kb = append(kb, []outbox.Button{r.btn(h.Name, "hv", h.ID)})
	}
	kb = append(kb, []outbox.Button{r.btn(r.text("HomeNewButton"), "hn")},
		[]outbox.Button{r.btn(r.text("ShareButton"), "ci")})
	text, err := r.render("homes", map[string]any{"Homes": homes})
	if err != nil {
		return err
	}
	return r.show(ctx, text, kb)
}

// homeNew asks for a new home's name.
func (b *Bot) homeNew(ctx context.Context, r *request, _ target) error {
	return r.ask(ctx, "hname", nil, r.html("HomeNameAsk", "Max", homelink.MaxHomeName), nil)
}

func (b *Bot) homeNewName(ctx context.Context, r *request, _ target, text string) error {
	name, err := homelink.CleanName(text, homelink.MaxHomeName)
	if err != nil {
		return r.reply(ctx, r.textError(err, homelink.MaxHomeName), nil)
	}
	return r.ask(ctx, "htz", data("name", name), r.html("HomeZoneAsk"), b.zoneButtons(r, "tz"))
}

// zoneButtons offers the common time zones; name's arguments are prefix
// plus the choice's index.
func (b *Bot) zoneButtons(r *request, name string, prefix ...int64) [][]outbox.Button {
	var bs []outbox.Button
	for i, z := range homelink.TimeZoneChoices {
		bs = append(bs, r.btn(r.text("Zone_"+zoneID(z)), name, append(slices.Clone(prefix), int64(i))...))
	}
	return rows(bs...)
}

func zoneID(z string) string {
	switch z {
	case "Asia/Shanghai":
		return "Shanghai"
	case "Asia/Urumqi":
		return "Urumqi"
	case "Asia/Hong_Kong":
		return "HongKong"
	}
	return "Taipei"
}

func (b *Bot) homeNewZone(ctx context.Context, r *request, t target) error {
	if r.session.Step != "htz" || t.n >= len(homelink.TimeZoneChoices) {
		return r.answer(ctx, r.text("ButtonExpired"))
	}
	return b.homeNewZoneChosen(ctx, r, homelink.TimeZoneChoices[t.n])
}

func (b *Bot) homeNewZoneTyped(ctx context.Context, r *request, _ target, text string) error {
	loc, err := homelink.CheckTimeZone(text)
	if err != nil {
		return r.reply(ctx, r.html("ZoneInvalid"), b.zoneButtons(r, "tz"))
	}
	return b.homeNewZoneChosen(ctx, r, loc.String())
}

func (b *Bot) homeNewZoneChosen(ctx context.Context, r *request, zone string) error {
	d := maps.Clone(r.session.Data)
	d["tz"] = zone
	return r.ask(ctx, "hinstr", d, r.html("InstructionsAsk", "Max", homelink.MaxInstructions),
		rows(r.btn(r.text("SkipButton"), "is")))
}

func (b *Bot) homeNewInstructions(ctx context.Context, r *request, _ target, text string) error {
	instr, err := homelink.CleanText(text, homelink.MaxInstructions)
	if err != nil {
		return r.reply(ctx, r.textError(err, homelink.MaxInstructions), nil)
	}
	return b.homeCreate(ctx, r, instr)
}

func (b *Bot) homeNewSkipInstructions(ctx context.Context, r *request, _ target) error {
	if r.session.Step != "hinstr" {
		return r.answer(ctx, r.text("ButtonExpired"))
	}
	return b.homeCreate(ctx, r, "")
}

func (b *Bot) homeCreate(ctx context.Context, r *request, instr string) error {
	h, err := b.Store.CreateHome(ctx, r.user.ID, homelink.Home{
		Name: r.session.Data["name"], TimeZone: r.session.Data["tz"], Instructions: instr,
	})
	if err != nil {
		return err
	}
	if err := r.setStep(ctx, "", nil); err != nil {
		return err
	}
	return b.showHome(ctx, r, h.ID, r.html("HomeCreated", "Name", h.Name))
}

// homeView shows one home.
func (b *Bot) homeView(ctx context.Context, r *request, t target) error {
	return b.showHome(ctx, r, t.home, "")
}

func (b *Bot) showHome(ctx context.Context, r *request, id int64, notice string) error {
	h, err := b.Store.Home(ctx, id)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	text, err := r.render("home", map[string]any{"Home": h, "Notice": template.HTML(notice)})
	if err != nil {
		return err
	}
	return r.show(ctx, text, [][]outbox.Button{
		{r.btn(r.text("RenameButton"), "hr", id), r.btn(r.text("ZoneButton"), "hz", id)},
		{r.btn(r.text("InstructionsButton"), "hi", id)},
		{r.btn(r.text("TeacherInviteButton"), "ht", id), r.btn(r.text("TeachersButton"), "hT", id)},
		{r.btn(r.text("BackHomesButton"), "hl")},
	})
}

func (b *Bot) homeRename(ctx context.Context, r *request, t target) error {
	return r.ask(ctx, "hrn", data("h", t.home), r.html("HomeRenameAsk", "Max", homelink.MaxHomeName), rows(r.btn(r.text("BackButton"), "hv", t.home)))
}

func (b *Bot) homeRenameTyped(ctx context.Context, r *request, t target, text string) error {
	name, err := homelink.CleanName(text, homelink.MaxHomeName)
	if err != nil {
		return r.reply(ctx, r.textError(err, homelink.MaxHomeName), nil)
	}
	return b.homeSet(ctx, r, t.home, homelink.HomeName, name, r.html("HomeRenamed", "Name", name))
}

func (b *Bot) homeZone(ctx context.Context, r *request, t target) error {
	kb := append(b.zoneButtons(r, "hzs", t.home), []outbox.Button{r.btn(r.text("BackButton"), "hv", t.home)})
	return r.ask(ctx, "hzt", data("h", t.home), r.html("HomeZoneAsk"), kb)
}

func (b *Bot) homeZoneSet(ctx context.Context, r *request, t target) error {
	if t.n >= len(homelink.TimeZoneChoices) {
		return r.answer(ctx, r.text("ButtonExpired"))
	}
	z := homelink.TimeZoneChoices[t.n]
	return b.homeSet(ctx, r, t.home, homelink.HomeTimeZone, z, r.html("HomeZoneSet", "Zone", z))
}

func (b *Bot) homeZoneTyped(ctx context.Context, r *request, t target, text string) error {
	loc, err := homelink.CheckTimeZone(text)
	if err != nil {
		return r.reply(ctx, r.html("ZoneInvalid"), b.zoneButtons(r, "hzs", t.home))
	}
	return b.homeSet(ctx, r, t.home, homelink.HomeTimeZone, loc.String(), r.html("HomeZoneSet", "Zone", loc.String()))
}

func (b *Bot) homeInstructions(ctx context.Context, r *request, t target) error {
	return r.ask(ctx, "hit", data("h", t.home), r.html("InstructionsAsk", "Max", homelink.MaxInstructions), rows(r.btn(r.text("BackButton"), "hv", t.home)))
}

func (b *Bot) homeInstructionsTyped(ctx context.Context, r *request, t target, text string) error {
	instr, err := homelink.CleanText(text, homelink.MaxInstructions)
	if err != nil {
		return r.reply(ctx, r.textError(err, homelink.MaxInstructions), nil)
	}
	return b.homeSet(ctx, r, t.home, homelink.HomeInstructions, instr, r.html("InstructionsSet"))
}

// homeSet changes one field of a home, leaves the step and shows the home.
func (b *Bot) homeSet(ctx context.Context, r *request, h int64, f homelink.HomeField, v, notice string) error {
	err := b.Store.UpdateHome(ctx, h, f, v)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	if err := r.setStep(ctx, "", nil); err != nil {
		return err
	}
	return b.showHome(ctx, r, h, notice)
}

// teachersView lists a home's teachers and open teacher invitations.
func (b *Bot) teachersView(ctx context.Context, r *request, t target) error {
	h, err := b.Store.Home(ctx, t.home)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	invites, err := b.Store.OpenInvites(ctx, t.home, homelink.RoleTeacher, 0)
	if err != nil {
		return err
	}
	var kb [][]outbox.Button
	for i, u := range h.Teachers {
		kb = append(kb, []outbox.Button{r.btn(r.text("TeacherRemoveButton", "N", i+1), "tr", t.home, u)})
	}
	for _, inv := range invites {
		kb = append(kb, []outbox.Button{r.btn(r.text("RevokeUntilButton", "Date", b.date(inv.ExpiresAt, h.TimeZone)), "ir", inv.ID)})
	}
	kb = append(kb, []outbox.Button{r.btn(r.text("BackButton"), "hv", t.home)})
	text, err := r.render("teachers", map[string]any{"Home": h, "Invites": len(invites)})
	if err != nil {
		return err
	}
	return r.show(ctx, text, kb)
}

func (b *Bot) teacherRemoveAsk(ctx context.Context, r *request, t target) error {
	h, err := b.Store.Home(ctx, t.home)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html("TeacherRemoveAsk", "Home", h.Name), [][]outbox.Button{{
		r.btn(r.text("YesRemoveButton"), "try", t.home, t.user), r.btn(r.text("NoButton"), "hT", t.home),
	}})
}

func (b *Bot) teacherRemove(ctx context.Context, r *request, t target) error {
	removed, err := b.Store.RemoveTeacher(ctx, t.home, t.user)
	if err != nil {
		return err
	}
	if removed {
		if h, err := b.Store.Home(ctx, t.home); err == nil {
			b.notify(ctx, t.user, "TeacherRemovedNotice", "Home", h.Name)
		}
		b.refreshMenu(ctx, t.user)
	}
	return b.teachersView(ctx, r, t)
}
