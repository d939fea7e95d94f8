package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// [Another time]: the teacher picks up to MaxProposals free slots (the
// ones nearest the time asked for, outside the guardian's shifts) and
// sends them; the guardian gets them as standing buttons, and choosing
// one moves the call there, confirmed. The teachers are told.

// proposalChoices is how many free slots the teacher chooses among.
const proposalChoices = 12

func (b *Bot) proposeTapped(ctx context.Context, r *request, t target) error {
	call, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	if call.State != homelink.Requested {
		return b.callSettled(ctx, r, call)
	}
	if call.Series != 0 {
		return r.answer(ctx, r.text("ProposeNotWeekly"))
	}
	return b.showProposals(ctx, r, call, nil)
}

// showProposals shows the request with the free slots to toggle.
// The picks so far are marked on the toggles themselves (their choice
// argument is 1), so the picker needs no session.
func (b *Bot) showProposals(ctx context.Context, r *request, call homelink.Booking, picked []int64) error {
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	slots, err := b.proposalCandidates(ctx, call)
	if err != nil {
		return err
	}
	tz := b.zoneOf(ctx, r.user)
	var bs []outbox.Button
	for _, s := range slots {
		label := r.day(s, tz) + " " + s.In(tz).Format("15:04")
		t := target{home: call.HomeID, booking: call.ID, at: s.Unix()}
		if slices.Contains(picked, s.Unix()) {
			label, t.n = r.text("Picked", "Label", label), 1
		}
		bs = append(bs, b.calls.proposeToggle.button(r, label, t))
	}
	ask := r.html("ProposeAsk", "Max", homelink.MaxProposals)
	if len(slots) == 0 {
		ask = r.html("ProposeNone")
	}
	text, err := b.card(ctx, r, ci, r.html(requestTitle(call), "Child", ci.childName(r)), ask)
	if err != nil {
		return err
	}
	hb := target{home: call.HomeID, booking: call.ID}
	last := []outbox.Button{b.calls.proposeBack.button(r, r.text("BackButton"), hb)}
	if len(picked) > 0 {
		last = append(last, b.calls.proposeSend.button(r, r.text("ProposeSendButton", "N", len(picked)), hb))
	}
	return r.show(ctx, text, append(grid(2, bs), last))
}

// proposalCandidates are the free slots nearest the call's time, outside
// the guardian's shifts, in order.
func (b *Bot) proposalCandidates(ctx context.Context, call homelink.Booking) ([]time.Time, error) {
	g, err := b.Store.User(ctx, call.Guardian)
	if err != nil {
		return nil, err
	}
	personal := b.zoneOf(ctx, g)
	from, to := bookingSpan(b.Clock.Now(), personal)
	av, err := b.Store.Availability(ctx, call.HomeID, call.ChildID, from, to)
	if err != nil {
		return nil, err
	}
	av.Taken = without(av.Taken, call.Interval())
	av.ChildBusy = without(av.ChildBusy, call.Interval())
	free, _ := av.Free(from, to, g.Shifts, personal)
	free = slices.DeleteFunc(free, func(s time.Time) bool { return s.Equal(call.Start) })
	slices.SortStableFunc(free, func(x, y time.Time) int {
		return int(distance(x, call.Start) - distance(y, call.Start))
	})
	free = free[:min(len(free), proposalChoices)]
	slices.SortFunc(free, func(x, y time.Time) int { return x.Compare(y) })
	return free, nil
}

// distance is how far apart two moments are, in minutes.
func distance(x, y time.Time) int64 {
	d := x.Sub(y)
	if d < 0 {
		d = -d
	}
	return int64(d / time.Minute)
}

// pickedOn reads the picks marked on the tapped message's toggles for
// t's call; each button's MAC is checked, so none can be forged.
func (b *Bot) pickedOn(r *request, t target) []int64 {
	cq := r.update.CallbackQuery
	if cq == nil || cq.Message.Message == nil || cq.Message.Message.ReplyMarkup == nil {
		return nil
	}
	var picked []int64
	for _, row := range cq.Message.Message.ReplyMarkup.InlineKeyboard {
		for _, btn := range row {
			data, ok := strings.CutPrefix(btn.CallbackData, "s:")
			if !ok {
				continue
			}
			a, bt, ok := b.standingOf(data)
			if ok && a == b.calls.proposeToggle && bt.home == t.home && bt.booking == t.booking && bt.n == 1 {
				picked = append(picked, bt.at)
			}
		}
	}
	return picked
}

func (b *Bot) proposeToggled(ctx context.Context, r *request, t target) error {
	picked := b.pickedOn(r, t)
	switch i := slices.Index(picked, t.at); {
	case i >= 0:
		picked = slices.Delete(picked, i, i+1)
	case len(picked) >= homelink.MaxProposals:
		return r.answer(ctx, r.text("ProposeAtMost", "Max", homelink.MaxProposals))
	default:
		picked = append(picked, t.at)
	}
	call, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	if call.State != homelink.Requested {
		return b.callSettled(ctx, r, call)
	}
	return b.showProposals(ctx, r, call, picked)
}

// proposeBack puts the request back as it was.
func (b *Bot) proposeBack(ctx context.Context, r *request, t target) error {
	ci, err := b.loadCall(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	if ci.call.State != homelink.Requested {
		return b.callSettled(ctx, r, ci.call)
	}
	text, err := b.card(ctx, r, ci, r.html(requestTitle(ci.call), "Child", ci.childName(r)), "")
	if err != nil {
		return err
	}
	return r.show(ctx, text, b.decisionButtons(r, ci.call))
}

// proposeSent offers the picked times to the guardian.
func (b *Bot) proposeSent(ctx context.Context, r *request, t target) error {
	picked := b.pickedOn(r, t)
	if len(picked) == 0 {
		return r.answer(ctx, r.text("ProposePickOne"))
	}
	times := make([]time.Time, 0, len(picked))
	for _, p := range slices.Sorted(slices.Values(picked)) {
		times = append(times, moment(p))
	}
	call, err := b.Store.Propose(ctx, r.by(), t.home, t.booking, times)
	if lost, err := b.changeLost(ctx, r, call, err); lost {
		return err
	}
	if err != nil {
		return err
	}
	if len(call.Proposals) == 0 {
		call.Proposals = times
	}
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	if err := b.showActed(ctx, r, ci, requestTitle(call)); err != nil {
		return err
	}
	b.editRequestCopies(ctx, r, ci)
	b.tell(ctx, call.Guardian, ci, "ProposedTitle", nil, func(rd *request) [][]outbox.Button {
		return b.proposalButtons(ctx, rd, ci)
	})
	return nil
}

// proposalButtons are the guardian's choices among the proposed times,
// in their zone with the home's beside, and a way to cancel instead.
func (b *Bot) proposalButtons(ctx context.Context, r *request, ci callInfo) [][]outbox.Button {
	personal := b.zoneOf(ctx, r.user)
	var bs []outbox.Button
	for _, p := range ci.call.Proposals {
		t := target{home: ci.call.HomeID, booking: ci.call.ID, at: p.Unix()}
		bs = append(bs, b.calls.choose.button(r, r.callTime(p, personal, b.homeZone(ci.home)), t))
	}
	none := b.calls.cancel.button(r, r.text("ProposalsNoneButton"), target{home: ci.call.HomeID, booking: ci.call.ID})
	return append(rows(bs...), []outbox.Button{none})
}

// proposalChosen moves the call to the time the guardian chose, confirmed.
func (b *Bot) proposalChosen(ctx context.Context, r *request, t target) error {
	call, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	if call.State != homelink.Requested || !slices.ContainsFunc(call.Proposals, func(p time.Time) bool { return p.Unix() == t.at }) {
		return b.callSettled(ctx, r, call)
	}
	moved, err := b.Store.Reschedule(ctx, r.by(), t.home, t.booking, moment(t.at), homelink.Confirmed)
	switch {
	case errors.Is(err, homelink.ErrStateChanged):
		return b.callSettled(ctx, r, moved)
	case errors.Is(err, homelink.ErrSlotTaken), errors.Is(err, homelink.ErrChildBusy),
		errors.Is(err, homelink.ErrSlotPast), errors.Is(err, homelink.ErrClosed):
		return r.answer(ctx, r.text("ProposalGone"))
	case err != nil:
		return err
	}
	ci, err := b.infoOf(ctx, moved)
	if err != nil {
		return err
	}
	text, err := b.card(ctx, r, ci, r.html("CallConfirmedTitle", "Child", ci.childName(r)), "")
	if err != nil {
		return err
	}
	if err := r.show(ctx, text, rows(b.callCancelButton(r, moved))); err != nil {
		return err
	}
	b.tellTeachers(ctx, ci, 0, "ProposalChosenTitle", nil)
	return nil
}
