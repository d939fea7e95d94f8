package app

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// hoursOf reads a home's call hours as the bot would.
func (h *harness) hoursOf(home int64) homelink.Hours {
	h.t.Helper()
	hrs, err := h.store().Hours(context.Background(), home)
	if err != nil {
		h.t.Fatal(err)
	}
	return hrs
}

// isAt fails unless p's flow waits at step ("flow/step").
func (p *person) isAt(step string) {
	p.h.t.Helper()
	s, err := p.h.store().Session(context.Background(), p.ID)
	if err != nil {
		p.h.t.Fatal(err)
	}
	if got := s.Flow + "/" + s.Step; got != step {
		p.h.t.Fatalf("user %d is at %q, want %q", p.ID, got, step)
	}
}

// A teacher sets Saturday morning with buttons, the slot length, the lines,
// a closed range and auto-confirm, in English; the coordinator adds Sunday
// afternoon typed in Chinese, several lines at once, and removes one.
func TestHoursSetWithButtonsAndTyped(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	teacher := h.person(f.teacher, "Ms Wang", "en")
	coord := h.person(f.coord, "周主任", "zh-hans")

	teacher.Types("/hours")
	teacher.Sees("Call hours of 青溪村儿童之家")
	teacher.SeesLast("No call hours yet")
	teacher.SeesLast("All times in the home's time zone: China (Beijing time)")
	teacher.SeesLast("they stay")
	teacher.Tap("+ Add hours")
	teacher.SeesLast("Which day?")
	teacher.Tap("Sat")
	teacher.SeesLast("Saturday: from what time?")
	teacher.Tap("09:00")
	teacher.SeesLast("Saturday from 09:00: until what time?")
	teacher.Tap("11:30")
	teacher.SeesLast("Added: Saturday 09:00–11:30.")
	teacher.SeesLast("• Saturday 09:00–11:30")

	teacher.Tap("Set slot length")
	teacher.SeesLast("How long is each call? Now: 15 minutes.")
	teacher.Tap("20 min")
	teacher.SeesLast("Each call now lasts 20 minutes.")
	teacher.Tap("Set calls at once")
	teacher.SeesLast("One per phone or tablet")
	teacher.Tap("2")
	teacher.SeesLast("up to 2 calls at once")
	teacher.Tap("Turn auto-confirm on")
	teacher.SeesLast("Auto-confirm is on")
	teacher.SeesLast("Auto-confirm: on")

	teacher.Tap("Set closed dates")
	teacher.SeesLast("No closed dates.")
	teacher.Tap("+ Add closed dates")
	teacher.SeesLast("Spring Festival")
	teacher.Types("2027-02-10 - 2027-02-17 Spring Festival")
	teacher.SeesLast("Closed dates saved.")
	teacher.SeesLast("10–17 Feb 2027 (Spring Festival)")

	want := homelink.Hours{Windows: []homelink.Window{{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}},
		SlotMinutes: 20, Lines: 2, AutoConfirm: true, Set: true,
		Closed: []homelink.DateRange{{From: homelink.Date{Year: 2027, Month: 2, Day: 10}, To: homelink.Date{Year: 2027, Month: 2, Day: 17}, Note: "Spring Festival"}}}
	got := h.hoursOf(f.home)
	got.Version = 0 // it counts the saves, not what they hold
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("hours %+v, want %+v", got, want)
	}

	coord.Types("/hours")
	coord.Sees("青溪村儿童之家的通话时间")
	coord.SeesLast("• 周六 09:00–11:30")
	coord.SeesLast("同时通话：最多 2 个（每部手机或平板一个）")
	coord.SeesLast("休息日：")
	coord.Tap("+ 添加时段")
	coord.Types("周日 14:00-17:00")
	coord.SeesLast("已添加：周日 14:00–17:00。")
	coord.Tap("+ 添加时段")
	coord.Types("周一 18:00-19:00\n周三 18:00-19:00")
	coord.SeesLast("• 周三 18:00–19:00")
	coord.Tap("删除时段")
	coord.Tap("删除 周一 18:00–19:00")
	coord.SeesLast("已删除：周一 18:00–19:00。")
	coord.Tap("关闭自动确认")
	coord.SeesLast("自动确认：已关闭")
	coord.Tap("设置通话时长")
	coord.SeesLast("每次通话多长时间？现在是 20 分钟。")
	coord.Tap("30 分钟")
	coord.SeesLast("好的，每次通话改为 30 分钟。")
	coord.Tap("设置同时通话数")
	coord.SeesLast("孩子们能用几部手机或平板，就选几个。现在是 2 个。")
	coord.Tap("3")
	coord.SeesLast("好的，现在最多可以同时进行 3 个通话。")
	coord.Tap("设置休息日")
	coord.Tap("恢复开放 2月10日至17日")
	coord.SeesLast("没有休息日。")
	coord.Tap("+ 添加休息日")
	coord.SeesLast("例如：")
	coord.Types("2月10日-2月17日 春节")
	coord.SeesLast("• 2027年2月10日至17日（春节）")

	got = h.hoursOf(f.home)
	wantWindows := []homelink.Window{{Day: time.Wednesday, Start: 18 * 60, End: 19 * 60},
		{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}, {Day: time.Sunday, Start: 14 * 60, End: 17 * 60}}
	if !sameWindows(got.Windows, wantWindows) || got.AutoConfirm || got.SlotMinutes != 30 || got.Lines != 3 ||
		len(got.Closed) != 1 || got.Closed[0].Note != "春节" {
		t.Fatalf("hours %+v", got)
	}
}

// sameWindows compares windows whatever their order.
func sameWindows(a, b []homelink.Window) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[homelink.Window]int{}
	for _, w := range a {
		seen[w]++
	}
	for _, w := range b {
		seen[w]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// Nonsense typed at each question gets a message naming the line and
// what is wrong, the user stays at the question, and nothing is stored.
func TestHoursNonsenseChangesNothing(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	hrs := homelink.DefaultHours()
	hrs.Windows = []homelink.Window{{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}}
	if err := h.store().SetHours(ctx, homelink.By{User: f.teacher}, f.home, hrs); err != nil {
		t.Fatal(err)
	}
	before := h.hoursOf(f.home)
	teacher := h.person(f.teacher, "Ms Wang", "en")
	coord := h.person(f.coord, "周主任", "zh-hans")

	teacher.Types("/hours")
	teacher.Tap("+ Add hours")
	for _, c := range []struct{ typed, want string }{
		{"Sat 11:30-09:00", "Line 1 (“Sat 11:30-09:00”): it ends before it starts"},
		{"Sun 14:00-17:00\nSun 25:00-26:00", "Line 2 (“Sun 25:00-26:00”): that is not a time of day"},
		{"Sat 10:00-12:00", "it overlaps other hours"},
		{"Funday 09:00-10:00", "Line 1 (“Funday 09:00-10:00”): I don't know that day"},
	} {
		teacher.Types(c.typed)
		teacher.SeesLast(c.want)
		teacher.SeesLast("For example: Sat 09:00-11:30")
		teacher.isAt("hours.add/day")
	}
	coord.Types("/hours")
	coord.Tap("设置休息日")
	coord.Tap("+ 添加休息日")
	coord.Types("2025-01-01 元旦")
	coord.SeesLast("第 1 行（“2025-01-01 元旦”）：这个日期已经过去了。这次什么都没有保存")
	coord.SeesLast("例如：")
	coord.isAt("hours.closed/dates")
	coord.Types("2月30日")
	coord.SeesLast("这个日期不对")

	teacher.Tap("« Back")
	teacher.SeesLast("Call hours of")
	if after := h.hoursOf(f.home); !reflect.DeepEqual(before, after) {
		t.Fatalf("nonsense changed the hours: %+v, then %+v", before, after)
	}
}

// Closing a day on which calls are booked cancels them: each parent is
// told warmly, in their language and zone; the teacher hears how many.
func TestHoursClosingADayCancelsItsCalls(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	st := h.store()
	hrs := homelink.DefaultHours()
	hrs.Windows = []homelink.Window{{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}}
	if err := st.SetHours(ctx, homelink.By{User: f.teacher}, f.home, hrs); err != nil {
		t.Fatal(err)
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	// The harness's clock reads Saturday 28 November 2026; the next
	// Saturday is 5 December.
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, shanghai)
	req := homelink.BookingRequest{HomeID: f.home, ChildID: f.child, Start: at, Kind: homelink.VideoCall, MaxUpcoming: 2}
	mine, err := st.Book(ctx, homelink.By{User: f.mom}, req)
	if err != nil {
		t.Fatal(err)
	}
	req.Start = at.Add(15 * time.Minute)
	req.ChildID = f.sibling
	if _, err := st.Book(ctx, homelink.By{User: f.otherParent}, req); err != nil {
		t.Fatal(err)
	}
	mom := h.person(f.mom, "秀兰", "zh-hans")
	grandma := h.person(f.otherParent, "Grandma Li", "en")
	teacher := h.person(f.teacher, "Ms Wang", "en")

	teacher.Types("/hours")
	teacher.Tap("Set closed dates")
	teacher.Tap("+ Add closed dates")
	teacher.Types("2026-12-05 Teachers' training")
	teacher.SeesLast("2 calls on those days were cancelled, and their parents were told.")
	mom.Sees("很抱歉，您和小明约好的通话只好取消了：青溪村儿童之家那天休息（Teachers' training）。原定时间：12月5日 周六 09:00。")
	mom.Tap("另约时间") // /book, which finds the rest of that day's hours closed too
	mom.Sees("接下来 14 天的时间都约满了")
	grandma.Sees("I'm sorry: 青溪村儿童之家 is closed on the day of Lili's call (Sat 5 Dec 09:15, Teachers' training)")

	b, err := st.Booking(ctx, f.home, mine.ID)
	if err != nil || b.State != homelink.Cancelled {
		t.Fatalf("mom's call %+v, %v", b, err)
	}
	if _, err := st.Book(ctx, homelink.By{User: f.mom}, homelink.BookingRequest{HomeID: f.home, ChildID: f.child,
		Start: at.Add(30 * time.Minute), Kind: homelink.VoiceCall, MaxUpcoming: 2}); err == nil {
		t.Fatal("a call was booked on a closed day")
	}
}

// A parent, a stranger and a teacher of another home cannot open or change
// the home's hours, even with a button forged to name it.
func TestHoursOnlyForTheHomesStaff(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	before := h.hoursOf(f.home)
	dad := h.person(f.dad, "Jian", "en")
	stranger := h.person(7999, "X", "en")
	other := h.person(f.otherTeacher, "Mr Lin", "en")

	dad.Types("/hours")
	dad.Sees("Sorry, that is not available to you.")
	dad.Types("/settings") // a menu of his own, whose nonce a forged button carries
	dad.Sees("Your settings")
	stranger.Types("/hours")
	stranger.Sees("Welcome to homelink")

	// The other home's teacher sees their own home, and only it.
	other.Types("/hours")
	other.Sees("Call hours of 山口儿童之家")
	b := h.reps[0].app.Bot
	nonce := func(p *person) string {
		s, err := h.store().Session(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s.Nonce
	}
	other.TapsData(other.Last().ID, b.ButtonData("hours.slot.set", nonce(other), f.home, 60))
	other.SeesAlert("not available to you")
	other.TapsData(other.Last().ID, b.ButtonData("hours.view", nonce(other), f.home))
	other.SeesAlert("not available to you")
	dad.TapsData(0, b.ButtonData("hours.auto", nonce(dad), f.home, 1))
	dad.SeesAlert("not available to you")
	if after := h.hoursOf(f.home); !reflect.DeepEqual(before, after) {
		t.Fatalf("hours changed: %+v, then %+v", before, after)
	}
}

// A coordinator types hours right on the hours, in Chinese: a refused
// window is quoted as she typed it, a window too short for one call is
// refused, each bad line of several is named and nothing is saved, and a
// good line leaves her where she can type the next.
func TestHoursTypedOnTheView(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	hrs := homelink.DefaultHours()
	hrs.Windows = []homelink.Window{{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}}
	if err := h.store().SetHours(ctx, homelink.By{User: f.teacher}, f.home, hrs); err != nil {
		t.Fatal(err)
	}
	coord := h.person(f.coord, "周主任", "zh-hans")

	coord.Types("/hours")
	coord.Sees("也可以直接在这里输入要添加的时段")
	coord.SeesLast("周日 9:00-11:00")
	before := h.hoursOf(f.home)
	coord.Types("周六 10:00-12:00")
	coord.SeesLast("第 1 行（“周六 10:00-12:00”）：和已有的时间重叠了。这次什么都没有保存")
	coord.isAt("hours.view/hours")
	coord.Types("周一 8:00-8:10")
	coord.SeesLast("时段太短，放不下一次 15 分钟的通话")
	coord.Types("周六 10:00-12:00\n周二 9:00-10:00\n周八 9:00-10:00")
	coord.SeesLast("下面这几行有问题：")
	coord.SeesLast("• 第 1 行（“周六 10:00-12:00”）：和已有的时间重叠了")
	coord.SeesLast("• 第 3 行（“周八 9:00-10:00”）：我看不出这是星期几")
	coord.SeesLast("这次什么都没有保存，请改好后把这几行再发一次。")
	if after := h.hoursOf(f.home); !reflect.DeepEqual(before, after) {
		t.Fatalf("refused lines changed the hours: %+v, then %+v", before, after)
	}

	coord.Types("周日 9:00-11:00")
	coord.SeesLast("已添加：周日 09:00–11:00。")
	coord.isAt("hours.view/hours")
	coord.Types("周三 18:00-19:00\n周四 18:00-19:00")
	coord.SeesLast("已添加：周三 18:00–19:00、周四 18:00–19:00。")
	coord.SeesLast("• 周日 09:00–11:00")
	if got := h.hoursOf(f.home).Windows; len(got) != 4 {
		t.Fatalf("windows %+v", got)
	}
}

// The slot length typed as minutes, in either language; a new length that
// leaves minutes unused says so; a window added with buttons that is too
// short for one call is refused, named in the reader's words.
func TestHoursSlotTypedAndSpareMinutes(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	hrs := homelink.DefaultHours()
	hrs.Windows = []homelink.Window{{Day: time.Saturday, Start: 9 * 60, End: 11*60 + 30}, {Day: time.Sunday, Start: 9 * 60, End: 11 * 60}}
	if err := h.store().SetHours(ctx, homelink.By{User: f.teacher}, f.home, hrs); err != nil {
		t.Fatal(err)
	}
	teacher := h.person(f.teacher, "Ms Wang", "en")
	coord := h.person(f.coord, "周主任", "zh-hans")

	teacher.Types("/hours")
	teacher.Tap("Set slot length")
	teacher.SeesLast("or type the minutes (10 to 60)")
	teacher.Types("90")
	teacher.SeesLast("a call lasts 10 to 60 minutes. Nothing was changed.")
	teacher.isAt("hours.slot/minutes")
	teacher.Types("25 min")
	teacher.SeesLast("Each call now lasts 25 minutes.")
	teacher.SeesLast("Some hours do not divide into 25-minute calls")
	teacher.SeesLast("• Sunday 09:00–11:00: the last 20 minutes cannot be booked")
	if m := teacher.Last().Text; strings.Contains(m, "• Saturday 09:00–11:30:") {
		t.Fatalf("Saturday divides evenly into 25 minutes: %q", m)
	}
	teacher.isAt("hours.view/hours")

	coord.Types("/hours")
	coord.Tap("设置通话时长")
	coord.Types("６０分钟")
	coord.SeesLast("好的，每次通话改为 60 分钟。")
	coord.SeesLast("• 周六 09:00–11:30：最后 30 分钟约不了")
	if got := h.hoursOf(f.home).SlotMinutes; got != 60 {
		t.Fatalf("slot %d, want 60", got)
	}
	teacher.Types("/hours")
	teacher.SeesLast("Each call: 60 minutes")
	teacher.Tap("+ Add hours")
	teacher.Tap("Mon")
	teacher.Tap("08:00")
	teacher.SeesLast("Monday from 08:00: until what time?")
	teacher.Tap("08:30")
	teacher.SeesLast("Monday 08:00–08:30: it is too short for one 60-minute call. Nothing was changed.")
	teacher.isAt("hours.add/end")
	teacher.Tap("09:00")
	teacher.SeesLast("Added: Monday 08:00–09:00.")
	teacher.Tap("+ Add hours")
	teacher.Tap("Sat")
	teacher.Tap("10:00")
	teacher.SeesLast("Saturday from 10:00: until what time?")
	teacher.Tap("12:00")
	teacher.SeesLast("Saturday 10:00–12:00: it overlaps other hours. Nothing was changed.")
	if got := h.hoursOf(f.home).Windows; len(got) != 3 {
		t.Fatalf("windows %+v", got)
	}
}

// Closed dates are kept in date order, written with their year once, and
// reopened with a short button.
func TestClosedDatesInOrder(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "周主任", "zh-hans")
	teacher := h.person(f.teacher, "Ms Wang", "en")

	coord.Types("/hours")
	coord.Tap("设置休息日")
	coord.Tap("+ 添加休息日")
	coord.Types("2027-05-01\n2027-01-01 - 2027-01-03 元旦\n2027-01-30 - 2027-02-03")
	coord.SeesLast("休息日已保存。")
	coord.SeesLast("• 2027年1月1日至3日（元旦）\n• 2027年1月30日至2月3日\n• 2027年5月1日")
	if m := coord.Last(); !m.HasButton("恢复开放 1月1日至3日") || !m.HasButton("恢复开放 5月1日") {
		t.Fatalf("reopen buttons %q", m.Buttons())
	}
	closed := h.hoursOf(f.home).Closed
	for i := 1; i < len(closed); i++ {
		if closed[i].From.Before(closed[i-1].From) {
			t.Fatalf("closed dates saved out of order: %+v", closed)
		}
	}
	coord.Tap("+ 添加休息日")
	coord.Types("2027-02-30\n2025-01-01 元旦")
	coord.SeesLast("• 第 1 行（“2027-02-30”）：这个日期不对")
	coord.SeesLast("• 第 2 行（“2025-01-01 元旦”）：这个日期已经过去了")

	teacher.Types("/hours")
	teacher.SeesLast("• 1–3 Jan 2027 (元旦)")
	teacher.Tap("Set closed dates")
	teacher.Tap("Reopen 30 Jan – 3 Feb")
	teacher.SeesLast("Open again: 30 Jan – 3 Feb 2027.")
	if got := h.hoursOf(f.home).Closed; len(got) != 2 {
		t.Fatalf("closed %+v", got)
	}
}
