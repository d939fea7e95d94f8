package store

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda"
)

// reportWorld is mailWorld's home with a second child, Lili (mom is her
// guardian too), registered with 小明 on Saturday 28 November.
type reportWorld struct {
	*mailWorld
	lili homelink.Child
}

func newReportWorld(t *testing.T) *reportWorld {
	t.Helper()
	w := &reportWorld{mailWorld: newMailWorld(t)}
	w.lili = w.addChild(t, "Lili")
	w.link(t, w.lili.ID, mom)
	return w
}

// figures reads the home's figures of the weeks holding days.
func (w *reportWorld) figures(t *testing.T, days ...time.Time) []homelink.WeekFigures {
	t.Helper()
	for i := range days {
		days[i] = days[i].In(w.zone)
	}
	fs, err := w.s.WeekFigures(context.Background(), w.home.ID, days...)
	if err != nil || len(fs) != len(days) {
		t.Fatalf("figures: %v, %v", fs, err)
	}
	return fs
}

func (w *reportWorld) gaps(t *testing.T, days int) []homelink.Gap {
	t.Helper()
	gs, err := w.s.ContactGaps(context.Background(), w.home.ID, w.clock.Now(), days)
	if err != nil {
		t.Fatal(err)
	}
	return gs
}

// A message a parent leaves, a call marked held and a child's reply are
// each a contact, kept in the same step: the child's last contact moves,
// and the week counts the child reached once however many contacts it
// had. A call marked missed is none. Each week's figures carry the call
// and message counts beside, and the children registered by its end.
func TestContactsAreKeptByWhatCausesThem(t *testing.T) {
	w := newReportWorld(t)
	ctx := context.Background()
	teacher := homelink.By{User: w.teacher}
	// Saturday 28 November (week 48): two messages for 小明.
	w.leave(t, mom, homelink.MailItem{Kind: homelink.MailText, Text: "早饭吃了吗？"})
	w.clock.Advance(time.Hour)
	w.leave(t, w.dad, voice(1))
	firstWeek := w.clock.Now()
	// Both book for Monday 30 November (week 49): 小明's call is held
	// then, Lili's missed; then a third child arrives and Lili replies.
	held := w.mustBook(t, mom, w.child.ID, w.at(2, 10, 0))
	missed := w.mustBook(t, mom, w.lili.ID, w.at(2, 11, 0))
	for _, b := range []homelink.Booking{held, missed} {
		if _, err := w.s.Decide(ctx, teacher, w.home.ID, b.ID, homelink.Confirmed); err != nil {
			t.Fatal(err)
		}
	}
	w.clock.Set(w.at(2, 10, 20))
	if _, err := w.s.Mark(ctx, teacher, w.home.ID, held.ID, homelink.Held); err != nil {
		t.Fatal(err)
	}
	heldAt := w.clock.Now()
	w.clock.Set(w.at(2, 11, 20))
	if _, err := w.s.Mark(ctx, teacher, w.home.ID, missed.ID, homelink.Missed); err != nil {
		t.Fatal(err)
	}
	if gs := w.gaps(t, 0); len(gs) != 2 || gs[0].Child != w.lili.ID || gs[1].Child != w.child.ID ||
		!gs[1].Last.Equal(heldAt) || !gs[0].Last.IsZero() || gs[0].Since.After(firstWeek) {
		t.Fatalf("after the calls, with 0 days: %+v", gs)
	}
	w.clock.Set(w.at(3, 8, 0))
	late := w.addChild(t, "阿福")
	w.clock.Set(w.at(3, 9, 0))
	if _, err := w.s.Reply(ctx, teacher, w.home.ID, w.lili.ID, []homelink.MailItem{voice(7), voice(8)}); err != nil {
		t.Fatal(err)
	}
	got := w.figures(t, firstWeek, w.clock.Now())
	want := []homelink.WeekFigures{
		{Home: w.home.ID, Week: "2026-W48", Requested: 2, Confirmed: 2, ToChild: 2, Reached: 1, Children: 2},
		{Home: w.home.ID, Week: "2026-W49", Held: 1, Missed: 1, FromChild: 2, Reached: 2, Children: 3},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("figures\n got %+v\nwant %+v", got, want)
	}
	if want[1].NotReached() != 1 {
		t.Fatalf("not reached %d", want[1].NotReached())
	}

	// Three weeks on: 小明 has waited longest, then 阿福 (never reached,
	// registered an hour before Lili's reply), then Lili.
	w.clock.Set(w.at(3, 9, 0).AddDate(0, 0, 21))
	gs := w.gaps(t, 14)
	if len(gs) != 3 || gs[0].Child != w.child.ID || gs[1].Child != late.ID || gs[2].Child != w.lili.ID {
		t.Fatalf("gaps of 14 days: %+v", gs)
	}
	if g := gs[1]; g.Name != "阿福" || !g.Last.IsZero() || g.Days != 21 || len(g.Guardians) != 0 {
		t.Fatalf("阿福: %+v", g)
	}
	if g := gs[0]; g.Days != 21 || !g.Last.Equal(heldAt) || !slices.Equal(g.Guardians, []int64{mom, w.dad}) {
		t.Fatalf("小明: %+v", g)
	}
	// 22 whole days after 阿福 came, Lili's reply is 21 days and 23 hours old.
	w.clock.Set(w.at(3, 8, 0).AddDate(0, 0, 22))
	if gs := w.gaps(t, 22); len(gs) != 2 || gs[0].Child != w.child.ID || gs[1].Child != late.ID || gs[1].Days != 22 {
		t.Fatalf("gaps of 22 days: %+v", gs)
	}
}

// A guardian is nudged about a child at most once every GapNudgeEvery,
// only about children they guard at the home, and nothing is written for
// a person forgotten. Removing a child drops its last contact and its
// nudges.
func TestGapNudgesAreSpacedAndGoWithTheChild(t *testing.T) {
	w := newReportWorld(t)
	ctx := context.Background()
	nudge := func(g int64, kids ...int64) []int64 {
		t.Helper()
		got, err := w.s.GapNudge(ctx, w.home.ID, g, kids, w.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := nudge(mom, w.child.ID, w.lili.ID, w.otherChild.ID); !slices.Equal(got, []int64{w.child.ID, w.lili.ID}) {
		t.Fatalf("first nudge about %v", got)
	}
	if got := nudge(w.dad, w.child.ID, w.lili.ID); !slices.Equal(got, []int64{w.child.ID}) {
		t.Fatalf("dad's first nudge about %v", got)
	}
	w.clock.Advance(homelink.GapNudgeEvery - time.Minute)
	if got := nudge(mom, w.child.ID, w.lili.ID); len(got) != 0 {
		t.Fatalf("a nudge again within a week: %v", got)
	}
	w.clock.Advance(time.Minute)
	if got := nudge(mom, w.lili.ID); !slices.Equal(got, []int64{w.lili.ID}) {
		t.Fatalf("a week on: %v", got)
	}
	if got := nudge(9999, w.child.ID); len(got) != 0 || w.s.rdb.Exists(ctx, w.s.k.user(9999)).Val() != 0 {
		t.Fatalf("a stranger nudged about %v, or their hash written", got)
	}
	w.leave(t, mom, voice(1))
	if _, err := w.s.RemoveChild(ctx, homelink.By{User: w.teacher}, w.home.ID, w.child.ID); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(w.child.ID, 10)
	if n := w.s.rdb.HLen(ctx, w.s.k.contact(w.home.ID)).Val(); n != 0 {
		t.Fatalf("the contact hash keeps %d fields of the child removed", n)
	}
	for _, g := range []int64{mom, w.dad} {
		if w.s.rdb.HExists(ctx, w.s.k.user(g), "nudge:"+id).Val() {
			t.Fatalf("guardian %d keeps a nudge of the child removed", g)
		}
	}
	if _, err := w.s.Forget(ctx, mom); err != nil {
		t.Fatal(err)
	}
	if got := nudge(mom, w.lili.ID); len(got) != 0 || w.s.rdb.Exists(ctx, w.s.k.user(mom)).Val() != 0 {
		t.Fatalf("a forgotten guardian nudged about %v, or their hash written again", got)
	}
}

// EnsureReports plans each home's report and each coordinator's summary
// at the next Monday 08:00 in their zone, once; a run of the home's job
// plans each teacher's report and each nudge with its next run, in one
// step, and a second run of the same week only its next run.
func TestReportJobsArePlannedOnceAWeek(t *testing.T) {
	w := newReportWorld(t)
	ctx := context.Background()
	if err := w.s.EnsureReports(ctx); err != nil {
		t.Fatal(err)
	}
	monday := w.at(2, 8, 0).UTC()
	home := strconv.FormatInt(w.home.ID, 10)
	for key, kind := range map[string]string{home: KindReportHome, "1": KindReportCoord, "2": KindReportCoord} {
		if got := w.agendaOf(t, key)[kind]; !got.Equal(monday) {
			t.Fatalf("%s %s due %v, want %v", kind, key, got, monday)
		}
	}
	if w.agendaOf(t, strconv.FormatInt(w.teacher, 10))[KindReportCoord] != (time.Time{}) {
		t.Fatal("a teacher got a coordinator's summary")
	}
	a := agenda.New(w.s.rdb, w.clock, nil, agenda.Options{Prefix: w.s.k.prefix})
	var planned []bool
	a.Register(KindReportHome, agenda.Handler{Handle: func(ctx context.Context, it agenda.Item) error {
		if it.Key != home {
			return nil // the other home's
		}
		ok, err := w.s.PlanHomeReport(ctx, w.home.ID, it.Claim(), "2026-11-23", w.clock.Now().AddDate(0, 0, 7), w.clock.Now(),
			[]int64{w.teacher}, map[int64][]int64{mom: {w.child.ID, w.lili.ID}})
		planned = append(planned, ok)
		return err
	}})
	w.clock.Set(monday)
	if err := a.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.agendaOf(t, home+"."+strconv.FormatInt(w.teacher, 10))[KindReportTo]; !got.Equal(monday) {
		t.Fatalf("the teacher's report due %v", got)
	}
	if got := w.agendaOf(t, home+"."+strconv.Itoa(mom))[KindReportNudge]; !got.Equal(monday) {
		t.Fatalf("the mother's nudge due %v", got)
	}
	if got := w.agendaOf(t, home)[KindReportHome]; !got.Equal(monday.AddDate(0, 0, 7)) {
		t.Fatalf("the next report due %v", got)
	}
	// Its next run finds that week reported (as after a zone change).
	w.clock.Set(monday.AddDate(0, 0, 7))
	if _, err := w.s.rdb.Del(ctx, w.s.k.prefix+"{agenda}:due").Result(); err != nil {
		t.Fatal(err)
	}
	if err := a.Put(ctx, KindReportHome, home, w.clock.Now(), []byte("2026-11-23")); err != nil {
		t.Fatal(err)
	}
	if err := a.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(planned, []bool{true, false}) || len(w.agendaOf(t, home+"."+strconv.FormatInt(w.teacher, 10))) != 0 {
		t.Fatalf("planned %v; the teacher's items %v", planned, w.agendaOf(t, home+"."+strconv.FormatInt(w.teacher, 10)))
	}
	if got := w.agendaOf(t, home)[KindReportHome]; !got.Equal(monday.AddDate(0, 0, 14)) {
		t.Fatalf("the next report due %v", got)
	}
}
