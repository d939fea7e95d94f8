package bot

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /book: a guardian books a call with their child in a few taps: child
// (asked only when they have several) → day → time → video, voice or
// text chat → an optional note → send it, or make it a standing weekly
// call. Times are shown in the guardian's zone, the home's beside them
// when the zones differ; with work shifts set, the slots within them are
// left out and counted.

// callParts are the actions and flows of calls: /book, the call's own
// buttons, the teachers' decisions and /calls.
type callParts struct {
	book, move, moveSeries, staffMove, cancelFlow *flow
	bookPick, movePick, seriesPick, staffPick     slotPicker

	bookChild, bookKind, bookSkipNote, bookSend, bookWeekly, bookAgain *action
	cancel, cancelSkip, cancelKeep, cancelSeries, moveStart            *action
	moveSeriesStart, staffMoveStart                                    *action
	confirm, decline, proposeStart, proposeToggle, proposeSend         *action
	proposeBack, choose, held, missed                                  *action
	mine, view, homeList, homeView, staffView                          *action
	attend, cannot                                                     *action
}

// bookAnswers are the answers of /book and of moving a call.
type bookAnswers struct {
	about
	// Day is the chosen day's midnight in the guardian's zone, Start the
	// chosen slot, both in unix seconds.
	Day   int64             `json:"d,omitempty"`
	Start int64             `json:"s,omitempty"`
	Kind  homelink.CallKind `json:"k,omitempty"`
	Note  string            `json:"n,omitempty"`
}

// slotPicker is a day step and a time step with their buttons: /book's,
// and moving a call's.
type slotPicker struct {
	day, time       *step
	dayAct, timeAct *action
	// dayAsk and timeAsk are the questions' message ids (the guardian's
	// by default: "When would you like to call?").
	dayAsk, timeAsk string
}

// movePicker declares a flow name of a day step and a time step, for
// whoever meets need, with its day and time buttons (codes dayCode and
// timeCode); chosen takes the time. It fills *p, which the steps' asks
// read when they run.
func (b *Bot) movePicker(p *slotPicker, name, dayCode, timeCode string, need need,
	chosen func(context.Context, *request, target) error) *flow {
	day := &step{name: "day", need: need, ask: func(ctx context.Context, r *request, t target) error {
		return b.showDays(ctx, r, *p, t, "")
	}}
	tm := &step{name: "time", need: need, ask: func(ctx context.Context, r *request, t target) error {
		return b.showTimes(ctx, r, *p, t, "")
	}}
	f := b.flows.add(&flow{name: name, steps: []*step{day, tm}})
	at := []arg{argTime}
	p.day, p.time = day, tm
	p.dayAct = b.acts.add(&action{name: name + ".day", code: dayCode, args: at, need: need, at: day,
		run: func(ctx context.Context, r *request, t target) error { return b.dayChosen(ctx, r, *p, t) }})
	p.timeAct = b.acts.add(&action{name: name + ".time", code: timeCode, args: at, need: need, run: chosen, at: tm})
	return f
}

// callActions declares every button and flow of calls.
func (b *Bot) callActions() {
	b.bookActions()
	b.callChangeActions()
	b.decideActions()
	b.callsListActions()
	b.reminderActions()
}

func (b *Bot) bookActions() {
	c := &b.calls
	child := &step{name: "child", need: guardian, ask: b.askBookChild}
	day := &step{name: "day", need: guardsChild, ask: b.askBookDay}
	tm := &step{name: "time", need: guardsChild, ask: b.askBookTime}
	kind := &step{name: "kind", need: guardsChild, ask: b.askBookKind}
	note := &step{name: "note", accepts: inText, need: guardsChild, answer: b.bookNoteTyped, ask: b.askBookNote}
	sum := &step{name: "summary", need: guardsChild, ask: b.askBookSummary}
	c.book = b.flows.add(&flow{name: "book", steps: []*step{child, day, tm, kind, note, sum}})
	add, at := b.acts.add, []arg{argTime}
	c.bookPick = slotPicker{day: day, time: tm,
		dayAct:  add(&action{name: "book.day", code: "Bd", args: at, need: guardsChild, run: b.bookDayChosen, at: day}),
		timeAct: add(&action{name: "book.time", code: "Bt", args: at, need: guardsChild, run: b.bookTimeChosen, at: tm})}
	c.bookChild = add(&action{name: "book.child", code: "Bc", args: []arg{argHome, argChild}, need: guardsChild,
		run: b.bookChildChosen, at: child})
	c.bookKind = add(&action{name: "book.kind", code: "Bk", args: []arg{argChoice}, need: guardsChild, run: b.bookKindChosen, at: kind})
	c.bookSkipNote = add(&action{name: "book.skipNote", code: "Bn", need: guardsChild, run: b.bookSkipNoteTapped, at: note})
	c.bookSend = add(&action{name: "book.send", code: "Bs", need: guardsChild, run: b.bookSendTapped, at: sum})
	c.bookWeekly = add(&action{name: "book.weekly", code: "Bw", need: guardsChild, run: b.bookWeeklyTapped, at: sum})
	c.bookAgain = add(&action{name: "book.again", code: "Ba", args: []arg{argHome, argChild}, need: guardsChild,
		run: b.bookAgainTapped, standing: true, exists: b.childThere})
}

// bookCommand starts /book.
func (b *Bot) bookCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	kids := slices.Sorted(maps.Keys(r.user.Roles.Guards))
	if len(kids) == 1 {
		return b.bookFor(ctx, r, target{home: r.user.Roles.Guards[kids[0]].HomeID, child: kids[0]})
	}
	return r.moveTo(ctx, b.calls.book.steps[0], bookAnswers{}, target{})
}

// bookFor starts /book at the day step for t's child.
func (b *Bot) bookFor(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, b.calls.bookPick.day, bookAnswers{about: about{Home: t.home, Child: t.child}}, t)
}

// bookAgainTapped starts /book from a notice ([Book another time]), in a
// new message so the notice stays.
func (b *Bot) bookAgainTapped(ctx context.Context, r *request, t target) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.bookFor(ctx, r, t)
}

func (b *Bot) askBookChild(ctx context.Context, r *request, _ target) error {
	var bs []outbox.Button
	for _, cid := range slices.Sorted(maps.Keys(r.user.Roles.Guards)) {
		h := r.user.Roles.Guards[cid].HomeID
		c, err := b.Store.Child(ctx, h, cid)
		if errors.Is(err, homelink.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		bs = append(bs, b.calls.bookChild.button(r, c.Name, target{home: h, child: cid}))
	}
	return r.present(ctx, r.html("BookChildAsk"), append(rows(bs...), []outbox.Button{r.cancelButton()}))
}

func (b *Bot) bookChildChosen(ctx context.Context, r *request, t target) error {
	return b.bookFor(ctx, r, t)
}

func (b *Bot) askBookDay(ctx context.Context, r *request, t target) error {
	return b.showDays(ctx, r, b.calls.bookPick, t, "")
}

func (b *Bot) askBookTime(ctx context.Context, r *request, t target) error {
	return b.showTimes(ctx, r, b.calls.bookPick, t, "")
}

func (b *Bot) bookDayChosen(ctx context.Context, r *request, t target) error {
	return b.dayChosen(ctx, r, b.calls.bookPick, t)
}

// dayChosen keeps the day and asks for the time.
func (b *Bot) dayChosen(ctx context.Context, r *request, p slotPicker, t target) error {
	a := answersOf[bookAnswers](r)
	a.Day = t.at
	if err := r.at(ctx, p.time, a); err != nil {
		return err
	}
	return b.showTimes(ctx, r, p, t, "")
}

func (b *Bot) bookTimeChosen(ctx context.Context, r *request, t target) error {
	a := answersOf[bookAnswers](r)
	a.Start = t.at
	return r.moveTo(ctx, b.calls.book.steps[3], a, t)
}

// present shows a question: in a new message when a standing button (on
// a notice) asked it, so the notice stays; else as show does.
func (r *request) present(ctx context.Context, text string, kb [][]outbox.Button) error {
	if r.standing {
		return r.reply(ctx, text, kb)
	}
	return r.show(ctx, text, kb)
}

// bookBack is the row under a /book question: Back, unless the question
// is the first one asked, and Cancel.
func (b *Bot) bookBack(r *request, first bool) []outbox.Button {
	if first {
		return []outbox.Button{r.cancelButton()}
	}
	return r.backButton()
}

// firstAsked reports whether step s is where the guardian's /book began
// (the day, for someone with one child; every step of moving a call).
func (b *Bot) firstAsked(r *request, s *step) bool {
	if s.flow != b.calls.book {
		return s == s.flow.steps[0]
	}
	return s == b.calls.bookPick.day && len(r.user.Roles.Guards) == 1
}

// moment is unix seconds as a time.
func moment(sec int64) time.Time { return time.Unix(sec, 0) }
