package bot

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"slices"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Closed dates: days a home hosts no calls (Spring Festival, holidays).
// Closing a day cancels the calls already booked on it, and each parent
// is told, warmly, in their language and zone.

// closedView lists a home's closed dates.
func (b *Bot) closedView(ctx context.Context, r *request, t target) error {
	return b.showClosed(ctx, r, t.home, "")
}

func (b *Bot) showClosed(ctx context.Context, r *request, h int64, notice string) error {
	home, hrs, err := b.homeHours(ctx, h)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.show(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	text, err := r.render("closed", map[string]any{"Notice": template.HTML(notice), "Home": home.Name,
		"Closed": r.closedLines(hrs.Closed)})
	if err != nil {
		return err
	}
	kb := [][]outbox.Button{{b.hours.closedAdd.button(r, r.text("ClosedAddButton"), target{home: h})}}
	closed := sortedClosed(hrs.Closed)
	for i, label := range r.reopenLabels(closed) {
		kb = append(kb, []outbox.Button{b.hours.closedRemove.button(r, label, target{home: h, n: rangeCode(closed[i])})})
	}
	return r.show(ctx, text, append(kb, b.backToHours(r, h)))
}

// reopenLabels are the buttons reopening each of cs, short enough for a
// small phone: without the year ("恢复开放 1月1日至3日"), unless two
// would read the same.
func (r *request) reopenLabels(cs []homelink.DateRange) []string {
	short := make([]string, len(cs))
	seen := map[string]int{}
	for i, c := range cs {
		short[i] = r.dates(c, false)
		seen[short[i]]++
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		dates := short[i]
		if seen[dates] > 1 {
			dates = r.dates(c, true)
		}
		out[i] = r.text("ClosedRemoveOne", "Dates", dates)
	}
	return out
}

func (b *Bot) closedAdd(ctx context.Context, r *request, t target) error {
	return r.moveTo(ctx, b.hoursFlows.closed.steps[0], hoursAnswers{about: about{Home: t.home}}, t)
}

func (b *Bot) askClosed(ctx context.Context, r *request, t target) error {
	return r.show(ctx, r.html("ClosedAsk")+"\n"+r.html("ClosedExample"), b.closedAskKeyboard(r, t.home))
}

func (b *Bot) closedAskKeyboard(r *request, h int64) [][]outbox.Button {
	return [][]outbox.Button{{b.hours.closed.button(r, r.text("BackButton"), target{home: h}), r.cancelButton()}}
}

// closedTyped takes closed dates typed one per line, closes them and
// cancels the calls booked on them.
func (b *Bot) closedTyped(ctx context.Context, r *request, t target, in input) error {
	home, err := b.Store.Home(ctx, t.home)
	if err != nil {
		return err
	}
	added, err := homelink.ParseClosed(in.text, homelink.DateOf(b.Clock.Now().In(b.homeZone(home))))
	if err == nil && len(added) == 0 {
		err = homelink.ErrBadLine
	}
	refuse := func(err error) error {
		return r.reply(ctx, r.typedError(err, "ClosedExample"), b.closedAskKeyboard(r, t.home))
	}
	if err != nil {
		return refuse(err)
	}
	_, err = b.changeHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		if len(hrs.Closed)+len(added) > homelink.MaxClosed {
			return homelink.ErrTooMany
		}
		hrs.Closed = sortedClosed(append(slices.Clone(hrs.Closed), added...))
		return nil
	})
	if refused := (hoursRefused{}); errors.As(err, &refused) {
		return refuse(refused.err)
	}
	if err != nil {
		return err
	}
	cancelled, err := b.cancelClosed(ctx, r, home, added)
	if err != nil {
		return err
	}
	if err := r.leaveFlow(ctx); err != nil {
		return err
	}
	notice := r.html("ClosedAdded")
	if cancelled > 0 {
		notice += "\n" + r.html("ClosedCallsCancelled", "Count", cancelled)
	}
	return b.showClosed(ctx, r, t.home, notice)
}

// cancelClosed cancels the active calls still ahead on the dates closed
// and tells each parent; it returns how many it cancelled. The dates are
// closed first, so no call can be booked on them meanwhile.
func (b *Bot) cancelClosed(ctx context.Context, r *request, home homelink.Home, closed []homelink.DateRange) (int, error) {
	loc, now := b.homeZone(home), b.Clock.Now()
	n := 0
	for _, c := range closed {
		calls, err := b.Store.HomeCalls(ctx, home.ID, c.From.In(loc), c.To.In(loc).AddDate(0, 0, 1))
		if err != nil {
			return n, err
		}
		for _, bk := range calls {
			if !bk.State.Active() || !bk.Start.After(now) {
				continue
			}
			reason := c.Note
			if reason == "" {
				reason = r.text("ClosedReason")
			}
			done, err := b.Store.Cancel(ctx, r.by(), home.ID, bk.ID, reason)
			if errors.Is(err, homelink.ErrStateChanged) || errors.Is(err, homelink.ErrNotFound) {
				continue // someone else changed it first
			}
			if err != nil {
				return n, err
			}
			n++
			b.tellClosed(ctx, done, home, c.Note)
			if ci, err := b.infoOf(ctx, done); err == nil {
				b.editRequestCopies(ctx, r, ci) // a request's buttons go
			}
		}
	}
	if n > 0 {
		for _, teacher := range home.Teachers {
			if teacher != r.user.ID {
				b.notify(ctx, teacher, "ClosedCallsCancelledNotice", nil, "Name", r.user.Name, "Home", home.Name, "Count", n)
			}
		}
	}
	return n, nil
}

// tellClosed tells the parent who booked bk that it was cancelled because
// the home is closed that day, with the time in their own zone.
func (b *Bot) tellClosed(ctx context.Context, bk homelink.Booking, home homelink.Home, note string) {
	c, err := b.Store.Child(ctx, home.ID, bk.ChildID)
	if err != nil {
		b.Log.Warn("could not read the child of a cancelled call", slog.Int64("call", bk.ID), slog.Any("err", err))
		return
	}
	b.notifyWith(ctx, bk.Guardian, func(ctx context.Context, reader *request) string {
		when := reader.callTime(bk.Start, b.zoneOf(ctx, reader.user), b.homeZone(home))
		return reader.html("CallCancelledClosed", "Child", c.Name, "When", when, "Home", home.Name, "Note", note)
	}, func(rd *request) [][]outbox.Button {
		return rows(b.calls.bookAgain.button(rd, rd.text("BookAgainButton"), target{home: home.ID, child: bk.ChildID}))
	})
}

func (b *Bot) closedRemove(ctx context.Context, r *request, t target) error {
	var c homelink.DateRange
	_, err := b.changeHours(ctx, r, t.home, func(hrs *homelink.Hours) error {
		i := slices.IndexFunc(hrs.Closed, func(c homelink.DateRange) bool { return rangeCode(c) == t.n })
		if i < 0 {
			return errNothingToChange
		}
		c = hrs.Closed[i]
		hrs.Closed = slices.Delete(slices.Clone(hrs.Closed), i, i+1)
		return nil
	})
	if errors.Is(err, errNothingToChange) {
		return b.showClosed(ctx, r, t.home, "")
	}
	if err != nil {
		return err
	}
	return b.showClosed(ctx, r, t.home, r.html("ClosedRemoved", "Dates", r.dateRange(c)))
}

// rangeCode names closed dates on a button: both days, counted from 1970.
func rangeCode(c homelink.DateRange) int {
	days := func(d homelink.Date) int { return int(d.In(time.UTC).Unix() / 86400) }
	return days(c.From)*100000 + days(c.To)
}
