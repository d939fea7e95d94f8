package app

import (
	"context"
	"maps"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// /broadcast end to end: a coordinator composes with buttons and typing
// in both languages, formatting kept, an unknown placeholder refused,
// the preview as a parent will read it, sent now or scheduled once or
// every week and echoed in words; a teacher only to their own home; a
// parent refused.

// The answers of /broadcast so far, for the matrix: choosing the home of
// the parents or of the teachers; composing to the parents of the
// fixture's home (or of the other home), without or with its text;
// choosing the time of a weekly one; confirming one every Friday.
func choosingHome(fixture) string     { return `{"a":"guardians","one":true}` }
func choosingTeachers(fixture) string { return `{"a":"teachers","one":true}` }
func toParentsOf(h int64) string {
	return `{"h":` + i64(h) + `,"hs":[` + i64(h) + `],"a":"guardians"`
}
func noTextYet(f fixture) string { return toParentsOf(f.home) + `}` }
func composing(f fixture) string {
	return toParentsOf(f.home) + `,"v":[{"l":"en","x":"Hello {parent_name}"}]}`
}
func composingThere(f fixture) string {
	return toParentsOf(f.otherHome) + `,"v":[{"l":"en","x":"Hello {parent_name}"}]}`
}
func choosingTime(f fixture) string {
	return toParentsOf(f.home) + `,"v":[{"l":"en","x":"Hi"}],"d":32}`
}
func confirming(f fixture) string {
	return toParentsOf(f.home) + `,"v":[{"l":"en","x":"Hi"}],"r":"every Friday at 18:00"}`
}

// tomorrowAt9 is a quick time's button argument: 09:00 the day after the
// harness's first day, as a wall time.
func tomorrowAt9(fixture) []int64 {
	return []int64{time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC).Unix()}
}

var (
	anyStaff = []string{"teacher", "teacher of another home", "coordinator", "coordinator of other homes"}
)

// broadcastMatrix: /broadcast is for coordinators and teachers; every
// step judges the homes and audience its answers name: the fixture's
// home is its teacher's and coordinator's to send to, the other home its
// own staff's; its teachers, and urgent, are its coordinator's only. Back
// from the message returns to one's own choice of audience.
var broadcastMatrix = []matrixCase{
	{kind: "command", name: "broadcast", allow: anyStaff},
	{kind: "button", name: "broadcast.audience", args: choice(0), allow: anyStaff},
	{kind: "button", name: "broadcast.audience", args: choice(2), allow: coords},
	{kind: "button", name: "broadcast.home", args: home, answers: choosingHome, allow: staffHere},
	{kind: "button", name: "broadcast.home", args: otherHome, answers: choosingHome, allow: staffThere},
	{kind: "button", name: "broadcast.home", args: home, answers: choosingTeachers, allow: coordOnly},
	{kind: "button", name: "broadcast.addVersion", args: none, answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.oneVersion", args: none, answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.oneVersion", args: none, answers: composingThere, allow: staffThere},
	{kind: "button", name: "broadcast.urgent", args: none, answers: composing, allow: coordOnly},
	{kind: "button", name: "broadcast.sendNow", args: none, answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.once", args: none, answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.every", args: none, answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.once.at", args: tomorrowAt9, answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.every.day", args: choice(5), answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.every.time", args: choice(1080), answers: choosingTime, allow: staffHere},
	{kind: "button", name: "broadcast.every.cron", args: none, answers: composing, allow: staffHere},
	{kind: "button", name: "broadcast.every.back", args: none, answers: choosingTime, allow: staffHere},
	{kind: "button", name: "broadcast.schedule", args: none, answers: confirming, allow: staffHere},
	{kind: "button", name: "broadcast.schedule", args: none, answers: func(f fixture) string {
		return toParentsOf(f.otherHome) + `,"v":[{"l":"en","x":"Hi"}],"r":"every Friday at 18:00"}`
	}, allow: staffThere},
	{kind: "button", name: "broadcast.confirm.back", args: none, answers: confirming, allow: staffHere},
	{kind: "button", name: "flow.back", args: none, answers: composing, step: "broadcast/content", allow: anyStaff},
	{kind: "typed", name: "broadcast/content", text: "Hello {parent_name}", answers: noTextYet, allow: staffHere},
	{kind: "typed", name: "broadcast/content", text: "Hello {parent_name}", answers: func(f fixture) string {
		return toParentsOf(f.otherHome) + `}`
	}, allow: staffThere},
	{kind: "typed", name: "broadcast/second", text: "{parent_name}您好", answers: composing, allow: staffHere},
	{kind: "typed", name: "broadcast/once", text: "tomorrow 9:00", answers: composing, allow: staffHere},
	{kind: "typed", name: "broadcast/every", text: "Friday 18:00", answers: composing, allow: staffHere},
}

func init() { matrix = append(matrix, broadcastMatrix...) }

var pushedMessage atomic.Int64

// sendsFormatted sends text as p would with Telegram's formatting: entities
// beside the text, in UTF-16 units (each entity is "type", offset,
// length).
func (p *person) sendsFormatted(text string, entities ...[]any) {
	p.h.t.Helper()
	var ents []map[string]any
	for _, e := range entities {
		ents = append(ents, map[string]any{"type": e[0], "offset": e[1], "length": e[2]})
	}
	body := map[string]any{"message_id": 800000 + pushedMessage.Add(1), "date": p.h.clock.Now().Unix(),
		"chat": map[string]any{"id": p.ID, "type": "private"}, "text": text, "entities": ents,
		"from": map[string]any{"id": p.ID, "is_bot": false, "first_name": p.FirstName, "language_code": p.LanguageCode}}
	p.h.tg.PushRaw("message", body)
}

// broadcastsOf are the broadcasts user sent, as the store keeps them.
func broadcastsOf(t *testing.T, h *harness, user int64) []homelink.Broadcast {
	t.Helper()
	bcs, _, err := h.store().Broadcasts(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return bcs
}

// A coordinator writes to the home's parents with buttons: bold text in
// English with a placeholder, a Chinese version beside it, the preview of
// both as one parent will read them, how many it reaches and how long it
// takes; sent now, each parent gets their language's version, formatted,
// with their own name.
func TestCoordinatorBroadcastsWithButtons(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "周主任", "en")
	if err := h.store().SetLanguage(context.Background(), f.coord, "en"); err != nil {
		t.Fatal(err)
	}
	mom, dad := h.person(f.mom, "李秀兰", "zh-hans"), h.person(f.dad, "Jian", "en")
	h.person(f.otherParent, "Grandma Li", "en")

	coord.Types("/broadcast")
	m := coord.Sees("Who should get it?")
	for _, want := range []string{"The parents at 青溪村儿童之家", "The teachers at 青溪村儿童之家", "Everyone at 青溪村儿童之家", "Cancel"} {
		if !m.HasButton(want) {
			t.Fatalf("audience buttons %v, want %q", m.Buttons(), want)
		}
	}
	coord.Tap("The parents at 青溪村儿童之家")
	coord.Sees("A message to the parents at 青溪村儿童之家")
	coord.Sees("{parent_name} their name")

	// "Dear {parent_name}, the meeting is on Saturday." with Saturday bold.
	coord.sendsFormatted("Dear {parent_name}, the meeting is on Saturday.", []any{"bold", 38, 8})
	coord.Sees("Would you like to add a version in Chinese?")
	coord.Tap("➕ Add a version in Chinese")
	coord.Sees("Send the version in Chinese")
	coord.Types("{parent_name}您好：周六开家长会。")
	coord.Sees("This is how it will look, filled in here for")
	en := coord.Sees("the meeting is on Saturday.")
	if !strings.Contains(en.Raw, "<b>Saturday</b>") {
		t.Fatalf("the preview lost the bold: %q", en.Raw)
	}
	coord.Sees("您好：周六开家长会。")
	menu := coord.Sees("It will reach 3 people (the parents at 青溪村儿童之家): about a second at the current rate.")
	if !strings.Contains(menu.Text, "People in their quiet hours get it when those end.") {
		t.Fatalf("menu %q", menu.Text)
	}
	for _, want := range []string{"📣 Send now", "🗓 Once at…", "🔁 Every…", "🔔 Urgent: ignores quiet hours"} {
		if !menu.HasButton(want) {
			t.Fatalf("preview buttons %v, want %q", menu.Buttons(), want)
		}
	}
	coord.Tap("🔔 Urgent: ignores quiet hours")
	coord.Sees("🔔 Urgent: it goes out at once, with sound, even to people in their quiet hours.")
	coord.Tap("✅ 🔔 Urgent: ignores quiet hours")
	coord.Sees("People in their quiet hours get it when those end.")
	coord.Tap("📣 Send now")
	coord.Sees("📣 Sending now. Its progress will come in a new message in a moment.")

	mom.Sees("李秀兰您好：周六开家长会。")
	got := dad.Sees("Dear Jian, the meeting is on Saturday.")
	if !strings.Contains(got.Raw, "<b>Saturday</b>") {
		t.Fatalf("the parent's copy lost the bold: %q", got.Raw)
	}
	if _, ok := coord.WaitForMessage("is sent: 3 people in all", 15*time.Second); !ok {
		t.Fatalf("no report; the coordinator sees:\n%s", transcript(coord.Messages()))
	}
	bcs := broadcastsOf(t, h, f.coord)
	if len(bcs) != 1 || bcs[0].Urgent || bcs[0].Audience != homelink.AudienceGuardians || len(bcs[0].Versions) != 2 ||
		bcs[0].Versions[0].Lang != "en" || bcs[0].Versions[1].Lang != "zh-Hans" {
		t.Fatalf("kept %+v", bcs)
	}
}

// In Chinese, by typing: a photo whose caption names a placeholder that
// is none is refused, naming it and the ones there are, and the step
// stays; the photo again, one version, then once at a time typed
// ("明天上午9点"), echoed and confirmed; at that time the parents get the
// photo.
func TestCoordinatorSchedulesAPhotoInChinese(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "周主任", "zh-hans")
	mom := h.person(f.mom, "李秀兰", "zh-hans")

	coord.Types("/broadcast")
	coord.Tap("青溪村儿童之家的家长")
	coord.Sees("群发给青溪村儿童之家的家长")
	coord.SendsPhoto("{parent_name}：明天放假。{班级} {name}")
	coord.Sees("我不认识 {name}。能用的只有 {parent_name}、{child_names}、{home_name}、{next_call}。请改好后重新发送。")
	coord.SendsPhoto("{parent_name}：明天放假。")
	coord.Sees("要再加一个英文版本吗？")
	coord.Tap("不用，一个版本就够了")
	coord.Sees("收到的消息会是这样")
	preview := coord.Sees("：明天放假。")
	if preview.Kind != "photo" || preview.FileID != sentFiles(h, f.coord)[1] {
		t.Fatalf("the preview is a %s of %q", preview.Kind, preview.FileID)
	}
	coord.Sees("将发给 3 人（青溪村儿童之家的家长），按目前的速度大约需要 1 秒。")
	coord.Tap("🗓 定时发送……")
	m := coord.Sees("什么时候发送？请点选一个时间")
	// 17:00 in Shanghai: this evening is still ahead.
	for _, want := range []string{"今天 18:00", "明天 09:00", "明天 18:00", "12月1日 周二 09:00"} {
		if !m.HasButton(want) {
			t.Fatalf("quick times %v, want %q", m.Buttons(), want)
		}
	}
	coord.Types("昨天")
	coord.Sees("我没看懂这个日期和时间。")
	coord.Types("明天上午9点")
	coord.Sees("🗓 发送时间：11月29日 周日 09:00（各儿童之家当地时间），只发一次。确定吗？")
	coord.Tap("✅ 确定")
	coord.Sees("🗓 已安排：11月29日 周日 09:00（各儿童之家当地时间），只发一次。")
	coord.Sees("要暂停或删除，请发送 /broadcasts。")
	bcs := broadcastsOf(t, h, f.coord)
	if len(bcs) != 1 || bcs[0].Once != "2026-11-29 09:00" || bcs[0].Versions[0].Photo == "" || bcs[0].State != homelink.BroadcastWaiting {
		t.Fatalf("kept %+v", bcs)
	}
	if n := len(mom.Messages()); n != 0 {
		t.Fatalf("a parent got it before its time:\n%s", transcript(mom.Messages()))
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	h.clock.Set(time.Date(2026, 11, 29, 9, 0, 0, 0, sh))
	got := mom.Sees("李秀兰：明天放假。")
	if got.Kind != "photo" {
		t.Fatalf("the parent got a %s", got.Kind)
	}
}

// Every… : a weekday and a time tapped, typed days and a time, a cron
// expression, each echoed in words (a cron expression with its next three
// times); one firing more than hourly, or naming a zone, is refused.
func TestRepeatingBroadcastsAreEchoedInWords(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "周主任", "en")
	compose := func(text string) {
		t.Helper()
		coord.Types("/broadcast")
		coord.Tap("Everyone at 青溪村儿童之家")
		coord.Types(text)
		coord.Tap("No, one is enough")
		coord.Tap("🔁 Every…")
		coord.Sees("On which day of the week?")
	}

	compose("Reminder: calls this weekend.")
	coord.Tap("Fri")
	coord.Sees("At what time, Friday?")
	coord.Tap("18:00")
	coord.Sees("🗓 It will go every Friday at 18:00, each home's time. Shall I schedule it?")
	coord.Tap("✅ Yes, schedule it")
	coord.Sees("🗓 Scheduled: it will go every Friday at 18:00, each home's time.")
	coord.Sees("Next: Fri 4 Dec 18:00.")

	compose("Good morning!")
	coord.Types("Mon-Fri 7:30")
	coord.Sees("It will go every Monday, Tuesday, Wednesday, Thursday and Friday at 07:30, each home's time.")
	coord.Tap("« Back")
	coord.Sees("On which day of the week?")
	coord.Tap("⌨ Type a cron expression")
	coord.Sees("Type a cron expression: five fields")
	coord.Types("* * * * *")
	coord.Sees("That would go out more than once an hour.")
	coord.Types("CRON_TZ=Europe/Rome 0 8 1 * *")
	coord.Sees("Please leave the time zone out")
	coord.Types("0 8 1 * *")
	coord.Sees("It will go by the cron expression 0 8 1 * *, each home's time. Shall I schedule it?")
	coord.Sees("The next times: Tue 1 Dec 08:00, Fri 1 Jan 08:00, Mon 1 Feb 08:00.")
	coord.Tap("✅ Yes, schedule it")
	coord.Sees("Scheduled: it will go by the cron expression 0 8 1 * *")

	bcs := broadcastsOf(t, h, f.coord)
	if len(bcs) != 2 || bcs[0].Rule != "0 8 1 * *" || bcs[1].Rule != "every Friday at 18:00" || bcs[1].Audience != homelink.AudienceEveryone {
		t.Fatalf("kept %+v", bcs)
	}
}

// In Chinese a repeating broadcast is typed as people say it.
func TestRepeatingBroadcastTypedInChinese(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "周主任", "zh-hans")
	coord.Types("/broadcast")
	coord.Tap("青溪村儿童之家的老师")
	coord.Types("各位老师：周会改到周五。")
	coord.Tap("不用，一个版本就够了")
	coord.Sees("将发给 1 人（青溪村儿童之家的老师）")
	coord.Tap("🔁 重复发送……")
	coord.Types("每周五晚上6点")
	coord.Sees("🗓 发送时间：每周五 18:00（各儿童之家当地时间）。确定吗？")
	coord.Tap("« 返回")
	coord.Tap("每天")
	coord.Sees("每天几点发送？")
	coord.Types("下午5点半")
	coord.Sees("🗓 发送时间：每天 17:30（各儿童之家当地时间）。确定吗？")
	coord.Tap("✅ 确定")
	coord.Sees("🗓 已安排：每天 17:30（各儿童之家当地时间）。")
	if bcs := broadcastsOf(t, h, f.coord); len(bcs) != 1 || bcs[0].Rule != "every day at 17:30" || bcs[0].Audience != homelink.AudienceTeachers {
		t.Fatalf("kept %+v", bcs)
	}
}

// A teacher writes to their own home only: to its parents or everyone
// there, never its teachers, never urgent; buttons naming the other home
// or urgent, forged, are refused.
func TestTeacherBroadcastsToTheirOwnHomeOnly(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	teacher := h.person(f.teacher, "王老师", "en")
	dad := h.person(f.dad, "Jian", "en")
	b := h.reps[0].app.Bot

	teacher.Types("/broadcast")
	m := teacher.Sees("Who should get it?")
	if m.HasButton("The teachers at 青溪村儿童之家") || !m.HasButton("Everyone at 青溪村儿童之家") {
		t.Fatalf("a teacher is offered %v", m.Buttons())
	}
	sess := session(t, h, f.teacher)
	teacher.TapsData(0, b.ButtonData("broadcast.audience", sess.Nonce, 2)) // the teachers of "all my homes"
	teacher.SeesAlert("not available to you")
	teacher.Tap("The parents at 青溪村儿童之家")
	teacher.Types("Hello {parent_name}, {child_names} misses you!")
	teacher.Tap("No, one is enough")
	menu := teacher.Sees("It will reach 3 people")
	if menu.HasButton("🔔 Urgent: ignores quiet hours") {
		t.Fatal("a teacher may mark it urgent")
	}
	before := h.contents()
	teacher.TapsData(0, b.ButtonData("broadcast.urgent", sess.Nonce))
	teacher.SeesAlert("not available to you")
	if after := h.contents(); !maps.Equal(before, after) {
		t.Fatal("a refused urgent tap changed Redis")
	}
	teacher.Tap("📣 Send now")
	dad.Sees("Hello Jian, 小明 misses you!")
	bcs := broadcastsOf(t, h, f.teacher)
	if len(bcs) != 1 || len(bcs[0].Homes) != 1 || bcs[0].Homes[0] != f.home || bcs[0].Urgent {
		t.Fatalf("kept %+v", bcs)
	}
}

// A parent is told broadcasting is not for them; someone who has not
// joined hears how to join.
func TestParentsAndStrangersCannotBroadcast(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	mom := h.person(f.mom, "李秀兰", "zh-hans")
	for _, cmd := range []string{"/broadcast", "/broadcasts"} {
		n := len(mom.Messages())
		mom.Types(cmd)
		mom.SeesNew(n, "您不能使用这个功能")
	}
	stranger := h.person(7999, "Someone", "en")
	stranger.Types("/broadcast")
	stranger.Sees("ask the teacher at your child's Children's Home")
	if n := len(broadcastsOf(t, h, f.mom)); n != 0 {
		t.Fatalf("a parent has %d broadcasts", n)
	}
}

// session is user's conversation as the store keeps it.
func session(t *testing.T, h *harness, user int64) homelink.Session {
	t.Helper()
	_, s, err := h.store().UserAndSession(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
