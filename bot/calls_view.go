package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"log/slog"
	"strconv"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// How a call is shown: one card (call.tmpl) for every reader, in their
// language and zone, with the home's time beside theirs when the zones
// differ; the home's staff also see who booked it ("李秀兰（妈妈）").

// callInfo is a call with what showing it needs.
type callInfo struct {
	call     homelink.Booking
	child    homelink.Child
	home     homelink.Home
	guardian guardianRef
}

// loadCall reads a call of home h and what showing it needs.
func (b *Bot) loadCall(ctx context.Context, h, id int64) (callInfo, error) {
	c, err := b.Store.Booking(ctx, h, id)
	if err != nil {
		return callInfo{}, err
	}
	return b.infoOf(ctx, c)
}

// infoOf reads what showing call c needs. A child removed meanwhile is
// shown without a name rather than not at all.
func (b *Bot) infoOf(ctx context.Context, c homelink.Booking) (callInfo, error) {
	home, err := b.Store.Home(ctx, c.HomeID)
	if err != nil {
		return callInfo{}, fmt.Errorf("bot: home of call %d: %w", c.ID, err)
	}
	child, err := b.Store.Child(ctx, c.HomeID, c.ChildID)
	if err != nil && !errors.Is(err, homelink.ErrNotFound) {
		return callInfo{}, fmt.Errorf("bot: child of call %d: %w", c.ID, err)
	}
	g, _ := child.Guardian(c.Guardian)
	return callInfo{call: c, child: child, home: home, guardian: guardianRef{name: b.nameOf(ctx, c.Guardian), rel: g.Relationship}}, nil
}

// childName is the call's child as r reads it: their name, else 孩子.
func (ci callInfo) childName(r *request) string {
	if ci.child.Name != "" {
		return ci.child.Name
	}
	return r.text("TheChild")
}

// card is the call as r reads it under title, with footer (a line on
// what became of it) below; staff also see who booked it.
func (b *Bot) card(ctx context.Context, r *request, ci callInfo, title, footer string) (string, error) {
	return b.cardIn(r, ci, b.zoneOf(ctx, r.user), title, footer)
}

// cardIn is card for a reader whose zone, personal, is known already.
func (b *Bot) cardIn(r *request, ci callInfo, personal *time.Location, title, footer string) (string, error) {
	c := ci.call
	data := map[string]any{
		"Title": template.HTML(title), "Footer": template.HTML(footer), "Child": ci.childName(r),
		"When": r.callTime(c.Start, personal, b.homeZone(ci.home)), "Kind": r.text("Kind_" + string(c.Kind)),
		"Note": c.Note, "Guardian": "", "Weekly": "", "State": r.text("State_" + string(c.State)),
	}
	if r.user.Roles.TeachesAt(c.HomeID) || r.user.Roles.ManagesHome(c.HomeID) {
		data["Guardian"] = guardianLabel(r, ci.guardian.name, ci.guardian.rel)
	}
	if c.Series != 0 {
		data["Weekly"] = r.weekly(c.Start, personal, b.homeZone(ci.home))
	}
	return r.render("call", data)
}

// weekly is a standing call's rhythm as r reads it: "every Saturday at
// 15:00". A standing call keeps the home's local time, so a reader in
// another zone reads the rhythm in the home's time ("every Saturday at
// 15:00 home time"): their own hour for it moves when either zone changes
// its clocks.
func (r *request) weekly(start time.Time, personal, home *time.Location) string {
	if sameOffset(start, personal, home) {
		t := start.In(personal)
		return r.text("WeeklyLine", "Day", r.weekday(t.Weekday()), "Time", t.Format("15:04"))
	}
	t := start.In(home)
	return r.text("WeeklyLineHome", "Day", r.weekday(t.Weekday()), "Time", t.Format("15:04"))
}

// clock is a slot's start as r reads it in loc ("15:00"), with the home's
// time beside it when the zones differ ("08:00（15:00）").
func (r *request) clock(t time.Time, personal, home *time.Location) string {
	own := t.In(personal).Format("15:04")
	if sameOffset(t, personal, home) {
		return own
	}
	return r.text("SlotBoth", "Own", own, "Home", t.In(home).Format("15:04"))
}

// when is a moment as r reads it, in their own zone: "12月5日 周六 15:00".
func (b *Bot) when(ctx context.Context, r *request, t time.Time) string {
	loc := b.zoneOf(ctx, r.user)
	return r.day(t, loc) + " " + t.In(loc).Format("15:04")
}

// readerOf is a request standing for user as the reader of a notice:
// their language, roles and zone.
func (b *Bot) readerOf(ctx context.Context, user int64) (*request, error) {
	u, err := b.Store.User(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("bot: reader %d: %w", user, err)
	}
	return b.reader(u), nil
}

// reader is readerOf for a user read already.
func (b *Bot) reader(u homelink.User) *request {
	lang := homelink.PreferredLanguage(u.Language, "", b.Catalog.Fallback(), b.Catalog.Supported)
	return &request{b: b, user: u, lang: lang, chatID: u.ID}
}

// tell sends user a card of the call under title (a message id given
// the child's name), footer and the standing buttons kb builds (nil for
// none). A notice that cannot be sent is logged: what the actor did
// stands.
func (b *Bot) tell(ctx context.Context, user int64, ci callInfo, title string, footer func(*request) string,
	kb func(*request) [][]outbox.Button) {
	rd, err := b.readerOf(ctx, user)
	if err != nil {
		b.Log.Warn("could not read a user to tell about a call", slog.Int64("user", user), slog.Any("err", err))
		return
	}
	text, err := b.card(ctx, rd, ci, rd.html(title, "Child", ci.childName(rd)), footerOf(rd, footer))
	if err != nil {
		b.Log.Warn("could not render a call", slog.Int64("call", ci.call.ID), slog.Any("err", err))
		return
	}
	m := outbox.Message{ChatID: user, Text: text, Silent: b.hushed(ctx, rd)}
	if kb != nil {
		m.Keyboard = kb(rd)
	}
	if _, err := b.Sender.Send(ctx, m); err != nil && !errors.Is(err, outbox.ErrBlocked) {
		b.Log.Warn("could not tell a user about a call", slog.Int64("user", user), slog.Any("err", err))
	}
}

func footerOf(r *request, f func(*request) string) string {
	if f == nil {
		return ""
	}
	return f(r)
}

// tellTeachers tells every teacher of the call's home but skip (the one
// who acted, 0 for none).
func (b *Bot) tellTeachers(ctx context.Context, ci callInfo, skip int64, title string, footer func(*request) string) {
	for _, teacher := range ci.home.Teachers {
		if teacher != skip {
			b.tell(ctx, teacher, ci, title, footer, nil)
		}
	}
}

// bookAgainButton starts /book for the call's child, on a notice.
func (b *Bot) bookAgainButton(ci callInfo) func(*request) [][]outbox.Button {
	return func(r *request) [][]outbox.Button {
		return rows(b.calls.bookAgain.button(r, r.text("BookAgainButton"), target{home: ci.call.HomeID, child: ci.call.ChildID}))
	}
}

// cancelButton cancels the call, on the guardian's own copy of it.
func (b *Bot) callCancelButton(r *request, c homelink.Booking) outbox.Button {
	return b.calls.cancel.button(r, r.text("CallCancelButton"), target{home: c.HomeID, booking: c.ID})
}

// acted is what a reader is told about who did what to the call and
// when: notice pops up on a tap, line ends a message ("王老师 confirmed
// this call on 5 Dec 15:00.").
func (b *Bot) acted(ctx context.Context, r *request, c homelink.Booking) (notice, line string) {
	when := r.date(c.At, b.zoneOf(ctx, r.user).String())
	did := r.text(didID(c))
	switch {
	case c.State == homelink.Expired:
		return r.text("CallExpiredLine", "When", when), r.html("CallExpiredLine", "When", when)
	case c.By == r.user.ID:
		return r.text("CallActedByYou", "Did", did, "When", when), r.html("CallActedByYou", "Did", did, "When", when)
	}
	if name := b.nameOf(ctx, c.By); name != "" {
		return r.text("CallActedByName", "Name", name, "Did", did, "When", when),
			r.html("CallActedByName", "Name", name, "Did", did, "When", when)
	}
	link := "tg://user?id=" + strconv.FormatInt(c.By, 10)
	return r.text("CallActedByOther", "Did", did, "When", when),
		r.html("CallActedByOtherLink", "Link", link, "Did", did, "When", when)
}

// actedLine is acted's line alone, for a message edited or sent.
func (b *Bot) actedLine(ctx context.Context, r *request, c homelink.Booking) string {
	_, line := b.acted(ctx, r, c)
	return line
}

// didID names what was last done to c: Did_confirmed, Did_proposed…
func didID(c homelink.Booking) string {
	if c.State == homelink.Requested {
		switch {
		case len(c.Proposals) > 0:
			return "Did_proposed"
		case c.At.Equal(c.CreatedAt):
			return "Did_requested"
		}
		return "Did_moved"
	}
	return "Did_" + string(c.State)
}

// callSettled answers a tap on a call that someone else changed first:
// who did what and when pops up and ends the tapped message, which loses
// its buttons.
func (b *Bot) callSettled(ctx context.Context, r *request, c homelink.Booking) error {
	notice, line := b.acted(ctx, r, c)
	if c.State.Active() && !c.Start.After(b.Clock.Now()) {
		// Nobody acted: its time came.
		notice, line = r.text("CallTimePassed"), r.html("CallTimePassed")
	}
	cq := r.update.CallbackQuery
	if cq == nil {
		return r.reply(ctx, line, nil)
	}
	if err := r.answer(ctx, notice); err != nil {
		return err
	}
	if m := cq.Message.Message; m != nil {
		return r.replace(ctx, html.EscapeString(m.Text)+"\n\n"+line, nil)
	}
	return nil
}

// changeLost answers a change the store refused because the call changed
// or went meanwhile; lost is false for any other outcome.
func (b *Bot) changeLost(ctx context.Context, r *request, c homelink.Booking, err error) (lost bool, _ error) {
	switch {
	case errors.Is(err, homelink.ErrStateChanged):
		return true, b.callSettled(ctx, r, c)
	case errors.Is(err, homelink.ErrNotFound):
		return true, r.settled(ctx, r.text("Gone"), r.html("Gone"))
	}
	return false, nil
}

// afterChange reads what a change of a call left, to show and tell it:
// ok is false when the change failed, or lost to someone else's (the
// tapper was told who acted first).
func (b *Bot) afterChange(ctx context.Context, r *request, call homelink.Booking, err error) (callInfo, bool, error) {
	if lost, err := b.changeLost(ctx, r, call, err); lost {
		return callInfo{}, false, err
	}
	if err != nil {
		return callInfo{}, false, err
	}
	ci, err := b.infoOf(ctx, call)
	return ci, err == nil, err
}
