package bot

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Adding call hours: day → start → end with buttons, or one or several
// lines typed ("Sat 09:00-11:30", "周六 9:00-11:30") at the day question
// or while the hours are on screen. Removing them: one button per window.

// The start buttons run every half hour from firstStart to lastStart.
const (
	halfHour   = 30
	firstStart = 7 * 60
	lastStart  = 21*60 + 30
	dayEnd     = 24 * 60
)

// weekOrder is the week as the day buttons show it, Monday first.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday,
	time.Friday, time.Saturday, time.Sunday}

func (b *Bot) hoursAdd(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, b.hoursFlows.add.steps[0], hoursAnswers{about: about{Home: t.home}}, t)
}

func (b *Bot) askHoursDay(ctx context.Context, r *request, t target) error {
	return r.show(ctx, r.html("HoursDayAsk"), b.dayKeyboard(r, t.home))
}

// dayKeyboard is a button per weekday, then the way back to the hours.
func (b *Bot) dayKeyboard(r *request, h int64) [][]outbox.Button {
	var bs []outbox.Button
	for _, d := range weekOrder {
		bs = append(bs, b.hours.addDay.button(r, r.text("WeekdayShort_"+strconv.Itoa(int(d))), target{n: int(d)}))
	}
	return append(grid(4, bs), []outbox.Button{b.hours.view.button(r, r.text("BackButton"), target{home: h}), r.cancelButton()})
}

func (b *Bot) hoursDayChosen(ctx context.Context, r *request, t target) error {
	if t.n < 0 || t.n > 6 {
		return r.expired(ctx)
	}
	a := answersOf[hoursAnswers](r)
	a.Day = t.n
	return r.moveTo(ctx, b.hoursFlows.add.steps[1], a, t)
}

func (b *Bot) askHoursStart(ctx context.Context, r *request, _ target) error {
	a := answersOf[hoursAnswers](r)
	var bs []outbox.Button
	for m := firstStart; m <= lastStart; m += halfHour {
		bs = append(bs, b.hours.addStart.button(r, clockText(m), target{n: m}))
	}
	return r.show(ctx, r.html("HoursStartAsk", "Day", r.weekday(time.Weekday(a.Day))), append(grid(4, bs), r.backButton()))
}

func (b *Bot) hoursStartChosen(ctx context.Context, r *request, t target) error {
	if t.n < firstStart || t.n > lastStart || t.n%halfHour != 0 {
		return r.expired(ctx)
	}
	a := answersOf[hoursAnswers](r)
	a.Start = t.n
	return r.moveTo(ctx, b.hoursFlows.add.steps[2], a, t)
}

func (b *Bot) askHoursEnd(ctx context.Context, r *request, _ target) error {
	a := answersOf[hoursAnswers](r)
	return r.show(ctx, r.html("HoursEndAsk", "Day", r.weekday(time.Weekday(a.Day)), "Start", clockText(a.Start)), b.endKeyboard(r, a.Start))
}

// endKeyboard offers every half hour after start, up to midnight.
func (b *Bot) endKeyboard(r *request, start int) [][]outbox.Button {
	var bs []outbox.Button
	for m := start + halfHour; m <= dayEnd; m += halfHour {
		bs = append(bs, b.hours.addEnd.button(r, clockText(m), target{n: m}))
	}
	return append(grid(4, bs), r.backButton())
}

func (b *Bot) hoursEndChosen(ctx context.Context, r *request, t target) error {
	a := answersOf[hoursAnswers](r)
	if a.Start < firstStart || t.n <= a.Start || t.n > dayEnd || t.n%halfHour != 0 {
		return r.expired(ctx)
	}
	w := homelink.Window{Day: time.Weekday(a.Day), Start: a.Start, End: t.n}
	slot := 0
	return b.saveHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		slot = hrs.SlotMinutes
		if w.TooShort(slot) {
			return homelink.ErrTooShort
		}
		merged, err := homelink.AddWindows(hrs.Windows, []homelink.Window{w})
		hrs.Windows = merged
		return errors.Unwrap(err) // the reason: the window is named below, in the reader's words
	}, func(err error) error {
		text := r.html("WindowError", "Hours", r.windowText(w), "Why", r.why(err, slot))
		return r.show(ctx, text, b.endKeyboard(r, a.Start))
	}, func() string { return r.addedNotice([]homelink.Window{w}, slot) })
}

// hoursTyped takes windows typed at the day question.
func (b *Bot) hoursTyped(ctx context.Context, r *request, t target, in input) error {
	return b.addTyped(ctx, r, t.home, in.text, b.dayKeyboard(r, t.home))
}

// hoursViewTyped takes windows typed while the hours are on screen (or an
// invitation's code, which staff may type anywhere).
func (b *Bot) hoursViewTyped(ctx context.Context, r *request, t target, in input) error {
	if code, ok := homelink.NormalizeTypedCode(in.text); ok {
		return b.redeemCode(ctx, r, code)
	}
	return b.addTyped(ctx, r, t.home, in.text, [][]outbox.Button{b.backToHours(r, t.home)})
}

// addTyped adds the windows of typed text to home h's hours and shows
// them, ready for more; if any line is refused, each is named, nothing is
// saved, and kb goes under the answer.
func (b *Bot) addTyped(ctx context.Context, r *request, h int64, text string, kb [][]outbox.Button) error {
	var added []homelink.Window
	slot := 0
	return b.saveHours(ctx, r, h, func(hrs *homelink.Hours) error {
		slot = hrs.SlotMinutes
		merged, ws, err := homelink.AddTypedWindows(hrs.Windows, text, hrs.SlotMinutes)
		hrs.Windows, added = merged, ws
		return err
	}, func(err error) error {
		return r.reply(ctx, r.typedErrorIn(err, "HoursExample", slot), kb)
	}, func() string { return r.addedNotice(added, slot) })
}

// addedNotice says which windows were added, and which of them leave
// minutes no call can use.
func (r *request) addedNotice(ws []homelink.Window, slot int) string {
	texts := make([]string, len(ws))
	for i, w := range ws {
		texts[i] = r.windowText(w)
	}
	return r.html("HoursAdded", "Hours", strings.Join(texts, r.text("ListSeparator"))) + r.spareNote(ws, slot)
}

// spareNote names the windows of ws that calls of slot minutes do not
// fill: "" when they all divide evenly.
func (r *request) spareNote(ws []homelink.Window, slot int) string {
	var lines []string
	for _, w := range ws {
		spare := w.SpareMinutes(slot)
		switch {
		case w.TooShort(slot):
			lines = append(lines, r.html("SpareTooShort", "Hours", r.windowText(w)))
		case spare > 0:
			lines = append(lines, r.html("SpareMinutes", "Hours", r.windowText(w), "Minutes", spare))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n\n" + r.html("SpareTitle", "Minutes", slot) + "\n• " + strings.Join(lines, "\n• ")
}

// windowText is one window as the reader says it: "周六 09:00–11:30".
func (r *request) windowText(w homelink.Window) string {
	return r.weekday(w.Day) + " " + span(w.Start, w.End)
}

// hoursRemoveList offers one button per window.
func (b *Bot) hoursRemoveList(ctx context.Context, r *request, t target) error {
	hrs, err := b.Store.Hours(ctx, t.home)
	if err != nil {
		return err
	}
	var kb [][]outbox.Button
	for _, w := range hrs.Windows {
		label := r.text("HoursRemoveOne", "Hours", r.text("WeekdayShort_"+strconv.Itoa(int(w.Day)))+" "+span(w.Start, w.End))
		kb = append(kb, []outbox.Button{b.hours.remove.button(r, label, target{home: t.home, n: windowCode(w)})})
	}
	return r.show(ctx, r.html("HoursRemoveAsk"), append(kb, b.backToHours(r, t.home)))
}

// hoursRemove removes the window the button names, if it is still there.
func (b *Bot) hoursRemove(ctx context.Context, r *request, t target) error {
	var w homelink.Window
	return b.saveHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		i := slices.IndexFunc(hrs.Windows, func(w homelink.Window) bool { return windowCode(w) == t.n })
		if i < 0 {
			return errNothingToChange
		}
		w = hrs.Windows[i]
		hrs.Windows = slices.Delete(slices.Clone(hrs.Windows), i, i+1)
		return nil
	}, nil, func() string { return r.html("HoursRemoved", "Hours", r.windowText(w)) })
}

// windowCode names a window on a button, so a tap removes that window
// even when another teacher changed the list meanwhile.
func windowCode(w homelink.Window) int {
	const m = dayEnd + 1
	return (int(w.Day)*m+w.Start)*m + w.End
}
