// Package rule answers one question for the agenda: when does a recurring
// piece of work fire next, in a home's time zone?
//
// A Rule is a cron spec (five fields, optionally prefixed with CRON_TZ=Zone)
// or a simple form such as "every Friday at 18:00" or "every day at 02:30",
// bound to a *time.Location. Rule.Next reads local wall-clock times in that
// zone with these daylight-saving semantics:
//
//   - A local time that occurs twice (clocks fall back) fires once, at its
//     first occurrence.
//   - A local time that does not occur (clocks spring forward) fires at the
//     first instant after the gap: 02:30 on 2026-03-29 in Europe/Berlin
//     fires at 03:00 CEST. Several skipped times collapse into that one
//     firing.
//
// The package is pure: it owns no storage, sends nothing and never reads
// the clock; callers pass the instant to count from.
package rule

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors a Parse may wrap; the bot turns them into localized messages.
var (
	ErrNoZone  = errors.New("no time zone")
	ErrWeekday = errors.New("not a day of the week")
	ErrClock   = errors.New("not a time of day (HH:MM, 00:00 to 23:59)")
	ErrForm    = errors.New(`not "every <weekday|day> at HH:MM"`)
	ErrSpec    = errors.New("not a cron spec")
	ErrNever   = errors.New("never fires")
)

// Rule is a recurring local time in a zone. The zero Rule never fires.
type Rule struct {
	text   string
	loc    *time.Location
	f      fields
	simple Simple
	isSpec bool
}

// Simple is the weekly or daily form of a rule, kept as fields so the bot
// can describe it in the user's language.
type Simple struct {
	EveryDay bool         // fires every day; Weekday is then unused
	Weekday  time.Weekday // the day of a weekly rule
	Hour     int          // 0 to 23, local
	Minute   int          // 0 to 59
}

// Parse reads a simple form ("every Friday at 18:00", "every day at 02:30";
// day names in English, any case, full or three letters) or a five-field
// cron spec ("0 8 * * MON", "@daily", "CRON_TZ=Asia/Shanghai 0 8 * * 1").
// loc is the home's zone; a CRON_TZ prefix overrides it.
func Parse(text string, loc *time.Location) (Rule, error) {
	if loc == nil {
		return Rule{}, fmt.Errorf("rule: parse %q: %w", text, ErrNoZone)
	}
	words := strings.Fields(text)
	if len(words) > 0 && strings.EqualFold(words[0], "every") {
		return parseSimple(text, words, loc)
	}
	return parseSpec(text, words, loc)
}

// Daily is the rule "every day at hour:minute" in loc.
func Daily(hour, minute int, loc *time.Location) (Rule, error) {
	return fromSimple(Simple{EveryDay: true, Hour: hour, Minute: minute}, loc)
}

// Weekly is the rule "every <day> at hour:minute" in loc.
func Weekly(day time.Weekday, hour, minute int, loc *time.Location) (Rule, error) {
	return fromSimple(Simple{Weekday: day, Hour: hour, Minute: minute}, loc)
}

// String is the rule's canonical text: Parse(r.String(), r.Location())
// gives the same rule back, so it is what a recurring item stores.
func (r Rule) String() string { return r.text }

// Location is the zone the rule's local times are read in.
func (r Rule) Location() *time.Location { return r.loc }

// Simple returns the weekly or daily form; ok is false for a cron spec.
func (r Rule) Simple() (s Simple, ok bool) {
	return r.simple, r.loc != nil && !r.isSpec
}

// IsZero reports whether r is the zero Rule, which never fires.
func (r Rule) IsZero() bool { return r.loc == nil }
