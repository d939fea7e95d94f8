package bot

import (
	"context"
	"errors"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Cancelling and moving a call. Either side may cancel, with an optional
// reason the other side reads; the guardian who booked it may move it
// (a new request, unless the home confirms by itself) or end a standing
// weekly call. The other side is told, in their language.

// cancelAnswers are the answers of cancelling a call.
type cancelAnswers struct {
	about
	// Series ends the whole standing weekly call the call belongs to.
	Series bool `json:"s,omitempty"`
}

func (b *Bot) callChangeActions() {
	c := &b.calls
	reason := &step{name: "reason", accepts: inText, need: mayCancelCall, answer: b.cancelReasonTyped, ask: b.askCancelReason}
	c.cancelFlow = b.flows.add(&flow{name: "call.cancel", steps: []*step{reason}})
	c.move = b.movePicker(&c.movePick, "call.move", "Cd", "Ct", ownsCall, b.moveTimeChosen)
	add, hb := b.acts.add, []arg{argHome, argBooking}
	c.cancel = add(&action{name: "call.cancel", code: "Cx", args: hb, need: mayCancelCall, run: b.callCancelTapped,
		standing: true, exists: b.callThere})
	c.cancelSeries = add(&action{name: "call.cancelSeries", code: "CS", args: hb, need: mayCancelCall, run: b.cancelSeriesTapped})
	c.moveStart = add(&action{name: "call.move", code: "Cm", args: hb, need: ownsCall, run: b.moveTapped})
	b.seriesMoveActions()
	b.staffMoveActions()
	c.cancelSkip = add(&action{name: "call.cancel.noReason", code: "Cn", need: mayCancelCall, run: b.cancelNoReason, at: reason})
	c.cancelKeep = add(&action{name: "call.cancel.keep", code: "Ck", need: mayCancelCall, run: b.cancelKept, at: reason})
}

// activeCall reads t's call; ok is false when it no longer lies ahead
// (changed meanwhile, or its time has come), and the tapper was told.
func (b *Bot) activeCall(ctx context.Context, r *request, t target) (homelink.Booking, bool, error) {
	call, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return call, false, err
	}
	if !call.State.Active() || !call.Start.After(b.Clock.Now()) {
		return call, false, b.callSettled(ctx, r, call)
	}
	return call, true, nil
}

func (b *Bot) callCancelTapped(ctx context.Context, r *request, t target) error {
	return b.cancelStart(ctx, r, t, false)
}

func (b *Bot) cancelSeriesTapped(ctx context.Context, r *request, t target) error {
	return b.cancelStart(ctx, r, t, true)
}

// cancelStart asks for a reason, or Cancel without one, or Keep.
// A weekly call can be ended from any of its calls, even one under way.
func (b *Bot) cancelStart(ctx context.Context, r *request, t target, series bool) error {
	var call homelink.Booking
	var ok bool
	var err error
	if series {
		call, err = b.Store.Booking(ctx, t.home, t.booking)
		if ok = err == nil && call.Series != 0 && call.Upcoming(b.Clock.Now()); err == nil && !ok {
			err = b.callSettled(ctx, r, call)
		}
	} else {
		call, ok, err = b.activeCall(ctx, r, t)
	}
	if !ok || err != nil {
		return err
	}
	a := cancelAnswers{about: about{Home: t.home, Child: call.ChildID, Booking: t.booking}, Series: series && call.Series != 0}
	return r.moveTo(ctx, b.calls.cancelFlow.steps[0], a, t)
}

func (b *Bot) askCancelReason(ctx context.Context, r *request, t target) error {
	ci, err := b.loadCall(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	id := "CancelAsk"
	if answersOf[cancelAnswers](r).Series {
		id = "CancelSeriesAsk"
	}
	text, err := b.card(ctx, r, ci, r.html(id, "Child", ci.childName(r)), r.html("CancelReasonHint", "Max", homelink.MaxReason))
	if err != nil {
		return err
	}
	return r.present(ctx, text, rows(b.calls.cancelSkip.button(r, r.text("CancelNoReasonButton"), target{}),
		b.calls.cancelKeep.button(r, r.text("KeepCallButton"), target{})))
}

func (b *Bot) cancelReasonTyped(ctx context.Context, r *request, t target, in input) error {
	reason, ok, err := r.typed(ctx, in, homelink.MaxReason, true)
	if !ok {
		return err
	}
	return b.cancelCall(ctx, r, t, reason)
}

func (b *Bot) cancelNoReason(ctx context.Context, r *request, t target) error {
	return b.cancelCall(ctx, r, t, "")
}

func (b *Bot) cancelKept(ctx context.Context, r *request, _ target) error {
	return r.endWith(ctx, "CallKept")
}

// cancelCall cancels the call (or its standing weekly call) and tells
// the other side.
func (b *Bot) cancelCall(ctx context.Context, r *request, t target, reason string) error {
	a := answersOf[cancelAnswers](r)
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	if a.Series {
		return b.cancelSeries(ctx, r, t, reason)
	}
	call, err := b.Store.Cancel(ctx, r.by(), t.home, t.booking, reason)
	ci, ok, err := b.afterChange(ctx, r, call, err)
	if !ok {
		return err
	}
	text, err := b.card(ctx, r, ci, r.html("CallCancelledTitle", "Child", ci.childName(r)), reasonLine(r, reason))
	if err != nil {
		return err
	}
	if err := r.show(ctx, text, nil); err != nil {
		return err
	}
	b.editRequestCopies(ctx, r, ci)
	b.tellCancelled(ctx, r, ci, reason, false)
	return nil
}

// tellCancelled tells the other side that the call (or its standing
// weekly call, series) was cancelled: the teachers when the guardian
// cancelled, else the guardian (with [Book another time]) and the other
// teachers.
func (b *Bot) tellCancelled(ctx context.Context, r *request, ci callInfo, reason string, series bool) {
	footer := func(rd *request) string { return joinLines(b.actedLine(ctx, rd, ci.call), reasonLine(rd, reason)) }
	if r.user.ID == ci.call.Guardian {
		b.tellTeachers(ctx, ci, 0, pick(series, "SeriesCancelledByParentTitle", "CancelledByParentTitle"), footer)
		return
	}
	b.tell(ctx, ci.call.Guardian, ci, pick(series, "SeriesCancelledByHomeTitle", "CancelledByHomeTitle"), footer, b.bookAgainButton(ci))
	b.tellTeachers(ctx, ci, r.user.ID, pick(series, "SeriesCancelledByStaffTitle", "CancelledByStaffTitle"), footer)
}

// pick is a when cond holds, else b.
func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// reasonLine shows a cancellation's reason, if one was given.
func reasonLine(r *request, reason string) string {
	if reason == "" {
		return ""
	}
	return r.html("ReasonLine", "Text", reason)
}

// cancelSeries ends the standing weekly call of t's call and its
// occurrences ahead.
func (b *Bot) cancelSeries(ctx context.Context, r *request, t target, reason string) error {
	call, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	_, cancelled, err := b.Store.CancelSeries(ctx, r.by(), t.home, call.Series, reason)
	if errors.Is(err, homelink.ErrStateChanged) {
		return r.show(ctx, b.actedLine(ctx, r, call), nil)
	}
	if err != nil {
		return err
	}
	for _, c := range cancelled {
		if c.ID == call.ID {
			call = c
		}
	}
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	text, err := b.card(ctx, r, ci, r.html("SeriesCancelledTitle", "Child", ci.childName(r)), reasonLine(r, reason))
	if err != nil {
		return err
	}
	if err := r.show(ctx, text, nil); err != nil {
		return err
	}
	b.tellCancelled(ctx, r, ci, reason, true)
	return nil
}

// moveTapped starts moving the call: day → time.
func (b *Bot) moveTapped(ctx context.Context, r *request, t target) error {
	call, ok, err := b.activeCall(ctx, r, t)
	if !ok || err != nil {
		return err
	}
	t.child = call.ChildID
	return r.moveTo(ctx, b.calls.movePick.day, bookAnswers{about: about{Home: t.home, Child: call.ChildID, Booking: t.booking}}, t)
}

// moveTimeChosen moves the call: the old slot is freed only once the new
// one is taken. Unless the home confirms by itself, it is a new request.
func (b *Bot) moveTimeChosen(ctx context.Context, r *request, t target) error {
	before, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	hrs, err := b.Store.Hours(ctx, t.home)
	if err != nil {
		return err
	}
	// A confirmed call stays confirmed where it moves: the home agreed to
	// the call, the new slot is free, and the teachers are told. Were it
	// a new request, a decline would leave the family with no call at all.
	to := homelink.Requested
	if hrs.AutoConfirm || before.State == homelink.Confirmed {
		to = homelink.Confirmed
	}
	call, err := b.Store.Reschedule(ctx, r.by(), t.home, t.booking, moment(t.at), to)
	if lost, err := b.changeLost(ctx, r, call, err); lost {
		return errors.Join(err, r.endFlow(ctx))
	}
	if err != nil {
		return b.bookRefused(ctx, r, b.calls.movePick, t, err)
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return b.moved(ctx, r, before, call)
}

// moved tells the guardian where the call now stands, and the teachers:
// a new request to decide, or a note of the new time.
func (b *Bot) moved(ctx context.Context, r *request, before, call homelink.Booking) error {
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	title := "MovedSentTitle"
	if call.State == homelink.Confirmed {
		title = "MovedConfirmedTitle"
	}
	text, err := b.card(ctx, r, ci, r.html(title, "Child", ci.childName(r)), "")
	if err != nil {
		return err
	}
	if err := r.show(ctx, text, rows(b.callCancelButton(r, call))); err != nil {
		return err
	}
	if call.State == homelink.Requested {
		b.editRequestCopies(ctx, r, ci)
	}
	was := func(rd *request) string {
		return rd.html("MovedFromLine", "When", rd.callTime(before.Start, b.zoneOf(ctx, rd.user), b.homeZone(ci.home)))
	}
	staffTitle := "MovedRequestTitle"
	if call.State == homelink.Confirmed {
		staffTitle = "MovedNoticeTitle"
	}
	b.tellTeachersNew(ctx, ci, staffTitle, was)
	return nil
}

// callButtons are a guardian's buttons on their own call.
func (b *Bot) callButtons(r *request, c homelink.Booking) [][]outbox.Button {
	t := target{home: c.HomeID, booking: c.ID}
	kb := [][]outbox.Button{{b.callCancelButton(r, c), b.calls.moveStart.button(r, r.text("MoveCallButton"), t)}}
	if c.Series != 0 {
		kb = append(kb, []outbox.Button{b.calls.moveSeriesStart.button(r, r.text("MoveSeriesButton"), t),
			b.calls.cancelSeries.button(r, r.text("CancelSeriesButton"), t)})
	}
	return kb
}
