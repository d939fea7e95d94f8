package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda/rule"
	"github.com/homelink/homelink/outbox"
)

// When a broadcast goes, if not now: once at a date and time, or every
// week on some days at a time (or by a cron expression). Both are wall
// times read in each home's own zone, so homes in two zones each get it at
// their 18:00; "today" and "tomorrow" are the first home's. Either is
// echoed back in words and confirmed before anything is kept.

// minCronGap is the least time between two firings of a cron expression:
// a broadcast is not a chat, and "* * * * *" would flood every family.
const minCronGap = time.Hour

// bcZones are the zones of a broadcast's homes, the first home's first
// (the deployment's default when it names none).
func (b *Bot) bcZones(ctx context.Context, homes []int64) ([]*time.Location, error) {
	hs, err := b.Store.Homes(ctx, homes)
	if err != nil {
		return nil, fmt.Errorf("bot: zones of a broadcast's homes: %w", err)
	}
	zones := make([]*time.Location, 0, len(hs)+1)
	for _, h := range hs {
		zones = append(zones, b.homeZone(h))
	}
	if len(zones) == 0 {
		zones = append(zones, b.defaultZone())
	}
	return zones, nil
}

// wallTime is a date and minutes after midnight as a wall time, in UTC
// only as a carrier (a button's argTime, Broadcast.Once).
func wallTime(d homelink.Date, minutes int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, minutes/60, minutes%60, 0, 0, time.UTC)
}

// inZone is wall time w in loc.
func inZone(w time.Time, loc *time.Location) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, loc)
}

// askBcOnce asks when the broadcast should go, with a few times to tap.
func (b *Bot) askBcOnce(ctx context.Context, r *request, _ target) error {
	kb, err := b.onceKeyboard(ctx, r)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html("BcOnceAsk"), kb)
}

// onceKeyboard offers this evening (while it is ahead), tomorrow morning
// and evening, and the two mornings after, in the first home's zone.
func (b *Bot) onceKeyboard(ctx context.Context, r *request) ([][]outbox.Button, error) {
	a := answersOf[bcAnswers](r)
	zones, err := b.bcZones(ctx, a.Homes)
	if err != nil {
		return nil, err
	}
	now := b.Clock.Now().In(zones[0])
	day := func(n int) homelink.Date { return homelink.DateOf(now.AddDate(0, 0, n)) }
	var bs []outbox.Button
	choose := func(label string, d homelink.Date, m int) {
		bs = append(bs, b.bc.onceAt.button(r, label, target{at: wallTime(d, m).Unix()}))
	}
	if now.Hour()*60+now.Minute() < 17*60+30 {
		choose(r.text("BcTodayAt", "Time", "18:00"), day(0), 18*60)
	}
	choose(r.text("BcTomorrowAt", "Time", "09:00"), day(1), 9*60)
	choose(r.text("BcTomorrowAt", "Time", "18:00"), day(1), 18*60)
	for n := 2; n <= 3; n++ {
		choose(r.day(day(n).In(time.UTC), time.UTC)+" 09:00", day(n), 9*60)
	}
	return append(grid(2, bs), r.backButton()), nil
}

// bcOnceChosen takes a time tapped.
func (b *Bot) bcOnceChosen(ctx context.Context, r *request, t target) error {
	return b.bcOnceAt(ctx, r, time.Unix(t.at, 0).UTC())
}

// bcOnceTyped takes a date and time typed, read in the first home's zone.
func (b *Bot) bcOnceTyped(ctx context.Context, r *request, _ target, in input) error {
	a := answersOf[bcAnswers](r)
	zones, err := b.bcZones(ctx, a.Homes)
	if err != nil {
		return err
	}
	d, m, err := homelink.ParseMoment(in.text, b.Clock.Now().In(zones[0]))
	if err != nil {
		id := "BcOnceNotUnderstood"
		if errors.Is(err, homelink.ErrPastDate) {
			id = "BcOncePast"
		}
		return b.refuseOnce(ctx, r, id)
	}
	return b.bcOnceAt(ctx, r, wallTime(d, m))
}

// bcOnceAt keeps wall time w and asks to confirm it, unless it has passed
// at one of the homes.
func (b *Bot) bcOnceAt(ctx context.Context, r *request, w time.Time) error {
	a := answersOf[bcAnswers](r)
	zones, err := b.bcZones(ctx, a.Homes)
	if err != nil {
		return err
	}
	now := b.Clock.Now()
	for _, loc := range zones {
		if !inZone(w, loc).After(now) {
			return b.refuseOnce(ctx, r, "BcOncePast")
		}
	}
	a.Once, a.Rule = w.Format(homelink.OnceLayout), ""
	return r.moveTo(ctx, b.bc.confirm, a, a.target())
}

// refuseOnce says why a time cannot be taken, under the question's
// buttons, and the step stays open.
func (b *Bot) refuseOnce(ctx context.Context, r *request, id string) error {
	kb, err := b.onceKeyboard(ctx, r)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html(id)+"\n\n"+r.html("BcOnceAsk"), kb)
}

// askBcEvery asks for the days, then the time; or for a cron expression.
func (b *Bot) askBcEvery(ctx context.Context, r *request, _ target) error {
	text, kb := b.everyQuestion(r, answersOf[bcAnswers](r))
	return r.show(ctx, text, kb)
}

// everyQuestion is the every step's question as the answers stand.
func (b *Bot) everyQuestion(r *request, a bcAnswers) (string, [][]outbox.Button) {
	back := []outbox.Button{b.bc.everyBack.button(r, r.text("BackButton"), target{}), r.cancelButton()}
	switch {
	case a.Cron:
		return r.html("BcCronAsk"), [][]outbox.Button{back}
	case a.Days != 0:
		var bs []outbox.Button
		for h := 7; h <= 21; h++ {
			bs = append(bs, b.bc.everyTime.button(r, clockText(h*60), target{n: h * 60}))
		}
		return r.html("BcEveryTimeAsk", "Days", r.dayList(maskDays(a.Days))), append(grid(4, bs), back)
	}
	var bs []outbox.Button
	for _, d := range weekOrder {
		bs = append(bs, b.bc.everyDay.button(r, r.text("WeekdayShort_"+strconv.Itoa(int(d))), target{n: int(d)}))
	}
	kb := append(grid(4, bs), []outbox.Button{b.bc.everyDay.button(r, r.text("BcEveryDayButton"), target{n: 7})},
		[]outbox.Button{b.bc.everyCron.button(r, r.text("BcCronButton"), target{})}, back)
	return r.html("BcEveryAsk"), kb
}

// maskDays are the days of a bit set, Sunday first.
func maskDays(mask uint8) []time.Weekday {
	var out []time.Weekday
	for d := time.Sunday; d <= time.Saturday; d++ {
		if mask&(1<<d) != 0 {
			out = append(out, d)
		}
	}
	return out
}

// bcEveryDayChosen keeps the day tapped (7: every day) and asks the time.
func (b *Bot) bcEveryDayChosen(ctx context.Context, r *request, t target) error {
	if t.n < 0 || t.n > 7 {
		return r.expired(ctx)
	}
	a := answersOf[bcAnswers](r)
	a.Days, a.Cron = 1<<t.n, false
	if t.n == 7 {
		a.Days = 0x7f
	}
	return r.moveTo(ctx, b.bc.every, a, t)
}

// bcEveryTimeChosen makes the rule of the days and the time tapped.
func (b *Bot) bcEveryTimeChosen(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	if a.Days == 0 || t.n < 0 || t.n >= 24*60 {
		return r.expired(ctx)
	}
	return b.bcEveryRule(ctx, r, a, weeklyRule(maskDays(a.Days), t.n))
}

// bcCronTapped asks for a cron expression.
func (b *Bot) bcCronTapped(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	a.Cron = true
	return r.moveTo(ctx, b.bc.every, a, t)
}

// bcEveryBack goes back one question: from the cron expression or the
// time to the days, from the days to the preview.
func (b *Bot) bcEveryBack(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	switch {
	case a.Cron:
		a.Cron = false
	case a.Days != 0:
		a.Days = 0
	default:
		return r.moveTo(ctx, b.bc.preview, a, t)
	}
	return r.moveTo(ctx, b.bc.every, a, t)
}

// bcEveryTyped reads what was typed as a time (for the days chosen), as
// days and a time ("Friday 18:00", "每周五 18:00"), or as a cron
// expression, in that order.
func (b *Bot) bcEveryTyped(ctx context.Context, r *request, _ target, in input) error {
	a := answersOf[bcAnswers](r)
	if a.Days != 0 {
		if m, err := homelink.ParseTimeOfDay(in.text); err == nil {
			return b.bcEveryRule(ctx, r, a, weeklyRule(maskDays(a.Days), m))
		}
	}
	if days, m, err := homelink.ParseWeeklyTime(in.text); err == nil {
		return b.bcEveryRule(ctx, r, a, weeklyRule(days, m))
	}
	zones, err := b.bcZones(ctx, a.Homes)
	if err != nil {
		return err
	}
	spec, why := cronRule(in.text, zones[0], b.Clock.Now())
	if why != "" {
		return b.refuseEvery(ctx, r, a, why)
	}
	return b.bcEveryRule(ctx, r, a, spec)
}

// refuseEvery says why a schedule cannot be taken, above the question
// asked again; the step stays open.
func (b *Bot) refuseEvery(ctx context.Context, r *request, a bcAnswers, why string) error {
	text, kb := b.everyQuestion(r, a)
	return r.show(ctx, r.html(why)+"\n\n"+text, kb)
}

// cronRule reads a cron expression as a rule of the home's zone; why, when
// set, is the message id saying why it cannot be one: not an expression,
// one naming its own zone (it must be each home's), or one firing more
// often than minCronGap.
func cronRule(text string, loc *time.Location, now time.Time) (spec, why string) {
	spec = strings.Join(strings.Fields(text), " ")
	if strings.Contains(spec, "=") {
		return "", "BcCronZone"
	}
	looksLikeCron := strings.ContainsAny(spec, "*@") || len(strings.Fields(spec)) == 5
	ru, err := rule.Parse(spec, loc)
	switch {
	case err != nil && looksLikeCron:
		return "", "BcCronBad"
	case err != nil:
		return "", "BcEveryNotUnderstood"
	}
	t := ru.Next(now)
	for range 24 {
		next := ru.Next(t)
		if next.Sub(t) < minCronGap {
			return "", "BcCronTooOften"
		}
		t = next
	}
	return ru.String(), ""
}

// weeklyRule is the rule of days at minutes after midnight: agenda/rule's
// simple form for one day or every day, else a cron expression.
func weeklyRule(days []time.Weekday, minutes int) string {
	h, m := minutes/60, minutes%60
	switch len(days) {
	case 1:
		ru, _ := rule.Weekly(days[0], h, m, time.UTC)
		return ru.String()
	case 7:
		ru, _ := rule.Daily(h, m, time.UTC)
		return ru.String()
	}
	ds := make([]string, len(days))
	for i, d := range days {
		ds[i] = strconv.Itoa(int(d))
	}
	return fmt.Sprintf("%d %d * * %s", m, h, strings.Join(ds, ","))
}

// bcEveryRule keeps the rule and asks to confirm it.
func (b *Bot) bcEveryRule(ctx context.Context, r *request, a bcAnswers, spec string) error {
	a.Rule, a.Once, a.Cron = spec, "", false
	return r.moveTo(ctx, b.bc.confirm, a, a.target())
}

// askBcConfirm echoes the schedule in words, with the next three times of
// a cron expression, and asks to confirm it.
func (b *Bot) askBcConfirm(ctx context.Context, r *request, _ target) error {
	a := answersOf[bcAnswers](r)
	if a.Once == "" && a.Rule == "" {
		return r.moveTo(ctx, b.bc.preview, a, a.target())
	}
	text := r.html("BcConfirmAsk", "When", r.scheduleWords(a.Once, a.Rule))
	if next, err := b.nextTimes(ctx, r, a, 3); err != nil {
		return err
	} else if next != "" && !simpleRule(a.Rule) {
		text += "\n" + r.html("BcNextTimes", "Times", next)
	}
	kb := [][]outbox.Button{{b.bc.schedule.button(r, r.text("BcScheduleButton"), target{})},
		{b.bc.confirmBack.button(r, r.text("BackButton"), target{}), r.cancelButton()}}
	return r.show(ctx, text, kb)
}

// nextTimes are the next n times a repeating broadcast goes, in its first
// home's zone ("" for one due once).
func (b *Bot) nextTimes(ctx context.Context, r *request, a bcAnswers, n int) (string, error) {
	if a.Rule == "" {
		return "", nil
	}
	zones, err := b.bcZones(ctx, a.Homes)
	if err != nil {
		return "", err
	}
	ru, err := rule.Parse(a.Rule, zones[0])
	if err != nil {
		return "", nil
	}
	var out []string
	t := b.Clock.Now()
	for range n {
		if t = ru.Next(t); t.IsZero() {
			break
		}
		out = append(out, r.day(t, zones[0])+" "+t.In(zones[0]).Format("15:04"))
	}
	return strings.Join(out, r.text("ListSeparator")), nil
}

// bcConfirmBack goes back to the question the schedule answered.
func (b *Bot) bcConfirmBack(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	if a.Rule != "" {
		a.Rule = ""
		return r.moveTo(ctx, b.bc.every, a, t)
	}
	a.Once = ""
	return r.moveTo(ctx, b.bc.once, a, t)
}

// bcSchedule keeps the broadcast, whose sending the store plans, and
// says when it goes and where to pause or delete it.
func (b *Bot) bcSchedule(ctx context.Context, r *request, _ target) error {
	a := answersOf[bcAnswers](r)
	if a.Once == "" && a.Rule == "" {
		return r.expired(ctx)
	}
	if _, err := b.Store.SaveBroadcast(ctx, r.by(), a.broadcast(r.user.ID)); err != nil {
		return fmt.Errorf("bot: schedule a broadcast: %w", err)
	}
	text := r.html("BcScheduled", "When", r.scheduleWords(a.Once, a.Rule))
	if next, err := b.nextTimes(ctx, r, a, 1); err == nil && next != "" {
		text += "\n" + r.html("BcNextTime", "When", next)
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return r.show(ctx, text+"\n"+r.html("BcScheduledHint"), nil)
}
