package bot

import (
	"context"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// A parent's work shifts: /book then offers only times outside them, so a
// tired parent is never offered a call in the middle of a night shift.

// shiftPresets are the shifts offered as buttons: a day shift and a night
// shift, Monday to Saturday (the days are written in the labels, short
// enough for a small phone).
var shiftPresets = []struct {
	label      string
	start, end int
}{
	{"ShiftsDayButton", 7 * 60, 19 * 60},
	{"ShiftsNightButton", 19 * 60, 7 * 60},
}

// presetShifts is preset i as shifts.
func presetShifts(i int) homelink.Shifts {
	var s homelink.Shifts
	for _, d := range weekOrder[:6] {
		s.Weekly = append(s.Weekly, homelink.ShiftWindow{Day: d, Start: shiftPresets[i].start, End: shiftPresets[i].end})
	}
	return s
}

func (b *Bot) shiftsActions() {
	typed := &step{name: "shifts", accepts: inText, need: guardian, answer: b.shiftsTyped, ask: b.askShifts}
	b.flows.add(&flow{name: "settings.shifts", steps: []*step{typed}})
	add := b.acts.add
	b.settings.shifts = add(&action{name: "settings.shifts", code: "sw", need: guardian, run: b.shiftsView})
	b.settings.shiftsPreset = add(&action{name: "settings.shifts.preset", code: "swp", args: []arg{argChoice}, need: guardian,
		run: b.shiftsPresetChosen})
	b.settings.shiftsType = add(&action{name: "settings.shifts.type", code: "swt", need: guardian,
		run: func(ctx context.Context, r *request, t target) error { return r.moveTo(ctx, typed, zoneAnswers{}, t) }})
	b.settings.shiftsClear = add(&action{name: "settings.shifts.clear", code: "swc", need: guardian, run: b.shiftsCleared})
}

func (b *Bot) shiftsView(ctx context.Context, r *request, _ target) error {
	return b.showShifts(ctx, r, "")
}

// showShifts shows the parent's shifts and the ways to change them.
func (b *Bot) showShifts(ctx context.Context, r *request, notice string) error {
	text, err := r.render("shifts", map[string]any{"Notice": template.HTML(notice), "Shifts": r.shiftsText(r.user.Shifts),
		"None": r.user.Shifts.IsZero()})
	if err != nil {
		return err
	}
	a := b.settings
	var kb [][]outbox.Button
	for i, p := range shiftPresets {
		kb = append(kb, []outbox.Button{a.shiftsPreset.button(r, r.text(p.label, "Hours", hourSpan(p.start, p.end)), target{n: i})})
	}
	kb = append(kb, []outbox.Button{a.shiftsType.button(r, r.text("ShiftsTypeButton"), target{})})
	if !r.user.Shifts.IsZero() {
		kb = append(kb, []outbox.Button{a.shiftsClear.button(r, r.text("ShiftsClearButton"), target{})})
	}
	return r.show(ctx, text, append(kb, []outbox.Button{a.view.button(r, r.text("BackButton"), target{})}))
}

func (b *Bot) askShifts(ctx context.Context, r *request, _ target) error {
	return r.show(ctx, r.html("ShiftsAsk")+"\n"+r.html("ShiftsExample"), b.shiftsAskKeyboard(r))
}

func (b *Bot) shiftsAskKeyboard(r *request) [][]outbox.Button {
	return [][]outbox.Button{{b.settings.shifts.button(r, r.text("BackButton"), target{}), r.cancelButton()}}
}

func (b *Bot) shiftsTyped(ctx context.Context, r *request, _ target, in input) error {
	today := homelink.DateOf(b.Clock.Now().In(b.zoneOf(ctx, r.user)))
	s, err := homelink.ParseShifts(in.text, today)
	if err == nil && s.IsZero() {
		err = homelink.ErrBadLine
	}
	if err != nil {
		return r.reply(ctx, r.typedError(err, "ShiftsExample"), b.shiftsAskKeyboard(r))
	}
	return b.setShifts(ctx, r, s)
}

func (b *Bot) shiftsPresetChosen(ctx context.Context, r *request, t target) error {
	if t.n >= len(shiftPresets) {
		return r.expired(ctx)
	}
	return b.setShifts(ctx, r, presetShifts(t.n))
}

func (b *Bot) shiftsCleared(ctx context.Context, r *request, _ target) error {
	return b.setShifts(ctx, r, homelink.Shifts{})
}

// setShifts keeps the parent's shifts and shows them.
func (b *Bot) setShifts(ctx context.Context, r *request, s homelink.Shifts) error {
	if err := b.Store.SetShifts(ctx, r.user.ID, s); err != nil {
		return err
	}
	r.user.Shifts = s
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	notice := r.html("ShiftsCleared")
	if !s.IsZero() {
		notice = r.html("ShiftsSet")
	}
	return b.showShifts(ctx, r, notice)
}

// hourSpan is a stretch of the day in whole hours where it can be, for a
// short button: "7–19", else "07:30–19:00".
func hourSpan(start, end int) string {
	if start%60 != 0 || end%60 != 0 {
		return span(start, end)
	}
	return strconv.Itoa(start/60) + "–" + strconv.Itoa(end/60)
}

// shiftsText is shifts in words: "周一至周六 07:00–19:00", or a rotation
// "白班 2 天 07:00–19:00，夜班 2 天 19:00–07:00，休 2 天，12月1日起".
func (r *request) shiftsText(s homelink.Shifts) string {
	switch {
	case s.Rotation != nil:
		var parts []string
		for _, bl := range s.Rotation.Blocks {
			id := "ShiftBlockDay"
			switch {
			case bl.Off:
				id = "ShiftBlockOff"
			case bl.End <= bl.Start:
				id = "ShiftBlockNight"
			}
			parts = append(parts, r.text(id, "Count", bl.Days, "Hours", span(bl.Start, bl.End)))
		}
		parts = append(parts, r.text("ShiftRotationFrom", "Date", r.shortDate(s.Rotation.Start)))
		return strings.Join(parts, r.text("ClauseSeparator"))
	case len(s.Weekly) > 0:
		return r.weeklyShiftsText(s.Weekly)
	}
	return r.text("ShiftsNone")
}

// weeklyShiftsText groups weekly shifts of the same hours: "周一至周五
// 07:00–19:00；周六 08:00–12:00".
func (r *request) weeklyShiftsText(ws []homelink.ShiftWindow) string {
	type hours struct{ start, end int }
	var order []hours
	days := map[hours][]time.Weekday{}
	for _, d := range weekOrder {
		for _, w := range ws {
			if w.Day != d {
				continue
			}
			h := hours{w.Start, w.End}
			if _, seen := days[h]; !seen {
				order = append(order, h)
			}
			days[h] = append(days[h], d)
		}
	}
	parts := make([]string, len(order))
	for i, h := range order {
		parts[i] = r.weekdaySpan(days[h]) + " " + span(h.start, h.end)
	}
	return strings.Join(parts, r.text("GroupSeparator"))
}
