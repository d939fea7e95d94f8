package bot

import (
	"context"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// A person's own time zone, for parents working abroad: every time they
// read is shown in it. Without one, their home's zone applies.

// zoneAnswers are the answers of the flow choosing one's zone.
type zoneAnswers struct {
	about
}

func (b *Bot) zoneActions() {
	zoneStep := &step{name: "zone", accepts: inText, need: member, answer: b.ownZoneTyped, ask: b.askOwnZone}
	b.flows.add(&flow{name: "settings.zone", steps: []*step{zoneStep}})
	add := b.acts.add
	b.settings.zone = add(&action{name: "settings.zone", code: "sz", need: member,
		run: func(ctx context.Context, r *request, t target) error {
			return r.moveTo(ctx, zoneStep, zoneAnswers{}, t)
		}})
	b.settings.zoneSet = add(&action{name: "settings.zone.set", code: "szs", args: []arg{argChoice}, need: member,
		run: b.ownZoneChosen, at: zoneStep})
	b.settings.zoneClear = add(&action{name: "settings.zone.clear", code: "szc", need: member,
		run: b.ownZoneCleared, at: zoneStep})
}

func (b *Bot) askOwnZone(ctx context.Context, r *request, _ target) error {
	return r.show(ctx, r.html("OwnZoneAsk", "Zone", zoneLabel(r, b.zoneOf(ctx, r.user).String())), b.ownZoneKeyboard(r))
}

// ownZoneKeyboard offers the common zones two to a row, each by its short
// name so two fit a small phone, the home's time, and the way back.
func (b *Bot) ownZoneKeyboard(r *request) [][]outbox.Button {
	bs := make([]outbox.Button, len(personalZones))
	for i, z := range personalZones {
		bs[i] = b.settings.zoneSet.button(r, zoneShort(r, z), target{n: i})
	}
	kb := grid(2, bs)
	return append(kb, []outbox.Button{b.settings.zoneClear.button(r, r.text("ZoneHomeButton"), target{})},
		[]outbox.Button{b.settings.view.button(r, r.text("BackButton"), target{})})
}

func (b *Bot) ownZoneChosen(ctx context.Context, r *request, t target) error {
	if t.n >= len(personalZones) {
		return r.expired(ctx)
	}
	return b.setOwnZone(ctx, r, personalZones[t.n])
}

func (b *Bot) ownZoneTyped(ctx context.Context, r *request, _ target, in input) error {
	loc, err := homelink.CheckTimeZone(in.text)
	if err != nil {
		return r.reply(ctx, r.html("ZoneInvalid"), b.ownZoneKeyboard(r))
	}
	return b.setOwnZone(ctx, r, loc.String())
}

func (b *Bot) ownZoneCleared(ctx context.Context, r *request, _ target) error {
	return b.setOwnZone(ctx, r, "")
}

// setOwnZone keeps zone ("" for the home's) and shows the settings.
func (b *Bot) setOwnZone(ctx context.Context, r *request, zone string) error {
	if err := b.Store.SetTimeZone(ctx, r.user.ID, zone); err != nil {
		return err
	}
	r.user.TimeZone = zone
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	notice := r.html("OwnZoneSet", "Zone", zoneLabel(r, zone))
	if zone == "" {
		notice = r.html("OwnZoneCleared", "Zone", zoneLabel(r, b.zoneOf(ctx, r.user).String()))
	}
	return b.showSettings(ctx, r, notice)
}
