package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The end of /book: how to call, a note for the teacher, the summary,
// and sending it; a refusal from the store is answered with what the
// guardian can do instead.

func (b *Bot) askBookKind(ctx context.Context, r *request, t target) error {
	name, err := b.childNameOf(ctx, r, t)
	if err != nil {
		return err
	}
	var bs []outbox.Button
	for i, k := range homelink.CallKinds {
		bs = append(bs, b.calls.bookKind.button(r, r.text("Kind_"+string(k)), target{n: i}))
	}
	return r.present(ctx, r.html("BookKindAsk", "Child", name), append(rows(bs...), r.backButton()))
}

func (b *Bot) bookKindChosen(ctx context.Context, r *request, t target) error {
	if t.n < 0 || t.n >= len(homelink.CallKinds) {
		return r.expired(ctx)
	}
	a := answersOf[bookAnswers](r)
	a.Kind = homelink.CallKinds[t.n]
	return r.moveTo(ctx, b.calls.book.steps[4], a, t)
}

func (b *Bot) askBookNote(ctx context.Context, r *request, _ target) error {
	return r.present(ctx, r.html("BookNoteAsk", "Max", homelink.MaxNote), b.noteButtons(r))
}

func (b *Bot) noteButtons(r *request) [][]outbox.Button {
	return [][]outbox.Button{{b.calls.bookSkipNote.button(r, r.text("SkipButton"), target{})}, r.backButton()}
}

func (b *Bot) bookNoteTyped(ctx context.Context, r *request, t target, in input) error {
	note, ok, err := r.typed(ctx, in, homelink.MaxNote, true)
	if !ok {
		return err
	}
	a := answersOf[bookAnswers](r)
	a.Note = note
	return r.moveTo(ctx, b.calls.book.steps[5], a, t)
}

func (b *Bot) bookSkipNoteTapped(ctx context.Context, r *request, t target) error {
	a := answersOf[bookAnswers](r)
	a.Note = ""
	return r.moveTo(ctx, b.calls.book.steps[5], a, t)
}

// askBookSummary shows the call as it will be asked for, with [Send
// request] and [Make it weekly].
func (b *Bot) askBookSummary(ctx context.Context, r *request, t target) error {
	a := answersOf[bookAnswers](r)
	ci, err := b.draftInfo(ctx, t, a)
	if err != nil {
		return err
	}
	// The weekly rhythm is said in the text: a button that long is cut
	// off on a small phone.
	weekly := r.html("BookWeeklyOffer", "Weekly", r.weekly(ci.call.Start, b.zoneOf(ctx, r.user), b.homeZone(ci.home)))
	text, err := b.card(ctx, r, ci, r.html("BookSummaryTitle"), weekly)
	if err != nil {
		return err
	}
	return r.present(ctx, text, [][]outbox.Button{
		{b.calls.bookSend.button(r, r.text("BookSendButton"), target{})},
		{b.calls.bookWeekly.button(r, r.text("BookWeeklyButton"), target{})}, r.backButton()})
}

// draftInfo is the call a's answers describe, before it exists.
func (b *Bot) draftInfo(ctx context.Context, t target, a bookAnswers) (callInfo, error) {
	home, err := b.Store.Home(ctx, t.home)
	if err != nil {
		return callInfo{}, err
	}
	child, err := b.Store.Child(ctx, t.home, t.child)
	if err != nil && !errors.Is(err, homelink.ErrNotFound) {
		return callInfo{}, err
	}
	call := homelink.Booking{HomeID: t.home, ChildID: t.child, Start: moment(a.Start), Kind: a.Kind, Note: a.Note,
		State: homelink.Requested}
	return callInfo{call: call, child: child, home: home}, nil
}

func (b *Bot) bookSendTapped(ctx context.Context, r *request, t target) error {
	return b.bookSubmit(ctx, r, t, false)
}

func (b *Bot) bookWeeklyTapped(ctx context.Context, r *request, t target) error {
	return b.bookSubmit(ctx, r, t, true)
}

// bookSubmit asks the store for the call, or the standing weekly call.
func (b *Bot) bookSubmit(ctx context.Context, r *request, t target, weekly bool) error {
	a := answersOf[bookAnswers](r)
	req := homelink.BookingRequest{HomeID: t.home, ChildID: t.child, Start: moment(a.Start), Kind: a.Kind,
		Note: a.Note, Weekly: weekly, MaxUpcoming: b.MaxUpcoming}
	var call homelink.Booking
	var skipped []time.Time
	var err error
	if weekly {
		var calls []homelink.Booking
		if _, calls, skipped, err = b.Store.BookSeries(ctx, r.by(), req); err == nil && len(calls) == 0 {
			err = homelink.ErrSlotTaken
		}
		if err == nil {
			call = calls[0]
		}
	} else {
		call, err = b.Store.Book(ctx, r.by(), req)
	}
	if err != nil {
		return b.bookRefused(ctx, r, b.calls.bookPick, t, err)
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return b.booked(ctx, r, call, skipped)
}

// booked tells the guardian the call was asked for (or confirmed, in a
// home that confirms by itself), with [Cancel], and the teachers.
func (b *Bot) booked(ctx context.Context, r *request, call homelink.Booking, skipped []time.Time) error {
	ci, err := b.infoOf(ctx, call)
	if err != nil {
		return err
	}
	title := "BookSentTitle"
	if call.State == homelink.Confirmed {
		title = "BookConfirmedTitle"
	}
	text, err := b.card(ctx, r, ci, r.html(title, "Child", ci.childName(r)), b.skippedLine(ctx, r, skipped))
	if err != nil {
		return err
	}
	if err := r.show(ctx, text, rows(b.callCancelButton(r, call))); err != nil {
		return err
	}
	b.tellTeachersNew(ctx, ci, newCallTitle(call), func(rd *request) string { return b.skippedLine(ctx, rd, skipped) })
	return nil
}

// skippedLine names the weeks a standing call skips (closed or full).
func (b *Bot) skippedLine(ctx context.Context, r *request, skipped []time.Time) string {
	if len(skipped) == 0 {
		return ""
	}
	var days []string
	for _, s := range skipped {
		days = append(days, b.when(ctx, r, s))
	}
	return r.html("SeriesSkippedLine", "Dates", strings.Join(days, r.text("ListSeparator")))
}

// bookRefused answers a refusal from the store: a slot just taken, past,
// or clashing with another call of the child offers that day's free
// slots again at once; a closed day, the days; too many calls ahead says
// the limit.
func (b *Bot) bookRefused(ctx context.Context, r *request, p slotPicker, t target, err error) error {
	name, nerr := b.childNameOf(ctx, r, t)
	if nerr != nil {
		return nerr
	}
	a := answersOf[bookAnswers](r)
	switch {
	case errors.Is(err, homelink.ErrSlotTaken), errors.Is(err, homelink.ErrChildBusy), errors.Is(err, homelink.ErrSlotPast):
		id := "SlotJustTaken"
		switch {
		case errors.Is(err, homelink.ErrChildBusy):
			id = "ChildBusy"
		case errors.Is(err, homelink.ErrSlotPast):
			id = "SlotPast"
		}
		if err := r.at(ctx, p.time, a); err != nil {
			return err
		}
		return b.showTimes(ctx, r, p, t, r.html(id, "Child", name))
	case errors.Is(err, homelink.ErrClosed):
		if err := r.at(ctx, p.day, a); err != nil {
			return err
		}
		return b.showDays(ctx, r, p, t, r.html("HomeClosedThatDay"))
	case errors.Is(err, homelink.ErrTooManyUpcoming):
		if err := r.endFlow(ctx); err != nil {
			return err
		}
		return r.show(ctx, r.html("TooManyUpcoming", "Child", name, "Max", b.MaxUpcoming), nil)
	}
	return err
}

// newCallTitle is the teachers' title for a new call.
func newCallTitle(c homelink.Booking) string {
	switch {
	case c.State == homelink.Confirmed:
		return "NewCallConfirmedTitle"
	case c.Series != 0:
		return "NewWeeklyRequestTitle"
	}
	return "NewRequestTitle"
}
