package bot

import (
	"context"
	"fmt"
	"html/template"
	"math"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The preview: the broadcast exactly as one of its recipients will read it
// (rendered by broadcastMessage for a real person of its audience, each
// version in its own language), then a menu saying how many people it
// reaches and about how long that takes at the outbox's rate, with the
// urgent switch for coordinators and the ways to send it.

// previewBroadcast moves to the preview step with a, shows the broadcast
// as a recipient will see it, and below it the menu.
func (b *Bot) previewBroadcast(ctx context.Context, r *request, a bcAnswers) error {
	if err := r.at(ctx, b.bc.preview, a); err != nil {
		return err
	}
	rcp, found, err := b.previewRecipient(ctx, r, a)
	if err != nil {
		return err
	}
	intro := r.html("BcPreviewIntro", "Name", rcp.Name)
	if len(a.Versions) > 1 {
		// Both versions are shown filled in for the one person: say that
		// each reader gets only the one in their language.
		intro = r.html("BcPreviewIntroTwo", "Name", rcp.Name)
	}
	if !found {
		intro = r.html("BcPreviewIntroNobody")
	}
	if err := r.show(ctx, intro, nil); err != nil {
		return err
	}
	bc := a.broadcast(r.user.ID)
	bc.FromName = r.user.Name // as the store will keep it
	for _, v := range a.Versions {
		rcp.Lang = v.Lang
		m := b.broadcastMessage(bc, rcp)
		m.ChatID, m.Lane, m.Reply = r.chatID, outbox.Interactive, true
		_, err := b.Sender.Send(ctx, m)
		if err = r.delivered(ctx, err); err != nil {
			return err
		}
	}
	text, kb, err := b.previewMenu(ctx, r, a)
	if err != nil {
		return err
	}
	return r.reply(ctx, text, kb)
}

// previewRecipient is one person the broadcast would reach now; when it
// reaches nobody yet, the sender stands in, at the first of its homes.
func (b *Bot) previewRecipient(ctx context.Context, r *request, a bcAnswers) (homelink.Recipient, bool, error) {
	rcp, found, err := b.Store.PreviewRecipient(ctx, r.by(), a.Homes, a.Audience)
	if err != nil || found {
		return rcp, found, err
	}
	rcp = homelink.Recipient{User: r.user.ID, Name: r.user.Name, Lang: r.lang, Zone: r.user.TimeZone}
	if len(a.Homes) > 0 {
		home, err := b.Store.Home(ctx, a.Homes[0])
		if err != nil {
			return rcp, false, err
		}
		rcp.Home, rcp.HomeName = home.ID, home.Name
	}
	return rcp, false, nil
}

// askBcPreview shows the preview's menu in place (back from a schedule).
func (b *Bot) askBcPreview(ctx context.Context, r *request, _ target) error {
	text, kb, err := b.previewMenu(ctx, r, answersOf[bcAnswers](r))
	if err != nil {
		return err
	}
	return r.show(ctx, text, kb)
}

// previewMenu is the preview's menu: whom and how many it reaches, how
// long that takes, whether it is urgent, and the ways to send it.
func (b *Bot) previewMenu(ctx context.Context, r *request, a bcAnswers) (string, [][]outbox.Button, error) {
	n, err := b.Store.CountAudience(ctx, r.by(), a.Homes, a.Audience)
	if err != nil {
		return "", nil, fmt.Errorf("bot: count a broadcast's audience: %w", err)
	}
	who, err := b.bcWho(ctx, r, a)
	if err != nil {
		return "", nil, err
	}
	text := r.html("BcReach", "Count", n, "Who", who, "Time", r.sendingTime(n, b.BroadcastRate))
	if a.Urgent {
		text += "\n" + r.html("BcUrgentOn")
	} else {
		text += "\n" + r.html("BcQuietKept")
	}
	text += "\n\n" + r.html("BcWhenAsk")
	var kb [][]outbox.Button
	if n > 0 {
		kb = append(kb, []outbox.Button{b.bc.sendNow.button(r, r.text("BcSendNowButton"), target{})})
	}
	kb = append(kb, []outbox.Button{b.bc.onceAsk.button(r, r.text("BcOnceButton"), target{}),
		b.bc.everyAsk.button(r, r.text("BcEveryButton"), target{})})
	if manager(r.user.Roles, a.Homes) {
		label := r.text("BcUrgentButton")
		if a.Urgent {
			label = r.text("BcUrgentOnButton")
		}
		kb = append(kb, []outbox.Button{b.bc.urgent.button(r, label, target{})})
	}
	return text, append(kb, r.backButton()), nil
}

// sendingTime is about how long n messages take at rate a second, in
// words: "about 45 seconds", "about 12 minutes", "about 2 hours 10
// minutes".
func (r *request) sendingTime(n int, rate float64) template.HTML {
	if rate <= 0 {
		rate = defaultBroadcastRate
	}
	secs := int(math.Ceil(float64(n) / rate))
	switch {
	case secs < 60:
		return template.HTML(r.html("BcAboutSeconds", "Count", max(secs, 1)))
	case secs < 3600:
		return template.HTML(r.html("BcAboutMinutes", "Count", (secs+30)/60))
	}
	m := (secs + 30) / 60
	if m%60 == 0 {
		return template.HTML(r.html("BcAboutHours", "Count", m/60))
	}
	return template.HTML(r.html("BcAboutHoursMinutes", "Hours", m/60, "Minutes", m%60))
}

// bcUrgentSwitched switches urgent on or off, in place.
func (b *Bot) bcUrgentSwitched(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	a.Urgent = !a.Urgent
	if err := r.at(ctx, b.bc.preview, a); err != nil {
		return err
	}
	return b.askBcPreview(ctx, r, t)
}

// bcSendNow keeps the broadcast, whose sending the store plans at once,
// and says its progress follows.
func (b *Bot) bcSendNow(ctx context.Context, r *request, _ target) error {
	a := answersOf[bcAnswers](r)
	a.Once, a.Rule = "", ""
	if _, err := b.Store.SaveBroadcast(ctx, r.by(), a.broadcast(r.user.ID)); err != nil {
		return fmt.Errorf("bot: send a broadcast: %w", err)
	}
	return r.endWith(ctx, "BcSendingNow")
}

// bcOnceTapped asks when it should go once.
func (b *Bot) bcOnceTapped(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	a.Once, a.Rule = "", ""
	return r.moveTo(ctx, b.bc.once, a, t)
}

// bcEveryTapped asks on which days it should go.
func (b *Bot) bcEveryTapped(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	a.Once, a.Rule, a.Days, a.Cron = "", "", 0, false
	return r.moveTo(ctx, b.bc.every, a, t)
}
