package bot

import (
	"context"
	"html/template"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/store"
	"github.com/homelink/homelink/templates"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// newBot builds a Bot on a private Redis and the Bot API emulator; tests
// hand it updates directly, as intake would.
func newBot(t *testing.T) (*Bot, *emulator.Server) {
	t.Helper()
	w := newWalker(t)
	return w.b, w.tg
}

func textUpdate(id, user int64, lang, text string) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{
		ID: int(id), Chat: models.Chat{ID: user, Type: models.ChatTypePrivate},
		From: &models.User{ID: user, FirstName: "P", LanguageCode: lang}, Text: text,
	}}
}

func TestPanickingHandlerApologisesAndTheBotGoesOn(t *testing.T) {
	b, tg := newBot(t)
	u := tg.NewUser(10, "P", "en")
	b.commands["boom"] = slashCommand{anyone, func(context.Context, *request) error { panic("boom") }}
	outcome := b.Handle(context.Background(), textUpdate(1, u.ID, "en", "/boom"), nil)
	if m, ok := u.WaitForMessage("Something went wrong on my side", time.Second); !ok {
		t.Fatalf("no apology; user sees %+v", m)
	}
	b.Handle(context.Background(), textUpdate(2, u.ID, "zh-hans", "/help"), nil)
	if _, ok := u.WaitForMessage("我能帮您做这些", time.Second); !ok {
		t.Fatal("bot did not go on after a panic")
	}
	if outcome != "panic" {
		t.Fatalf("outcome = %q, want panic", outcome)
	}
}

func TestStoreFailureApologises(t *testing.T) {
	b, tg := newBot(t)
	u := tg.NewUser(11, "P", "zh-hans")
	b.commands["fail"] = slashCommand{anyone, func(context.Context, *request) error { return context.DeadlineExceeded }}
	b.Handle(context.Background(), textUpdate(1, u.ID, "zh-hans", "/fail"), nil)
	if _, ok := u.WaitForMessage("我这边出了点问题", time.Second); !ok {
		t.Fatal("no apology in Chinese")
	}
}

// sampleViews is data for every template as the bot passes it, with names
// that would break markup if they were not escaped.
func sampleViews() map[string][]any {
	home := homelink.Home{ID: 1, Name: "<b>Qingxi & Co</b>", TimeZone: "Asia/Shanghai",
		Instructions: "Call 0851-1234 <now>", Teachers: []int64{7, 8}, Children: 2, Guardians: 3}
	child := childView{Child: homelink.Child{ID: 3, HomeID: 1, Name: "Li<i>", BirthYear: 2016},
		Guardians: []guardianView{{Link: "tg://user?id=5", Label: "Mother"}}}
	bare := childView{Child: homelink.Child{ID: 4, HomeID: 1, Name: "Mei"}}
	return map[string][]any{
		"welcome": {map[string]any{"Roles": homelink.Roles{}}, map[string]any{"Roles": homelink.Roles{Teaches: map[int64]bool{1: true}}}},
		"help":    {map[string]any{"Lines": []string{"/help – <this>"}}},
		"homes":   {map[string]any{"Homes": []homelink.Home{home}}, map[string]any{"Homes": []homelink.Home(nil)}},
		"home": {map[string]any{"Home": home, "Zone": "China <Beijing>", "Notice": template.HTML("<b>Done</b>")},
			map[string]any{"Home": homelink.Home{Name: "x"}, "Zone": "Asia/Urumqi", "Notice": template.HTML("")}},
		"teachers":   {map[string]any{"Home": home, "Invites": 2}, map[string]any{"Home": homelink.Home{Name: "x"}, "Invites": 0}},
		"children":   {map[string]any{"Home": home, "Children": []childView{child, bare}}, map[string]any{"Home": home, "Children": []childView(nil)}},
		"child":      {map[string]any{"Child": child, "Notice": template.HTML("")}, map[string]any{"Child": bare, "Notice": template.HTML("<i>ok</i>")}},
		"invitation": {map[string]any{"Who": "a <parent>", "Link": "https://t.me/x?start=a_b-c", "Code": "ABCD-EFGH-JKMN", "Until": "2026-12-06 09:00"}},
		"consent": {map[string]any{"Role": "guardian", "Child": "Li<i>", "Home": "Q&A", "KeepDays": 365, "MailDays": 90, "HeardDays": 30}, map[string]any{"Role": "teacher", "Home": "Q&A"},
			map[string]any{"Role": "coordinator", "Home": "A, B"}},
		"mychildren": {map[string]any{"Children": []struct{ Name, Home, Relationship string }{{"Li<i>", "Q&A", "Mother"}, {"Mei", "Q", ""}}}},
		"forget":     {map[string]any{"Guardian": true, "Staff": true}, map[string]any{"Guardian": false, "Staff": false}},
		"settings": {map[string]any{"Notice": template.HTML("<b>ok</b>"), "Member": true, "Name": "Li<i>", "Language": "English",
			"Zone": "Spain <Madrid>", "OwnZone": true, "Guardian": true, "Shifts": "Mon–Sat <07:00>",
			"Quiet": "22:00–07:00 <x>", "DayAheadOff": true},
			map[string]any{"Notice": template.HTML(""), "Member": true, "Name": "", "Language": "English", "Zone": "Asia/Urumqi", "OwnZone": false},
			map[string]any{"Notice": template.HTML(""), "Member": false, "Name": "", "Language": "简体中文"}},
		"call": {map[string]any{"Title": template.HTML("<b>New</b>"), "Footer": template.HTML("<i>done</i>"), "Child": "Li<i>",
			"When": "Sat 5 Dec 08:00 (home time 15:00)", "Kind": "Video <call>", "Note": "a & b <c>", "Guardian": "Mei (Mother)", "Weekly": "every <Sat>"},
			map[string]any{"Title": template.HTML("x"), "Footer": template.HTML(""), "Child": "Mei", "When": "w", "Kind": "k", "Note": "", "Guardian": "", "Weekly": ""}},
		"calls": {map[string]any{"Mine": true, "Home": "", "Lines": []template.HTML{"• <b>x</b>"}},
			map[string]any{"Mine": false, "Home": "Q&A <home>", "Lines": []template.HTML(nil), "Pending": []template.HTML{"• <i>y</i>"}}},
		"hours": {map[string]any{"Notice": template.HTML("<b>Added</b>"), "Home": "Q&A <home>", "Days": []string{"Sat <09:00>"},
			"Slot": 15, "Lines": 2, "Closed": []string{"10 Feb (<b>)"}, "Auto": true, "Zone": "China <Beijing>",
			"Reminders": "parents <24 h> & 1 h"},
			map[string]any{"Notice": template.HTML(""), "Home": "x", "Days": []string(nil), "Slot": 10, "Lines": 1, "Closed": []string(nil), "Auto": false, "Zone": "UTC", "Reminders": "x"}},
		"closed": {map[string]any{"Notice": template.HTML("<i>ok</i>"), "Home": "Q&A", "Closed": []string{"1 May (<i>)"}},
			map[string]any{"Notice": template.HTML(""), "Home": "x", "Closed": []string(nil)}},
		"shifts": {map[string]any{"Notice": template.HTML("<b>ok</b>"), "Shifts": "Mon–Sat <07:00>"}, map[string]any{"Notice": template.HTML(""), "Shifts": "none"}},
		"digest": {map[string]any{"Title": template.HTML("<b>Q&amp;A today</b>"), "Lines": []template.HTML{"10:00 · Li&lt;i&gt;"},
			"Waiting": template.HTML("<i>1 waits</i>"), "Late": template.HTML("<i>late</i>")},
			map[string]any{"Title": template.HTML("x"), "Lines": []template.HTML(nil), "Waiting": "", "Late": ""},
			map[string]any{"Title": template.HTML("<b>part</b>"), "Lines": []template.HTML{"09:00 · Mei"}, "More": true,
				"Waiting": template.HTML("<i>1 waits</i>"), "Late": template.HTML("<i>late</i>")}},
		"quiet": {map[string]any{"Notice": template.HTML("<b>ok</b>"), "Off": false, "Hours": "22:00–07:00"},
			map[string]any{"Notice": template.HTML(""), "Off": true, "Hours": "00:00–00:00"}},
		"remindtimes": {map[string]any{"Notice": template.HTML("<i>ok</i>"), "Home": "Q&A <home>", "Reminders": "parents <24 h> & 1 h"}},
		"notcarried": {map[string]any{"Homes": []struct{ Name, Instructions string }{{"Q&A <home>", "Call <0851>"}, {"Mei", ""}}},
			map[string]any{"Homes": []struct{ Name, Instructions string }(nil)}},
	}
}

func TestTemplatesRenderValidTelegramHTML(t *testing.T) {
	b, _ := newBot(t)
	samples := sampleViews()
	for _, name := range templates.Names() {
		if len(samples[name]) == 0 {
			t.Errorf("template %s has no sample data in this test", name)
		}
	}
	for _, lang := range b.Catalog.Languages() {
		for name, views := range samples {
			for _, v := range views {
				out, err := b.Renderer.Render(lang, name, v)
				if err != nil {
					t.Fatalf("%s/%s: %v", lang, name, err)
				}
				plain, err := emulator.ParseHTML(out)
				if err != nil || strings.TrimSpace(out) == "" {
					t.Fatalf("%s/%s renders invalid Telegram HTML (%v):\n%s", lang, name, err, out)
				}
				if strings.Contains(out, "<i>\"") || strings.Contains(out, "&amp;amp;") || strings.Contains(plain, "ZgotmplZ") {
					t.Fatalf("%s/%s escaped wrongly:\n%s", lang, name, out)
				}
			}
		}
	}
}

func TestRedisAwayStillApologises(t *testing.T) {
	b, tg := newBot(t)
	u := tg.NewUser(12, "P", "en")
	b.Store.(*store.Store).Close() // Redis is gone for this bot
	outcome := b.Handle(context.Background(), textUpdate(1, u.ID, "en", "/help"), nil)
	if _, ok := u.WaitForMessage("Something went wrong on my side", time.Second); !ok {
		t.Fatalf("no apology; user sees %+v", u.Messages())
	}
	if outcome != "failed" {
		t.Fatalf("outcome = %q, want failed", outcome)
	}
}
