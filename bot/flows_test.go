package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/locales"
	"github.com/homelink/homelink/metrics"
	"github.com/homelink/homelink/outbox"
	"github.com/homelink/homelink/store"
	"github.com/homelink/homelink/templates"
)

// Each declared flow, walked step by step through the bot alone: updates
// from the Bot API emulator go straight to Handle (no intake, no HTTP
// server of ours), replies go through a real outbox to the emulator, and
// state lives in a private Redis.

// walker runs one Bot for a flow test.
type walker struct {
	t     *testing.T
	rdb   *redis.Client
	b     *Bot
	tg    *emulator.Server
	st    *store.Store
	clock *homelink.FakeClock
}

func newWalker(t *testing.T) *walker {
	t.Helper()
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	t.Cleanup(tg.Close)
	api, err := tgbot.New(tg.Token(), tgbot.WithServerURL(tg.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	rdb, prefix := redistest.Client(t)
	clock := homelink.NewFakeClock(homelink.SystemClock{}.Now())
	st := store.New(rdb, prefix, clock)
	// Replies go out at once: pacing is the outbox's own tests' subject.
	out := outbox.New(api, rdb, outbox.Options{Prefix: prefix, ChatPerSecond: 1000, ChatBurst: 100})
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	r, err := templates.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	st.UseCodeKeys([]byte("walker-invite-key-0123456789abcdef"))
	b := New(Config{Username: emulator.BotUsername, Store: st, Sender: out, Catalog: cat, Renderer: r,
		Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: metrics.New(),
		ButtonKey: []byte("walker-key-16byt")})
	return &walker{t: t, rdb: rdb, b: b, tg: tg, st: st, clock: clock}
}

// deliver hands every update the emulator holds to the bot, in order.
func (w *walker) deliver() {
	w.t.Helper()
	for _, raw := range w.tg.TakeUpdates() {
		var u models.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			w.t.Fatal(err)
		}
		w.b.Handle(context.Background(), &u, nil)
	}
}

// someone is a person talking to the walker's bot.
type someone struct {
	*emulator.User
	w *walker
	// latest is the message the bot last sent or edited for them.
	latest emulator.Message
}

func (w *walker) person(id int64, lang string) *someone {
	return &someone{User: w.tg.NewUser(id, "P", lang), w: w}
}

// does does something and lets the bot answer, noting what it changed.
func (p *someone) does(act func()) {
	before := map[int]int{}
	for _, m := range p.Messages() {
		before[m.ID] = m.Edits
	}
	act()
	p.w.deliver()
	for _, m := range p.Messages() {
		if edits, seen := before[m.ID]; !seen || edits != m.Edits {
			p.latest = m
		}
	}
}

func (p *someone) types(text string) { p.does(func() { p.Types(text) }) }

func (p *someone) sendsPhoto() { p.does(func() { p.SendsPhoto("a photo") }) }

func (p *someone) sendsVoice() { p.does(func() { p.SendsVoice() }) }

func (p *someone) taps(label string) {
	p.w.t.Helper()
	var err error
	p.does(func() { _, err = p.Taps(label) })
	if err != nil {
		p.w.t.Fatalf("%v; last message: %q %v", err, p.Last().Text, p.Last().Buttons())
	}
}

// sees fails unless the message the bot last sent or edited contains text.
func (p *someone) sees(text string) {
	p.w.t.Helper()
	if !strings.Contains(p.latest.Text, text) {
		p.w.t.Fatalf("user %d sees %q %v, want %q", p.ID, p.latest.Text, p.latest.Buttons(), text)
	}
}

// isAt fails unless the person's flow waits at step ("flow/step"; "" for
// no question open).
func (p *someone) isAt(step string) {
	p.w.t.Helper()
	s, err := p.w.st.Session(context.Background(), p.ID)
	if err != nil {
		p.w.t.Fatal(err)
	}
	got := s.Flow + "/" + s.Step
	if s.Step == "" {
		got = ""
	}
	if got != step {
		p.w.t.Fatalf("user %d is at %q, want %q", p.ID, got, step)
	}
}

// coordinator makes a coordinator who manages one home, and returns them
// and the home.
func (w *walker) coordinator(id int64) (*someone, homelink.Home) {
	w.t.Helper()
	w.join(homelink.Invite{Role: homelink.RoleCoordinator}, id)
	h, err := w.st.CreateHome(context.Background(), homelink.By{User: id}, homelink.Home{Name: "青溪村儿童之家", TimeZone: "Asia/Shanghai"})
	if err != nil {
		w.t.Fatal(err)
	}
	return w.person(id, "en"), h
}

// madeByWhoMay sets inv's maker unless it has one: an admin for a
// coordinator, the home's first coordinator for a teacher, its first
// teacher for a guardian.
func (w *walker) madeByWhoMay(inv *homelink.Invite) {
	w.t.Helper()
	if inv.MadeBy != 0 || inv.ByAdmin {
		return
	}
	if inv.Role == homelink.RoleCoordinator {
		inv.ByAdmin = true
		return
	}
	h, err := w.st.Home(context.Background(), inv.HomeID)
	if err != nil {
		w.t.Fatal(err)
	}
	if inv.Role == homelink.RoleTeacher {
		inv.MadeBy = h.Coordinators[0]
	} else if len(h.Teachers) > 0 {
		inv.MadeBy = h.Teachers[0]
	}
}

// child registers a child at home h, as the home's first teacher (one
// joins, user 900, if it has none).
func (w *walker) child(h homelink.Home, name string) homelink.Child {
	w.t.Helper()
	ctx := context.Background()
	home, err := w.st.Home(ctx, h.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(home.Teachers) == 0 {
		w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 900)
		home.Teachers = []int64{900}
	}
	c, err := w.st.AddChild(ctx, homelink.By{User: home.Teachers[0]}, homelink.Child{HomeID: h.ID, Name: name})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// join redeems a fresh invitation as user.
func (w *walker) join(inv homelink.Invite, user int64) { w.inviteFor(inv, user) }

// inviteFor redeems a fresh invitation as user and returns its id. It is
// made by whoever may make it: an admin for a coordinator, the home's first
// coordinator for a teacher, its first teacher for a guardian.
func (w *walker) inviteFor(inv homelink.Invite, user int64) int64 {
	w.t.Helper()
	w.madeByWhoMay(&inv)
	inv.Link, inv.Typed = homelink.NewInviteCodes()
	inv.ExpiresAt = w.clock.Now().Add(homelink.DefaultInviteTTL)
	inv, err := w.st.CreateInvite(context.Background(), inv)
	if err == nil {
		_, err = w.st.RedeemInvite(context.Background(), inv.ID, user, "en")
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return inv.ID
}

func texts(ms []emulator.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

func TestHomeNewFlow(t *testing.T) {
	w := newWalker(t)
	coord, _ := w.coordinator(100)
	coord.types("/homes")
	coord.taps("+ New home")
	coord.isAt("home.new/name")
	coord.sees("What is the home called?")

	coord.sendsPhoto()
	coord.sees("Here I need a text message.")
	coord.isAt("home.new/name")

	coord.types("Hilltop Home")
	coord.isAt("home.new/zone")
	coord.sees("Which time zone")
	coord.taps("« Back")
	coord.isAt("home.new/name")
	coord.sees("What is the home called?")
	coord.types("山口儿童之家")
	coord.types("Mars/Olympus")
	coord.sees("I don't know that time zone")
	coord.isAt("home.new/zone")
	coord.taps("China (Beijing time)")
	coord.isAt("home.new/instructions")
	coord.taps("« Back")
	coord.isAt("home.new/zone")
	coord.types("Asia/Urumqi")
	coord.isAt("home.new/instructions")
	coord.taps("Skip")
	coord.isAt("")
	coord.sees("The home 山口儿童之家 is ready")

	homes, err := w.st.Homes(context.Background(), []int64{1, 2})
	if err != nil || len(homes) != 2 || homes[1].Name != "山口儿童之家" || homes[1].TimeZone != "Asia/Urumqi" {
		t.Fatalf("homes %+v, %v", homes, err)
	}
}

func TestHomeEditFlows(t *testing.T) {
	w := newWalker(t)
	coord, _ := w.coordinator(100)
	coord.types("/homes")
	coord.taps("青溪村儿童之家")

	coord.taps("Rename")
	coord.isAt("home.rename/name")
	coord.types(strings.Repeat("长", homelink.MaxHomeName+1))
	coord.sees("That is too long")
	coord.isAt("home.rename/name")
	coord.types("青溪儿童之家")
	coord.isAt("")
	coord.sees("Renamed to 青溪儿童之家")

	coord.taps("Time zone")
	coord.isAt("home.zone/zone")
	coord.taps("« Back")
	coord.isAt("")
	coord.taps("Time zone")
	coord.types("Asia/Hong_Kong")
	coord.sees("Time zone set to Hong Kong")

	coord.taps("Calling instructions")
	coord.isAt("home.instructions/text")
	coord.types("Call 0851-1234 on Saturdays")
	coord.sees("Calling instructions saved")
	coord.isAt("")

	h, _ := w.st.Home(context.Background(), 1)
	if h.Name != "青溪儿童之家" || h.TimeZone != "Asia/Hong_Kong" || h.Instructions != "Call 0851-1234 on Saturdays" {
		t.Fatalf("home %+v", h)
	}
}

func TestChildAddFlow(t *testing.T) {
	w := newWalker(t)
	_, h := w.coordinator(100)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 200)
	teacher := w.person(200, "en")
	teacher.types("/children")
	teacher.taps("+ Register a child")
	teacher.isAt("child.add/name")
	teacher.types("小明")
	teacher.isAt("child.add/year")
	teacher.sees("In which year was 小明 born?")
	teacher.taps("« Back")
	teacher.isAt("child.add/name")
	teacher.types("丽丽")
	teacher.types("1890")
	teacher.sees("Please type a year")
	teacher.isAt("child.add/year")
	teacher.sendsPhoto()
	teacher.sees("Here I need a text message.")
	teacher.types("２０１６") // full-width digits from a Chinese keyboard
	teacher.isAt("")
	teacher.sees("丽丽 is registered")

	teacher.taps("« All children")
	teacher.taps("+ Register a child")
	teacher.types("阿福")
	teacher.taps("Skip")
	teacher.sees("阿福 is registered")

	kids, err := w.st.Children(context.Background(), h.ID)
	if err != nil || len(kids) != 2 || kids[0].Name != "丽丽" || kids[0].BirthYear != 2016 || kids[1].BirthYear != 0 {
		t.Fatalf("children %+v, %v", kids, err)
	}
}

func TestShareFlow(t *testing.T) {
	w := newWalker(t)
	coord, h := w.coordinator(100)
	coord.types("/invite")
	coord.isAt("share/choose")
	coord.taps("▫️ " + h.Name)
	coord.sees("Invite another coordinator")
	coord.taps("✅ " + h.Name)
	coord.taps("▫️ " + h.Name)
	coord.taps("Create the link")
	coord.isAt("")
	coord.sees("?start=")
	coord.sees(h.Name)
	coord.types("/invite")
	coord.taps("Cancel")
	coord.isAt("")
	coord.sees("Okay, stopped. Nothing was changed.")
}

func TestConsentFlow(t *testing.T) {
	w := newWalker(t)
	_, h := w.coordinator(100)
	c := w.child(h, "小明")
	link, _ := homelink.NewInviteCodes()
	if _, err := w.st.CreateInvite(context.Background(), homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, MadeBy: 900,
		ChildID: c.ID, Link: link, Typed: "ABCDEFGHJKMN", ExpiresAt: w.clock.Now().Add(homelink.DefaultInviteTTL)}); err != nil {
		t.Fatal(err)
	}
	mom := w.person(300, "en")
	mom.types("/start " + link)
	mom.isAt("consent/agree")
	mom.types("hello") // typing is no answer to a yes/no question
	mom.isAt("consent/agree")
	mom.taps("Yes, I'm a parent – I agree")
	mom.isAt("")
	mom.sees("How are you related to 小明?")
	mom.taps("Mother")
	mom.sees("as: Mother")
}

// /cancel leaves every flow, at every step.
func TestCancelLeavesAnyFlow(t *testing.T) {
	w := newWalker(t)
	_, h := w.coordinator(100)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 100)
	coord := w.person(100, "en")
	for f := range maps.Keys(w.b.flows) {
		for _, s := range w.b.flows[f].steps {
			answers, _ := json.Marshal(homeAnswers{about: about{Home: h.ID}, Name: "x"})
			if _, err := w.st.SaveSession(context.Background(), coord.ID, homelink.Session{
				Flow: f, Step: s.name, Nonce: "n", Answers: answers, Version: w.version(coord.ID)}); err != nil {
				t.Fatal(err)
			}
			coord.types("/cancel")
			coord.sees("Okay, stopped. Nothing was changed.")
			coord.isAt("")
		}
	}
}

// state is what the bot keeps in Redis, key by key (not the outbox's
// queue, which carries the bot's answers).
func (w *walker) state() map[string]string {
	ctx := context.Background()
	out := map[string]string{}
	keys, err := w.rdb.Keys(ctx, "*").Result()
	if err != nil {
		w.t.Fatal(err)
	}
	for _, k := range keys {
		if !strings.Contains(k, "{ob}") {
			out[k] = w.rdb.Dump(ctx, k).Val()
		}
	}
	return out
}

func (w *walker) version(user int64) int64 {
	s, _ := w.st.Session(context.Background(), user)
	return s.Version
}

// A step that asks for a voice note, given a photo, names what it wants
// and stores nothing; given a voice note, it takes it.
func TestStepTakesOnlyWhatItAsksFor(t *testing.T) {
	w := newWalker(t)
	var got []input
	w.b.flows.add(&flow{name: "test.voice", steps: []*step{{name: "record", accepts: inVoice, need: anyone,
		answer: func(ctx context.Context, r *request, _ target, in input) error {
			got = append(got, in)
			return r.endFlow(ctx)
		}}}})
	p := w.person(400, "zh-hans")
	if _, err := w.st.SaveSession(context.Background(), p.ID, homelink.Session{Flow: "test.voice", Step: "record", Nonce: "n"}); err != nil {
		t.Fatal(err)
	}
	before := w.state()
	p.sendsPhoto()
	p.sees("这一步需要语音。")
	p.isAt("test.voice/record")
	p.types("你好")
	p.sees("这一步需要语音。")
	if len(got) != 0 {
		t.Fatalf("the step took %+v", got)
	}
	if !maps.Equal(before, w.state()) {
		t.Fatal("a refused answer changed what is stored")
	}
	p.sendsVoice()
	p.isAt("")
	if len(got) != 1 || got[0].kind != inVoice || got[0].fileID == "" {
		t.Fatalf("the step took %+v", got)
	}
}

func TestSettingsNameFlow(t *testing.T) {
	w := newWalker(t)
	coord, _ := w.coordinator(100)
	coord.types("/settings")
	coord.sees("Name others see: P") // their Telegram first name, kept when they wrote
	coord.taps("Change my name")
	coord.isAt("settings.name/name")
	coord.types(strings.Repeat("名", homelink.MaxPersonName+1))
	coord.sees("That is too long")
	coord.taps("« Back")
	coord.isAt("")
	coord.taps("Change my name")
	coord.types("周主任")
	coord.isAt("")
	coord.sees("Others now see you as 周主任")
	if u, _ := w.st.User(context.Background(), coord.ID); u.Name != "周主任" {
		t.Fatalf("name %q", u.Name)
	}
	coord.taps("Change the language")
	coord.taps("« Back")
	coord.sees("Your settings")
	coord.taps("Change the language")
	coord.taps("简体中文")
	coord.sees("简体中文")
	stranger := w.person(900, "en")
	stranger.types("/settings")
	if strings.Contains(stranger.latest.Text, "Name") || stranger.latest.HasButton("Change my name") {
		t.Fatalf("a stranger is offered a name: %q", stranger.latest.Text)
	}
}

// Every step of a multi-step flow offers Back and Cancel; Cancel leaves
// the flow and says so.
func TestMultiStepFlowsOfferBackAndCancel(t *testing.T) {
	w := newWalker(t)
	coord, h := w.coordinator(100)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 100)
	coord.types("/homes")
	coord.taps("+ New home")
	for _, answer := range []string{"山口儿童之家", "Asia/Shanghai", ""} {
		if !coord.latest.HasButton("« Back") || !coord.latest.HasButton("Cancel") {
			t.Fatalf("step without Back and Cancel: %q %v", coord.latest.Text, coord.latest.Buttons())
		}
		if answer != "" {
			coord.types(answer)
		}
	}
	coord.taps("Cancel")
	coord.isAt("")
	coord.sees("Okay, stopped. Nothing was changed.")
	coord.types("/children")
	coord.taps("+ Register a child")
	for _, answer := range []string{"小明", ""} {
		if !coord.latest.HasButton("« Back") || !coord.latest.HasButton("Cancel") {
			t.Fatalf("step without Back and Cancel: %q %v", coord.latest.Text, coord.latest.Buttons())
		}
		if answer != "" {
			coord.types(answer)
		}
	}
	coord.taps("Cancel")
	coord.isAt("")
	if kids, _ := w.st.Children(context.Background(), h.ID); len(kids) != 0 {
		t.Fatalf("a cancelled flow registered %+v", kids)
	}
}

// A teacher is removed while adding a child: the update carrying the
// child's year was read with their roles a moment before the removal (as
// a busy replica may), so the checks at the door pass. The store's own
// check refuses the write: no child is added, the teacher is told they may
// not, and the flow ends.
func TestTeacherRemovedWhileAddingAChildAddsNoChild(t *testing.T) {
	w := newWalker(t)
	_, h := w.coordinator(100)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 200)
	for _, lang := range []string{"en", "zh-Hans"} {
		teacher := w.person(200, lang)
		if err := w.st.SetLanguage(context.Background(), 200, lang); err != nil {
			t.Fatal(err)
		}
		teacher.types("/children")
		teacher.taps(map[string]string{"en": "+ Register a child", "zh-Hans": "+ 登记孩子"}[lang])
		teacher.types("小明")
		teacher.isAt("child.add/year")

		ctx := context.Background()
		user, session, err := w.st.UserAndSession(ctx, 200)
		if err != nil {
			t.Fatal(err)
		}
		stale := &homelink.Actor{User: user, Session: session}
		if _, err := w.st.RemoveTeacher(ctx, homelink.By{User: 100}, h.ID, 200); err != nil {
			t.Fatal(err)
		}
		teacher.Types("2016")
		for _, raw := range w.tg.TakeUpdates() {
			var u models.Update
			if err := json.Unmarshal(raw, &u); err != nil {
				t.Fatal(err)
			}
			if outcome := w.b.Handle(ctx, &u, stale); outcome != "denied" {
				t.Fatalf("outcome %q, want denied", outcome)
			}
		}
		want := map[string]string{"en": "Sorry, that is not available to you.", "zh-Hans": "抱歉，您不能使用这个功能。"}[lang]
		if last := teacher.Last().Text; last != want {
			t.Fatalf("the removed teacher sees %q, want %q", last, want)
		}
		teacher.isAt("")
		if kids, _ := w.st.Children(ctx, h.ID); len(kids) != 0 {
			t.Fatalf("children after the refusal: %+v", kids)
		}
		w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 200) // back for the next language
	}
}
