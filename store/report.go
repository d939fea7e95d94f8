package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda/rule"
)

// Contact gaps and weekly reports. What they read is kept by the scripts
// that cause it, in the same step (contact_note in _mail.lua): each
// child's last contact (a call marked held, an item a guardian left, a
// reply of the child's) in the home's contact hash, and each week's count
// of children reached in the week hash beside the call and mailbox
// counts. The weekly work is agenda items:
const (
	// KindReportHome is a home's weekly report, keyed "<home>", due at
	// homelink.ReportRule in the home's zone. Its run plans one
	// KindReportTo per teacher, one KindReportNudge per guardian of a
	// child not reached for a while, and the next one, in one step
	// (PlanReport); its payload is the Monday (YYYY-MM-DD, home time) of
	// the last week it reported, so a run that finds that week reported
	// already (its zone changed, a retry) only plans the next.
	KindReportHome = "rep.home"
	// KindReportTo is one teacher's report, keyed "<home>.<teacher>", its
	// payload the Monday of the week it reports.
	KindReportTo = "rep.to"
	// KindReportNudge is one guardian's nudge, keyed "<home>.<guardian>",
	// its payload the ids of their children not reached, comma-separated.
	KindReportNudge = "rep.nudge"
	// KindReportCoord is a coordinator's weekly summary, keyed
	// "<coordinator>", due at homelink.ReportRule in their zone; like
	// KindReportHome its run plans the summary (KindReportSum) and the
	// next one, its payload the Monday last reported.
	KindReportCoord = "rep.coord"
	// KindReportSum is a coordinator's summary being sent, keyed
	// "<coordinator>", its payload the Monday of the week it reports.
	KindReportSum = "rep.sum"
)

// WeekFigures are home h's figures of the weeks that hold each of days,
// each read in its own Location (the home's zone), in one round trip.
func (s *Store) WeekFigures(ctx context.Context, h int64, days ...time.Time) ([]homelink.WeekFigures, error) {
	m, err := s.HomesWeekFigures(ctx, map[int64][]time.Time{h: days})
	return m[h], err
}

// HomesWeekFigures is WeekFigures for several homes, in one round trip
// whatever their number. A week's Children are the children registered
// before the week's end (a child who came later was never one the home
// could reach that week) and still at the home.
func (s *Store) HomesWeekFigures(ctx context.Context, days map[int64][]time.Time) (map[int64][]homelink.WeekFigures, error) {
	type read struct {
		counts *redis.MapStringStringCmd
		kids   *redis.IntCmd
	}
	reads := map[int64][]read{}
	pipe := s.rdb.Pipeline()
	for h, ds := range days {
		for _, d := range ds {
			end := weekEnd(d)
			reads[h] = append(reads[h], read{pipe.HGetAll(ctx, s.k.week(h, homelink.WeekOf(d, d.Location()))),
				pipe.ZCount(ctx, s.k.children(h), "-inf", "("+strconv.FormatInt(end.UnixMilli(), 10))})
		}
	}
	if len(reads) == 0 {
		return map[int64][]homelink.WeekFigures{}, nil
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("store: week figures: %w", err)
	}
	out := make(map[int64][]homelink.WeekFigures, len(days))
	for h, rs := range reads {
		for i, r := range rs {
			d := days[h][i]
			out[h] = append(out[h], weekFigures(h, homelink.WeekOf(d, d.Location()), r.counts.Val(), int(r.kids.Val())))
		}
	}
	return out, nil
}

// weekEnd is the end of the week (Monday to Sunday, in t's Location) that
// holds t: the next Monday's midnight.
func weekEnd(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back+7, 0, 0, 0, 0, t.Location())
}

// weekFigures reads a week hash (keys.go: the calls' states, mail.in,
// mail.out, reached).
func weekFigures(h int64, week string, m map[string]string, children int) homelink.WeekFigures {
	n := func(f string) int { v, _ := strconv.Atoi(m[f]); return v }
	return homelink.WeekFigures{Home: h, Week: week,
		Requested: n(string(homelink.Requested)), Confirmed: n(string(homelink.Confirmed)), Held: n(string(homelink.Held)),
		Missed: n(string(homelink.Missed)), Cancelled: n(string(homelink.Cancelled)),
		ToChild: n("mail.in"), FromChild: n("mail.out"), Reached: n("reached"), Children: children}
}

// ContactGaps are home h's children whose last contact, or registration
// when they never had one, lies days whole days (of 24 hours) or more
// before now: the longest first (then by name), each with its guardians,
// in one round trip (report_gaps.lua).
func (s *Store) ContactGaps(ctx context.Context, h int64, now time.Time, days int) ([]homelink.Gap, error) {
	cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
	res, err := s.run(ctx, "report_gaps", []string{s.k.children(h), s.k.contact(h)}, h, cutoff.UnixMilli()).Slice()
	if err != nil {
		return nil, fmt.Errorf("store: contact gaps of %d: %w", h, err)
	}
	out := make([]homelink.Gap, 0, len(res))
	for _, row := range res {
		f, _ := row.([]any)
		if len(f) < 5 {
			continue
		}
		str := func(i int) string { v, _ := f[i].(string); return v }
		g := homelink.Gap{Home: h, Name: str(3)}
		g.Child, _ = strconv.ParseInt(str(0), 10, 64)
		added, _ := strconv.ParseFloat(str(1), 64)
		g.Since = time.UnixMilli(int64(added))
		if last, err := strconv.ParseInt(str(2), 10, 64); err == nil {
			g.Last, g.Since = time.UnixMilli(last), time.UnixMilli(last)
		}
		g.Days = int(now.Sub(g.Since) / (24 * time.Hour))
		for _, id := range strings.Split(str(4), ",") {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				g.Guardians = append(g.Guardians, n)
			}
		}
		out = append(out, g)
	}
	slices.SortStableFunc(out, func(a, b homelink.Gap) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// GapNudge records that guardian g is nudged at at about those of
// children (of home h) they were not nudged about within
// homelink.GapNudgeEvery before, and returns those: the nudge may name
// them. Children they no longer guard there are left out, and so is
// everyone for a person forgotten meanwhile (nothing is written for
// them). Records past the spacing are shed as it writes (report_nudge.lua).
func (s *Store) GapNudge(ctx context.Context, h, g int64, children []int64, at time.Time) ([]int64, error) {
	if len(children) == 0 {
		return nil, nil
	}
	args := []any{h, at.UnixMilli(), homelink.GapNudgeEvery.Milliseconds()}
	for _, c := range children {
		args = append(args, c)
	}
	res, err := s.run(ctx, "report_nudge", []string{s.k.user(g)}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store: nudge %d at %d: %w", g, h, err)
	}
	out := make([]int64, 0, len(res))
	for _, v := range res {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// PlanHomeReport plans one run of home h's weekly report
// (report_plan.lua), in one step with the job's next run at next: the
// report of the week of monday (YYYY-MM-DD, home time) to each of
// teachers (KindReportTo) and a nudge to each guardian of nudge about
// their children (KindReportNudge), each due at now (it holds itself
// while its person's quiet hours last). It reports false when it planned
// nothing: the job is no longer claim's, or its payload says that week
// was reported already (then only the next run is put).
func (s *Store) PlanHomeReport(ctx context.Context, h int64, claim, monday string, next, now time.Time, teachers []int64,
	nudge map[int64][]int64) (bool, error) {
	home := strconv.FormatInt(h, 10)
	var items []any
	for _, t := range teachers {
		items = append(items, KindReportTo, home+"."+strconv.FormatInt(t, 10), now.UnixMilli(), monday)
	}
	for _, g := range slices.Sorted(maps.Keys(nudge)) {
		ids := make([]string, len(nudge[g]))
		for i, c := range nudge[g] {
			ids[i] = strconv.FormatInt(c, 10)
		}
		items = append(items, KindReportNudge, home+"."+strconv.FormatInt(g, 10), now.UnixMilli(), strings.Join(ids, ","))
	}
	return s.planReport(ctx, KindReportHome, home, claim, monday, next, items)
}

// PlanCoordinatorReport plans coordinator c's weekly summary
// (KindReportSum, due at now) and their next one, as PlanHomeReport does.
func (s *Store) PlanCoordinatorReport(ctx context.Context, c int64, claim, monday string, next, now time.Time) (bool, error) {
	key := strconv.FormatInt(c, 10)
	return s.planReport(ctx, KindReportCoord, key, claim, monday, next, []any{KindReportSum, key, now.UnixMilli(), monday})
}

func (s *Store) planReport(ctx context.Context, kind, key, claim, monday string, next time.Time, items []any) (bool, error) {
	args := append([]any{kind, key, claim, monday, next.UnixMilli()}, items...)
	n, err := s.run(ctx, "report_plan", nil, args...).Int()
	if err != nil {
		return false, fmt.Errorf("store: plan %s %s: %w", kind, key, err)
	}
	return n == 1, nil
}

// EnsureReports gives every home without a weekly report planned one,
// and every coordinator without a weekly summary theirs, at the next
// homelink.ReportRule in its zone (firstReport): every replica does at
// start and every hour (a home made since, a person made coordinator, a job whose run
// failed past its retries). A planned one keeps its time. A
// coordinator's zone is the one they chose, else that of the first home
// (lowest id) they teach at or manage, else the default, as the bot reads
// it; the job's run corrects a zone changed since. Three round trips and
// one script whatever the numbers.
func (s *Store) EnsureReports(ctx context.Context) error {
	ids, err := s.rdb.SMembers(ctx, s.k.homes()).Result()
	if err != nil {
		return fmt.Errorf("store: reports: %w", err)
	}
	pipe := s.rdb.Pipeline()
	zones, coords := map[int64]*redis.StringCmd{}, map[int64]*redis.StringSliceCmd{}
	for _, v := range ids {
		if h, err := strconv.ParseInt(v, 10, 64); err == nil {
			zones[h], coords[h] = pipe.HGet(ctx, s.k.home(h), "tz"), pipe.SMembers(ctx, s.k.coordinators(h))
		}
	}
	if len(zones) == 0 {
		return nil
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return fmt.Errorf("store: reports: %w", err)
	}
	now := s.clock.Now()
	next := func(loc *time.Location) (reportStart, error) { return firstReport(now, loc) }
	var args []any
	people := map[int64]bool{}
	for h, tz := range zones {
		first, err := next(s.zoneFrom(tz))
		if err != nil {
			return err
		}
		args = append(args, KindReportHome, h, first.due, first.told)
		for _, c := range coords[h].Val() {
			if id, err := strconv.ParseInt(c, 10, 64); err == nil {
				people[id] = true
			}
		}
	}
	more, err := s.coordinatorReports(ctx, people, zones, next)
	if err != nil {
		return err
	}
	if err := s.run(ctx, "report_ensure", nil, append(args, more...)...).Err(); err != nil {
		return fmt.Errorf("store: reports: %w", err)
	}
	return nil
}

// coordinatorReports are the report_ensure arguments of the coordinators
// among people: each one's summary at its next time in their zone.
func (s *Store) coordinatorReports(ctx context.Context, people map[int64]bool, zones map[int64]*redis.StringCmd,
	next func(*time.Location) (reportStart, error)) ([]any, error) {
	pipe := s.rdb.Pipeline()
	users := map[int64]*redis.MapStringStringCmd{}
	for id := range people {
		users[id] = pipe.HGetAll(ctx, s.k.user(id))
	}
	if len(users) == 0 {
		return nil, nil
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	var args []any
	for id, m := range users {
		u := userFromHash(id, m.Val())
		if len(u.Roles.Coordinates) == 0 {
			continue
		}
		loc, err := homelink.CheckTimeZone(u.TimeZone)
		if err != nil {
			loc = s.zone
			if first := firstStaffHome(u.Roles); zones[first] != nil {
				loc = s.zoneFrom(zones[first])
			}
		}
		first, err := next(loc)
		if err != nil {
			return nil, err
		}
		args = append(args, KindReportCoord, id, first.due, first.told)
	}
	return args, nil
}

// firstReports are a new home's first weekly report (in its zone, loc)
// and its creator's first weekly summary, should they have none (in the
// zone they chose, else the home's: EnsureReports, which reads their
// other homes too, would not move one planned already), each with the
// week it counts as told (firstReport).
func (s *Store) firstReports(ctx context.Context, creator int64, loc *time.Location) (report, summary reportStart, err error) {
	tz := s.rdb.HGet(ctx, s.k.user(creator), "tz")
	if err := tz.Err(); err != nil && !isNil(err) {
		return report, summary, fmt.Errorf("store: create home: %w", err)
	}
	own, zerr := homelink.CheckTimeZone(tz.Val())
	if zerr != nil {
		own = loc
	}
	now := s.clock.Now()
	if report, err = firstReport(now, loc); err != nil {
		return report, summary, err
	}
	summary, err = firstReport(now, own)
	return report, summary, err
}

// reportStart is a weekly report job's first run and its payload.
type reportStart struct {
	due  int64  // unix ms
	told string // the Monday (YYYY-MM-DD) of the week it counts as told
}

// firstReport is the first run of a weekly report job made at now in loc:
// the next homelink.ReportRule time, with the week before the latest one
// counted as told, so a first run that fires before its time in its
// person's zone (they moved, or their zone was guessed) reports nothing
// twice and no week from before the job existed.
func firstReport(now time.Time, loc *time.Location) (reportStart, error) {
	r, err := rule.Parse(homelink.ReportRule, loc)
	if err != nil {
		return reportStart{}, fmt.Errorf("store: report rule: %w", err)
	}
	last := r.Next(now.Add(-8 * 24 * time.Hour))
	for n := r.Next(last); !n.After(now); n = r.Next(n) {
		last = n
	}
	told := weekEnd(last.In(loc)).AddDate(0, 0, -14)
	return reportStart{due: r.Next(now).UnixMilli(), told: told.Format(time.DateOnly)}, nil
}

// firstStaffHome is the lowest id among the homes roles teach at or
// manage (0: none).
func firstStaffHome(r homelink.Roles) int64 {
	var best int64
	for _, set := range []map[int64]bool{r.Teaches, r.Coordinates} {
		for h := range set {
			if best == 0 || h < best {
				best = h
			}
		}
	}
	return best
}
