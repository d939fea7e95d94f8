package bot

import (
	"context"
	"errors"
	"html/template"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// How long before a call a home's reminders come: the parent's the day
// before and shortly before, the teachers' nudge. Each is one row of
// choices in /hours; a tap saves through changeHours, and the reminders
// of calls already confirmed move with it (the store plans them again).

// remindRows are the rows of choices, top to bottom: each a label, the
// offsets offered (0 is off), and which offset of the home's it sets.
var remindRows = []struct {
	label   string
	choices []time.Duration
	offset  func(*homelink.Reminders) *time.Duration
}{
	{"RemindDayRow", homelink.DayAheadChoices, func(r *homelink.Reminders) *time.Duration { return &r.DayAhead }},
	{"RemindSoonRow", homelink.SoonChoices, func(r *homelink.Reminders) *time.Duration { return &r.Soon }},
	{"RemindNudgeRow", homelink.NudgeChoices, func(r *homelink.Reminders) *time.Duration { return &r.Nudge }},
}

// remindRowSpan spaces the rows in a button's choice: row*remindRowSpan
// plus the index of the offset in its row.
const remindRowSpan = 10

func (b *Bot) remindActions() {
	add, h, hn := b.acts.add, []arg{argHome}, []arg{argHome, argChoice}
	b.hours.reminders = add(&action{name: "hours.reminders", code: "Hm", args: h, need: staffOfHome, run: b.remindView})
	b.hours.remindersSet = add(&action{name: "hours.reminders.set", code: "Hms", args: hn, need: staffOfHome, run: b.remindSet})
}

func (b *Bot) remindView(ctx context.Context, r *request, t target) error {
	return b.showRemind(ctx, r, t.home, "")
}

// showRemind shows home h's reminders and a row of choices for each,
// under a label naming it (the label shows the same view again).
func (b *Bot) showRemind(ctx context.Context, r *request, h int64, notice string) error {
	home, hrs, err := b.homeHours(ctx, h)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	rem := hrs.ReminderOffsets()
	text, err := r.render("remindtimes", map[string]any{"Notice": template.HTML(notice), "Home": home.Name,
		"Reminders": r.remindersText(rem)})
	if err != nil {
		return err
	}
	a, t := b.hours, target{home: h}
	var kb [][]outbox.Button
	for i, row := range remindRows {
		kb = append(kb, []outbox.Button{a.reminders.button(r, r.text(row.label), t)})
		bs := make([]outbox.Button, len(row.choices))
		for j, d := range row.choices {
			label := r.duration(d)
			if d == *row.offset(&rem) {
				label = "✓ " + label
			}
			bs[j] = a.remindersSet.button(r, label, target{home: h, n: i*remindRowSpan + j})
		}
		// Three to a row: "✓ 24 小时" keeps to one line on a small phone.
		for len(bs) > 3 {
			kb, bs = append(kb, bs[:3]), bs[3:]
		}
		kb = append(kb, bs)
	}
	return r.show(ctx, text, append(kb, b.backToHours(r, h)))
}

// remindSet sets one of home h's offsets to the choice tapped.
func (b *Bot) remindSet(ctx context.Context, r *request, t target) error {
	i, j := t.n/remindRowSpan, t.n%remindRowSpan
	if i >= len(remindRows) || j >= len(remindRows[i].choices) {
		return r.expired(ctx)
	}
	row, d := remindRows[i], remindRows[i].choices[j]
	_, err := b.changeHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		rem := hrs.ReminderOffsets()
		if *row.offset(&rem) == d {
			return errNothingToChange
		}
		*row.offset(&rem) = d
		hrs.Reminders = &rem
		return nil
	})
	var refused hoursRefused
	switch {
	case errors.Is(err, errNothingToChange):
		return b.showRemind(ctx, r, t.home, "")
	case errors.As(err, &refused):
		return r.show(ctx, r.typedError(refused.err, ""), [][]outbox.Button{b.backToHours(r, t.home)})
	case errors.Is(err, homelink.ErrNotFound):
		return r.show(ctx, r.html("Gone"), nil)
	case err != nil:
		return err
	}
	return b.showRemind(ctx, r, t.home, r.html("RemindersSaved"))
}

// remindersText is a home's reminders in words: "parents 24 h and 1 h
// before and at the start; teachers 10 min before".
func (r *request) remindersText(rem homelink.Reminders) string {
	var before []string
	for _, d := range []time.Duration{rem.DayAhead, rem.Soon} {
		if d > 0 {
			before = append(before, r.duration(d))
		}
	}
	var parents string
	switch len(before) {
	case 2:
		parents = r.text("RemindParentsTwo", "Day", before[0], "Time", before[1])
	case 1:
		parents = r.text("RemindParentsOne", "Time", before[0])
	default:
		parents = r.text("RemindParentsStart")
	}
	teachers := r.text("RemindTeachersOff")
	if rem.Nudge > 0 {
		teachers = r.text("RemindTeachers", "Time", r.duration(rem.Nudge))
	}
	return parents + r.text("GroupSeparator") + teachers
}

// duration is how long before a call, short enough for a button: "24 h",
// "30 min", "24小时"; 0 is off.
func (r *request) duration(d time.Duration) string {
	switch {
	case d <= 0:
		return r.text("RemindOff")
	case d%time.Hour == 0:
		return r.text("DurationHours", "Count", int(d/time.Hour))
	}
	return r.text("DurationMinutes", "Count", int(d/time.Minute))
}
