package bot

import (
	"context"
	"html/template"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Quiet hours: when reminders and notices that can wait are held, in the
// person's own time, so a parent asleep between night shifts is not woken
// by something that can wait. And a guardian's reminder the day before
// their calls, which they may switch off.

// quietAnswers are the answers of the flow typing one's quiet hours.
type quietAnswers struct {
	about
}

// quietPresets are the quiet hours offered as buttons: three nights, and
// a day for a parent working nights (label names it; "" shows the hours
// alone).
var quietPresets = []struct {
	label string
	hours homelink.QuietHours
}{
	{"", homelink.DefaultQuietHours},
	{"", homelink.QuietHours{Start: 23 * 60, End: 6 * 60}},
	{"", homelink.QuietHours{Start: 21 * 60, End: 8 * 60}},
	{"QuietDayButton", homelink.QuietHours{Start: 8 * 60, End: 16 * 60}},
}

func (b *Bot) quietActions() {
	typed := &step{name: "quiet", accepts: inText, need: member, answer: b.quietTyped, ask: b.askQuiet}
	b.flows.add(&flow{name: "settings.quiet", steps: []*step{typed}})
	add := b.acts.add
	b.settings.quiet = add(&action{name: "settings.quiet", code: "sq", need: member, run: b.quietView})
	b.settings.quietPreset = add(&action{name: "settings.quiet.preset", code: "sqp", args: []arg{argChoice}, need: member,
		run: b.quietPresetChosen})
	b.settings.quietType = add(&action{name: "settings.quiet.type", code: "sqt", need: member,
		run: func(ctx context.Context, r *request, t target) error { return r.moveTo(ctx, typed, quietAnswers{}, t) }})
	b.settings.quietSwitch = add(&action{name: "settings.quiet.switch", code: "sqs", args: []arg{argChoice}, need: member,
		run: b.quietSwitched})
	b.settings.dayAhead = add(&action{name: "settings.dayAhead", code: "sd", args: []arg{argChoice}, need: guardian,
		run: b.dayAheadSwitched})
}

func (b *Bot) quietView(ctx context.Context, r *request, _ target) error {
	return b.showQuiet(ctx, r, "")
}

// showQuiet shows the person's quiet hours, what they do, and the ways to
// change them.
func (b *Bot) showQuiet(ctx context.Context, r *request, notice string) error {
	q := r.user.QuietHours()
	text, err := r.render("quiet", map[string]any{"Notice": template.HTML(notice), "Off": q.Off(),
		"Hours": span(q.Start, q.End)})
	if err != nil {
		return err
	}
	a := b.settings
	bs := make([]outbox.Button, len(quietPresets))
	for i, p := range quietPresets {
		label := span(p.hours.Start, p.hours.End)
		if p.label != "" {
			label = r.text(p.label, "Hours", label)
		}
		bs[i] = a.quietPreset.button(r, label, target{n: i})
	}
	kb := append(grid(2, bs), []outbox.Button{a.quietType.button(r, r.text("QuietTypeButton"), target{})})
	if q.Off() {
		kb = append(kb, []outbox.Button{a.quietSwitch.button(r, r.text("QuietOnButton"), target{n: 1})})
	} else {
		kb = append(kb, []outbox.Button{a.quietSwitch.button(r, r.text("QuietOffButton"), target{n: 0})})
	}
	return r.show(ctx, text, append(kb, []outbox.Button{a.view.button(r, r.text("BackButton"), target{})}))
}

func (b *Bot) askQuiet(ctx context.Context, r *request, _ target) error {
	return r.show(ctx, r.html("QuietAsk")+"\n"+r.html("QuietExample"), b.quietAskKeyboard(r))
}

func (b *Bot) quietAskKeyboard(r *request) [][]outbox.Button {
	return [][]outbox.Button{{b.settings.quiet.button(r, r.text("BackButton"), target{}), r.cancelButton()}}
}

// quietTyped takes quiet hours typed at their question; a line it cannot
// read is refused with an example, and the question stays open.
func (b *Bot) quietTyped(ctx context.Context, r *request, _ target, in input) error {
	q, err := homelink.ParseQuietHours(in.text)
	if err != nil {
		return r.reply(ctx, r.typedError(err, "QuietExample"), b.quietAskKeyboard(r))
	}
	return b.setQuiet(ctx, r, q)
}

func (b *Bot) quietPresetChosen(ctx context.Context, r *request, t target) error {
	if t.n >= len(quietPresets) {
		return r.expired(ctx)
	}
	return b.setQuiet(ctx, r, quietPresets[t.n].hours)
}

// quietSwitched turns quiet hours off (n 0) or back on at the default (n
// 1): the button carries the state it sets, so an old one tapped again
// changes nothing.
func (b *Bot) quietSwitched(ctx context.Context, r *request, t target) error {
	switch t.n {
	case 0:
		return b.setQuiet(ctx, r, homelink.QuietOff)
	case 1:
		return b.setQuiet(ctx, r, homelink.DefaultQuietHours)
	}
	return r.expired(ctx)
}

// setQuiet keeps the person's quiet hours (the default kept as none, so it
// is what they follow) and shows them.
func (b *Bot) setQuiet(ctx context.Context, r *request, q homelink.QuietHours) error {
	var keep *homelink.QuietHours
	if q != homelink.DefaultQuietHours {
		keep = &q
	}
	if err := b.Store.SetQuietHours(ctx, r.user.ID, keep); err != nil {
		return err
	}
	r.user.Quiet = keep
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	notice := r.html("QuietOffSet")
	if !q.Off() {
		notice = r.html("QuietSet", "Hours", span(q.Start, q.End))
	}
	return b.showQuiet(ctx, r, notice)
}

// quietLine is the person's quiet hours for the settings: "22:00–07:00",
// or "" when off.
func (r *request) quietLine() string {
	if q := r.user.QuietHours(); !q.Off() {
		return span(q.Start, q.End)
	}
	return ""
}

// dayAheadSwitched turns a guardian's reminder the day before their calls
// on (n 1) or off (n 0), and shows the settings.
func (b *Bot) dayAheadSwitched(ctx context.Context, r *request, t target) error {
	if t.n > 1 {
		return r.expired(ctx)
	}
	on := t.n == 1
	if err := b.Store.SetDayAhead(ctx, r.user.ID, on); err != nil {
		return err
	}
	r.user.DayAheadOff = !on
	notice := r.html("DayAheadOffSet")
	if on {
		notice = r.html("DayAheadOnSet")
	}
	return b.showSettings(ctx, r, notice)
}
