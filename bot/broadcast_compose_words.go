package bot

import (
	"context"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda/rule"
)

// A broadcast in words, for its sender, in /broadcast and /broadcasts:
// whom it goes to ("the parents at 青溪村儿童之家", "the teachers of your
// 3 homes") and when ("every Friday at 18:00, each home's time",
// "每周五 18:00（各儿童之家当地时间）").

// whoIDs are the message ids naming an audience: at one home (Home), and
// of several (Count).
var whoIDs = map[homelink.Audience][2]string{
	homelink.AudienceGuardians: {"BcWhoGuardiansAt", "BcWhoGuardiansOf"},
	homelink.AudienceTeachers:  {"BcWhoTeachersAt", "BcWhoTeachersOf"},
	homelink.AudienceEveryone:  {"BcWhoEveryoneAt", "BcWhoEveryoneOf"},
}

// bcWho names a broadcast's audience as r reads it.
func (b *Bot) bcWho(ctx context.Context, r *request, a bcAnswers) (template.HTML, error) {
	return b.audienceWords(ctx, r, a.Homes, a.Audience)
}

// audienceWords names audience a of homes: by the home's name for one.
func (b *Bot) audienceWords(ctx context.Context, r *request, homes []int64, a homelink.Audience) (template.HTML, error) {
	ids, ok := whoIDs[a]
	if !ok {
		ids = whoIDs[homelink.AudienceEveryone]
	}
	if len(homes) != 1 {
		return template.HTML(r.html(ids[1], "Count", len(homes))), nil
	}
	home, err := b.Store.Home(ctx, homes[0])
	if err != nil {
		return "", err
	}
	return template.HTML(r.html(ids[0], "Home", home.Name)), nil
}

// scheduleWords is when a broadcast goes, in words: by its rule, once at
// a wall time, or at once.
func (r *request) scheduleWords(once, ruleText string) template.HTML {
	switch {
	case ruleText != "":
		return r.ruleWords(ruleText)
	case once != "":
		w, err := time.Parse(homelink.OnceLayout, once)
		if err != nil {
			return template.HTML(template.HTMLEscapeString(once))
		}
		return template.HTML(r.html("BcOnceWords", "When", r.day(w, time.UTC)+" "+w.Format("15:04")))
	}
	return template.HTML(r.html("BcNowWords"))
}

// ruleWords is a rule in words: a weekday or every day at a time, some
// weekdays at a time (a cron expression of that form), or the cron
// expression itself.
func (r *request) ruleWords(text string) template.HTML {
	if ru, err := rule.Parse(text, time.UTC); err == nil {
		if s, ok := ru.Simple(); ok {
			at := clockText(s.Hour*60 + s.Minute)
			if s.EveryDay {
				return template.HTML(r.html("BcEveryDayWords", "Time", at))
			}
			return template.HTML(r.html("BcEveryWords", "Day", r.weekday(s.Weekday), "Time", at))
		}
	}
	if days, minutes, ok := cronDays(text); ok {
		if len(days) == 7 {
			// dayList would name all seven "every day", and BcEveryWords
			// says "every" itself: "every every day", "每每天".
			return template.HTML(r.html("BcEveryDayWords", "Time", clockText(minutes)))
		}
		return template.HTML(r.html("BcEveryWords", "Day", r.dayList(days), "Time", clockText(minutes)))
	}
	return template.HTML(r.html("BcCronWords", "Text", text))
}

// simpleRule reports whether a rule is agenda/rule's simple form.
func simpleRule(text string) bool {
	ru, err := rule.Parse(text, time.UTC)
	if err != nil {
		return false
	}
	_, ok := ru.Simple()
	return ok
}

// weekdaysSpec is a cron expression firing at one time on listed
// weekdays: "0 18 * * 1,3,5".
var weekdaysSpec = regexp.MustCompile(`^(\d{1,2}) (\d{1,2}) \* \* ([0-7](?:,[0-7])*)$`)

// cronDays reads a cron expression of weekdaysSpec's form: its days,
// Sunday first, and its time.
func cronDays(text string) ([]time.Weekday, int, bool) {
	m := weekdaysSpec.FindStringSubmatch(text)
	if m == nil {
		return nil, 0, false
	}
	minute, _ := strconv.Atoi(m[1])
	hour, _ := strconv.Atoi(m[2])
	if minute > 59 || hour > 23 {
		return nil, 0, false
	}
	var mask uint8
	for _, d := range strings.Split(m[3], ",") {
		n, _ := strconv.Atoi(d)
		mask |= 1 << (n % 7)
	}
	return maskDays(mask), hour*60 + minute, true
}

// dayList names days as r's language lists them: "Monday, Wednesday and
// Friday", "周一、周三、周五"; "every day" for all seven.
func (r *request) dayList(days []time.Weekday) string {
	if len(days) == 7 {
		return r.text("BcEveryDayName")
	}
	// The week as people read it: Monday first.
	names := make([]string, 0, len(days))
	for _, d := range weekOrder {
		for _, e := range days {
			if d == e {
				names = append(names, r.weekday(d))
			}
		}
	}
	return childNames(r, names)
}
