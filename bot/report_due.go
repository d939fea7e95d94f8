package bot

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The weekly report and the contact-gap alert, run by the agenda (the
// store's KindReport* items; app/report.go registers them):
//
//   - each home's job (ReportHome), Monday at 08:00 home time, plans in
//     one step a report to each teacher (ReportTo), a nudge to each
//     guardian of a child not reached for ContactGapDays (ReportNudge)
//     and its own next run;
//   - each coordinator's job (ReportCoordinator), Monday at 08:00 in
//     their own zone, plans their summary across their homes
//     (ReportSummary) and its next run.
//
// Everything goes through the outbox's bulk lane, one EnqueueAll per
// person (all or none, so a retry repeats nothing), after checking that
// the item is still the one handed out. A person in their quiet hours is
// held until they end. A job's payload is the Monday of the week it last
// reported, so a run that finds that week told (a retry after its plan
// was written, a zone moved) plans only the next. A crash between queuing
// and the agenda's record can repeat one person's report: the agenda's
// claim allows no less.

// nudgeCallHorizon is how far ahead a call booked spares its child the
// nudges: one coming within it is contact enough.
const nudgeCallHorizon = 28 * 24 * time.Hour

// ReportHome plans home d.Home's weekly report: the week just ended at
// the latest report time (its zone's Monday 08:00) to every teacher, the
// nudges, and the next run. A home gone ends its series.
func (b *Bot) ReportHome(ctx context.Context, d Due) error {
	home, err := b.Store.Home(ctx, d.Home)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: report of home %d: %w", d.Home, err)
	}
	loc, now := b.homeZone(home), b.Clock.Now()
	last, next, err := reportTimes(now, loc)
	if err != nil {
		return err
	}
	nudge, err := b.nudges(ctx, home.ID, now)
	if err != nil {
		return err
	}
	monday := endedWeek(last, loc).Format(time.DateOnly)
	planned, err := b.Store.PlanHomeReport(ctx, home.ID, d.Claim, monday, next, now, home.Teachers, nudge)
	if err == nil && !planned {
		b.count(d.Kind, "dropped_told")
	}
	return err
}

// nudges are the guardians of home h's children not reached for
// ContactGapDays at now, each with those children: all but the ones with
// a call already booked in the weeks ahead, or whose request in those days
// the home let lapse or declined.
func (b *Bot) nudges(ctx context.Context, h int64, now time.Time) (map[int64][]int64, error) {
	gaps, err := b.Store.ContactGaps(ctx, h, now, b.ContactGapDays)
	if err != nil || len(gaps) == 0 {
		return nil, err
	}
	// A parent who asked for a call in the gap's days and was not
	// answered (the request lapsed, or was declined) tried: they are not
	// nudged as if they had not, and neither is one with a call ahead.
	since := now.Add(-time.Duration(b.ContactGapDays) * 24 * time.Hour)
	calls, err := b.Store.HomeCalls(ctx, h, since, now.Add(nudgeCallHorizon))
	if err != nil {
		return nil, fmt.Errorf("bot: nudges of home %d: %w", h, err)
	}
	booked := map[int64]bool{}
	for _, c := range calls {
		tried := c.State == homelink.Expired || c.State == homelink.Declined
		booked[c.ChildID] = booked[c.ChildID] || c.Upcoming(now) || tried
	}
	out := map[int64][]int64{}
	for _, g := range gaps {
		if booked[g.Child] {
			continue
		}
		for _, uid := range g.Guardians {
			out[uid] = append(out[uid], g.Child)
		}
	}
	return out, nil
}

// ReportTo sends one teacher (d.Call) their home's report of the week its
// payload names, built now: none when they no longer teach there; in
// their quiet hours it waits until they end.
func (b *Bot) ReportTo(ctx context.Context, d Due) error {
	home, err := b.Store.Home(ctx, d.Home)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: report of home %d: %w", d.Home, err)
	}
	monday, ok := mondayOf(string(d.Payload), b.homeZone(home))
	if !ok || !slices.Contains(home.Teachers, d.Call) {
		return nil
	}
	rd, err := b.readerOf(ctx, d.Call)
	if err != nil {
		return err
	}
	now := b.Clock.Now()
	if held, err := b.holdIfQuiet(ctx, d, rd, b.zoneAt(ctx, rd.user, home), now); held || err != nil {
		return err
	}
	ms, err := b.homeReport(ctx, rd, home, monday, reportKind{}, now)
	if err != nil {
		return err
	}
	return b.sendDue(ctx, d, false, false, bulk(ms)...)
}

// ReportCoordinator plans coordinator d.Call's weekly summary and its
// next run, at the latest report time in their zone (they may have moved
// since the run was planned). Someone who manages no home any more ends
// the series (EnsureReports starts it again if they do).
func (b *Bot) ReportCoordinator(ctx context.Context, d Due) error {
	u, err := b.Store.User(ctx, d.Call)
	if err != nil {
		return fmt.Errorf("bot: summary of %d: %w", d.Call, err)
	}
	if len(u.Roles.Coordinates) == 0 {
		return nil
	}
	loc, now := b.zoneOf(ctx, u), b.Clock.Now()
	last, next, err := reportTimes(now, loc)
	if err != nil {
		return err
	}
	planned, err := b.Store.PlanCoordinatorReport(ctx, u.ID, d.Claim, endedWeek(last, loc).Format(time.DateOnly), next, now)
	if err == nil && !planned {
		b.count(d.Kind, "dropped_told")
	}
	return err
}

// ReportSummary sends coordinator d.Call their summary of the week just
// ended across the homes they manage now, with a button to open each
// home's report; held by their quiet hours.
func (b *Bot) ReportSummary(ctx context.Context, d Due) error {
	rd, err := b.readerOf(ctx, d.Call)
	if err != nil {
		return err
	}
	homes, err := b.Store.Homes(ctx, slices.Sorted(maps.Keys(rd.user.Roles.Coordinates)))
	if err != nil || len(homes) == 0 {
		return err
	}
	now := b.Clock.Now()
	if held, err := b.holdIfQuiet(ctx, d, rd, b.zoneOf(ctx, rd.user), now); held || err != nil {
		return err
	}
	ms, err := b.summary(ctx, rd, homes, reportKind{}, now)
	if err != nil {
		return err
	}
	pick, err := b.pickHomes(ctx, rd)
	if err != nil {
		return err
	}
	ms[len(ms)-1].Keyboard = b.reportHomeButtons(rd, pick, 0)
	return b.sendDue(ctx, d, false, false, bulk(ms)...)
}

// ReportNudge sends one guardian (d.Call) a warm nudge about their
// children of the payload not reached for a while, with a standing
// [📞 Book a call] for each: only those still not reached, still theirs,
// and not nudged about within homelink.GapNudgeEvery (GapNudge records
// it, just before queuing: a failure then loses the nudge rather than
// sending it twice). Held by quiet hours.
func (b *Bot) ReportNudge(ctx context.Context, d Due) error {
	home, err := b.Store.Home(ctx, d.Home)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: nudge at home %d: %w", d.Home, err)
	}
	rd, err := b.readerOf(ctx, d.Call)
	if err != nil {
		return err
	}
	now := b.Clock.Now()
	gaps, err := b.Store.ContactGaps(ctx, home.ID, now, b.ContactGapDays)
	if err != nil {
		return fmt.Errorf("bot: nudge at home %d: %w", d.Home, err)
	}
	kids := nudgedGaps(gaps, string(d.Payload), rd.user.Roles, home.ID)
	if len(kids) == 0 {
		b.count(d.Kind, "dropped_changed")
		return nil
	}
	if held, err := b.holdIfQuiet(ctx, d, rd, b.zoneAt(ctx, rd.user, home), now); held || err != nil {
		return err
	}
	if ok, err := d.Current(ctx); err != nil || !ok {
		return err
	}
	ids := make([]int64, len(kids))
	for i, g := range kids {
		ids[i] = g.Child
	}
	allowed, err := b.Store.GapNudge(ctx, home.ID, rd.user.ID, ids, now)
	if err != nil || len(allowed) == 0 {
		return err
	}
	kids = slices.DeleteFunc(kids, func(g homelink.Gap) bool { return !slices.Contains(allowed, g.Child) })
	return b.queueDue(ctx, d, false, false, b.nudgeMessage(rd, home, kids))
}

// nudgedGaps are the gaps among the children payload names ("<id>,…")
// that roles still guard at home h.
func nudgedGaps(gaps []homelink.Gap, payload string, roles homelink.Roles, h int64) []homelink.Gap {
	var out []homelink.Gap
	for _, s := range strings.Split(payload, ",") {
		id, err := strconv.ParseInt(s, 10, 64)
		if g, ok := roles.Guards[id]; err != nil || !ok || g.HomeID != h {
			continue
		}
		if i := slices.IndexFunc(gaps, func(g homelink.Gap) bool { return g.Child == id }); i >= 0 {
			out = append(out, gaps[i])
		}
	}
	return out
}

// nudgeMessage is the nudge about kids: warm, naming them, with a standing
// button to book a call for each.
func (b *Bot) nudgeMessage(rd *request, home homelink.Home, kids []homelink.Gap) outbox.Message {
	names := make([]string, len(kids))
	var buttons []outbox.Button
	for i, g := range kids {
		names[i] = g.Name
		label := rd.text("ReportNudgeBook")
		if len(kids) > 1 {
			label = rd.text("ReportNudgeBookFor", "Name", g.Name)
		}
		buttons = append(buttons, b.calls.bookAgain.button(rd, label, target{home: home.ID, child: g.Child}))
	}
	text := rd.html("ReportNudge", "Child", strings.Join(names, rd.text("ListSeparator")), "Home", home.Name)
	return outbox.Message{Lane: outbox.Bulk, ChatID: rd.user.ID, Text: text, Keyboard: rows(buttons...)}
}

// bulk puts ms in the bulk lane: reports and nudges wait behind replies
// and reminders.
func bulk(ms []outbox.Message) []outbox.Message {
	for i := range ms {
		ms[i].Lane = outbox.Bulk
	}
	return ms
}
