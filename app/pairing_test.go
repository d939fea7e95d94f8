package app

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// SeesLast waits until the bot's newest message to p contains text (after
// an edit in place, the newest message is the edited one).
func (p *person) SeesLast(text string) {
	p.h.t.Helper()
	ok := p.h.tg.WaitFor(5*time.Second, func() bool { return strings.Contains(p.Last().Text, text) })
	if !ok {
		p.h.t.Fatalf("user %d: last message is not %q; they see:\n%s", p.ID, text, transcript(p.Messages()))
	}
}

var (
	linkRE  = regexp.MustCompile(`\?start=([A-Za-z0-9_-]+)`)
	typedRE = regexp.MustCompile(`\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b`)
)

// invitation reads the link code and the typed code from an invitation.
func invitation(t testing.TB, text string) (link, typed string) {
	t.Helper()
	l, c := linkRE.FindStringSubmatch(text), typedRE.FindStringSubmatch(text)
	if l == nil || c == nil {
		t.Fatalf("no invitation in %q", text)
	}
	if len(l[1]) > 64 || len(l[1]) < 22 {
		t.Fatalf("link code of %d characters", len(l[1]))
	}
	return l[1], c[1]
}

func admins(ids ...int64) func(*Config) {
	return func(c *Config) { c.AdminIDs = ids }
}

// The whole pairing story, as PRODUCT.md tells it: an admin invites the
// first coordinator, who creates a home and invites a teacher; the teacher
// registers children and invites their parents; a mother (Chinese) opens
// the link and a father (English) types the code; each sees only their own
// child; a guardian is unlinked; a child is removed.
func TestPairingFromAdminToParents(t *testing.T) {
	h := startWith(t, webhook, admins(9001))
	admin := h.person(9001, "Ops", "en")
	coord := h.person(9002, "周主任", "zh-hans")
	teacher := h.person(9003, "Ms Wang", "en")
	mom := h.person(9004, "秀兰", "zh-hans")
	dad := h.person(9005, "Jian", "en")
	stranger := h.person(9006, "X", "en")

	// The admin makes the first coordinator's link.
	admin.Types("/invite")
	admin.Sees("Invite another coordinator")
	admin.Tap("Create the link")
	admin.SeesLast("Invitation for a coordinator (homes: none yet)")
	link, _ := invitation(t, admin.Last().Text)

	// The coordinator opens it, reads what is stored, and accepts.
	coord.Types("/start " + link)
	coord.Sees("邀请您成为 homelink 的协调员")
	coord.Tap("同意")
	coord.SeesLast("您现在是协调员了")
	// The link works once.
	stranger.Types("/start " + link)
	stranger.Sees("This invitation was already used")

	// A home: its name (a bad one first), time zone, calling instructions.
	coord.Types("/homes")
	coord.Sees("您还没有儿童之家")
	coord.Tap("+ 新建儿童之家")
	coord.SeesLast("这个儿童之家叫什么名字")
	coord.Types(strings.Repeat("长", 65))
	coord.SeesLast("太长了，请不要超过 64 个字")
	coord.Types("  青溪村儿童之家  ")
	coord.SeesLast("儿童之家在哪个时区")
	coord.Types("Mars/Olympus")
	coord.SeesLast("我不认识这个时区")
	coord.Tap("中国（北京时间）")
	coord.SeesLast("家长怎样和儿童之家通话")
	coord.Types("电话 0851-1234567（周六 9–12 点）")
	coord.SeesLast("青溪村儿童之家建好了")
	home := coord.Last()
	for _, want := range []string{"时区：中国（北京时间）", "通话方式：电话 0851-1234567", "0 个孩子，0 位家长，0 位老师"} {
		if !strings.Contains(home.Text, want) {
			t.Fatalf("home view lacks %q:\n%s", want, home.Text)
		}
	}
	coord.Tap("修改时区")
	coord.Types("Asia/Chongqing")
	coord.SeesLast("时区已更新：Asia/Chongqing")

	// The coordinator invites the teacher.
	coord.Tap("邀请老师")
	coord.SeesLast("邀请青溪村儿童之家的老师")
	link, _ = invitation(t, coord.Last().Text)
	teacher.Types("/start " + link)
	teacher.Sees("You are invited to be a teacher at 青溪村儿童之家")
	teacher.Tap("I accept")
	teacher.SeesLast("You are now a teacher at 青溪村儿童之家")

	// The teacher registers two children.
	teacher.Types("/children")
	teacher.Sees("No children registered yet")
	teacher.Tap("+ Register a child")
	teacher.Types("小明\u0007")
	teacher.SeesLast("Please use plain text only")
	teacher.Types("小明")
	teacher.SeesLast("In which year was 小明 born?")
	teacher.Types("1990")
	teacher.SeesLast("Please type a year from 2008 to 2026")
	teacher.Types("2016")
	teacher.SeesLast("小明 is registered") // the notice is inside the child view
	teacher.Tap("« All children")
	teacher.SeesLast("Children at")
	teacher.Tap("+ Register a child")
	teacher.Types("Lili")
	teacher.SeesLast("In which year was Lili born?")
	teacher.Tap("Skip")
	teacher.SeesLast("Lili is registered")

	// Two invitations for 小明's guardians: one link, one typed code.
	teacher.Tap("« All children")
	teacher.SeesLast("小明 (2016): no guardian linked yet")
	teacher.Tap("小明")
	teacher.Tap("Invite a parent or guardian")
	teacher.SeesLast("Invitation for a parent or guardian of 小明")
	momLink, _ := invitation(t, teacher.Last().Text)
	teacher.Tap("« Back")
	teacher.Tap("Invite a parent or guardian")
	teacher.SeesLast("Invitation for a parent or guardian of 小明")
	_, dadCode := invitation(t, teacher.Last().Text)
	if strings.Contains(h.logs.String(), momLink) || strings.Contains(h.logs.String(), dadCode) {
		t.Fatal("an invitation code reached the logs")
	}

	// The mother opens her link: plain words, then agrees.
	mom.Types("/start " + momLink)
	consent := mom.Sees("您可以通过 homelink 和小明保持联系")
	for _, want := range []string{"我们保存什么", "为什么保存", "谁能看到", "怎样删除", "/forget"} {
		if !strings.Contains(consent.Raw, want) {
			t.Fatalf("consent lacks %q:\n%s", want, consent.Text)
		}
	}
	if got := consent.Buttons(); len(got) != 2 || got[0] != "我是家长，同意" || got[1] != "不同意" {
		t.Fatalf("consent buttons %q", got)
	}
	mom.Tap("我是家长，同意")
	mom.SeesLast("您是小明的什么人")
	mom.Tap("妈妈")
	mom.SeesLast("您是小明的妈妈")
	teacher.Sees("秀兰 has joined homelink for 小明 (Mother)") // by name and relationship, once she said it

	// The father types his code as he heard it over the phone.
	dad.Types(strings.ToLower(strings.ReplaceAll(dadCode, "-", " ")))
	dad.Sees("Are you 小明's parent or guardian, and do you accept this?")
	dad.Tap("Yes, I'm a parent – I agree")
	dad.Tap("Father")
	dad.SeesLast("You are linked to 小明 as: Father")

	// Each parent sees only their own children; the teacher sees both.
	mom.Types("/children")
	mine := mom.Sees("您的孩子")
	if !strings.Contains(mine.Text, "小明，青溪村儿童之家（您是妈妈）") || strings.Contains(mine.Text, "Lili") {
		t.Fatalf("mom's children:\n%s", mine.Text)
	}
	teacher.Types("/children")
	teacher.SeesLast("小明 (2016): 秀兰 (Mother), Jian (Father)")

	// The coordinator sees the counts.
	coord.Types("/homes")
	coord.SeesLast("青溪村儿童之家：2 个孩子，2 位家长，1 位老师")

	// The teacher unlinks the father; he is told.
	teacher.Tap("小明")
	teacher.Tap("Unlink Jian (Father)")
	teacher.Tap("Yes, unlink")
	teacher.SeesLast("The parent is unlinked")
	dad.Sees("You are no longer linked to 小明 at 青溪村儿童之家")
	dad.Types("/children") // no longer linked to anyone: how to join again
	dad.Sees("To begin, ask the teacher at your child's Children's Home")

	// The teacher removes Lili: nothing of her is left.
	teacher.Tap("« All children")
	teacher.Tap("Lili")
	teacher.Tap("Remove this child")
	teacher.SeesLast("Remove Lili and everything")
	teacher.Tap("Yes, remove")
	teacher.SeesLast("小明 (2016): 秀兰 (Mother)")
	if keys := h.keysHolding("Lili"); len(keys) > 0 {
		t.Fatalf("Lili is still in %v", keys)
	}

	// The menus follow the roles.
	menu := func(id int64) string {
		var names []string
		for _, c := range h.tg.Commands("chat:"+strconv.FormatInt(id, 10), "") {
			names = append(names, c.Command)
		}
		return strings.Join(names, " ")
	}
	ok := h.tg.WaitFor(5*time.Second, func() bool {
		return menu(9002) == "homes invite hours broadcast broadcasts report start help settings language mydata forget cancel" &&
			menu(9003) == "calls children mailbox hours broadcast broadcasts report start help settings language mydata forget cancel" &&
			menu(9004) == "book message calls children start help settings language mydata forget cancel" &&
			menu(9005) == "start help settings language mydata forget cancel"
	})
	if !ok {
		t.Fatalf("menus: coordinator %q, teacher %q, mom %q, dad %q", menu(9002), menu(9003), menu(9004), menu(9005))
	}
	// /help speaks to each reader's roles, in their language.
	teacher.Types("/help")
	teacher.SeesLast("/children – the children of your home: register them and invite their parents")
	if strings.Contains(teacher.Last().Text, "/homes") {
		t.Fatal("a teacher's help offers /homes")
	}
	mom.Types("/help")
	mom.SeesLast("/children：查看您的孩子和孩子所在的儿童之家")
	coord.Types("/help")
	coord.SeesLast("/homes：")
	if strings.Contains(coord.Last().Text, "/children") {
		t.Fatal("a coordinator's help offers /children")
	}
}

// keysHolding lists the keys under the test's prefix whose name or
// content contains s.
func (h *harness) keysHolding(s string) []string {
	ctx := context.Background()
	var out []string
	keys, err := h.rdb.Keys(ctx, h.prefix+"*").Result()
	if err != nil {
		h.t.Fatal(err)
	}
	for _, k := range keys {
		var content []string
		switch h.rdb.Type(ctx, k).Val() {
		case "string":
			content = []string{h.rdb.Get(ctx, k).Val()}
		case "hash":
			for f, v := range h.rdb.HGetAll(ctx, k).Val() {
				content = append(content, f, v)
			}
		case "set":
			content = h.rdb.SMembers(ctx, k).Val()
		case "zset":
			content = h.rdb.ZRange(ctx, k, 0, -1).Val()
		case "list":
			content = h.rdb.LRange(ctx, k, 0, -1).Val()
		}
		if strings.Contains(k, s) || strings.Contains(strings.Join(content, "\x00"), s) {
			out = append(out, k)
		}
	}
	return out
}

// /mydata sends everything stored as a file; /forget deletes it after a
// confirmation, tells the teachers, and leaves no key naming or holding the
// user.
func TestMyDataAndForget(t *testing.T) {
	h := start(t, polling)
	f := seed(t, h)
	mom := h.person(f.mom, "秀兰", "zh-hans")
	teacher := h.person(f.teacher, "T", "en")

	mom.Types("/mydata")
	ok := h.tg.WaitFor(5*time.Second, func() bool { return mom.Last().Kind == "document" })
	if !ok {
		t.Fatalf("no document; mom sees:\n%s", transcript(mom.Messages()))
	}
	doc := mom.Last()
	if doc.FileName != "homelink-my-data.json" || !strings.Contains(doc.Text, "homelink 为您保存的全部信息") {
		t.Fatalf("document %q captioned %q", doc.FileName, doc.Text)
	}
	var data struct {
		Account struct {
			TelegramID int64  `json:"telegram_id"`
			Name       string `json:"name"`
		} `json:"account"`
		Consents []struct {
			As string `json:"as"`
			Of string `json:"of"`
			At string `json:"agreed_at"`
		} `json:"consents"`
		Children []struct {
			Name         string `json:"name"`
			BirthYear    int    `json:"birth_year"`
			Relationship string `json:"your_relationship"`
			Home         struct{ Name string }
		} `json:"guardian_of"`
	}
	if err := json.Unmarshal(doc.File, &data); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc.File)
	}
	if data.Account.TelegramID != f.mom || len(data.Children) != 1 || data.Children[0].Name != "小明" ||
		data.Children[0].Relationship != "妈妈" || data.Children[0].Home.Name != "青溪村儿童之家" || data.Children[0].BirthYear != 2016 {
		t.Fatalf("my data: %s", doc.File)
	}
	if data.Account.Name != "李秀兰" || len(data.Consents) != 1 || data.Consents[0].As != "guardian" ||
		data.Consents[0].Of != "小明" || data.Consents[0].At == "" {
		t.Fatalf("my data lacks the name or when she agreed: %s", doc.File)
	}
	if strings.Contains(string(doc.File), strconv.FormatInt(f.dad, 10)) {
		t.Fatal("my data shows another guardian's account")
	}

	mom.Types("/forget")
	mom.Sees("要删除您的全部信息吗")
	mom.Tap("不，保留")
	mom.SeesLast("什么都没有删除")
	mom.Types("/forget")
	mom.SeesLast("儿童之家的老师会收到通知")
	mom.Tap("确定，全部删除")
	mom.SeesLast("homelink 为您保存的全部信息都已删除")
	teacher.Sees("李秀兰 (Mother), a parent of 小明, has left homelink")

	// Nothing names or holds her any more, once her last update is done
	// and the intake's sweep (every 10 s) has dropped her from its index
	// of recent arrivals.
	id := strconv.FormatInt(f.mom, 10)
	var left []string
	h.tg.WaitFor(5*time.Second, func() bool {
		h.clock.Advance(time.Minute)
		if err := h.reps[0].app.Intake.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		left = h.keysHolding(id)
		return len(left) == 0
	})
	if len(left) > 0 {
		t.Fatalf("keys still naming or holding user %s: %v", id, left)
	}
	// She is a stranger again.
	mom.Types("/children")
	mom.SeesLast("开始使用：请向孩子所在儿童之家的老师要一个邀请链接")
	teacher.Types("/children")
	teacher.SeesLast("小明 (2016): Jian (Father)")
}

// A stranger guessing codes gets five tries an hour; after that even a
// right code waits, and the clear answer says so.
func TestWrongCodesAreThrottled(t *testing.T) {
	h := start(t, polling)
	f := seed(t, h)
	guesser := h.person(8001, "G", "en")
	guesses := []string{"/start AAAAAAAAAAAAAAAAAAAAAA", "ABCD-EFGH-JKMN", "/start nope", "/start " + strings.Repeat("x", 70), "/start ABCD EFGH JKMN"}
	for i, g := range guesses {
		guesser.Types(g)
		guesser.SeesNew(i, "This invitation is not valid or has expired")
	}
	// A real invitation now: still refused this hour.
	teacher := h.person(f.teacher, "T", "en")
	teacher.Types("/children")
	teacher.Tap("小明")
	teacher.Tap("Invite a parent or guardian")
	teacher.SeesLast("Invitation for a parent or guardian of 小明")
	link, typed := invitation(t, teacher.Last().Text)
	guesser.Types("/start " + link)
	guesser.SeesNew(5, "Too many wrong codes. Please wait an hour")
	guesser.Types(typed)
	guesser.SeesNew(6, "Too many wrong codes")
	// Someone else is not held back by the guesser.
	aunt := h.person(8002, "A", "en")
	aunt.Types(typed)
	aunt.Sees("Are you 小明's parent or guardian, and do you accept this?")
	aunt.Tap("Yes, I'm a parent – I agree")
	aunt.SeesLast("How are you related to 小明?")
	// A used invitation cannot be revoked; the teacher hears what to do.
	teacher.Tap("Revoke")
	teacher.Sees("If the wrong person joined, unlink them on the child's page")
	teacher.Tap("Open the child's page") // not a dead end
	teacher.Tap("Unlink A")
	teacher.Sees("Unlink A from 小明?")
	if strings.Contains(h.logs.String(), link) || strings.Contains(h.logs.String(), "AAAAAAAAAAAAAAAAAAAAAA") {
		t.Fatal("codes in the logs")
	}
}

// A coordinator shares one of their homes with another coordinator, and
// removes a teacher, who is told and loses access.
func TestCoordinatorSharesAHomeAndRemovesATeacher(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "C", "en")
	other := h.person(f.otherCoord, "D", "zh-hans")
	teacher := h.person(f.teacher, "T", "en")

	coord.Types("/invite")
	coord.Sees("Tap the homes they should manage with you")
	coord.Tap("▫️ 青溪村儿童之家")
	coord.Tap("✅ 青溪村儿童之家")  // changed their mind
	coord.Tap("▫️ 青溪村儿童之家") // and back
	coord.SeesLast("Tap the homes")
	coord.Tap("Create the link")
	coord.SeesLast("Invitation for a coordinator (homes: 青溪村儿童之家)")
	link, _ := invitation(t, coord.Last().Text)

	other.Types("/start " + link)
	other.Sees("邀请您成为 homelink 的协调员（儿童之家：青溪村儿童之家）")
	other.Tap("同意")
	other.SeesLast("您现在是协调员了")
	other.Types("/homes")
	other.SeesLast("青溪村儿童之家：2 个孩子")
	if !strings.Contains(other.Last().Text, "山口儿童之家") {
		t.Fatalf("their own home is gone:\n%s", other.Last().Text)
	}

	coord.Types("/homes")
	coord.Tap("青溪村儿童之家")
	coord.Tap("Teachers")
	coord.SeesLast("Teachers of 青溪村儿童之家")
	coord.Tap("Remove 王老师")
	coord.SeesLast("Remove 王老师 from 青溪村儿童之家?")
	coord.Tap("Yes, remove")
	coord.SeesLast("No teachers yet")
	teacher.Sees("You are no longer a teacher at 青溪村儿童之家")
	teacher.Types("/children")
	teacher.SeesLast("To begin, ask the teacher at your child's Children's Home")
}

// A home whose only coordinator left is not lost: an admin hands it to a
// new coordinator. Other coordinators cannot take it.
func TestAnAdminHandsOnAHomeWhoseCoordinatorLeft(t *testing.T) {
	h := startWith(t, webhook, admins(9001))
	f := seed(t, h)
	coord := h.person(f.coord, "C", "en")
	other := h.person(f.otherCoord, "D", "en")
	admin := h.person(9001, "Ops", "en")
	newcomer := h.person(9010, "N", "en")

	coord.Types("/forget")
	coord.Tap("Yes, delete everything")
	coord.SeesLast("Everything homelink stored about you is deleted")

	other.Types("/invite")
	other.SeesLast("Invite another coordinator")
	if strings.Contains(strings.Join(other.Last().Buttons(), " "), "青溪村儿童之家") {
		t.Fatalf("another coordinator is offered the orphaned home: %q", other.Last().Buttons())
	}

	admin.Types("/invite")
	admin.Tap("▫️ 青溪村儿童之家")
	admin.Tap("Create the link")
	admin.SeesLast("Invitation for a coordinator (homes: 青溪村儿童之家)")
	link, _ := invitation(t, admin.Last().Text)
	newcomer.Types("/start " + link)
	newcomer.Tap("I accept")
	newcomer.SeesLast("You are now a coordinator")
	newcomer.Types("/homes")
	newcomer.SeesLast("青溪村儿童之家: Children: 2 · Parents: 3 · Teachers: 1")
}
