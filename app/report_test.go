package app

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/store"
)

// Four weeks of a home's life, as PRODUCT.md tells it, through the
// store's and the bot's own paths: a mother leaves a message with
// /message, calls are booked, confirmed, held, missed, cancelled and
// declined, a child replies. Each Monday at 08:00 the English and the
// Chinese teacher get the week just ended, with the figures the test
// counted itself, the children nobody reached for 14 days with how long,
// and the chart; the coordinator gets the summary line of the home.
func TestWeeklyReportAndGapsMatchASeededHistory(t *testing.T) {
	w := newBookingWorld(t, everyDay())
	h, st := w.h, w.h.store()
	tl := newTally(mustZone(t, "Asia/Shanghai"))
	tl.added[w.f.child], tl.added[w.f.sibling] = h.clock.Now(), h.clock.Now() // seeded at the start
	names := map[int64]string{w.f.child: "小明", w.f.sibling: "Lili"}
	teacher := homelink.By{User: w.f.teacher}
	must := func(b homelink.Booking, err error) homelink.Booking {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	book := func(g, child int64, start time.Time) homelink.Booking {
		t.Helper()
		c := must(st.Book(storeCtx, homelink.By{User: g}, homelink.BookingRequest{HomeID: w.f.home, ChildID: child, Start: start, Kind: homelink.VideoCall}))
		tl.week(h.clock.Now()).Requested++
		return c
	}
	confirm := func(c homelink.Booking) {
		t.Helper()
		must(st.Decide(storeCtx, teacher, w.f.home, c.ID, homelink.Confirmed))
		tl.week(h.clock.Now()).Confirmed++
	}
	mark := func(c homelink.Booking, s homelink.BookingState) {
		t.Helper()
		h.clock.Set(c.Start.Add(20 * time.Minute))
		must(st.Mark(storeCtx, teacher, w.f.home, c.ID, s))
		if s == homelink.Held {
			tl.week(h.clock.Now()).Held++
			tl.contact(h.clock.Now(), c.ChildID)
		} else {
			tl.week(h.clock.Now()).Missed++
		}
	}
	// monday checks the reports of the week before, at 08:00 on monday.
	monday := func(day int) {
		t.Helper()
		at := at(2026, time.November, day, 8, 0)
		w.justBefore(at)
		h.clock.Set(at)
		h.settle()
		week := tl.monday(at.AddDate(0, 0, -7))
		f := tl.figures(week)
		for _, rd := range []struct {
			p          *person
			lang, home string
		}{{w.teacher, "en", "Weekly report · 青溪村儿童之家"}, {w.teacher2, "zh-Hans", "每周报告 · 青溪村儿童之家"}} {
			text, chart := reportAfter(t, rd.p, rd.home)
			wantFigures(t, h, text, rd.lang, f)
			gaps := tl.gaps(at, homelink.DefaultContactGapDays)
			if len(gaps) == 0 && !strings.Contains(text.Raw, h.render(rd.lang, "ReportGapsNone", "GapDays", 14)) {
				t.Fatalf("week of %s: the report does not say every child was reached:\n%s", week, text.Raw)
			}
			for c, days := range gaps {
				if line := h.render(rd.lang, "ReportGapLine", "Name", names[c], "Count", days); !strings.Contains(text.Raw, line) {
					t.Fatalf("week of %s: the report lacks %q:\n%s", week, line, text.Raw)
				}
			}
			wantChart(t, h, chart, rd.lang)
		}
		// The coordinator chose no language: the default, Chinese.
		summary, chart := reportAfter(t, w.coord, "每周汇总 · 您负责的 1 个儿童之家")
		line := h.render("zh-Hans", "ReportHomeLine", "Home", "青溪村儿童之家", "Held", f.Held, "Messages", f.ToChild+f.FromChild,
			"NotReached", f.NotReached(), "Gaps", len(tl.gaps(at, 14)), "GapDays", 14)
		if !strings.Contains(summary.Raw, line) {
			t.Fatalf("week of %s: the summary lacks %q:\n%s", week, line, summary.Raw)
		}
		wantChart(t, h, chart, "zh-Hans")
	}

	// Week 48: a message with /message, a call held on Sunday.
	w.mom.Types("/message")
	w.mom.Sees("✉️ 给小明留言")
	w.mom.Types("小明，妈妈想你了。")
	w.mom.Sees("✓ 给小明的文字已保存。")
	tl.week(h.clock.Now()).ToChild++
	tl.contact(h.clock.Now(), w.f.child)
	w.mom.Tap("✅ 完成")
	held := book(w.f.mom, w.f.child, at(2026, 11, 29, 10, 0))
	confirm(held)
	mark(held, homelink.Held)
	monday(30)

	// Week 49: Lili's call missed, another cancelled; Lili replies.
	h.clock.Set(at(2026, 11, 30, 9, 0))
	missed := book(w.f.otherParent, w.f.sibling, at(2026, 12, 1, 10, 0))
	confirm(missed)
	cancelled := book(w.f.otherParent, w.f.sibling, at(2026, 12, 2, 10, 0))
	confirm(cancelled)
	mark(missed, homelink.Missed)
	must(st.Cancel(storeCtx, homelink.By{User: w.f.otherParent}, w.f.home, cancelled.ID, ""))
	tl.week(h.clock.Now()).Cancelled++
	h.clock.Set(at(2026, 12, 3, 15, 0))
	if _, err := st.Reply(storeCtx, teacher, w.f.home, w.f.sibling, []homelink.MailItem{
		{Kind: homelink.MailText, Text: "奶奶好"}, {Kind: homelink.MailText, Text: "我考了一百分"}}); err != nil {
		t.Fatal(err)
	}
	tl.week(h.clock.Now()).FromChild += 2
	tl.contact(h.clock.Now(), w.f.sibling)
	monday(37) // 7 December

	// Week 50: nothing; 小明 is 14 days without contact by its end.
	monday(44) // 14 December

	// Week 51: a request declined.
	h.clock.Set(at(2026, 12, 14, 9, 0))
	declined := book(w.f.mom, w.f.child, at(2026, 12, 15, 10, 0))
	must(st.Decide(storeCtx, teacher, w.f.home, declined.ID, homelink.Declined))
	monday(51) // 21 December
}

// Each home's report comes at 08:00 on Monday in its own zone, once a
// week, over four weeks of fake time, with two replicas ticking (one of
// them stopped for the last week): 青溪村 in Shanghai, 山口 moved to
// Madrid after it was made (its job, planned in Shanghai's time, finds
// its first run early and waits for Madrid's Monday). Each coordinator's
// summary comes at 08:00 in theirs.
func TestReportsComeOnceAMondayAtLocalTimeInTwoZones(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	h.addReplica(webhook)
	if err := h.store().UpdateHome(storeCtx, homelink.By{User: f.otherCoord}, f.otherHome, homelink.HomeTimeZone, "Europe/Madrid"); err != nil {
		t.Fatal(err)
	}
	madrid := mustZone(t, "Europe/Madrid")
	teacher, far := h.person(f.teacher, "Wang", "en"), h.person(f.otherTeacher, "Lin", "en")
	coord, farCoord := h.person(f.coord, "Zhou", "en"), h.person(f.otherCoord, "Shan", "en")
	type reader struct {
		p     *person
		title string
		loc   *time.Location
	}
	readers := []reader{{teacher, "Weekly report · 青溪村儿童之家", nil}, {far, "Weekly report · 山口儿童之家", madrid},
		{coord, "每周汇总 · 您负责的 1 个儿童之家", nil}, {farCoord, "每周汇总 · 您负责的 1 个儿童之家", madrid}}
	// wantCounts checks how many of their reports each reader has been shown.
	wantCounts := func(when string, want ...int) {
		t.Helper()
		h.settle()
		for i, r := range readers {
			if n := count(r.p, r.title); n != want[i] {
				t.Fatalf("%s (%v): user %d was shown %q %d times, want %d:\n%s", when, h.clock.Now(), r.p.ID, r.title, n, want[i], transcript(r.p.Messages()))
			}
		}
	}
	for week := range 4 {
		if week == 3 {
			h.down(h.reps[0])
		}
		n := week
		shanghai := at(2026, time.November, 30+7*week, 8, 0)
		spain := time.Date(2026, time.November, 30+7*week, 8, 0, 0, 0, madrid)
		h.clock.Set(shanghai.Add(-time.Second))
		wantCounts("before Shanghai's Monday 08:00", n, n, n, n)
		h.clock.Set(shanghai)
		wantCounts("at Shanghai's Monday 08:00", n+1, n, n+1, n)
		h.clock.Set(spain.Add(-time.Second))
		wantCounts("before Madrid's Monday 08:00", n+1, n, n+1, n)
		h.clock.Set(spain)
		wantCounts("at Madrid's Monday 08:00", n+1, n+1, n+1, n+1)
		h.clock.Set(spain.Add(3*24*time.Hour + 5*time.Hour)) // Thursday
		wantCounts("later that week", n+1, n+1, n+1, n+1)
	}
	// The Madrid teacher's report tells the Madrid week.
	text, _ := reportAfter(t, far, "Weekly report · 山口儿童之家")
	if want := h.render("en", "ReportWeekEnded", "From", "Mon 14 Dec", "To", "Sun 20 Dec"); !strings.Contains(text.Raw, want) {
		t.Fatalf("the last report of 山口 is not of 14–20 December:\n%s", text.Raw)
	}
}

// A child not reached for 14 days brings each of its guardians one warm
// nudge on Monday, in their language, with a standing [📞 Book a call];
// a father whose quiet hours last until 10:00 gets it then. A child with
// a call booked brings none. Another nudge within the week is not sent;
// the next Monday's is. The button starts booking.
func TestGapNudgesComeWeeklyHeldByQuietHours(t *testing.T) {
	w := newBookingWorld(t, everyDay())
	h, st := w.h, w.h.store()
	if err := st.SetQuietHours(storeCtx, w.f.dad, &homelink.QuietHours{Start: 22 * 60, End: 10 * 60}); err != nil {
		t.Fatal(err)
	}
	grandma := h.person(w.f.otherParent, "Li", "en")
	const zh, en = "💛 小明在青溪村儿童之家，有一阵子没听到您的声音了", "💛 It has been a while since 小明 last heard from you"
	w.justBefore(at(2026, 12, 7, 8, 0))
	h.clock.Set(at(2026, 12, 7, 8, 0)) // nine days: none yet
	h.settle()
	notYet(t, w.mom, zh)
	h.clock.Set(at(2026, 12, 13, 9, 0))
	if _, err := st.Book(storeCtx, homelink.By{User: w.f.otherParent}, homelink.BookingRequest{HomeID: w.f.home,
		ChildID: w.f.sibling, Start: at(2026, 12, 16, 10, 0), Kind: homelink.VoiceCall}); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(at(2026, 12, 14, 8, 0)) // fifteen days
	h.settle()
	nudge := onlyOnce(t, w.mom, zh)
	if !nudge.HasButton("📞 预约通话") {
		t.Fatalf("the mother's nudge has the buttons %v", nudge.Buttons())
	}
	notYet(t, w.dad, en)
	w.justBefore(at(2026, 12, 14, 10, 0))
	notYet(t, w.dad, en)
	h.clock.Set(at(2026, 12, 14, 10, 0))
	h.settle()
	if m := onlyOnce(t, w.dad, en); !m.HasButton("📞 Book a call") {
		t.Fatalf("the father's nudge has the buttons %v", m.Buttons())
	}
	if n := count(grandma, "It has been a while"); n != 0 {
		t.Fatalf("Lili has a call booked, yet her grandmother was nudged %d times", n)
	}
	// A second nudge within the week (a retry, a replayed job) is not sent.
	key := strconv.FormatInt(w.f.home, 10) + "." + strconv.FormatInt(w.f.mom, 10)
	h.clock.Set(at(2026, 12, 16, 12, 0))
	if err := h.reps[0].app.Agenda.Put(storeCtx, store.KindReportNudge, key, h.clock.Now(), []byte(strconv.FormatInt(w.f.child, 10))); err != nil {
		t.Fatal(err)
	}
	h.settle()
	onlyOnce(t, w.mom, zh)
	// The button starts booking a call for 小明.
	w.mom.Tap("📞 预约通话")
	w.mom.Sees("您想哪天和")
	// Next Monday's comes.
	h.clock.Set(at(2026, 12, 21, 8, 0))
	h.settle()
	if n := count(w.mom, zh); n != 2 {
		t.Fatalf("the mother was nudged %d times over two Mondays:\n%s", n, transcript(w.mom.Messages()))
	}
}

// /report: a teacher gets their home's week so far with its chart, in
// their language; a coordinator the summary of their homes, those with
// the most children not reached first, and a button per home that opens
// its full report; a parent is told it is not for them.
func TestReportOnDemandForEachRole(t *testing.T) {
	w := newBookingWorld(t, everyDay())
	h, st := w.h, w.h.store()
	// Two more homes of the coordinator: 东山 with three children, 西河
	// with one; at 青溪村, 小明 had a message, Lili nothing.
	for name, kids := range map[string]int{"东山儿童之家": 3, "西河儿童之家": 1} {
		home, err := st.CreateHome(storeCtx, homelink.By{User: w.f.coord}, homelink.Home{Name: name, TimeZone: "Asia/Shanghai"})
		if err != nil {
			t.Fatal(err)
		}
		_, inv := inviteFor(t, h, homelink.Invite{Role: homelink.RoleTeacher, HomeID: home.ID})
		tid := 7300 + home.ID
		if _, err := st.RedeemInvite(storeCtx, inv, tid, "zh-Hans"); err != nil {
			t.Fatal(err)
		}
		for i := range kids {
			if _, err := st.AddChild(storeCtx, homelink.By{User: tid}, homelink.Child{HomeID: home.ID, Name: "孩子" + strconv.Itoa(i+1)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, _, err := st.LeaveMessage(storeCtx, homelink.By{User: w.f.mom}, w.f.home, w.f.child,
		homelink.MailItem{Kind: homelink.MailText, Text: "想你"}, homelink.MailDay(h.clock.Now(), mustZone(t, "Asia/Shanghai")), 30); err != nil {
		t.Fatal(err)
	}

	w.teacher.Types("/report")
	text, chart := reportAfter(t, w.teacher, "This week so far · 青溪村儿童之家")
	wantFigures(t, h, text, "en", homelink.WeekFigures{ToChild: 1, Reached: 1, Children: 2})
	if !strings.Contains(text.Raw, h.render("en", "ReportWeekSoFar", "From", "Mon 23 Nov")) {
		t.Fatalf("the report is not of this week so far:\n%s", text.Raw)
	}
	wantChart(t, h, chart, "en")
	w.teacher2.Types("/report")
	text, chart = reportAfter(t, w.teacher2, "本周情况 · 青溪村儿童之家")
	wantFigures(t, h, text, "zh-Hans", homelink.WeekFigures{ToChild: 1, Reached: 1, Children: 2})
	wantChart(t, h, chart, "zh-Hans")

	w.coord.Types("/report")
	summary, chart := reportAfter(t, w.coord, "This week so far at your homes (3)")
	var pos []int
	for _, name := range []string{"• 东山儿童之家:", "• 西河儿童之家:", "• 青溪村儿童之家:"} {
		pos = append(pos, strings.Index(summary.Text, name))
	}
	if pos[0] < 0 || pos[0] > pos[1] || pos[1] > pos[2] {
		t.Fatalf("the homes are not in the order of their children not reached:\n%s", summary.Text)
	}
	if !chart.HasButton("青溪村儿童之家") || !chart.HasButton("东山儿童之家") || !chart.HasButton("西河儿童之家") {
		t.Fatalf("the summary's buttons: %v", chart.Buttons())
	}
	w.coord.Tap("青溪村儿童之家")
	text, chart = reportAfter(t, w.coord, "This week so far · 青溪村儿童之家")
	wantFigures(t, h, text, "en", homelink.WeekFigures{ToChild: 1, Reached: 1, Children: 2})
	wantChart(t, h, chart, "en")

	w.mom.Types("/report")
	w.mom.Sees("您不能使用这个功能")
}

// A grandmother whose request the home let lapse tried to reach Lili:
// the Monday after, she is not nudged as if she had not; the father of
// 小明, who asked for nothing, is.
func TestAParentWhoseRequestLapsedIsNotNudged(t *testing.T) {
	w := newBookingWorld(t, everyDay())
	h, st := w.h, w.h.store()
	grandma := h.person(w.f.otherParent, "Li", "en")
	h.clock.Set(at(2026, 12, 10, 9, 0))
	if _, err := st.Book(storeCtx, homelink.By{User: w.f.otherParent}, homelink.BookingRequest{HomeID: w.f.home,
		ChildID: w.f.sibling, Start: at(2026, 12, 11, 10, 0), Kind: homelink.VoiceCall}); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(at(2026, 12, 14, 10, 0)) // nobody answered; fifteen days since Lili and 小明 were added
	h.settle()
	if n := count(grandma, "It has been a while"); n != 0 {
		t.Fatalf("the grandmother whose request lapsed was nudged %d times:\n%s", n, transcript(grandma.Messages()))
	}
	if n := count(w.dad, "It has been a while"); n != 1 {
		t.Fatalf("the father was nudged %d times:\n%s", n, transcript(w.dad.Messages()))
	}
}
