package bot

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /report: the week so far, on demand. A teacher of one home gets its
// report (figures, children not reached, the chart of the last weeks
// ending with this one); a coordinator gets the summary of their homes
// with a button per home for its full report; a teacher of several homes
// (and not a coordinator) picks one. Guardians and strangers get the
// refusal their role calls for (the router's gate: staff only).
//
// The buttons are standing ones, so they go on working under the Monday
// summary too: the tap is checked against the home as it is then. Their
// action codes start with "Y".

// reportActs are the buttons of the reports.
type reportActs struct {
	// home opens one home's report of the week so far; homes pages
	// through the reader's homes when they are too many for one message.
	home, homes *action
}

// reportPage is how many home buttons one message carries: Telegram
// keeps a message's keyboard small, and a coordinator may run 200 homes.
const reportPage = 10

// reportActions declares /report and its buttons.
func (b *Bot) reportActions() {
	add := b.acts.add
	b.report = reportActs{
		home: add(&action{name: "report.home", code: "Yh", args: []arg{argHome}, need: staffOfHome, run: b.reportHomeTapped,
			standing: true, exists: b.homeThere}),
		homes: add(&action{name: "report.homes", code: "Yp", args: []arg{argChoice}, need: staff, run: b.reportHomesTapped,
			standing: true, exists: always}),
	}
}

// reportCommand answers /report.
func (b *Bot) reportCommand(ctx context.Context, r *request) error {
	managed := slices.Sorted(maps.Keys(r.user.Roles.Coordinates))
	if len(managed) > 0 {
		homes, err := b.Store.Homes(ctx, managed)
		if err != nil {
			return err
		}
		ms, err := b.summary(ctx, r, homes, reportKind{soFar: true}, b.Clock.Now())
		if err != nil {
			return err
		}
		pick, err := b.pickHomes(ctx, r)
		if err != nil {
			return err
		}
		ms[len(ms)-1].Keyboard = b.reportHomeButtons(r, pick, 0)
		return b.answerAll(ctx, r, ms)
	}
	homes, err := b.pickHomes(ctx, r)
	if err != nil {
		return err
	}
	switch len(homes) {
	case 0:
		return r.reply(ctx, r.html("HoursNoHome"), nil)
	case 1:
		return b.reportHomeTapped(ctx, r, target{home: homes[0].ID})
	}
	return r.reply(ctx, r.html("ChooseHome"), b.reportHomeButtons(r, homes, 0))
}

// pickHomes are the homes r may open a report of, by name: the order
// every page of buttons shares.
func (b *Bot) pickHomes(ctx context.Context, r *request) ([]homelink.Home, error) {
	hs, err := b.Store.Homes(ctx, staffHomes(r.user.Roles))
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(hs, func(a, b homelink.Home) int { return strings.Compare(a.Name, b.Name) })
	return hs, nil
}

// reportHomeTapped sends one home's report of the week so far.
func (b *Bot) reportHomeTapped(ctx context.Context, r *request, t target) error {
	home, err := b.Store.Home(ctx, t.home)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.reply(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	now := b.Clock.Now()
	ms, err := b.homeReport(ctx, r, home, weekStart(now, b.homeZone(home)), reportKind{soFar: true}, now)
	if err != nil {
		return err
	}
	return b.answerAll(ctx, r, ms)
}

// reportHomesTapped shows page t.n of the homes the reader may open.
func (b *Bot) reportHomesTapped(ctx context.Context, r *request, t target) error {
	hs, err := b.pickHomes(ctx, r)
	if err != nil {
		return err
	}
	return r.reply(ctx, r.html("ChooseHome"), b.reportHomeButtons(r, hs, t.n))
}

// reportHomeButtons are a page of buttons opening each of homes' report,
// two to a row, with the way to the other pages.
func (b *Bot) reportHomeButtons(r *request, homes []homelink.Home, page int) [][]outbox.Button {
	from := min(page*reportPage, len(homes))
	to := min(from+reportPage, len(homes))
	bs := make([]outbox.Button, 0, to-from)
	for _, h := range homes[from:to] {
		bs = append(bs, b.report.home.button(r, h.Name, target{home: h.ID}))
	}
	kb := grid(2, bs)
	var nav []outbox.Button
	if page > 0 {
		nav = append(nav, b.report.homes.button(r, r.text("ReportPagePrev"), target{n: page - 1}))
	}
	if to < len(homes) {
		nav = append(nav, b.report.homes.button(r, r.text("ReportPageNext"), target{n: page + 1}))
	}
	if len(nav) > 0 {
		kb = append(kb, nav)
	}
	return kb
}

// answerAll queues ms as answers to r's update, in order, in one step.
func (b *Bot) answerAll(ctx context.Context, r *request, ms []outbox.Message) error {
	for i := range ms {
		ms[i].Lane, ms[i].Reply = outbox.Interactive, true
	}
	_, err := b.Sender.EnqueueAll(ctx, ms)
	return r.delivered(ctx, err)
}
