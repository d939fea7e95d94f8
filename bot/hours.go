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

// /hours: when a home can host calls, set by its teachers and
// coordinators. The view shows the hours in the home's zone; every change
// is one SetHours of the whole, re-read just before it is made.

// hoursActs are the buttons of /hours.
type hoursActs struct {
	view, add, removeList, remove        *action
	slot, slotSet, lines, linesSet, auto *action
	closed, closedAdd, closedRemove      *action
	reminders, remindersSet              *action
	// Buttons that answer the adding flow's questions.
	addDay, addStart, addEnd *action
}

// hoursFlows are the questions of /hours. view is the hours on screen,
// which take typed windows ("周日 9:00-11:00") as the adding flow does.
type hoursFlows struct {
	view, add, closed, slot *flow
}

// hoursAnswers are the answers of the flows of /hours.
type hoursAnswers struct {
	about
	Day   int `json:"d,omitempty"`
	Start int `json:"s,omitempty"`
}

// hoursActions declares the buttons and flows of /hours.
func (b *Bot) hoursActions() {
	day := &step{name: "day", accepts: inText, need: staffOfHome, answer: b.hoursTyped, ask: b.askHoursDay}
	start := &step{name: "start", need: staffOfHome, ask: b.askHoursStart}
	end := &step{name: "end", need: staffOfHome, ask: b.askHoursEnd}
	dates := &step{name: "dates", accepts: inText, need: staffOfHome, answer: b.closedTyped, ask: b.askClosed}
	viewing := &step{name: "hours", accepts: inText, need: staffOfHome, answer: b.hoursViewTyped}
	minutes := &step{name: "minutes", accepts: inText, need: staffOfHome, answer: b.hoursSlotTyped, ask: b.askHoursSlot}
	b.hoursFlows = hoursFlows{
		view:   b.flows.add(&flow{name: "hours.view", steps: []*step{viewing}}),
		add:    b.flows.add(&flow{name: "hours.add", steps: []*step{day, start, end}}),
		closed: b.flows.add(&flow{name: "hours.closed", steps: []*step{dates}}),
		slot:   b.flows.add(&flow{name: "hours.slot", steps: []*step{minutes}}),
	}
	add, h, hn, n := b.acts.add, []arg{argHome}, []arg{argHome, argChoice}, []arg{argChoice}
	b.hours = hoursActs{
		view:         add(&action{name: "hours.view", code: "Hv", args: h, need: staffOfHome, run: b.hoursView}),
		add:          add(&action{name: "hours.add", code: "Ha", args: h, need: staffOfHome, run: b.hoursAdd}),
		removeList:   add(&action{name: "hours.removeList", code: "Hr", args: h, need: staffOfHome, run: b.hoursRemoveList}),
		remove:       add(&action{name: "hours.remove", code: "Hx", args: hn, need: staffOfHome, run: b.hoursRemove}),
		slot:         add(&action{name: "hours.slot", code: "Hs", args: h, need: staffOfHome, run: b.hoursSlot}),
		slotSet:      add(&action{name: "hours.slot.set", code: "Hss", args: hn, need: staffOfHome, run: b.hoursSlotSet}),
		lines:        add(&action{name: "hours.lines", code: "Hl", args: h, need: staffOfHome, run: b.hoursLines}),
		linesSet:     add(&action{name: "hours.lines.set", code: "Hls", args: hn, need: staffOfHome, run: b.hoursLinesSet}),
		auto:         add(&action{name: "hours.auto", code: "Ht", args: hn, need: staffOfHome, run: b.hoursAuto}),
		closed:       add(&action{name: "hours.closed", code: "Hc", args: h, need: staffOfHome, run: b.closedView}),
		closedAdd:    add(&action{name: "hours.closed.add", code: "Hca", args: h, need: staffOfHome, run: b.closedAdd}),
		closedRemove: add(&action{name: "hours.closed.remove", code: "Hcx", args: hn, need: staffOfHome, run: b.closedRemove}),
		addDay:       add(&action{name: "hours.add.day", code: "Had", args: n, need: staffOfHome, run: b.hoursDayChosen, at: day}),
		addStart:     add(&action{name: "hours.add.start", code: "Has", args: n, need: staffOfHome, run: b.hoursStartChosen, at: start}),
		addEnd:       add(&action{name: "hours.add.end", code: "Hae", args: n, need: staffOfHome, run: b.hoursEndChosen, at: end}),
	}
	b.remindActions()
}

// hoursCommand opens the hours of the user's home, or the homes to choose
// from when they teach at or manage several.
func (b *Bot) hoursCommand(ctx context.Context, r *request) error {
	homes := staffHomes(r.user.Roles)
	if len(homes) == 0 {
		return r.reply(ctx, r.html("HoursNoHome"), nil)
	}
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	if len(homes) == 1 {
		return b.hoursView(ctx, r, target{home: homes[0]})
	}
	kb, err := b.homeButtons(ctx, r, homes, b.hours.view)
	if err != nil {
		return err
	}
	return r.reply(ctx, r.html("ChooseHome"), kb)
}

// staffHomes are the homes a person teaches at or manages, lowest first.
func staffHomes(roles homelink.Roles) []int64 {
	set := maps.Clone(roles.Teaches)
	if set == nil {
		set = map[int64]bool{}
	}
	maps.Copy(set, roles.Coordinates)
	return slices.Sorted(maps.Keys(set))
}

// hoursView shows a home's hours.
func (b *Bot) hoursView(ctx context.Context, r *request, t target) error {
	return b.showHours(ctx, r, t.home, "")
}

// showHours shows home h's hours with notice above them and the buttons
// that change them; windows typed while they are on screen are added.
func (b *Bot) showHours(ctx context.Context, r *request, h int64, notice string) error {
	home, hrs, err := b.homeHours(ctx, h)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	text, err := r.render("hours", map[string]any{
		"Notice": template.HTML(notice), "Home": home.Name, "Days": r.windowLines(hrs.Windows),
		"Slot": hrs.SlotMinutes, "Lines": hrs.Lines, "Closed": r.closedLines(hrs.Closed),
		"Auto": hrs.AutoConfirm, "Zone": zoneLabel(r, b.homeZone(home).String()),
		"Reminders": r.remindersText(hrs.ReminderOffsets()),
	})
	if err != nil {
		return err
	}
	if err := r.at(ctx, b.hoursFlows.view.steps[0], hoursAnswers{about: about{Home: h}}); err != nil {
		return err
	}
	return r.show(ctx, text, b.hoursKeyboard(r, h, hrs))
}

// hoursKeyboard is the buttons under a home's hours.
func (b *Bot) hoursKeyboard(r *request, h int64, hrs homelink.Hours) [][]outbox.Button {
	a, t := b.hours, target{home: h}
	first := []outbox.Button{a.add.button(r, r.text("HoursAddButton"), t)}
	if len(hrs.Windows) > 0 {
		first = append(first, a.removeList.button(r, r.text("HoursRemoveButton"), t))
	}
	auto := "HoursAutoOnButton"
	toggle := target{home: h, n: 1}
	if hrs.AutoConfirm {
		auto, toggle.n = "HoursAutoOffButton", 0
	}
	return [][]outbox.Button{first,
		{a.slot.button(r, r.text("HoursSlotButton"), t), a.lines.button(r, r.text("HoursLinesButton"), t)},
		{a.closed.button(r, r.text("HoursClosedButton"), t)},
		{a.auto.button(r, r.text(auto), toggle)},
		{a.reminders.button(r, r.text("HoursRemindersButton"), t)},
	}
}

// homeHours reads a home and its hours.
func (b *Bot) homeHours(ctx context.Context, h int64) (homelink.Home, homelink.Hours, error) {
	home, err := b.Store.Home(ctx, h)
	if err != nil {
		return home, homelink.Hours{}, err
	}
	hrs, err := b.Store.Hours(ctx, h)
	return home, hrs, err
}

// backToHours is the button back to a home's hours.
func (b *Bot) backToHours(r *request, h int64) []outbox.Button {
	return []outbox.Button{b.hours.view.button(r, r.text("BackButton"), target{home: h})}
}
