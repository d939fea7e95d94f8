package bot

import (
	"html"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/locales"
	"github.com/homelink/homelink/metrics"
	"github.com/homelink/homelink/outbox"
	"github.com/homelink/homelink/templates"
)

// renderBot is a Bot that only renders: no store, no sender.
func renderBot(t testing.TB) *Bot {
	t.Helper()
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	r, err := templates.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Catalog: cat, Renderer: r, Clock: homelink.SystemClock{}, Metrics: metrics.New(),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ButtonKey: []byte("render-key-16byt"), Zone: time.UTC})
}

// A broadcast in two languages, with every placeholder.
var twoVersions = homelink.Broadcast{ID: 7, Audience: homelink.AudienceEveryone, Versions: []homelink.BroadcastVersion{
	{Lang: "zh-Hans", Text: "<b>{parent_name}</b>您好！{home_name}提醒：{child_names}的下一次通话是{next_call}。"},
	{Lang: "en", Text: "Dear <b>{parent_name}</b>, {home_name} here: the next call with {child_names} is {next_call}."},
}}

// Each recipient reads their language's version, filled for them: names
// listed as their language lists them, their next call in their own zone
// with the child's name, and warm words for what they lack.
func TestBroadcastMessageFillsEachRecipientsVersion(t *testing.T) {
	b := renderBot(t)
	call := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC) // 15:00 in Shanghai, 08:00 in Madrid
	for _, c := range []struct {
		name string
		r    homelink.Recipient
		want string
	}{
		{"a mother in Chinese", homelink.Recipient{User: 1, Lang: "zh-Hans", Name: "李秀兰", HomeName: "青溪村儿童之家",
			Children: []string{"小明", "Lili"}, Zone: "Asia/Shanghai", NextCall: call, NextCallChild: "小明"},
			"<b>李秀兰</b>您好！青溪村儿童之家提醒：小明、Lili的下一次通话是12月5日 周六 15:00（和小明）。"},
		{"a father abroad in English", homelink.Recipient{User: 2, Lang: "en", Name: "Jian", HomeName: "青溪村儿童之家",
			Children: []string{"Anna", "Ben", "小明"}, Zone: "Europe/Madrid", NextCall: call, NextCallChild: "Ben"},
			"Dear <b>Jian</b>, 青溪村儿童之家 here: the next call with Anna, Ben and 小明 is Sat 5 Dec 08:00 with Ben."},
		{"a teacher with no child and no call", homelink.Recipient{User: 3, Lang: "en", Name: "Mr Lin", HomeName: "山口儿童之家"},
			"Dear <b>Mr Lin</b>, 山口儿童之家 here: the next call with the children is no call booked yet."},
		{"a teacher in Chinese", homelink.Recipient{User: 4, Lang: "zh-Hans", Name: "王老师", HomeName: "山口儿童之家"},
			"<b>王老师</b>您好！山口儿童之家提醒：孩子们的下一次通话是还没有预约。"},
		{"a name to escape", homelink.Recipient{User: 5, Lang: "en", Name: "Li <& Co>", HomeName: "H", Children: []string{"A"}},
			"Dear <b>Li &lt;&amp; Co&gt;</b>, H here: the next call with A is no call booked yet."},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := b.broadcastMessage(twoVersions, c.r)
			// Above it, the home it comes from.
			head := "📣 <b>" + html.EscapeString(c.r.HomeName) + "</b>\n\n"
			if !strings.HasPrefix(m.Text, head) || strings.TrimPrefix(m.Text, head) != c.want {
				t.Fatalf("got  %s\nwant %s%s", m.Text, head, c.want)
			}
			if m.ChatID != c.r.User || m.Lane != outbox.Bulk || m.Kind != outbox.Text || m.Silent || m.FileID != "" {
				t.Fatalf("message %+v", m)
			}
			if _, err := emulator.ParseHTML(m.Text); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Someone whose language has no version reads the first, filled in its
// language, so the sentence reads as one.
func TestBroadcastMessageFallsBackToTheFirstVersion(t *testing.T) {
	b := renderBot(t)
	one := homelink.Broadcast{Versions: []homelink.BroadcastVersion{{Lang: "zh-Hans", Text: "{child_names}：明天放假。"}}}
	m := b.broadcastMessage(one, homelink.Recipient{User: 9, Lang: "en", Children: []string{"Anna", "Ben"}})
	if m.Text != "Anna、Ben：明天放假。" {
		t.Fatalf("got %q", m.Text)
	}
}

func TestBroadcastMessageSendsAPhotoWithItsCaption(t *testing.T) {
	b := renderBot(t)
	bc := homelink.Broadcast{Versions: []homelink.BroadcastVersion{{Lang: "en", Text: "<i>Hello {parent_name}</i>", Photo: "photo-1"}}}
	m := b.broadcastMessage(bc, homelink.Recipient{User: 3, Lang: "zh-Hans", Name: "Mei"})
	if m.Kind != outbox.Photo || m.FileID != "photo-1" || m.Text != "<i>Hello Mei</i>" || m.Lane != outbox.Bulk {
		t.Fatalf("message %+v", m)
	}
}

// Filled placeholders can make a text longer than Telegram takes: it is
// cut to the limit, in UTF-16 units, ending in "…", its tags closed.
func TestBroadcastMessageIsCutToTelegramsLimits(t *testing.T) {
	b := renderBot(t)
	long := "<b>" + strings.Repeat("好", homelink.MaxBroadcastText-20) + "{parent_name}</b> &amp; more"
	name := strings.Repeat("👋", 40) // 80 UTF-16 units
	for _, c := range []struct {
		name string
		v    homelink.BroadcastVersion
		max  int
	}{
		{"text", homelink.BroadcastVersion{Lang: "en", Text: long}, homelink.MaxBroadcastText},
		{"caption", homelink.BroadcastVersion{Lang: "en", Photo: "p", Text: `<a href="https://x.org/?a=1&amp;b=2">` +
			strings.Repeat("é", homelink.MaxBroadcastCaption-10) + "{parent_name}</a>"}, homelink.MaxBroadcastCaption},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := b.broadcastMessage(homelink.Broadcast{Versions: []homelink.BroadcastVersion{c.v}}, homelink.Recipient{Lang: "en", Name: name})
			seen, err := emulator.ParseHTML(m.Text)
			if err != nil {
				t.Fatalf("Telegram would refuse the cut text: %v", err)
			}
			// An emoji is never split: the cut may fall one unit short.
			if n := utf16Len(seen); n > c.max || n < c.max-1 {
				t.Fatalf("cut to %d units, want %d", n, c.max)
			}
			if !strings.HasSuffix(seen, "…") || strings.Contains(seen, "\uFFFD") {
				t.Fatalf("cut text ends %q", seen[len(seen)-20:])
			}
		})
	}
	short := homelink.Broadcast{Versions: []homelink.BroadcastVersion{{Lang: "en", Text: "<b>Hi</b> {parent_name} &lt;3"}}}
	if m := b.broadcastMessage(short, homelink.Recipient{Name: "Mei"}); m.Text != "<b>Hi</b> Mei &lt;3" {
		t.Fatalf("a short text changed: %q", m.Text)
	}
}

func TestCutHTMLCountsWhatTelegramShows(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcde…"},
		{"<b>ab</b>cd<i>efg</i>", 6, "<b>ab</b>cd<i>e…</i>"},
		{"&lt;&gt;&amp;xyz", 4, "&lt;&gt;&amp;…"},
		{"👋👋👋", 4, "👋…"},
		{"<pre><code class=\"language-go\">x := 1</code></pre>", 4, "<pre><code class=\"language-go\">x :…</code></pre>"},
		{"<blockquote expandable>abcdef</blockquote>", 3, "<blockquote expandable>ab…</blockquote>"},
	} {
		if got := cutHTML(c.in, c.max); got != c.want {
			t.Errorf("cutHTML(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// A broadcast names its home and its sender above it.
func TestBroadcastMessageSaysWhoSentIt(t *testing.T) {
	b := renderBot(t)
	bc := twoVersions
	bc.FromName = "周主任"
	m := b.broadcastMessage(bc, homelink.Recipient{User: 1, Lang: "zh-Hans", Name: "李秀兰", HomeName: "青溪村儿童之家"})
	if !strings.HasPrefix(m.Text, "📣 <b>青溪村儿童之家</b> · 周主任\n\n<b>李秀兰</b>您好") {
		t.Fatalf("got %s", m.Text)
	}
}

// The engine calls broadcastMessage for every recipient: it must stay
// cheap (no store, a few allocations).
func BenchmarkBroadcastMessage(b *testing.B) {
	bot := renderBot(b)
	r := homelink.Recipient{User: 1, Lang: "zh-Hans", Name: "李秀兰", HomeName: "青溪村儿童之家", Children: []string{"小明"},
		Zone: "Asia/Shanghai", NextCall: time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC), NextCallChild: "小明"}
	b.ReportAllocs()
	for b.Loop() {
		bot.broadcastMessage(twoVersions, r)
	}
}
