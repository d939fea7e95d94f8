package bot

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

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
// its next digest, in one step. The item carries the day it is for (the
// first one, planned with the home, none: its due time says). One that
// comes before that day's morning in the home's zone (the home moved east
// since) is planned again at that morning; one that comes later (a retry,
// or after a downtime, even of days) is the digest of the latest morning,
// marked late when it is.
func (b *Bot) Digest(ctx context.Context, d Due) error {
	home, err := b.Store.Home(ctx, d.Home)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil // the home is gone, and its digests with it
	}
	if err != nil {
		return fmt.Errorf("bot: digest of home %d: %w", d.Home, err)
	}
	loc, now := b.homeZone(home), b.Clock.Now()
	day := homelink.DateOf(d.At.In(loc))
	if t, err := time.Parse(time.DateOnly, string(d.Payload)); err == nil {
		day = homelink.DateOf(t)
	}
	if morning := homelink.DigestOn(day, loc); now.Before(morning) {
		return b.Store.PlanDigest(ctx, d.Home, "", nil, morning, day.String())
	}
	// The latest morning: the next one's wall time a day before.
	next := homelink.NextDigest(now, loc)
	day = homelink.DateOf(next.AddDate(0, 0, -1).In(loc))
	nextDay := homelink.DateOf(next.In(loc)).String()
	calls, err := b.dayCalls(ctx, d.Home, day, loc, now)
	if err != nil {
		return err
	}
	if len(calls) == 0 {
		b.count(d.Kind, "dropped_empty")
		return b.Store.PlanDigest(ctx, d.Home, "", nil, next, nextDay)
	}
	last := calls[len(calls)-1].End()
	payload := day.String()
	if now.Sub(homelink.DigestOn(day, loc)) > homelink.ReminderLateAfter {
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
	return b.Store.PlanDigest(ctx, d.Home, payload, to, next, nextDay)
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
	if err != nil {
		return err
	}
	if len(calls) == 0 {
		b.count(d.Kind, "dropped_ended")
		return nil
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
	parts, err := b.digestText(ctx, rd, home, day, calls, late)
	if err != nil {
		return err
	}
	ms := make([]outbox.Message, len(parts))
	for i, text := range parts {
		ms[i] = outbox.Message{Lane: outbox.Bulk, ChatID: teacher, Text: text}
	}
	return b.sendDue(ctx, d, late, false, ms...)
}

// digestText is the day's calls as teacher rd reads them: each call's
// time in their zone, child, parent, kind and answer; requests still
// waiting for an answer are marked so. A busy day's list is cut into as
// many messages as Telegram needs (digestParts).
func (b *Bot) digestText(ctx context.Context, rd *request, home homelink.Home, day homelink.Date, calls []homelink.Booking, late bool) ([]string, error) {
	personal, zone := b.zoneOf(ctx, rd.user), b.homeZone(home)
	var lines []template.HTML
	waiting := 0
	for _, c := range calls {
		ci, err := b.infoOf(ctx, c)
		if err != nil {
			return nil, err
		}
		who := guardianLabel(rd, ci.guardian.name, ci.guardian.rel)
		when := c.Start.In(personal).Format("15:04")
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
	return digestParts(rd, data, lines)
}

// digestLimit is the most one digest message may hold: Telegram's 4,096
// characters (UTF-16 code units), counted on the HTML, which is never
// shorter than the text it shows.
const digestLimit = 4096

// digestParts renders the digest of data with lines, as many lines to a
// message as fit digestLimit: each message under the title, the footer
// (the requests waiting, where to see more, the late line) under the
// last only ("More" leaves it off).
func digestParts(rd *request, data map[string]any, lines []template.HTML) ([]string, error) {
	var parts []string
	for {
		n, text, err := digestFit(rd, data, lines)
		if err != nil {
			return nil, err
		}
		parts, lines = append(parts, text), lines[n:]
		if len(lines) == 0 {
			return parts, nil
		}
	}
}

// digestFit renders the first of lines that fit one message (all that
// fit, one at least), and says how many.
func digestFit(rd *request, data map[string]any, lines []template.HTML) (int, string, error) {
	fit, text := 0, ""
	for end := min(1, len(lines)); ; end++ {
		data["Lines"], data["More"] = lines[:end], end < len(lines)
		out, err := rd.render("digest", data)
		if err != nil {
			return 0, "", err
		}
		if end > 1 && len(utf16.Encode([]rune(out))) > digestLimit {
			return fit, text, nil
		}
		fit, text = end, out
		if end >= len(lines) {
			return fit, text, nil
		}
	}
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
