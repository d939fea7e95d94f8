package bot

import (
	"context"
	"errors"
	"html/template"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /calls: a guardian sees their upcoming calls, each with [Cancel] and
// [Reschedule] (and [Cancel the weekly call] for a standing one); the
// home's teachers and coordinators see today's and tomorrow's calls of
// their home, with [Held] [Missed] once a confirmed call has started and
// [Confirm] [Decline] on requests.

func (b *Bot) callsListActions() {
	c, add, hb := &b.calls, b.acts.add, []arg{argHome, argBooking}
	c.mine = add(&action{name: "calls.mine", code: "Cl", need: guardian, run: b.myCallsTapped})
	c.view = add(&action{name: "calls.view", code: "Cv", args: hb, need: ownsCall, run: b.myCallView})
	c.homeList = add(&action{name: "calls.homes", code: "Ch", need: staffAnywhere, run: b.callHomesTapped})
	c.homeView = add(&action{name: "calls.home", code: "CH", args: []arg{argHome}, need: staffOfHome, run: b.homeCallsTapped})
	c.staffView = add(&action{name: "calls.staffView", code: "Cw", args: hb, need: staffOfCall, run: b.staffCallView})
}

// staffAnywhere: a teacher or a coordinator of some home.
func staffAnywhere(_ context.Context, r *request, _ target) (bool, error) {
	return len(staffHomes(r.user.Roles)) > 0, nil
}

// staffOfCall: a teacher or coordinator of the home whose call it is.
func staffOfCall(ctx context.Context, r *request, t target) (bool, error) {
	if ok, _ := staffOfHome(ctx, r, t); !ok {
		return false, nil
	}
	return callAt(ctx, r.b, t)
}

// callsCommand shows a guardian's calls, and a staff member's home's.
func (b *Bot) callsCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	if r.user.Roles.IsGuardian() {
		if err := b.showMyCalls(ctx, r); err != nil {
			return err
		}
	}
	homes := staffHomes(r.user.Roles)
	switch len(homes) {
	case 0:
		return nil
	case 1:
		return b.showHomeCalls(ctx, r, homes[0])
	}
	return b.showCallHomes(ctx, r)
}

func (b *Bot) myCallsTapped(ctx context.Context, r *request, _ target) error {
	return b.showMyCalls(ctx, r)
}

// showMyCalls lists the guardian's upcoming calls, a button for each.
func (b *Bot) showMyCalls(ctx context.Context, r *request) error {
	calls, err := b.Store.GuardianCalls(ctx, r.user.ID)
	if err != nil {
		return err
	}
	personal := b.zoneOf(ctx, r.user)
	var lines []template.HTML
	var bs []outbox.Button
	for _, c := range calls {
		ci, err := b.infoOf(ctx, c)
		if err != nil {
			return err
		}
		when := r.callTime(c.Start, personal, b.homeZone(ci.home))
		lines = append(lines, template.HTML(r.html("MyCallLine", "When", when, "Child", ci.childName(r),
			"Kind", r.text("Kind_"+string(c.Kind)), "State", r.text("State_"+string(c.State)))))
		label := r.text("CallButton", "When", r.day(c.Start, personal)+" "+c.Start.In(personal).Format("15:04"), "Child", ci.childName(r))
		bs = append(bs, b.calls.view.button(r, label, target{home: c.HomeID, booking: c.ID}))
	}
	text, err := r.render("calls", map[string]any{"Mine": true, "Home": "", "Lines": lines})
	if err != nil {
		return err
	}
	return r.show(ctx, text, rows(bs...))
}

// myCallView shows one of the guardian's calls with what they can do.
func (b *Bot) myCallView(ctx context.Context, r *request, t target) error {
	ci, err := b.loadCall(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	footer := ""
	if ci.call.State == homelink.Confirmed {
		footer = answerLine(r, ci.call.Answer)
	}
	text, err := b.card(ctx, r, ci, b.cardTitle(r, ci), footer)
	if err != nil {
		return err
	}
	var kb [][]outbox.Button
	if ci.call.Upcoming(b.Clock.Now()) {
		kb = b.callButtons(r, ci.call)
	}
	if g, ok := r.user.Roles.Guards[ci.call.ChildID]; ok && g.HomeID == ci.call.HomeID {
		kb = append(kb, []outbox.Button{b.leaveMessageButton(r, ci.call.HomeID, ci.call.ChildID)})
	}
	kb = append(kb, []outbox.Button{b.calls.mine.button(r, r.text("BackButton"), target{})})
	return r.show(ctx, text, kb)
}

// cardTitle names the call and its state.
func (b *Bot) cardTitle(r *request, ci callInfo) string {
	return r.html("CallCardTitle", "Child", ci.childName(r), "State", r.text("State_"+string(ci.call.State)))
}

func (b *Bot) callHomesTapped(ctx context.Context, r *request, _ target) error {
	return b.showCallHomes(ctx, r)
}

// showCallHomes lets someone with several homes choose one.
func (b *Bot) showCallHomes(ctx context.Context, r *request) error {
	kb, err := b.homeButtons(ctx, r, staffHomes(r.user.Roles), b.calls.homeView)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html("CallsChooseHome"), kb)
}

func (b *Bot) homeCallsTapped(ctx context.Context, r *request, t target) error {
	return b.showHomeCalls(ctx, r, t.home)
}

// showHomeCalls lists the home's calls of today and tomorrow, in its zone,
// and the requests further ahead still waiting for an answer.
func (b *Bot) showHomeCalls(ctx context.Context, r *request, h int64) error {
	home, err := b.Store.Home(ctx, h)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	loc := b.homeZone(home)
	now := b.Clock.Now().In(loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	later := time.Date(now.Year(), now.Month(), now.Day()+2, 0, 0, 0, 0, loc)
	calls, err := b.Store.HomeCalls(ctx, h, from, later.AddDate(0, 0, homelink.BookingDays))
	if err != nil {
		return err
	}
	var lines, pending []template.HTML
	var bs []outbox.Button
	for _, c := range calls {
		if !c.Start.Before(later) && c.State != homelink.Requested {
			continue
		}
		ci, err := b.infoOf(ctx, c)
		if err != nil {
			return err
		}
		when := r.day(c.Start, loc) + " " + c.Start.In(loc).Format("15:04")
		line := template.HTML(r.html("HomeCallLine", "When", when, "Child", ci.childName(r),
			"Name", guardianLabel(r, ci.guardian.name, ci.guardian.rel), "Kind", r.text("Kind_"+string(c.Kind)),
			"State", r.text("State_"+string(c.State))))
		if c.Start.Before(later) {
			lines = append(lines, line)
		} else {
			pending = append(pending, line)
		}
		if c.State.Active() {
			bs = append(bs, b.calls.staffView.button(r, r.text("CallButton", "When", when, "Child", ci.childName(r)), target{home: h, booking: c.ID}))
		}
	}
	text, err := r.render("calls", map[string]any{"Mine": false, "Home": home.Name, "Lines": lines, "Pending": pending})
	if err != nil {
		return err
	}
	kb := rows(bs...)
	if len(staffHomes(r.user.Roles)) > 1 {
		kb = append(kb, []outbox.Button{b.calls.homeList.button(r, r.text("BackButton"), target{})})
	}
	return r.show(ctx, text, kb)
}

// staffCallView shows one of the home's calls with what staff can do:
// decide a request, mark a call that has started, cancel one ahead.
func (b *Bot) staffCallView(ctx context.Context, r *request, t target) error {
	ci, err := b.loadCall(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	footer := ""
	if ci.call.State == homelink.Confirmed && ci.call.Answer != homelink.AnswerNone {
		footer = staffAnswerLine(r, ci.call.Answer)
	}
	text, err := b.card(ctx, r, ci, b.cardTitle(r, ci), footer)
	if err != nil {
		return err
	}
	c, now, teaches := ci.call, b.Clock.Now(), r.user.Roles.TeachesAt(t.home)
	var kb [][]outbox.Button
	switch {
	case c.State == homelink.Requested && teaches:
		kb = b.decisionButtons(r, c)
	case c.State == homelink.Confirmed && !c.Start.After(now) && teaches:
		kb = b.markButtons(c)(r)
	}
	switch {
	case c.State == homelink.Confirmed && c.Start.After(now):
		kb = append(kb, []outbox.Button{b.callCancelButton(r, c),
			b.calls.staffMoveStart.button(r, r.text("MoveCallStaffButton"), target{home: c.HomeID, booking: c.ID})})
	case c.Upcoming(now) && c.Start.After(now):
		kb = append(kb, []outbox.Button{b.callCancelButton(r, c)})
	}
	if c.Series != 0 && c.Upcoming(now) {
		// The home may have to end a weekly call it can no longer host.
		kb = append(kb, []outbox.Button{b.calls.cancelSeries.button(r, r.text("CancelSeriesButton"), target{home: c.HomeID, booking: c.ID})})
	}
	kb = append(kb, []outbox.Button{b.calls.homeView.button(r, r.text("BackButton"), target{home: t.home})})
	return r.show(ctx, text, kb)
}
