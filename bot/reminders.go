package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Reminders of a confirmed call, handed over by the agenda: the guardian
// who booked it is reminded a day ahead, soon before and at the start
// (with the home's calling instructions); the home's teachers are nudged
// just before. The store puts, moves and withdraws them with every change
// to the call; here each is checked once more against the call as it is
// now, rendered in its reader's language and zone at the moment it is
// sent, and queued in the outbox's reminder lane.

// Due is an agenda item as the bot's due-work handlers see it (app
// builds one from agenda.Item).
type Due struct {
	// Kind and Key are the item's; Home and Call are what its key names
	// (Call is 0 for a home's own items, the teacher for a teacher's
	// digest or mailbox notice, the child for a mailbox receipt or reply).
	// Claim names the claim handling it (agenda.Item.Claim).
	Kind, Key, Claim string
	Home, Call       int64
	// At is when it was due; Payload its data.
	At      time.Time
	Payload []byte
	// Current reports whether the item is still the one handed out (not
	// withdrawn, moved or claimed again): checked just before sending.
	Current func(ctx context.Context) (bool, error)
	// Hold puts the item back at until (quiet hours), with payload.
	Hold func(ctx context.Context, until time.Time, payload []byte) error
}

// holdIfQuiet puts d back, as it is, until the end of rd's quiet hours
// (read in zone) if they hold at now, and counts it held; held says it
// did.
func (b *Bot) holdIfQuiet(ctx context.Context, d Due, rd *request, zone *time.Location, now time.Time) (held bool, err error) {
	until, quiet := rd.user.QuietHours().Until(now, zone)
	if !quiet {
		return false, nil
	}
	b.count(d.Kind, "held")
	return true, d.Hold(ctx, until, d.Payload)
}

// The kinds of a call's reminders (the store's Kind* names).
const (
	remindDay   = "call.remind.day"
	remindSoon  = "call.remind.soon"
	remindStart = "call.remind.start"
	remindNudge = "call.remind.nudge"
)

// heldPayload marks a reminder put back until quiet hours end: it is not
// late when it then comes.
var heldPayload = []byte("held")

// ReminderStore is what reminders need of the store beyond calls.
type ReminderStore interface {
	// DueCall reads a call with what its reminders need, in one round
	// trip (ErrNotFound when the call is gone).
	// It checks in the same step that the agenda item (kind, key) is
	// still claim's: homelink.ErrMovedOn otherwise.
	DueCall(ctx context.Context, h, id int64, kind, key, claim string) (homelink.DueCall, error)
	// AnswerCall keeps the guardian's answer to a reminder of a confirmed
	// call (ErrNotAllowed for anyone but the guardian who booked it,
	// ErrStateChanged when it is no longer confirmed or is over).
	AnswerCall(ctx context.Context, by homelink.By, h, id int64, ans homelink.CallAnswer) (homelink.Booking, error)
	// PlanDigest plans the home's digest of day for each teacher at its
	// time, and the home's next digest, in one step.
	// The next one carries nextDay, the day it is for.
	PlanDigest(ctx context.Context, h int64, day string, to map[int64]time.Time, next time.Time, nextDay string) error
}

// offset is how long before the call a reminder of kind comes.
func offset(kind string, rem homelink.Reminders) time.Duration {
	switch kind {
	case remindDay:
		return rem.DayAhead
	case remindSoon:
		return rem.Soon
	case remindNudge:
		return rem.Nudge
	}
	return 0
}

// count records what became of a due reminder or digest.
func (b *Bot) count(kind, outcome string) {
	if b.Metrics != nil && b.Metrics.Reminders != nil {
		b.Metrics.Reminders.WithLabelValues(kind, outcome).Inc()
	}
}

// Remind sends a call's reminder of d.Kind, if it is still wanted: the
// call is still confirmed and at the time the reminder was planned for,
// has not ended, and no later reminder of it is due already (after a
// downtime only the latest one comes, marked late). A reminder a day
// ahead that falls in its reader's quiet hours waits until they end
// unless that is too close to the call; the others come silently.
//
// Everything it reads, it reads in one round trip (Store.DueCall): ten
// thousand reminders can fall due in the same minute.
func (b *Bot) Remind(ctx context.Context, d Due) error {
	v, err := b.Store.DueCall(ctx, d.Home, d.Call, d.Kind, d.Key, d.Claim)
	if errors.Is(err, homelink.ErrMovedOn) {
		return nil // withdrawn or put again since the claim: not ours
	}
	if errors.Is(err, homelink.ErrNotFound) {
		b.count(d.Kind, "dropped_changed")
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: reminder of call %d: %w", d.Call, err)
	}
	call, rem := v.Call, v.Reminders
	now := b.Clock.Now()
	switch {
	case call.State != homelink.Confirmed || d.At.Before(call.Start.Add(-offset(d.Kind, rem))):
		b.count(d.Kind, "dropped_changed")
		return nil
	case !now.Before(call.End()):
		b.count(d.Kind, "dropped_ended")
		return nil
	case superseded(d.Kind, call, rem, now):
		b.count(d.Kind, "dropped_superseded")
		return nil
	}
	g, _ := v.Child.Guardian(call.Guardian)
	ci := callInfo{call: call, child: v.Child, home: v.Home, guardian: guardianRef{name: v.Guardian.Name, rel: g.Relationship}}
	late := string(d.Payload) != string(heldPayload) && now.Sub(d.At) > homelink.ReminderLateAfter
	if d.Kind == remindNudge {
		return b.nudge(ctx, d, ci, late)
	}
	rd := b.reader(v.Guardian)
	personal := b.zoneAt(ctx, rd.user, ci.home)
	silent := false
	if until, quiet := rd.user.QuietHours().Until(now, personal); quiet {
		// Only the reminder a day ahead can wait, and only while it would
		// still come before the next one.
		next := call.Start
		if rem.Soon > 0 {
			next = call.Start.Add(-rem.Soon)
		}
		if d.Kind == remindDay && until.Before(next) {
			b.count(d.Kind, "held")
			return d.Hold(ctx, until, heldPayload)
		}
		silent = true
	}
	text, err := b.reminderText(rd, ci, personal, d.Kind, now, late)
	if err != nil {
		return err
	}
	m := outbox.Message{Lane: outbox.Reminder, ChatID: call.Guardian, Text: text, Silent: silent,
		Keyboard: b.answerButtons(rd, call, now)}
	// DueCall checked the item is still this claim's as it read the call.
	return b.queueDue(ctx, d, late, silent, m)
}

// hushed reports whether rd is in their quiet hours now. A notice that
// is not held until they end (a call decided, moved or cancelled, a
// question after a call) then comes silently: it is there when they look,
// and wakes nobody.
func (b *Bot) hushed(ctx context.Context, rd *request) bool {
	_, quiet := rd.user.QuietHours().Until(b.Clock.Now(), b.zoneOf(ctx, rd.user))
	return quiet
}

// superseded reports whether a later reminder of the call is due already,
// so this one (late after a downtime) says nothing that one will not.
func superseded(kind string, call homelink.Booking, rem homelink.Reminders, now time.Time) bool {
	switch kind {
	case remindDay:
		return !now.Before(call.Start) || (rem.Soon > 0 && !now.Before(call.Start.Add(-rem.Soon)))
	case remindSoon:
		return !now.Before(call.Start)
	}
	return false
}

// sendDue queues ms, in order, if d is still current, and counts it once.
func (b *Bot) sendDue(ctx context.Context, d Due, late, silent bool, ms ...outbox.Message) error {
	if ok, err := d.Current(ctx); err != nil || !ok {
		return err
	}
	return b.queueDue(ctx, d, late, silent, ms...)
}

// queueDue queues ms, in order, for d, checked current already, and
// counts it once.
func (b *Bot) queueDue(ctx context.Context, d Due, late, silent bool, ms ...outbox.Message) error {
	// All or none, so a retry after a failure repeats nothing (a nudge to
	// several teachers, a digest in parts).
	if _, err := b.Sender.EnqueueAll(ctx, ms); err != nil {
		if errors.Is(err, outbox.ErrBlocked) {
			b.count(d.Kind, "blocked")
			return nil
		}
		return fmt.Errorf("bot: queue %s: %w", d.Kind, err)
	}
	switch {
	case late:
		b.count(d.Kind, "late")
	case silent:
		b.count(d.Kind, "silent")
	default:
		b.count(d.Kind, "sent")
	}
	return nil
}

// zoneAt is zoneOf(u) for a reader of something at home h, read
// already: a reader whose zone is that home's needs no second read of it.
func (b *Bot) zoneAt(ctx context.Context, u homelink.User, h homelink.Home) *time.Location {
	if _, err := homelink.CheckTimeZone(u.TimeZone); err != nil && h.ID != 0 && firstHome(u.Roles) == h.ID {
		return b.homeZone(h)
	}
	return b.zoneOf(ctx, u)
}

// reminderText is the guardian's reminder of kind as rd reads it at now:
// when the call is, in their zone (personal), how long until it, and at
// the start how to reach the home.
func (b *Bot) reminderText(rd *request, ci callInfo, personal *time.Location, kind string, now time.Time, late bool) (string, error) {
	c := ci.call
	// The title gives the reader's own time; the card's time line below
	// adds the home's when the zones differ.
	child, at := ci.childName(rd), c.Start.In(personal).Format("15:04")
	var title string
	switch {
	case kind == remindDay:
		title = rd.html("RemindDayTitle", "Child", child, "Day", rd.relativeDay(c.Start, now, personal), "Time", at)
	case now.Before(c.Start):
		title = rd.html("RemindSoonTitle", "Child", child, "In", rd.until(c.Start.Sub(now)), "Time", at)
	case now.Sub(c.Start) < time.Minute:
		title = rd.html("RemindStartTitle", "Child", child)
	default:
		title = rd.html("RemindStartedTitle", "Child", child, "Time", at, "End", c.End().In(personal).Format("15:04"))
	}
	started := kind == remindStart || !now.Before(c.Start)
	if started && ci.home.Instructions != "" {
		// How to call is what matters now: right under the title.
		title += "\n" + rd.html("RemindHowLine", "Instructions", ci.home.Instructions)
	}
	var footer []string
	if line := answerLine(rd, c.Answer); line != "" {
		footer = append(footer, line)
	} else if !started {
		footer = append(footer, rd.html("RemindAskLine"))
	}
	if late {
		footer = append(footer, rd.html("RemindLateLine"))
	}
	return b.cardIn(rd, ci, personal, title, strings.Join(footer, "\n"))
}

// answerLine says what the guardian answered, as r reads it ("" before
// they answered).
func answerLine(r *request, a homelink.CallAnswer) string {
	if a == homelink.AnswerNone {
		return ""
	}
	return r.html("RemindAnswered" + answerID(a))
}

// relativeDay is the day of t as seen from now in loc: today, tomorrow,
// or its date.
func (r *request) relativeDay(t, now time.Time, loc *time.Location) string {
	days := homelink.DateOf(t.In(loc)).In(time.UTC).Sub(homelink.DateOf(now.In(loc)).In(time.UTC)) / (24 * time.Hour)
	switch days {
	case 0:
		return r.text("Today")
	case 1:
		return r.text("Tomorrow")
	}
	return r.text("OnDay", "Day", r.day(t, loc))
}

// until is a wait in words, rounded up to the minute: "1 hour", "45
// minutes", "1 h 30 min".
func (r *request) until(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	switch {
	case m%60 == 0:
		return r.text("InHours", "Count", m/60)
	case m < 60:
		return r.text("InMinutes", "Count", m)
	}
	return r.text("InHoursMinutes", "Hours", m/60, "Minutes", m%60)
}

// nudge tells each teacher of the home that a call is about to start. A
// teacher in quiet hours that last beyond the call is off duty and is not
// nudged; one whose quiet hours end before the call ends is nudged
// silently (a nudge held past its moment is worth nothing).
func (b *Bot) nudge(ctx context.Context, d Due, ci callInfo, late bool) error {
	if ok, err := d.Current(ctx); err != nil || !ok {
		return err
	}
	now := b.Clock.Now()
	for _, teacher := range ci.home.Teachers {
		rd, err := b.readerOf(ctx, teacher)
		if err != nil {
			b.Log.Warn("could not read a teacher to nudge", slog.Int64("user", teacher), slog.Any("err", err))
			continue
		}
		personal := b.zoneAt(ctx, rd.user, ci.home)
		silent := false
		if until, quiet := rd.user.QuietHours().Until(now, personal); quiet {
			if !until.Before(ci.call.End()) {
				b.count(d.Kind, "dropped_quiet")
				continue
			}
			silent = true
		}
		c := ci.call
		at := c.Start.In(personal).Format("15:04")
		var title string
		if now.Before(c.Start) {
			title = rd.html("NudgeTitle", "Child", ci.childName(rd), "In", rd.until(c.Start.Sub(now)), "Time", at)
		} else {
			title = rd.html("NudgeStartedTitle", "Child", ci.childName(rd), "Time", at)
		}
		footer := staffAnswerLine(rd, c.Answer)
		if late {
			footer += "\n" + rd.html("RemindLateLine")
		}
		text, err := b.cardIn(rd, ci, personal, title, footer)
		if err != nil {
			return err
		}
		m := outbox.Message{Lane: outbox.Reminder, ChatID: teacher, Text: text, Silent: silent}
		if err := b.queueDue(ctx, d, late, silent, m); err != nil {
			return fmt.Errorf("bot: nudge of call %d: %w", c.ID, err)
		}
	}
	return nil
}

// staffAnswerLine is the guardian's answer as the home's staff read it.
func staffAnswerLine(r *request, a homelink.CallAnswer) string {
	return r.html("StaffAnswer" + answerID(a))
}
