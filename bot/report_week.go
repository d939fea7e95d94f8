package bot

import (
	"fmt"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda/rule"
)

// Weeks as the reports read them: Monday to Sunday in a zone (the home's
// for its figures, which the store counts in the home's week; the
// coordinator's for the dates of their summary), named by their Monday.

// weekStart is midnight of the Monday that begins the week holding t, in
// loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, loc)
}

// trendWeeks are the Mondays of the homelink.ReportWeeks weeks that end
// with monday's, oldest first. AddDate keeps the wall time, so each is a
// midnight in monday's zone even across a change of summer time.
func trendWeeks(monday time.Time) []time.Time {
	out := make([]time.Time, homelink.ReportWeeks)
	for i := range out {
		out[i] = monday.AddDate(0, 0, -7*(homelink.ReportWeeks-1-i))
	}
	return out
}

// reportRule is homelink.ReportRule in loc.
func reportRule(loc *time.Location) (rule.Rule, error) {
	r, err := rule.Parse(homelink.ReportRule, loc)
	if err != nil {
		return rule.Rule{}, fmt.Errorf("bot: report rule: %w", err)
	}
	return r, nil
}

// reportTimes are the latest report time at or before now and the next
// one after it, in loc: the week just ended at last is the one a report
// run at now tells.
func reportTimes(now time.Time, loc *time.Location) (last, next time.Time, err error) {
	r, err := reportRule(loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	// A weekly rule has a time in any eight days; walk to the last one.
	last = r.Next(now.Add(-8 * 24 * time.Hour))
	for n := r.Next(last); !n.After(now); n = r.Next(n) {
		last = n
	}
	return last, r.Next(now), nil
}

// endedWeek is the Monday of the week before the one holding t, in loc:
// the week a report at t tells.
func endedWeek(t time.Time, loc *time.Location) time.Time {
	return weekStart(t, loc).AddDate(0, 0, -7)
}

// mondayOf reads a week's Monday ("2006-01-02") in loc.
func mondayOf(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil && t.Weekday() == time.Monday
}
