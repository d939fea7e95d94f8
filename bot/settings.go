package bot

import (
	"context"
	"html/template"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /settings: the name others see, the language, the time zone, quiet
// hours, and a parent's work shifts and reminder the day before a call.

// settingsActs are the buttons of /settings.
type settingsActs struct {
	view, name, language                          *action
	zone, zoneSet, zoneClear                      *action
	shifts, shiftsPreset, shiftsType, shiftsClear *action
	quiet, quietPreset, quietType, quietSwitch    *action
	dayAhead                                      *action
}

// nameAnswers are the answers of the flow changing one's name.
type nameAnswers struct {
	about
}

func (b *Bot) settingsActions() {
	nameFlow := b.flows.add(&flow{name: "settings.name", steps: []*step{
		{name: "name", accepts: inText, need: anyone, answer: b.nameTyped, ask: b.askName}}})
	add := b.acts.add
	b.settings = settingsActs{
		view: add(&action{name: "settings.view", code: "sv", need: anyone, run: b.settingsView}),
		name: add(&action{name: "settings.name", code: "sn", need: anyone,
			run: func(ctx context.Context, r *request, t target) error {
				return r.moveTo(ctx, nameFlow.steps[0], nameAnswers{}, t)
			}}),
		language: add(&action{name: "settings.language", code: "sl", need: anyone,
			run: func(ctx context.Context, r *request, _ target) error {
				return b.showLanguages(ctx, r, rows(b.settings.view.button(r, r.text("BackButton"), target{}))...)
			}}),
	}
	b.zoneActions()
	b.shiftsActions()
	b.quietActions()
}

// settingsCommand opens the settings.
func (b *Bot) settingsCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.settingsView(ctx, r, target{})
}

func (b *Bot) settingsView(ctx context.Context, r *request, _ target) error {
	return b.showSettings(ctx, r, "")
}

func (b *Bot) showSettings(ctx context.Context, r *request, notice string) error {
	member, guardian := r.user.Roles.Any(), r.user.Roles.IsGuardian()
	data := map[string]any{
		"Notice": template.HTML(notice), "Member": member, "Name": r.user.Name,
		"Language": b.Renderer.Text(r.lang, "LanguageName"), "Guardian": guardian,
	}
	if member {
		data["Zone"], data["OwnZone"] = zoneLabel(r, b.zoneOf(ctx, r.user).String()), r.user.TimeZone != ""
		data["Quiet"] = r.quietLine()
	}
	if guardian {
		data["Shifts"], data["DayAheadOff"] = r.shiftsText(r.user.Shifts), r.user.DayAheadOff
	}
	text, err := r.render("settings", data)
	if err != nil {
		return err
	}
	var kb [][]outbox.Button
	if member {
		kb = append(kb, []outbox.Button{b.settings.name.button(r, r.text("SettingsNameButton"), target{})})
	}
	kb = append(kb, []outbox.Button{b.settings.language.button(r, r.text("SettingsLanguageButton"), target{})})
	if member {
		kb = append(kb, []outbox.Button{b.settings.zone.button(r, r.text("SettingsZoneButton"), target{})},
			[]outbox.Button{b.settings.quiet.button(r, r.text("SettingsQuietButton"), target{})})
	}
	if guardian {
		kb = append(kb, []outbox.Button{b.settings.shifts.button(r, r.text("SettingsShiftsButton"), target{})})
		if r.user.DayAheadOff {
			kb = append(kb, []outbox.Button{b.settings.dayAhead.button(r, r.text("DayAheadOnButton"), target{n: 1})})
		} else {
			kb = append(kb, []outbox.Button{b.settings.dayAhead.button(r, r.text("DayAheadOffButton"), target{n: 0})})
		}
	}
	return r.show(ctx, text, kb)
}

func (b *Bot) askName(ctx context.Context, r *request, _ target) error {
	return r.show(ctx, r.html("NameAsk", "Max", homelink.MaxPersonName),
		rows(b.settings.view.button(r, r.text("BackButton"), target{})))
}

func (b *Bot) nameTyped(ctx context.Context, r *request, _ target, in input) error {
	name, ok, err := r.typed(ctx, in, homelink.MaxPersonName, false)
	if !ok {
		return err
	}
	if err := b.Store.SetName(ctx, r.user.ID, name); err != nil {
		return err
	}
	r.user.Name = name
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	return b.showSettings(ctx, r, r.html("NameSet", "Name", name))
}
