package bot

import (
	"context"
	"strconv"
	"time"

	"github.com/homelink/homelink"
)

// How times are shown: every time is read in the zone of the person who
// reads it, and a call's time is shown in the home's zone beside it when
// the two differ. Shared by /hours, /settings, /book and /calls.

// zoneOf is the zone a person reads times in: the one they chose in
// /settings, else their home's (the first home they teach at or manage,
// or their first child's), else the deployment's default.
func (b *Bot) zoneOf(ctx context.Context, u homelink.User) *time.Location {
	if loc, err := homelink.CheckTimeZone(u.TimeZone); err == nil {
		return loc
	}
	if h := firstHome(u.Roles); h != 0 {
		if home, err := b.Store.Home(ctx, h); err == nil {
			if loc, err := homelink.CheckTimeZone(home.TimeZone); err == nil {
				return loc
			}
		}
	}
	return b.defaultZone()
}

// homeZone is a home's zone, else the deployment's default.
func (b *Bot) homeZone(h homelink.Home) *time.Location {
	if loc, err := homelink.CheckTimeZone(h.TimeZone); err == nil {
		return loc
	}
	return b.defaultZone()
}

func (b *Bot) defaultZone() *time.Location {
	if b.Zone != nil {
		return b.Zone
	}
	return time.UTC
}

// firstHome is the home whose zone a person's times default to: one
// they teach at or manage, else their first child's (lowest ids first, so
// it does not change from one update to the next).
func firstHome(r homelink.Roles) int64 {
	var best int64
	pick := func(h int64) {
		if h != 0 && (best == 0 || h < best) {
			best = h
		}
	}
	for h := range r.Teaches {
		pick(h)
	}
	for h := range r.Coordinates {
		pick(h)
	}
	if best != 0 {
		return best
	}
	var child int64
	for c, g := range r.Guards {
		if child == 0 || c < child {
			child, best = c, g.HomeID
		}
	}
	return best
}

// clockText is minutes after midnight as "09:30" (24:00 for the end of a
// day).
func clockText(minutes int) string {
	h, m := minutes/60, minutes%60
	return twoDigit(h) + ":" + twoDigit(m)
}

func twoDigit(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// weekday is a day's name in r's language ("周六", "Saturday").
func (r *request) weekday(d time.Weekday) string { return r.text("Weekday_" + strconv.Itoa(int(d))) }

// day is t's date in loc with its weekday, as r reads it: "12月5日 周六",
// "Sat 5 Dec".
func (r *request) day(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return r.text("DayLayout", "Weekday", r.text("WeekdayShort_"+strconv.Itoa(int(t.Weekday()))),
		"Month", int(t.Month()), "MonthName", r.text("Month_"+strconv.Itoa(int(t.Month()))), "Day", t.Day())
}

// callTime is when a call starts as r reads it: the day and time in
// personal, with the home's local time beside it when the zones differ
// ("12月5日 周六 08:00（儿童之家 15:00）").
func (r *request) callTime(t time.Time, personal, home *time.Location) string {
	own := r.day(t, personal) + " " + t.In(personal).Format("15:04")
	if sameOffset(t, personal, home) {
		return own
	}
	return r.text("CallTimeBoth", "Own", own, "Home", r.homeTime(t, personal, home))
}

// homeTime is t as the home reads it, with its day only when it differs
// from the reader's.
func (r *request) homeTime(t time.Time, personal, home *time.Location) string {
	if homelink.DateOf(t.In(home)) == homelink.DateOf(t.In(personal)) {
		return t.In(home).Format("15:04")
	}
	return r.day(t, home) + " " + t.In(home).Format("15:04")
}

// sameOffset reports whether a and b show the same wall time at t.
func sameOffset(t time.Time, a, b *time.Location) bool {
	_, x := t.In(a).Zone()
	_, y := t.In(b).Zone()
	return x == y
}
