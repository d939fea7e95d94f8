package bot

import (
	"context"
	"errors"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Staff move a confirmed call: a teacher or coordinator picks a new day
// and time from the home's free slots that suit the parent (outside their
// work shifts); the call moves there, still confirmed, the old slot freed
// in the same step. The parent is told, with the new time and buttons to
// move or cancel it if it does not suit them; the other teachers too.

func (b *Bot) staffMoveActions() {
	c := &b.calls
	c.staffPick.dayAsk, c.staffPick.timeAsk = "StaffMoveDayAsk", "StaffMoveTimeAsk"
	c.staffMove = b.movePicker(&c.staffPick, "call.staffMove", "CTd", "CTt", staffOfCall, b.staffTimeChosen)
	c.staffMoveStart = b.acts.add(&action{name: "call.staffMove", code: "CT", args: []arg{argHome, argBooking}, need: staffOfCall,
		run: b.staffMoveTapped})
}

// staffMoveTapped starts moving a confirmed call: day → time.
func (b *Bot) staffMoveTapped(ctx context.Context, r *request, t target) error {
	call, ok, err := b.activeCall(ctx, r, t)
	if !ok || err != nil {
		return err
	}
	if call.State != homelink.Confirmed {
		return b.callSettled(ctx, r, call)
	}
	t.child = call.ChildID
	return r.moveTo(ctx, b.calls.staffPick.day, bookAnswers{about: about{Home: t.home, Child: call.ChildID, Booking: t.booking}}, t)
}

// staffTimeChosen moves the call, confirmed, and tells the parent and the
// other teachers.
func (b *Bot) staffTimeChosen(ctx context.Context, r *request, t target) error {
	before, err := b.Store.Booking(ctx, t.home, t.booking)
	if err != nil {
		return err
	}
	call, err := b.Store.Reschedule(ctx, r.by(), t.home, t.booking, moment(t.at), homelink.Confirmed)
	if lost, err := b.changeLost(ctx, r, call, err); lost {
		return errors.Join(err, r.endFlow(ctx))
	}
	if err != nil {
		return b.bookRefused(ctx, r, b.calls.staffPick, t, err)
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	was := func(rd *request) string {
		return rd.html("MovedFromLine", "When", rd.callTime(before.Start, b.zoneOf(ctx, rd.user), b.homeZone(ci.home)))
	}
	text, err := b.card(ctx, r, ci, r.html("MovedByStaffTitle", "Child", ci.childName(r)), was(r))
	if err != nil {
		return err
	}
	if err := r.show(ctx, text, nil); err != nil {
		return err
	}
	b.tell(ctx, call.Guardian, ci, "MovedByHomeTitle", was, func(rd *request) [][]outbox.Button { return b.callButtons(rd, call) })
	b.tellTeachers(ctx, ci, r.user.ID, "MovedByColleagueTitle", func(rd *request) string {
		return was(rd) + "\n" + rd.html("MovedByLine", "Name", r.user.Name)
	})
	return nil
}
