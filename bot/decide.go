package bot

import (
	"context"
	"errors"
	"log/slog"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Teachers decide from a standing button. Every teacher of the home gets
// a request with [Confirm] [Decline] [Another time]; the first to act
// decides, their own message says so in place, and the other teachers'
// copies are edited to say who did what. A later tap is told who acted
// first. The guardian hears every decision in their language.

func (b *Bot) decideActions() {
	c := &b.calls
	add, hb := b.acts.add, []arg{argHome, argBooking}
	standing := func(name, code string, need need, run func(context.Context, *request, target) error) *action {
		return add(&action{name: name, code: code, args: hb, need: need, run: run, standing: true, exists: b.callThere})
	}
	c.confirm = standing("call.confirm", "Dc", teachesCall, b.confirmTapped)
	c.decline = standing("call.decline", "Dd", teachesCall, b.declineTapped)
	c.proposeStart = standing("call.propose", "Dp", teachesCall, b.proposeTapped)
	c.held = standing("call.held", "Dh", teachesCall, b.heldTapped)
	c.missed = standing("call.missed", "Dm", teachesCall, b.missedTapped)
	c.choose = add(&action{name: "call.choose", code: "Dk", args: []arg{argHome, argBooking, argTime}, need: ownsCall,
		run: b.proposalChosen, standing: true, exists: b.callThere})
	// The picker keeps its picks on its own buttons, not in the
	// teacher's session: each request's picker works on its own message,
	// whatever else the teacher opens meanwhile.
	c.proposeToggle = add(&action{name: "call.propose.toggle", code: "Dt", args: []arg{argHome, argBooking, argTime, argChoice},
		need: teachesCall, run: b.proposeToggled, standing: true, exists: b.callThere})
	c.proposeSend = standing("call.propose.send", "Ds", teachesCall, b.proposeSent)
	c.proposeBack = standing("call.propose.back", "Db", teachesCall, b.proposeBack)
}

// decisionButtons are a request's standing buttons. A standing weekly
// call is confirmed or declined whole: another time for one of its weeks
// would leave the others where they were.
func (b *Bot) decisionButtons(r *request, c homelink.Booking) [][]outbox.Button {
	t := target{home: c.HomeID, booking: c.ID}
	kb := [][]outbox.Button{
		{b.calls.confirm.button(r, r.text("ConfirmCallButton"), t), b.calls.decline.button(r, r.text("DeclineCallButton"), t)}}
	if c.Series != 0 {
		return kb
	}
	return append(kb, []outbox.Button{b.calls.proposeStart.button(r, r.text("ProposeButton"), t)})
}

// markButtons ask a teacher whether a call took place.
func (b *Bot) markButtons(c homelink.Booking) func(*request) [][]outbox.Button {
	t := target{home: c.HomeID, booking: c.ID}
	return func(r *request) [][]outbox.Button {
		return [][]outbox.Button{{b.calls.held.button(r, r.text("HeldButton"), t), b.calls.missed.button(r, r.text("MissedButton"), t)}}
	}
}

// copyTitle is the title of the teachers' copies of a call that one of
// them acted on: the question whether it took place, once it is marked;
// else the request's.
func copyTitle(c homelink.Booking) string {
	if c.State == homelink.Held || c.State == homelink.Missed {
		return "MarkAskTitle"
	}
	return requestTitle(c)
}

// requestTitle is the title of the teachers' copies of a request.
func requestTitle(c homelink.Booking) string {
	if c.Series != 0 {
		return "NewWeeklyRequestTitle"
	}
	return "NewRequestTitle"
}

// tellTeachersNew tells every teacher of the home about a new call under
// title, footer below: a request comes with its standing buttons, and
// which message went to whom is kept so the copies can be edited later.
func (b *Bot) tellTeachersNew(ctx context.Context, ci callInfo, title string, footer func(*request) string) {
	var kb func(*request) [][]outbox.Button
	if ci.call.State == homelink.Requested {
		kb = func(rd *request) [][]outbox.Button { return b.decisionButtons(rd, ci.call) }
	}
	b.tellTeachersTracked(ctx, ci, title, footer, kb)
}

// tellTeachersTracked tells every teacher of the home about the call
// under title, footer below, with the standing buttons kb builds (nil for
// none); which message with buttons went to whom is kept with the call,
// so the others' copies can be edited once one teacher acts.
func (b *Bot) tellTeachersTracked(ctx context.Context, ci callInfo, title string, footer func(*request) string,
	kb func(*request) [][]outbox.Button) {
	msgs := map[int64]string{}
	for _, teacher := range ci.home.Teachers {
		rd, err := b.readerOf(ctx, teacher)
		if err != nil {
			b.Log.Warn("could not read a teacher to tell", slog.Int64("user", teacher), slog.Any("err", err))
			continue
		}
		text, err := b.card(ctx, rd, ci, rd.html(title, "Child", ci.childName(rd)), footerOf(rd, footer))
		if err != nil {
			b.Log.Warn("could not render a request", slog.Int64("call", ci.call.ID), slog.Any("err", err))
			continue
		}
		m := outbox.Message{ChatID: teacher, Text: text, Silent: b.hushed(ctx, rd)}
		if kb != nil {
			m.Keyboard = kb(rd)
		}
		id, err := b.Sender.Enqueue(ctx, m)
		if err != nil {
			b.Log.Warn("could not queue a request to a teacher", slog.Int64("user", teacher), slog.Any("err", err))
			continue
		}
		if m.Keyboard != nil {
			msgs[teacher] = id
		}
	}
	if len(msgs) == 0 {
		return
	}
	if err := b.Store.NoteRequestMessages(ctx, ci.call.HomeID, ci.call.ID, msgs); err != nil {
		b.Log.Warn("could not keep a request's messages", slog.Int64("call", ci.call.ID), slog.Any("err", err))
	}
}

// editRequestCopies edits the teachers' copies of a request that were
// sent, but the one actor tapped (nil: none), to say what became of it,
// without buttons.
func (b *Bot) editRequestCopies(ctx context.Context, actor *request, ci callInfo) {
	msgs, err := b.Store.RequestMessages(ctx, ci.call.HomeID, ci.call.ID)
	if err != nil {
		b.Log.Warn("could not read a request's messages", slog.Int64("call", ci.call.ID), slog.Any("err", err))
		return
	}
	for teacher, id := range msgs {
		st, err := b.Sender.Status(ctx, id)
		if err != nil || st.State != "sent" || st.MessageID == 0 || actor != nil && actor.tapped(teacher, st.MessageID) {
			continue
		}
		rd, err := b.readerOf(ctx, teacher)
		if err != nil {
			continue
		}
		text, err := b.card(ctx, rd, ci, rd.html(copyTitle(ci.call), "Child", ci.childName(rd)), b.actedLine(ctx, rd, ci.call))
		if err != nil {
			continue
		}
		err = b.Sender.Edit(ctx, outbox.Edit{ChatID: teacher, MessageID: st.MessageID, Text: text})
		if err != nil && !errors.Is(err, outbox.ErrBlocked) {
			b.Log.Info("could not edit a request's copy", slog.Int64("user", teacher), slog.Any("err", err))
		}
	}
}

// tapped reports whether r is user's tap on their message id.
func (r *request) tapped(user int64, id int) bool {
	cq := r.update.CallbackQuery
	return r.user.ID == user && cq != nil && cq.Message.Message != nil && cq.Message.Message.ID == id
}

func (b *Bot) confirmTapped(ctx context.Context, r *request, t target) error {
	return b.decide(ctx, r, t, homelink.Confirmed)
}

func (b *Bot) declineTapped(ctx context.Context, r *request, t target) error {
	return b.decide(ctx, r, t, homelink.Declined)
}

// decide confirms or declines a request, once, whoever taps first.
func (b *Bot) decide(ctx context.Context, r *request, t target, to homelink.BookingState) error {
	call, err := b.Store.Decide(ctx, r.by(), t.home, t.booking, to)
	ci, ok, err := b.afterChange(ctx, r, call, err)
	if !ok {
		return err
	}
	if err := b.showActed(ctx, r, ci, requestTitle(call)); err != nil {
		return err
	}
	b.editRequestCopies(ctx, r, ci)
	if to == homelink.Confirmed {
		b.tellConfirmed(ctx, ci)
		return nil
	}
	b.tell(ctx, call.Guardian, ci, "CallDeclinedTitle", seriesEndedLine(call), b.bookAgainButton(ci))
	return nil
}

// showActed puts the call, with who did what, in place of the tapped
// message, without buttons.
func (b *Bot) showActed(ctx context.Context, r *request, ci callInfo, title string) error {
	text, err := b.card(ctx, r, ci, r.html(title, "Child", ci.childName(r)), b.actedLine(ctx, r, ci.call))
	if err != nil {
		return err
	}
	return r.show(ctx, text, nil)
}

func (b *Bot) heldTapped(ctx context.Context, r *request, t target) error {
	return b.mark(ctx, r, t, homelink.Held)
}

func (b *Bot) missedTapped(ctx context.Context, r *request, t target) error {
	return b.mark(ctx, r, t, homelink.Missed)
}

// mark records a call held or missed; a missed call offers the guardian
// a new time, warmly.
func (b *Bot) mark(ctx context.Context, r *request, t target, to homelink.BookingState) error {
	call, err := b.Store.Mark(ctx, r.by(), t.home, t.booking, to)
	ci, ok, err := b.afterChange(ctx, r, call, err)
	if !ok {
		return err
	}
	if err := b.showActed(ctx, r, ci, "MarkedTitle"); err != nil {
		return err
	}
	b.editRequestCopies(ctx, r, ci)
	if to == homelink.Missed {
		b.tell(ctx, call.Guardian, ci, "CallMissedTitle", nil, b.bookAgainButton(ci))
		return nil
	}
	b.tell(ctx, call.Guardian, ci, "CallHeldTitle", nil, nil)
	return nil
}
