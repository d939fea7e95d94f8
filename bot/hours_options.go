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

func (b *Bot) hoursSlot(ctx context.Context, r *request, t target) error {
	hrs, err := b.Store.Hours(ctx, t.home)
	if err != nil {
		return err
	}
	var bs []outbox.Button
	for _, m := range slotChoices {
		bs = append(bs, b.hours.slotSet.button(r, r.text("MinutesButton", "Minutes", m), target{home: t.home, n: m}))
	}
	return r.show(ctx, r.html("HoursSlotAsk", "Minutes", hrs.SlotMinutes), append(grid(3, bs), b.backToHours(r, t.home)))
}

func (b *Bot) hoursSlotSet(ctx context.Context, r *request, t target) error {
	if !slices.Contains(slotChoices, t.n) {
		return r.expired(ctx)
	}
	return b.saveHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		hrs.SlotMinutes = t.n
		return nil
	}, nil, func() string { return r.html("HoursSlotSet", "Minutes", t.n) })
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
