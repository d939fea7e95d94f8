package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// A guardian answers a reminder from its standing buttons: [I'll be
// there] thanks them; [I can't make it] tells the home's teachers at once
// and offers to move or cancel the call. Either answer is kept on the
// call for the teachers' digest and nudge, and shown on the reminder.

func (b *Bot) reminderActions() {
	c, add, hb := &b.calls, b.acts.add, []arg{argHome, argBooking}
	c.attend = add(&action{name: "call.attend", code: "Ry", args: hb, need: ownsCall, run: b.attendTapped,
		standing: true, exists: b.callThere})
	c.cannot = add(&action{name: "call.cannot", code: "Rn", args: hb, need: ownsCall, run: b.cannotTapped,
		standing: true, exists: b.callThere})
}

// answerButtons are a reminder's [I'll be there] [I can't make it]; once
// the call has begun, [I can't make it] alone. Below them, [✉️ Leave a
// message] for the child, for a parent who cannot call but can leave a
// voice note.
func (b *Bot) answerButtons(r *request, c homelink.Booking, now time.Time) [][]outbox.Button {
	t := target{home: c.HomeID, booking: c.ID}
	cannot := b.calls.cannot.button(r, r.text("CannotButton"), t)
	leave := []outbox.Button{b.leaveMessageButton(r, c.HomeID, c.ChildID)}
	if !now.Before(c.Start) {
		return [][]outbox.Button{{cannot}, leave}
	}
	return [][]outbox.Button{{b.calls.attend.button(r, r.text("AttendButton"), t), cannot}, leave}
}

func (b *Bot) attendTapped(ctx context.Context, r *request, t target) error {
	ci, _, ok, err := b.answer(ctx, r, t, homelink.AnswerYes)
	if !ok {
		return err
	}
	return r.answer(ctx, r.text("AttendThanks", "Child", ci.childName(r)))
}

func (b *Bot) cannotTapped(ctx context.Context, r *request, t target) error {
	ci, before, ok, err := b.answer(ctx, r, t, homelink.AnswerNo)
	if !ok {
		return err
	}
	if before != homelink.AnswerNo {
		b.tellCannot(ctx, ci)
	}
	if !b.Clock.Now().Before(ci.call.Start) {
		// Under way: too late to move or cancel; another time, then.
		text, err := b.card(ctx, r, ci, r.html("CannotLateAsk", "Child", ci.childName(r)), r.html("CannotTeachersTold"))
		if err != nil {
			return err
		}
		return r.present(ctx, text, b.bookAgainButton(ci)(r))
	}
	text, err := b.card(ctx, r, ci, r.html("CannotAsk", "Child", ci.childName(r)), r.html("CannotTeachersTold"))
	if err != nil {
		return err
	}
	// Move and cancel are menu buttons: they work under a menu of their
	// own, as [Book another time] on a notice does.
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return r.present(ctx, text, b.callButtons(r, ci.call))
}

// answer keeps the guardian's answer and shows it on the reminder tapped,
// its buttons kept so they can change their mind. before is what they
// had answered; ok is false when the call can no longer be answered (the
// tapper was told).
func (b *Bot) answer(ctx context.Context, r *request, t target, ans homelink.CallAnswer) (ci callInfo, before homelink.CallAnswer, ok bool, err error) {
	prev, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return ci, "", false, err
	}
	call, err := b.Store.AnswerCall(ctx, r.by(), t.home, t.booking, ans)
	now := b.Clock.Now()
	ci, ok, err = b.afterChange(ctx, r, call, err)
	if !ok {
		return ci, "", false, err
	}
	text, err := b.reminderText(r, ci, b.zoneOf(ctx, r.user), answeredKind(call, now), now, false)
	if err != nil {
		return ci, "", false, err
	}
	if r.update.CallbackQuery != nil {
		if err := r.replace(ctx, text, b.answerButtons(r, call, now)); err != nil {
			return ci, "", false, err
		}
	}
	return ci, prev.Answer, true, nil
}

// answeredKind is how a reminder reads once answered: which one was
// tapped is not known, and the message stays on the phone, so before the
// call it names the call's day and time (which stay true) rather than
// counting down to it; from the start, it is the start's.
func answeredKind(c homelink.Booking, now time.Time) string {
	if now.Before(c.Start) {
		return remindDay
	}
	return remindStart
}

// tellCannot tells the home's teachers at once that the parent cannot
// make the call (the reminder lane: it is about a call soon), silently
// to those in their quiet hours.
func (b *Bot) tellCannot(ctx context.Context, ci callInfo) {
	for _, teacher := range ci.home.Teachers {
		rd, err := b.readerOf(ctx, teacher)
		if err != nil {
			b.Log.Warn("could not read a teacher to tell", slog.Int64("user", teacher), slog.Any("err", err))
			continue
		}
		text, err := b.card(ctx, rd, ci, rd.html("CannotStaffTitle", "Child", ci.childName(rd)), rd.html("CannotStaffLine"))
		if err != nil {
			b.Log.Warn("could not render a call", slog.Int64("call", ci.call.ID), slog.Any("err", err))
			continue
		}
		// Said at once, but silently in the teacher's quiet hours: a
		// parent tapping at 2 a.m. wakes nobody.
		m := outbox.Message{Lane: outbox.Reminder, ChatID: teacher, Text: text, Silent: b.hushed(ctx, rd)}
		if _, err := b.Sender.Enqueue(ctx, m); err != nil && !errors.Is(err, outbox.ErrBlocked) {
			b.Log.Warn("could not tell a teacher a parent cannot come", slog.Int64("user", teacher), slog.Any("err", err))
		}
	}
}
