package rule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// parser reads five-field specs and descriptors such as @daily, like the
// scheduler's; seconds are not a field, so every firing is on a minute.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// starBit marks a day field written as "*", as robfig/cron does: a spec
// restricting both day of month and day of week fires when either matches.
const starBit = 1 << 63

// fields are a spec's bit sets, one bit per allowed value. Next reads them
// itself rather than calling cron.SpecSchedule.Next, which skips a time
// that falls in a spring-forward gap and fires twice on a fall-back day.
type fields struct {
	minute, hour, dom, month, dow uint64
}

// parseSpec reads a cron spec with robfig/cron's parser. The zone is the
// CRON_TZ (or TZ) prefix's if there is one, otherwise the home's.
func parseSpec(text string, words []string, loc *time.Location) (Rule, error) {
	if len(words) > 0 && strings.HasSuffix(words[0], "=Local") {
		return Rule{}, fmt.Errorf("rule: parse %q: %w: %s names the server's zone; leave it out to use the home's", text, ErrSpec, words[0])
	}
	sched, err := parseCron(text)
	if err != nil {
		return Rule{}, fmt.Errorf("rule: parse %q: %w: %w", text, ErrSpec, err)
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return Rule{}, fmt.Errorf("rule: parse %q: %w: @every is an interval, not a local time", text, ErrSpec)
	}
	if spec.Minute == 0 || spec.Hour == 0 || spec.Dom == 0 || spec.Month == 0 || spec.Dow == 0 {
		return Rule{}, fmt.Errorf("rule: parse %q: %w: a field lists no values", text, ErrSpec)
	}
	if spec.Second != 1 {
		return Rule{}, fmt.Errorf("rule: parse %q: %w: seconds are not supported", text, ErrSpec)
	}
	if spec.Location != time.Local {
		loc = spec.Location
	}
	r := Rule{text: strings.Join(words, " "), loc: loc, isSpec: true, f: fields{
		minute: spec.Minute, hour: spec.Hour, dom: spec.Dom, month: spec.Month, dow: spec.Dow,
	}}
	if r.Next(neverProbe).IsZero() {
		return Rule{}, fmt.Errorf("rule: parse %q: %w", text, ErrNever)
	}
	return r, nil
}

// parseCron calls robfig/cron's parser, which panics on a zone prefix with
// nothing after it ("TZ=", "CRON_TZ=Europe/Berlin"); users type these.
func parseCron(text string) (sched cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			sched, err = nil, fmt.Errorf("a zone needs five fields after it (robfig/cron: %v)", p)
		}
	}()
	return parser.Parse(text)
}

// neverProbe is where Parse looks for a first firing; any rule that can
// fire does so within searchDays of any instant.
var neverProbe = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// all is the bit set of every value from lo to hi.
func all(lo, hi uint) uint64 {
	return (1<<(hi+1) - 1) &^ (1<<lo - 1)
}

// dayMatches reports whether the civil date (given at noon UTC) is a day
// the spec fires on, with cron's rule for two restricted day fields.
func (f fields) dayMatches(date time.Time) bool {
	if f.month&(1<<uint(date.Month())) == 0 {
		return false
	}
	dom := f.dom&(1<<uint(date.Day())) != 0
	dow := f.dow&(1<<uint(date.Weekday())) != 0
	if f.dom&starBit != 0 || f.dow&starBit != 0 {
		return dom && dow
	}
	return dom || dow
}
