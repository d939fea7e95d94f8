package bot

import (
	"context"
	"slices"
	"strconv"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The settings of a home's hours that are one choice each: slot length,
// lines, auto-confirm.

// slotChoices are the slot lengths offered, in minutes.
var slotChoices = []int{10, 15, 20, 30, 45, 60}

// hoursSlot asks for the slot length: a button, or the minutes typed.
func (b *Bot) hoursSlot(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, b.hoursFlows.slot.steps[0], hoursAnswers{about: about{Home: t.home}}, t)
}

func (b *Bot) askHoursSlot(ctx context.Context, r *request, t target) error {
	hrs, err := b.Store.Hours(ctx, t.home)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html("HoursSlotAsk", "Minutes", hrs.SlotMinutes), b.slotKeyboard(r, t.home))
}

// slotKeyboard offers the common slot lengths and the way back.
func (b *Bot) slotKeyboard(r *request, h int64) [][]outbox.Button {
	var bs []outbox.Button
	for _, m := range slotChoices {
		bs = append(bs, b.hours.slotSet.button(r, r.text("MinutesButton", "Minutes", m), target{home: h, n: m}))
	}
	return append(grid(3, bs), b.backToHours(r, h))
}

func (b *Bot) hoursSlotSet(ctx context.Context, r *request, t target) error {
	if !slices.Contains(slotChoices, t.n) {
		return r.expired(ctx)
	}
	return b.setSlot(ctx, r, t.home, t.n)
}

// hoursSlotTyped takes a slot length typed at its question: "25",
// "２５分钟", "25 min".
func (b *Bot) hoursSlotTyped(ctx context.Context, r *request, t target, in input) error {
	m, err := homelink.ParseSlotMinutes(in.text)
	if err != nil {
		return r.reply(ctx, r.typedError(err, "HoursSlotExample"), b.slotKeyboard(r, t.home))
	}
	return b.setSlot(ctx, r, t.home, m)
}

// setSlot sets home h's slot length to m minutes and says which windows
// it leaves minutes unused in.
func (b *Bot) setSlot(ctx context.Context, r *request, h int64, m int) error {
	var ws []homelink.Window
	return b.saveHours(ctx, r, h, func(hrs *homelink.Hours) error {
		hrs.SlotMinutes, ws = m, hrs.Windows
		return nil
	}, nil, func() string { return r.html("HoursSlotSet", "Minutes", m) + r.spareNote(ws, m) })
}

func (b *Bot) hoursLines(ctx context.Context, r *request, t target) error {
	hrs, err := b.Store.Hours(ctx, t.home)
	if err != nil {
		return err
	}
	var bs []outbox.Button
	for n := homelink.MinLines; n <= homelink.MaxLines; n++ {
		bs = append(bs, b.hours.linesSet.button(r, strconv.Itoa(n), target{home: t.home, n: n}))
	}
	return r.show(ctx, r.html("HoursLinesAsk", "Count", hrs.Lines), append(grid(5, bs), b.backToHours(r, t.home)))
}

func (b *Bot) hoursLinesSet(ctx context.Context, r *request, t target) error {
	if t.n < homelink.MinLines || t.n > homelink.MaxLines {
		return r.expired(ctx)
	}
	return b.saveHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		hrs.Lines = t.n
		return nil
	}, nil, func() string { return r.html("HoursLinesSet", "Count", t.n) })
}

// hoursAuto turns auto-confirm on (n 1) or off (n 0): the button carries
// the state it sets, so a second tap on an old button changes nothing.
func (b *Bot) hoursAuto(ctx context.Context, r *request, t target) error {
	if t.n > 1 {
		return r.expired(ctx)
	}
	notice := "HoursAutoOff"
	if t.n == 1 {
		notice = "HoursAutoOn"
	}
	return b.saveHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		hrs.AutoConfirm = t.n == 1
		return nil
	}, nil, func() string { return r.html(notice) })
}
