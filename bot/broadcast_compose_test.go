package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/locales"
)

// reader is a request in lang with update u, for the words and checks
// that need no store.
func reader(b *Bot, lang string, u *models.Update) *request {
	return &request{b: b, lang: lang, update: u}
}

func sent(text string, ents ...models.MessageEntity) *models.Update {
	return &models.Update{Message: &models.Message{Text: text, Entities: ents}}
}

// A broadcast's message is taken with its formatting; a placeholder that
// is not one is refused naming it and the known ones; an empty text, or
// one longer than Telegram takes, is refused.
func TestBroadcastVersionIsCheckedAsItIsSent(t *testing.T) {
	b := renderBot(t)
	r := reader(b, "en", sent("Dear {parent_name}, see you", ent("bold", 5, 13)))
	v, refusal := b.bcVersion(r, input{kind: inText, text: r.update.Message.Text}, "en")
	if refusal != "" || v.Text != "Dear <b>{parent_name}</b>, see you" || v.Lang != "en" {
		t.Fatalf("version %+v, refusal %q", v, refusal)
	}

	r = reader(b, "zh-Hans", sent("{name}您好，{child_names}，{name}，{班级}"))
	_, refusal = b.bcVersion(r, input{kind: inText, text: r.update.Message.Text}, "zh-Hans")
	want := "我不认识 <code>{name}</code>。能用的只有 <code>{parent_name}</code>、<code>{child_names}</code>、" +
		"<code>{home_name}</code>、<code>{next_call}</code>。请改好后重新发送。"
	if refusal != want {
		t.Fatalf("refusal %q\nwant    %q", refusal, want)
	}

	r = reader(b, "en", sent(strings.Repeat("😀", homelink.MaxBroadcastText/2+1)))
	if _, refusal = b.bcVersion(r, input{kind: inText, text: r.update.Message.Text}, "en"); !strings.Contains(refusal, "4098 characters") {
		t.Fatalf("a long text: %q", refusal)
	}
	photo := &models.Update{Message: &models.Message{Caption: strings.Repeat("a", homelink.MaxBroadcastCaption+1),
		Photo: []models.PhotoSize{{FileID: "p1"}}}}
	if _, refusal = b.bcVersion(reader(b, "en", photo), input{kind: inPhoto, fileID: "p1"}, "en"); !strings.Contains(refusal, "under a photo") {
		t.Fatalf("a long caption: %q", refusal)
	}
	photo.Message.Caption, photo.Message.CaptionEntities = "Spring <festival>", []models.MessageEntity{ent("italic", 0, 6)}
	if v, refusal = b.bcVersion(reader(b, "en", photo), input{kind: inPhoto, fileID: "p1"}, "en"); refusal != "" ||
		v.Photo != "p1" || v.Text != "<i>Spring</i> &lt;festival&gt;" {
		t.Fatalf("a photo: %+v %q", v, refusal)
	}
	if _, refusal = b.bcVersion(reader(b, "en", sent("  ")), input{kind: inText, text: "  "}, "en"); refusal == "" {
		t.Fatal("an empty text was taken")
	}
}

// Schedules echoed in the sender's words.
func TestScheduleWordsInBothLanguages(t *testing.T) {
	b := renderBot(t)
	for _, c := range []struct {
		once, rule, en, zh string
	}{
		{"", "every Friday at 18:00", "every Friday at 18:00, each home's time", "每周五 18:00（各儿童之家当地时间）"},
		{"", "every day at 09:30", "every day at 09:30, each home's time", "每天 09:30（各儿童之家当地时间）"},
		{"", "0 18 * * 1,3,5", "every Monday, Wednesday and Friday at 18:00, each home's time", "每周一、周三、周五 18:00（各儿童之家当地时间）"},
		{"", "0 7 * * 0,6", "every Saturday and Sunday at 07:00, each home's time", "每周六、周日 07:00（各儿童之家当地时间）"},
		// All seven days named one by one: "every day", not "every every day" / "每每天".
		{"", "0 8 * * 0,1,2,3,4,5,6", "every day at 08:00, each home's time", "每天 08:00（各儿童之家当地时间）"},
		{"", "30 8 1 * *", "by the cron expression <code>30 8 1 * *</code>, each home's time", "按 cron 表达式 <code>30 8 1 * *</code>（各儿童之家当地时间）"},
		{"2026-12-05 18:00", "", "once, on Sat 5 Dec 18:00, each home's time", "12月5日 周六 18:00（各儿童之家当地时间），只发一次"},
		{"", "", "sent at once", "立即发送"},
	} {
		if got := string(reader(b, "en", nil).scheduleWords(c.once, c.rule)); got != c.en {
			t.Errorf("%q %q in English: %q, want %q", c.once, c.rule, got, c.en)
		}
		if got := string(reader(b, "zh-Hans", nil).scheduleWords(c.once, c.rule)); got != c.zh {
			t.Errorf("%q %q in Chinese: %q, want %q", c.once, c.rule, got, c.zh)
		}
	}
}

func TestWeeklyRuleIsTheSimpleFormWhenItCanBe(t *testing.T) {
	for _, c := range []struct {
		days []time.Weekday
		min  int
		want string
	}{
		{[]time.Weekday{time.Friday}, 18 * 60, "every Friday at 18:00"},
		{maskDays(0x7f), 9*60 + 5, "every day at 09:05"},
		{[]time.Weekday{time.Monday, time.Wednesday, time.Friday}, 7*60 + 30, "30 7 * * 1,3,5"},
	} {
		if got := weeklyRule(c.days, c.min); got != c.want {
			t.Errorf("weeklyRule(%v, %d) = %q, want %q", c.days, c.min, got, c.want)
		}
	}
}

// A cron expression goes by each home's clock and at most hourly.
func TestCronRuleRefusesWhatCannotBeABroadcast(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for text, why := range map[string]string{
		"0 18 * * 5":                     "",
		"  30   8 1 * * ":                "",
		"0 9,10 * * *":                   "",
		"CRON_TZ=Europe/Rome 0 18 * * 5": "BcCronZone",
		"* * * * *":                      "BcCronTooOften",
		"*/30 9 * * *":                   "BcCronTooOften",
		"@hourly":                        "",
		"0 18 * * 8":                     "BcCronBad",
		"next friday evening please":     "BcEveryNotUnderstood",
		"every Friday at 18:00":          "",
		"0 18 31 2 *":                    "BcCronBad",
	} {
		if _, got := cronRule(text, loc, now); got != why {
			t.Errorf("cronRule(%q) refused with %q, want %q", text, got, why)
		}
	}
}

func TestSendingTimeInWords(t *testing.T) {
	b := renderBot(t)
	for _, c := range []struct {
		n      int
		rate   float64
		en, zh string
	}{
		{1, 30, "about a second", "大约需要 1 秒"},
		{1234, 30, "about 42 seconds", "大约需要 42 秒"},
		{21600, 30, "about 12 minutes", "大约需要 12 分钟"},
		{108000, 30, "about an hour", "大约需要 1 小时"},
		{200000, 30, "about 1 h 51 min", "大约需要 1 小时 51 分钟"},
		{200000, 1000, "about 3 minutes", "大约需要 3 分钟"},
	} {
		if got := string(reader(b, "en", nil).sendingTime(c.n, c.rate)); got != c.en {
			t.Errorf("%d at %v/s: %q, want %q", c.n, c.rate, got, c.en)
		}
		if got := string(reader(b, "zh-Hans", nil).sendingTime(c.n, c.rate)); got != c.zh {
			t.Errorf("%d at %v/s: %q, want %q", c.n, c.rate, got, c.zh)
		}
	}
}

// Who may send what: a coordinator to any of their homes, a teacher to
// their own home's parents or everyone there, never urgent.
func TestMaySend(t *testing.T) {
	coord := homelink.Roles{Coordinates: map[int64]bool{1: true, 2: true}}
	teacher := homelink.Roles{Teaches: map[int64]bool{1: true}}
	parent := homelink.Roles{Guards: map[int64]homelink.Guardianship{5: {HomeID: 1}}}
	g, tc, all := homelink.AudienceGuardians, homelink.AudienceTeachers, homelink.AudienceEveryone
	for _, c := range []struct {
		name   string
		roles  homelink.Roles
		homes  []int64
		a      homelink.Audience
		urgent bool
		want   bool
	}{
		{"coordinator, both homes, urgent", coord, []int64{1, 2}, tc, true, true},
		{"coordinator, another home", coord, []int64{1, 3}, g, false, false},
		{"teacher, own home", teacher, []int64{1}, all, false, true},
		{"teacher, to teachers", teacher, []int64{1}, tc, false, false},
		{"teacher, urgent", teacher, []int64{1}, g, true, false},
		{"teacher, another home", teacher, []int64{2}, g, false, false},
		{"teacher, still choosing", teacher, nil, "", false, true},
		{"parent", parent, []int64{1}, g, false, false},
		{"parent, still choosing", parent, nil, "", false, false},
		{"an audience that is none", coord, []int64{1}, "strangers", false, false},
	} {
		if got := maySend(c.roles, c.homes, c.a, c.urgent); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// The ids the broadcast code builds from tables exist in every language.
func TestBroadcastMessageIDsBuiltFromTablesExist(t *testing.T) {
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	b := renderBot(t)
	var ids []string
	for _, pair := range whoIDs {
		ids = append(ids, pair[0], pair[1])
	}
	for _, lang := range cat.Languages() {
		for _, id := range ids {
			if got := b.Renderer.Text(lang, id, "Home", "H", "Count", 2); got == "" || got == id {
				t.Errorf("message %s missing in %s", id, lang)
			}
		}
	}
}
