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

// homeActs are the coordinator's buttons on homes.
type homeActs struct {
	list, create, view, rename, zone, instructions *action
	teacherInvite, teachers, teacherRemoveAsk      *action
	teacherRemove                                  *action
	// Buttons that answer a flow's question.
	createZone, createSkipInstructions, zoneSet *action
}

// homeFlows are the coordinator's questions about a home.
type homeFlows struct {
	create, rename, zone, instructions *flow
}

// homeAnswers are the answers of the flows about a home.
type homeAnswers struct {
	about
	Name     string `json:"name,omitempty"`
	TimeZone string `json:"tz,omitempty"`
}

// homeActions declares the coordinator's home buttons and flows.
func (b *Bot) homeActions() {
	createName := &step{name: "name", accepts: inText, need: coordinator, answer: b.homeNewName, ask: b.askHomeName}
	createZone := &step{name: "zone", accepts: inText, need: coordinator, answer: b.homeNewZoneTyped, ask: b.askHomeNewZone}
	createInstr := &step{name: "instructions", accepts: inText, need: coordinator, answer: b.homeNewInstructions, ask: b.askHomeNewInstructions}
	b.homeFlows = homeFlows{
		create: b.flows.add(&flow{name: "home.new", steps: []*step{createName, createZone, createInstr}}),
		rename: b.homeEditFlow("home.rename", "name", homeEdit{field: homelink.HomeName, ask: "HomeRenameAsk",
			max: homelink.MaxHomeName, done: func(r *request, v string) string { return r.html("HomeRenamed", "Name", v) }}),
		zone: b.flows.add(&flow{name: "home.zone", steps: []*step{
			{name: "zone", accepts: inText, need: managesHome, answer: b.homeZoneTyped, ask: b.askHomeZone}}}),
		instructions: b.homeEditFlow("home.instructions", "text", homeEdit{field: homelink.HomeInstructions, ask: "InstructionsAsk",
			max: homelink.MaxInstructions, multiline: true, done: func(r *request, _ string) string { return r.html("InstructionsSet") }}),
	}
	add, h, hu := b.acts.add, []arg{argHome}, []arg{argHome, argUser}
	b.home = homeActs{
		list:             add(&action{name: "homes.list", code: "hl", need: coordinator, run: b.homesList}),
		create:           add(&action{name: "home.new", code: "hn", need: coordinator, run: b.homeNew}),
		view:             add(&action{name: "home.view", code: "hv", args: h, need: managesHome, run: b.homeView}),
		rename:           add(&action{name: "home.rename", code: "hr", args: h, need: managesHome, run: b.homeFlows.rename.startAtHome}),
		zone:             add(&action{name: "home.zone", code: "hz", args: h, need: managesHome, run: b.homeFlows.zone.startAtHome}),
		instructions:     add(&action{name: "home.instructions", code: "hi", args: h, need: managesHome, run: b.homeFlows.instructions.startAtHome}),
		teacherInvite:    add(&action{name: "teacher.invite", code: "ht", args: h, need: managesHome, run: b.teacherInvite}),
		teachers:         add(&action{name: "teachers.view", code: "hT", args: h, need: managesHome, run: b.teachersView}),
		teacherRemoveAsk: add(&action{name: "teacher.removeAsk", code: "tr", args: hu, need: managesHome, run: b.teacherRemoveAsk}),
		teacherRemove:    add(&action{name: "teacher.remove", code: "try", args: hu, need: managesHome, run: b.teacherRemove}),

		createZone: add(&action{name: "home.new.zone", code: "tz", args: []arg{argChoice}, need: coordinator,
			run: b.homeNewZone, at: createZone}),
		createSkipInstructions: add(&action{name: "home.new.skipInstructions", code: "is", need: coordinator,
			run: b.homeNewSkipInstructions, at: createInstr}),
		zoneSet: add(&action{name: "home.zone.set", code: "hzs", args: []arg{argChoice}, need: managesHome,
			run: b.homeZoneSet, at: b.homeFlows.zone.steps[0]}),
	}
}

// homesCommand opens the coordinator's homes.
func (b *Bot) homesCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
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
		kb = append(kb, []outbox.Button{b.home.view.button(r, h.Name, target{home: h.ID})})
	}
	kb = append(kb, []outbox.Button{b.home.create.button(r, r.text("HomeNewButton"), target{})},
		[]outbox.Button{b.share.start.button(r, r.text("ShareButton"), target{})})
	text, err := r.render("homes", map[string]any{"Homes": homes})
	if err != nil {
		return err
	}
	return r.show(ctx, text, kb)
}

// homeNew starts creating a home: name → time zone → calling instructions.
func (b *Bot) homeNew(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, b.homeFlows.create.steps[0], homeAnswers{}, t)
}

func (b *Bot) askHomeName(ctx context.Context, r *request, _ target) error {
	return r.show(ctx, r.html("HomeNameAsk", "Max", homelink.MaxHomeName),
		[][]outbox.Button{{b.home.list.button(r, r.text("BackButton"), target{}), r.cancelButton()}})
}

func (b *Bot) homeNewName(ctx context.Context, r *request, t target, in input) error {
	name, ok, err := r.typed(ctx, in, homelink.MaxHomeName, false)
	if !ok {
		return err
	}
	a := answersOf[homeAnswers](r)
	a.Name = name
	return r.moveTo(ctx, b.homeFlows.create.steps[1], a, t)
}

func (b *Bot) askHomeNewZone(ctx context.Context, r *request, _ target) error {
	return r.show(ctx, r.html("HomeZoneAsk"), append(b.zoneButtons(r, b.home.createZone, target{}), r.backButton()))
}

func (b *Bot) homeNewZone(ctx context.Context, r *request, t target) error {
	if t.n >= len(homelink.TimeZoneChoices) {
		return r.expired(ctx)
	}
	return b.homeNewZoneChosen(ctx, r, t, homelink.TimeZoneChoices[t.n])
}

func (b *Bot) homeNewZoneTyped(ctx context.Context, r *request, t target, in input) error {
	loc, err := homelink.CheckTimeZone(in.text)
	if err != nil {
		return r.reply(ctx, r.html("ZoneInvalid"), append(b.zoneButtons(r, b.home.createZone, target{}), r.backButton()))
	}
	return b.homeNewZoneChosen(ctx, r, t, loc.String())
}

func (b *Bot) homeNewZoneChosen(ctx context.Context, r *request, t target, zone string) error {
	a := answersOf[homeAnswers](r)
	a.TimeZone = zone
	return r.moveTo(ctx, b.homeFlows.create.steps[2], a, t)
}

func (b *Bot) askHomeNewInstructions(ctx context.Context, r *request, _ target) error {
	return r.show(ctx, r.html("InstructionsAsk", "Max", homelink.MaxInstructions),
		[][]outbox.Button{{b.home.createSkipInstructions.button(r, r.text("SkipButton"), target{})}, r.backButton()})
}

func (b *Bot) homeNewInstructions(ctx context.Context, r *request, _ target, in input) error {
	instr, ok, err := r.typed(ctx, in, homelink.MaxInstructions, true)
	if !ok {
		return err
	}
	return b.homeCreate(ctx, r, instr)
}

func (b *Bot) homeNewSkipInstructions(ctx context.Context, r *request, _ target) error {
	return b.homeCreate(ctx, r, "")
}

func (b *Bot) homeCreate(ctx context.Context, r *request, instr string) error {
	a := answersOf[homeAnswers](r)
	h, err := b.Store.CreateHome(ctx, r.by(), homelink.Home{Name: a.Name, TimeZone: a.TimeZone, Instructions: instr})
	if err != nil {
		return err
	}
	if err := r.leaveFlow(ctx); err != nil {
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
	text, err := r.render("home", map[string]any{"Home": h, "Zone": zoneLabel(r, h.TimeZone), "Notice": template.HTML(notice)})
	if err != nil {
		return err
	}
	t, a := target{home: id}, b.home
	return r.show(ctx, text, [][]outbox.Button{
		{a.rename.button(r, r.text("RenameButton"), t), a.zone.button(r, r.text("ZoneButton"), t)},
		{a.instructions.button(r, r.text("InstructionsButton"), t)},
		{a.teacherInvite.button(r, r.text("TeacherInviteButton"), t), a.teachers.button(r, r.text("TeachersButton"), t)},
		{a.list.button(r, r.text("BackHomesButton"), target{})},
	})
}

// backToHome is the button back to a home's page.
func (b *Bot) backToHome(r *request, h int64) []outbox.Button {
	return []outbox.Button{b.home.view.button(r, r.text("BackButton"), target{home: h})}
}

func (b *Bot) askHomeZone(ctx context.Context, r *request, t target) error {
	return r.show(ctx, r.html("HomeZoneAsk"), append(b.zoneButtons(r, b.home.zoneSet, target{}), b.backToHome(r, t.home)))
}

func (b *Bot) homeZoneSet(ctx context.Context, r *request, t target) error {
	if t.n >= len(homelink.TimeZoneChoices) {
		return r.expired(ctx)
	}
	z := homelink.TimeZoneChoices[t.n]
	return b.homeSet(ctx, r, t.home, homelink.HomeTimeZone, z, r.html("HomeZoneSet", "Zone", zoneLabel(r, z)))
}

func (b *Bot) homeZoneTyped(ctx context.Context, r *request, t target, in input) error {
	loc, err := homelink.CheckTimeZone(in.text)
	if err != nil {
		return r.reply(ctx, r.html("ZoneInvalid"), append(b.zoneButtons(r, b.home.zoneSet, target{}), b.backToHome(r, t.home)))
	}
	return b.homeSet(ctx, r, t.home, homelink.HomeTimeZone, loc.String(), r.html("HomeZoneSet", "Zone", zoneLabel(r, loc.String())))
}

// homeEdit is a one-question flow that changes one field of a home.
type homeEdit struct {
	field homelink.HomeField
	// ask is the question's message id; it is given the field's Max.
	ask       string
	max       int
	multiline bool
	// done is the notice shown above the home once v is saved.
	done func(r *request, v string) string
}

// homeEditFlow declares the flow name asking for one field of a home.
func (b *Bot) homeEditFlow(name, stepName string, e homeEdit) *flow {
	return b.flows.add(&flow{name: name, steps: []*step{{name: stepName, accepts: inText, need: managesHome,
		answer: func(ctx context.Context, r *request, t target, in input) error {
			v, ok, err := r.typed(ctx, in, e.max, e.multiline)
			if !ok {
				return err
			}
			return b.homeSet(ctx, r, t.home, e.field, v, e.done(r, v))
		},
		ask: func(ctx context.Context, r *request, t target) error {
			return r.show(ctx, r.html(e.ask, "Max", e.max), [][]outbox.Button{b.backToHome(r, t.home)})
		},
	}}})
}

// startAtHome starts a flow about the target's home.
func (f *flow) startAtHome(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, f.steps[0], homeAnswers{about: about{Home: t.home}}, t)
}

// homeSet changes one field of a home, leaves the flow and shows the home.
func (b *Bot) homeSet(ctx context.Context, r *request, h int64, f homelink.HomeField, v, notice string) error {
	err := b.Store.UpdateHome(ctx, r.by(), h, f, v)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	if err := r.leaveFlow(ctx); err != nil {
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
	names, err := b.Store.Names(ctx, h.Teachers)
	if err != nil {
		return err
	}
	type teacher struct {
		ID   int64
		Name string
	}
	var kb [][]outbox.Button
	teachers := make([]teacher, len(h.Teachers))
	for i, u := range h.Teachers {
		teachers[i] = teacher{u, names[u]}
		label := r.text("TeacherRemoveButton", "N", i+1)
		if names[u] != "" {
			label = r.text("TeacherRemoveNamed", "Name", names[u])
		}
		kb = append(kb, []outbox.Button{b.home.teacherRemoveAsk.button(r, label, target{home: t.home, user: u})})
	}
	for _, inv := range invites {
		kb = append(kb, []outbox.Button{b.invite.revoke.button(r, r.text("RevokeUntilButton", "Date", r.date(inv.ExpiresAt, h.TimeZone)), target{invite: inv.ID})})
	}
	kb = append(kb, b.backToHome(r, t.home))
	text, err := r.render("teachers", map[string]any{"Home": h, "Teachers": teachers, "Invites": len(invites)})
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
	return r.show(ctx, r.html("TeacherRemoveAsk", "Home", h.Name, "Name", b.nameOf(ctx, t.user)), [][]outbox.Button{{
		b.home.teacherRemove.button(r, r.text("YesRemoveButton"), t),
		b.home.teachers.button(r, r.text("NoButton"), target{home: t.home}),
	}})
}

func (b *Bot) teacherRemove(ctx context.Context, r *request, t target) error {
	removed, err := b.Store.RemoveTeacher(ctx, r.by(), t.home, t.user)
	if err != nil {
		return err
	}
	if removed {
		if h, err := b.Store.Home(ctx, t.home); err == nil {
			b.notify(ctx, t.user, "TeacherRemovedNotice", nil, "Home", h.Name)
		}
		b.refreshMenu(ctx, t.user)
	}
	return b.teachersView(ctx, r, t)
}
