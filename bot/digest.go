package bot

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The teachers' morning digest: at homelink.DigestMinute home time each
// home's item lists the day's calls for every teacher of the home, with
// what each parent answered; nothing comes on a day without calls. A
// teacher in quiet hours then gets it when they end. Each teacher's copy
// is its own agenda item, rendered when it is sent, so it shows the
// answers as they are by then.

// digestLate marks a digest planned late (homelink was down at its time).
const digestLate = " late"

// Digest plans the home's digest of today for each of its teachers and
// its next digest, in one step. A home whose zone changed since the item
// was planned is planned again at its next morning in the new zone.
func (b *Bot) Digest(ctx context.Context, d Due) error {
	home, err := b.Store.Home(ctx, d.Home)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil // the home is gone, and its digests with it
	}
	if err != nil {
		return fmt.Errorf("bot: digest of home %d: %w", d.Home, err)
	}
	loc, now := b.homeZone(home), b.Clock.Now()
	next := homelink.NextDigest(now, loc)
	local := d.At.In(loc)
	if local.Hour()*60+local.Minute() != homelink.DigestMinute {
		return b.Store.PlanDigest(ctx, d.Home, "", nil, next)
	}
	day := homelink.DateOf(local)
	// Back after a downtime over several mornings, the latest one's digest
	// stands for them all: the older days' calls are over, its day's may
	// still be to come.
	if latest := next.AddDate(0, 0, -1); local.Before(latest) {
		day = homelink.DateOf(latest)
	}
	calls, err := b.dayCalls(ctx, d.Home, day, loc, now)
	if err != nil {
		return err
	}
	if len(calls) == 0 {
		b.count(d.Kind, "dropped_empty")
		return b.Store.PlanDigest(ctx, d.Home, "", nil, next)
	}
	last := calls[len(calls)-1].End()
	payload := day.String()
	if now.Sub(d.At) > homelink.ReminderLateAfter {
		payload += digestLate
	}
	to := map[int64]time.Time{}
	for _, teacher := range home.Teachers {
		u, err := b.Store.User(ctx, teacher)
		if err != nil {
			return fmt.Errorf("bot: digest of home %d: %w", d.Home, err)
		}
		at := now
		if until, quiet := u.QuietHours().Until(now, b.zoneOf(ctx, u)); quiet {
			if !until.Before(last) {
				continue // off duty for the whole day's calls
			}
			at = until
		}
		to[teacher] = at
	}
	return b.Store.PlanDigest(ctx, d.Home, payload, to, next)
}

// dayCalls are the home's calls on day (home time) still to come or under
// way at now, requested or confirmed, by start.
func (b *Bot) dayCalls(ctx context.Context, h int64, day homelink.Date, loc *time.Location, now time.Time) ([]homelink.Booking, error) {
	from := day.In(loc)
	all, err := b.Store.HomeCalls(ctx, h, from, from.AddDate(0, 0, 1))
	if err != nil {
		return nil, fmt.Errorf("bot: calls of home %d: %w", h, err)
	}
	return slices.DeleteFunc(all, func(c homelink.Booking) bool { return !c.Upcoming(now) }), nil
}

// DigestTo sends one teacher their copy of the home's digest of the day
// its payload names, rendered now; none when the day's calls are over,
// they no longer teach there, or quiet hours began meanwhile and last
// beyond the calls (those that end sooner hold it).
func (b *Bot) DigestTo(ctx context.Context, d Due) error {
	dayText, late := strings.CutSuffix(string(d.Payload), digestLate)
	t, err := time.Parse(time.DateOnly, dayText)
	if err != nil {
		return nil // not a digest this release can read
	}
	day := homelink.DateOf(t)
	home, err := b.Store.Home(ctx, d.Home)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: digest of home %d: %w", d.Home, err)
	}
	teacher := d.Call
	if !slices.Contains(home.Teachers, teacher) {
		return nil
	}
	loc, now := b.homeZone(home), b.Clock.Now()
	calls, err := b.dayCalls(ctx, d.Home, day, loc, now)
	if err != nil || len(calls) == 0 {
		b.count(d.Kind, "dropped_ended")
		return err
	}
	rd, err := b.readerOf(ctx, teacher)
	if err != nil {
		return err
	}
	if until, quiet := rd.user.QuietHours().Until(now, b.zoneOf(ctx, rd.user)); quiet {
		if until.Before(calls[len(calls)-1].End()) {
			b.count(d.Kind, "held")
			return d.Hold(ctx, until, d.Payload)
		}
		b.count(d.Kind, "dropped_quiet")
		return nil
	}
	text, err := b.digestText(ctx, rd, home, day, calls, late)
	if err != nil {
		return err
	}
	return b.sendDue(ctx, d, outbox.Message{Lane: outbox.Bulk, ChatID: teacher, Text: text}, late, false)
}

// digestText is the day's calls as teacher rd reads them: each call's
// time in their zone, child, parent, kind and answer; requests still
// waiting for an answer are marked so.
func (b *Bot) digestText(ctx context.Context, rd *request, home homelink.Home, day homelink.Date, calls []homelink.Booking, late bool) (string, error) {
	personal, zone := b.zoneOf(ctx, rd.user), b.homeZone(home)
	var lines []template.HTML
	waiting := 0
	for _, c := range calls {
		ci, err := b.infoOf(ctx, c)
		if err != nil {
			return "", err
		}
		who := guardianLabel(rd, ci.guardian.name, ci.guardian.rel)
		when := rd.clock(c.Start, personal, zone)
		var answer string
		if c.State == homelink.Requested {
			waiting++
			answer = rd.text("DigestWaiting")
		} else {
			answer = rd.text("DigestAnswer_" + answerID(c.Answer))
		}
		lines = append(lines, template.HTML(rd.html("DigestLine", "Time", when, "Child", ci.childName(rd), "Guardian", who,
			"Kind", rd.text("Kind_"+string(c.Kind)), "Answer", answer)))
	}
	data := map[string]any{
		"Title": template.HTML(rd.html("DigestTitle", "Home", home.Name, "Day", rd.day(day.In(zone), zone), "Count", len(calls))),
		"Lines": lines, "Waiting": "", "Late": "",
	}
	if waiting > 0 {
		data["Waiting"] = template.HTML(rd.html("DigestWaitingLine", "Count", waiting))
	}
	if late {
		data["Late"] = template.HTML(rd.html("RemindLateLine"))
	}
	return rd.render("digest", data)
}

// answerID names an answer in message ids: Yes, No or None.
func answerID(a homelink.CallAnswer) string {
	switch a {
	case homelink.AnswerYes:
		return "Yes"
	case homelink.AnswerNo:
		return "No"
	}
	return "None"
}
