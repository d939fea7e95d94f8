package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
	"github.com/homelink/homelink/report"
)

// A report is built for its reader when it is sent: its figures, the
// children not reached as of then, and the chart. The same builders serve
// the Monday report (the week just ended, through the bulk lane) and
// /report (the week so far, as an answer).

// reportKind says which week a report tells.
type reportKind struct {
	// soFar: the week under way (/report), else the week just ended.
	soFar bool
}

// reportWeek is the Monday of the week a report of kind made at now tells,
// in loc.
func (k reportKind) week(now time.Time, loc *time.Location) time.Time {
	if k.soFar {
		return weekStart(now, loc)
	}
	return endedWeek(now, loc)
}

// homeReport is home's report of the week of monday (home time) for rd:
// its text, in as many messages as it needs, then the chart of the
// homelink.ReportWeeks weeks up to it as a photo whose caption names the
// colours. The messages are to rd's chat, with lane and reply unset.
func (b *Bot) homeReport(ctx context.Context, rd *request, home homelink.Home, monday time.Time, k reportKind, now time.Time) ([]outbox.Message, error) {
	loc := b.homeZone(home)
	mondays := trendWeeks(monday)
	weeks, err := b.Store.WeekFigures(ctx, home.ID, mondays...)
	if err != nil {
		return nil, fmt.Errorf("bot: report of home %d: %w", home.ID, err)
	}
	gaps, err := b.Store.ContactGaps(ctx, home.ID, now, b.ContactGapDays)
	if err != nil {
		return nil, fmt.Errorf("bot: report of home %d: %w", home.ID, err)
	}
	title := rd.html("ReportHomeTitle", "Home", home.Name)
	if k.soFar {
		title = rd.html("ReportHomeSoFarTitle", "Home", home.Name)
	}
	lines := append([]string{title, rd.weekLine(monday, loc, k.soFar), ""}, rd.figuresLines(weeks[len(weeks)-1])...)
	lines = append(append(lines, ""), rd.gapLines(gaps, b.ContactGapDays, maxGapLines)...)
	return b.withChart(rd, packParts(lines), weeks, mondays)
}

// withChart is the text parts as messages to rd, and the chart of weeks as
// a photo after them.
func (b *Bot) withChart(rd *request, parts []string, weeks []homelink.WeekFigures, mondays []time.Time) ([]outbox.Message, error) {
	png, err := report.Chart(weeks, mondays)
	if err != nil {
		return nil, err
	}
	out := make([]outbox.Message, 0, len(parts)+1)
	for _, p := range parts {
		out = append(out, outbox.Message{ChatID: rd.chatID, Text: p})
	}
	return append(out, outbox.Message{ChatID: rd.chatID, Kind: outbox.Photo, FileData: png,
		FileName: "report-" + mondays[len(mondays)-1].Format(time.DateOnly) + ".png", Text: rd.chartCaption()}), nil
}

// homeLine is one home in a coordinator's summary.
type homeLine struct {
	home homelink.Home
	week homelink.WeekFigures
	gaps []homelink.Gap
}

// summary is coordinator rd's summary of homes: one line per home, those
// with the most children not reached first, their children not reached
// for a while (capped), and the chart of all the homes' totals. Each
// home's figures are of its own week (its zone); the dates shown are
// rd's.
func (b *Bot) summary(ctx context.Context, rd *request, homes []homelink.Home, k reportKind, now time.Time) ([]outbox.Message, error) {
	ask := make(map[int64][]time.Time, len(homes))
	for _, h := range homes {
		ask[h.ID] = trendWeeks(k.week(now, b.homeZone(h)))
	}
	figures, err := b.Store.HomesWeekFigures(ctx, ask)
	if err != nil {
		return nil, fmt.Errorf("bot: summary: %w", err)
	}
	lines := make([]homeLine, 0, len(homes))
	totals := make([]homelink.WeekFigures, homelink.ReportWeeks)
	for _, h := range homes {
		gaps, err := b.Store.ContactGaps(ctx, h.ID, now, b.ContactGapDays)
		if err != nil {
			return nil, fmt.Errorf("bot: summary: %w", err)
		}
		weeks := figures[h.ID]
		for i, f := range weeks {
			totals[i] = addFigures(totals[i], f)
		}
		lines = append(lines, homeLine{home: h, week: weeks[len(weeks)-1], gaps: gaps})
	}
	slices.SortStableFunc(lines, func(a, b homeLine) int {
		return cmp.Or(b.week.NotReached()-a.week.NotReached(), len(b.gaps)-len(a.gaps), strings.Compare(a.home.Name, b.home.Name))
	})
	own := b.zoneOf(ctx, rd.user)
	mondays := trendWeeks(k.week(now, own))
	return b.withChart(rd, packParts(b.summaryLines(rd, lines, totals[len(totals)-1], mondays[len(mondays)-1], own, k)), totals, mondays)
}

// summaryLines are the summary's text: title, week, totals, a line per
// home, then the children not reached for a while, home by home.
func (b *Bot) summaryLines(rd *request, lines []homeLine, total homelink.WeekFigures, monday time.Time, loc *time.Location, k reportKind) []string {
	title := rd.html("ReportSummaryTitle", "Count", len(lines))
	if k.soFar {
		title = rd.html("ReportSummarySoFarTitle", "Count", len(lines))
	}
	days := b.ContactGapDays
	out := []string{title, rd.weekLine(monday, loc, k.soFar), "",
		rd.html("ReportTotalsLine", "Held", total.Held, "Messages", total.ToChild+total.FromChild,
			"NotReached", total.NotReached(), "Children", total.Children), "", rd.html("ReportHomesTitle")}
	withGaps := 0
	for _, l := range lines {
		out = append(out, rd.html("ReportHomeLine", "Home", l.home.Name, "Held", l.week.Held,
			"Messages", l.week.ToChild+l.week.FromChild, "NotReached", l.week.NotReached(), "Gaps", len(l.gaps), "GapDays", days))
		if len(l.gaps) > 0 {
			withGaps++
		}
	}
	out = append(out, "")
	if withGaps == 0 {
		return append(out, rd.html("ReportGapsNone", "GapDays", days))
	}
	out = append(out, rd.html("ReportSummaryGapsTitle", "GapDays", days))
	shown := 0
	for _, l := range lines {
		if len(l.gaps) == 0 {
			continue
		}
		if shown == maxSummaryHomes {
			out = append(out, rd.html("ReportMoreHomes", "Count", withGaps-shown))
			break
		}
		shown++
		names := make([]string, 0, maxSummaryGaps)
		for _, g := range l.gaps[:min(len(l.gaps), maxSummaryGaps)] {
			names = append(names, rd.gapShort(g))
		}
		list := strings.Join(names, rd.text("ListSeparator"))
		if rest := len(l.gaps) - len(names); rest > 0 {
			// "and 3 more" is a clause of its own, not one more name:
			// "小明（21 天）、丽丽（15 天），还有 3 个".
			list += rd.text("ClauseSeparator") + rd.text("ReportMoreShort", "Count", rest)
		}
		out = append(out, rd.html("ReportSummaryGapLine", "Home", l.home.Name, "Names", list))
	}
	return out
}

// addFigures adds one home's week to the totals.
func addFigures(a, f homelink.WeekFigures) homelink.WeekFigures {
	a.Requested += f.Requested
	a.Confirmed += f.Confirmed
	a.Held += f.Held
	a.Missed += f.Missed
	a.Cancelled += f.Cancelled
	a.ToChild += f.ToChild
	a.FromChild += f.FromChild
	a.Reached += min(f.Reached, f.Children) // each home's children not reached add up
	a.Children += f.Children
	return a
}
