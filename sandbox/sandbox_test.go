package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/homelink/homelink/internal/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// client drives a sandbox through its HTTP API, as the page does.
type client struct {
	t   *testing.T
	url string
}

func (c client) post(path string, body any) int {
	c.t.Helper()
	var r *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	} else {
		r = bytes.NewReader(nil)
	}
	resp, err := http.Post(c.url+path, "application/json", r)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (c client) state() stateView {
	c.t.Helper()
	resp, err := http.Get(c.url + "/api/state")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var v stateView
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		c.t.Fatal(err)
	}
	return v
}

func (c client) phone(id int64) personView {
	c.t.Helper()
	for _, p := range c.state().People {
		if p.ID == id {
			return p
		}
	}
	c.t.Fatalf("no phone for %d", id)
	return personView{}
}

// sees waits until person id's phone shows a message containing text and
// returns it.
func (c client) sees(id int64, text string) messageView {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		msgs := c.phone(id).Messages
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].FromBot && strings.Contains(msgs[i].HTML, text) {
				return msgs[i]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("person %d never saw %q; they see %+v", id, text, c.phone(id).Messages)
	return messageView{}
}

func (c client) waitFor(cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			c.t.Fatal("condition not met within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c client) types(id int64, text string) {
	c.t.Helper()
	if code := c.post("/api/people/"+itoa(id)+"/type", map[string]string{"text": text}); code != http.StatusNoContent {
		c.t.Fatalf("type: %d", code)
	}
}

// taps presses the button labelled label on the newest message showing it.
func (c client) taps(id int64, label string) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		msgs := c.phone(id).Messages
		for i := len(msgs) - 1; i >= 0; i-- {
			for _, row := range msgs[i].Keyboard {
				for _, b := range row {
					if b.Text == label {
						if code := c.post("/api/people/"+itoa(id)+"/tap", map[string]any{"message": msgs[i].ID, "data": b.Data}); code != http.StatusNoContent {
							c.t.Fatalf("tap: %d", code)
						}
						return
					}
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("person %d sees no button %q", id, label)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func start(t *testing.T, opt Options) (*Sandbox, client, func()) {
	t.Helper()
	opt.Addr = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	sb, err := Start(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- sb.Run(ctx) }()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("sandbox stopped with %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("sandbox did not stop within 15s")
		}
	}
	return sb, client{t: t, url: sb.URL()}, stop
}

// The demonstration as someone trying homelink sees it, on the embedded
// Redis: a parent asks for help and switches language with a button, the
// clock moves, a teacher invites a new person who pairs by typing the code,
// and bad requests change nothing.
func TestSandboxPlaysTheRealBot(t *testing.T) {
	_, c, stop := start(t, Options{Seed: true})
	defer stop()

	st := c.state()
	if len(st.People) != 4 || st.People[0].Role != "coordinator" || st.People[1].Role != "teacher" || st.People[3].Lang != "en" {
		t.Fatalf("people: %+v", st.People)
	}

	// A parent types /help and taps a button.
	const dad = 1004
	c.types(dad, "/help")
	c.sees(dad, "What I can do")
	c.types(dad, "/language")
	c.sees(dad, "Which language should I use?")
	c.taps(dad, "简体中文")
	done := c.sees(dad, "好的，以后我会用简体中文")
	if !done.Edited {
		t.Fatal("the question was not edited into the answer")
	}
	c.types(dad, "/children")
	c.sees(dad, "丽丽，Qingxi Village Children&#39;s Home（您是爸爸）")

	// The clock moves.
	before := c.state().Now
	if code := c.post("/api/clock", map[string]string{"add": "24h"}); code != http.StatusNoContent {
		t.Fatalf("clock +1 day: %d", code)
	}
	after := c.state().Now
	b, _ := time.Parse("2006-01-02 15:04 Mon", before)
	a, _ := time.Parse("2006-01-02 15:04 Mon", after)
	if d := a.Sub(b); d < 24*time.Hour || d > 24*time.Hour+2*time.Minute {
		t.Fatalf("clock moved from %s to %s", before, after)
	}
	if code := c.post("/api/clock", map[string]string{"set": "2099-01-02T09:30"}); code != http.StatusNoContent {
		t.Fatalf("clock set: %d", code)
	}
	if now := c.state().Now; !strings.HasPrefix(now, "2099-01-02 09:30") {
		t.Fatalf("clock set to %s", now)
	}
	for _, bad := range []map[string]string{{"set": "2020-01-01T00:00"}, {"add": "-1h"}, {"add": "soon"}, {}} {
		if code := c.post("/api/clock", bad); code != http.StatusBadRequest {
			t.Fatalf("clock %v: %d", bad, code)
		}
	}

	// The teacher invites a guardian for 小明; an aunt added on the page
	// types the code and is paired.
	const teacher = 1002
	c.types(teacher, "/children")
	c.taps(teacher, "小明")
	c.taps(teacher, "邀请家长")
	inv := c.sees(teacher, "邀请码")
	code := regexp.MustCompile(`[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}`).FindString(inv.HTML)
	if code == "" {
		t.Fatalf("no code in %q", inv.HTML)
	}
	if c.post("/api/people", map[string]string{"name": "Aunt Mei", "lang": "en"}) != http.StatusOK {
		t.Fatal("add a person")
	}
	aunt := c.state().People[4].ID
	c.types(aunt, code)
	c.sees(aunt, "Are you 小明's parent or guardian, and do you accept this?")
	c.taps(aunt, "Yes, I'm a parent – I agree")
	c.taps(aunt, "Other guardian")
	c.sees(aunt, "You are linked to <b>小明</b> as: Other guardian")
	c.sees(teacher, "<b>小明</b>的其他监护人 Aunt Mei 已加入 homelink") // once she said who she is

	// Voice notes, photos and a language switch reach the bot.
	c.post("/api/people/"+itoa(aunt)+"/voice", nil)
	c.post("/api/people/"+itoa(aunt)+"/language", map[string]string{"lang": "zh-hans"})
	if p := c.phone(aunt); p.Lang != "zh-hans" || p.Messages[len(p.Messages)-1].Kind == "" {
		t.Fatalf("aunt: %+v", p)
	}
	// The bot answers the voice note (what it says is the bot's tests'
	// business) in English, which she chose when she joined.
	var reply messageView
	c.waitFor(func() bool {
		msgs := c.phone(aunt).Messages
		for i, m := range msgs {
			if m.Kind == "voice" && i+1 < len(msgs) && msgs[i+1].FromBot {
				reply = msgs[i+1]
				return true
			}
		}
		return false
	})
	if first, _, _ := strings.Cut(reply.HTML, "\n"); !regexp.MustCompile(`[A-Za-z]+ [A-Za-z]+ [A-Za-z]+`).MatchString(first) {
		t.Fatalf("the answer to a voice note is not in English: %q", reply.HTML)
	}

	// The rest of what people do runs on the embedded Redis too: /mydata
	// uploads a file; a revoked code opens nothing; a child is removed and
	// her father told; /forget deletes the aunt and the teacher is told.
	c.types(aunt, "/mydata")
	c.waitFor(func() bool {
		msgs := c.phone(aunt).Messages
		return msgs[len(msgs)-1].Kind == "document" && msgs[len(msgs)-1].FileName == "homelink-my-data.json"
	})
	c.taps(teacher, "« 返回")
	c.taps(teacher, "邀请家长")
	codeRE := regexp.MustCompile(`[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}`)
	var revoked string
	c.waitFor(func() bool {
		for _, m := range c.phone(teacher).Messages {
			if found := codeRE.FindString(m.HTML); found != "" && found != code {
				revoked = found
			}
		}
		return revoked != ""
	})
	c.taps(teacher, "撤销邀请")
	c.sees(teacher, "邀请已撤销")
	c.types(1001, revoked)
	c.sees(1001, "这个邀请无效或已过期")
	c.types(teacher, "/children")
	c.taps(teacher, "丽丽")
	c.taps(teacher, "移除这个孩子")
	c.taps(teacher, "确定移除")
	c.sees(dad, "Qingxi Village Children&#39;s Home 已在 homelink 上移除了丽丽")
	c.types(aunt, "/forget")
	c.taps(aunt, "Yes, delete everything")
	c.sees(aunt, "Everything homelink stored about you is deleted")
	c.sees(teacher, "<b>小明</b>的家长 Aunt Mei（其他监护人）已退出 homelink")

	// Bad requests are refused and change nothing.
	for path, body := range map[string]any{
		"/api/people/1004/type":   map[string]string{"text": "  "},
		"/api/people/1004/tap":    map[string]string{"data": ""},
		"/api/people/1004/frob":   nil,
		"/api/people/9/type":      map[string]string{"text": "hi"},
		"/api/people":             map[string]string{"name": ""},
		"/api/people/1004/voice2": nil,
	} {
		if code := c.post(path, body); code < 400 {
			t.Errorf("%s accepted (%d)", path, code)
		}
	}
}

// A second start on a real Redis keeps what the first left and does not
// seed twice.
func TestSandboxOnARealRedisKeepsItsData(t *testing.T) {
	_, prefix := redistest.Client(t)
	env := func(name string) string {
		if name == "REDIS_KEY_PREFIX" {
			return prefix
		}
		return ""
	}
	opt := Options{Seed: true, RedisURL: redistest.URL(), Getenv: env}
	_, c, stop := start(t, opt)
	c.types(1002, "/children")
	c.taps(1002, "+ 登记孩子")
	c.types(1002, "阿福")
	c.taps(1002, "跳过")
	c.sees(1002, "<b>阿福</b>已登记")
	stop()

	sb, c, stop := start(t, opt)
	defer stop()
	c.types(1002, "/children")
	list := c.sees(1002, "Qingxi Village Children&#39;s Home 的孩子")
	for _, name := range []string{"小明", "丽丽", "阿福"} {
		if !strings.Contains(list.HTML, name) {
			t.Fatalf("after a restart the list lacks %s:\n%s", name, list.HTML)
		}
	}
	if strings.Count(list.HTML, "小明") != 1 {
		t.Fatalf("seeded twice:\n%s", list.HTML)
	}
	if n, _ := sb.app.Store.Homes(context.Background(), []int64{1, 2}); len(n) != 1 {
		t.Fatalf("%d homes after two starts", len(n))
	}
}

func (c client) get(path string) (int, http.Header, string) {
	c.t.Helper()
	resp, err := http.Get(c.url + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, b.String()
}

// The bot's answers to taps reach the page: a tap on an older menu's
// button gets the bot's "expired" notice, which the page shows as a toast,
// and that keyboard is marked dead while the newer one stays live. Taps on
// messages the phone does not show are refused; /mydata's file opens.
func TestSandboxShowsTheBotsAnswersToTaps(t *testing.T) {
	sb, c, stop := start(t, Options{Seed: true})
	defer stop()
	expired, err := sb.app.Bot.Catalog.Localizer("en").Localize(&i18n.LocalizeConfig{MessageID: "ButtonExpired"})
	if err != nil {
		t.Fatal(err)
	}
	// The demonstration's request on his phone has a keyboard of its own.
	c.waitFor(func() bool { return len(c.phone(1004).Messages) > 0 })
	seeded := map[int]bool{}
	for _, m := range c.phone(1004).Messages {
		seeded[m.ID] = true
	}
	menus := func() (out []messageView) {
		for _, m := range c.phone(1004).Messages {
			if len(m.Keyboard) > 0 && !seeded[m.ID] {
				out = append(out, m)
			}
		}
		return out
	}

	const dad = 1004
	c.types(dad, "/language")
	c.waitFor(func() bool { return len(menus()) == 1 })
	c.types(dad, "/language")
	c.waitFor(func() bool { return len(menus()) == 2 })
	old, newer := menus()[0], menus()[1]
	if code := c.post("/api/people/1004/tap", map[string]any{"message": old.ID, "data": old.Keyboard[0][0].Data}); code != http.StatusNoContent {
		t.Fatalf("tap on the older menu: %d", code)
	}
	var p personView
	c.waitFor(func() bool { p = c.phone(dad); return len(p.Answers) == 1 })
	if a := p.Answers[0]; a.Message != old.ID || a.Text != expired || a.ID == "" || a.Time == "" {
		t.Fatalf("answer: %+v, want %q", a, expired)
	}
	for _, m := range p.Messages {
		switch {
		case m.ID == old.ID && m.Dead != expired:
			t.Errorf("the expired keyboard is not marked dead: %+v", m)
		case m.ID != old.ID && m.Dead != "":
			t.Errorf("a live keyboard is marked dead: %+v", m)
		}
	}
	// The newer menu works; the bot answers that tap with no notice, so
	// there is nothing new to show.
	if code := c.post("/api/people/1004/tap", map[string]any{"message": newer.ID, "data": newer.Keyboard[0][0].Data}); code != http.StatusNoContent {
		t.Fatalf("tap on the newer menu: %d", code)
	}
	c.waitFor(func() bool { return len(menus()) == 1 })
	if p := c.phone(dad); len(p.Answers) != 1 || menus()[0].Dead == "" {
		t.Fatalf("after a working tap: answers %+v, menus %+v", p.Answers, menus())
	}

	// Taps on messages that are not on this phone are refused.
	own := 0 // the dad's own /language: a message, but not the bot's
	for _, m := range c.phone(dad).Messages {
		if !m.FromBot && own == 0 {
			own = m.ID
		}
	}
	for _, msg := range []int{0, 9999, own} {
		if code := c.post("/api/people/1004/tap", map[string]any{"message": msg, "data": old.Keyboard[0][0].Data}); code != http.StatusNotFound {
			t.Errorf("tap on message %d: %d", msg, code)
		}
	}
	if code := c.post("/api/people/1003/tap", map[string]any{"message": old.ID, "data": old.Keyboard[0][0].Data}); code != http.StatusNotFound {
		t.Errorf("tap on another phone's message: %d", code)
	}

	// /mydata's file opens from the page, as JSON that is never run.
	c.types(dad, "/mydata")
	var doc messageView
	c.waitFor(func() bool {
		msgs := c.phone(dad).Messages
		doc = msgs[len(msgs)-1]
		return doc.Kind == "document"
	})
	if doc.File == "" {
		t.Fatalf("no file to open: %+v", doc)
	}
	code, h, body := c.get(doc.File)
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
		!strings.Contains(h.Get("Content-Disposition"), "homelink-my-data.json") || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("file: %d %v", code, h)
	}
	if !json.Valid([]byte(body)) || !strings.Contains(body, "1004") {
		t.Fatalf("file body: %s", body)
	}
	for _, path := range []string{"/files/1003/" + strconv.Itoa(doc.ID), "/files/1004/9999", "/files/1004/1", "/files/9/1"} {
		if code, _, _ := c.get(path); code != http.StatusNotFound {
			t.Errorf("%s: %d", path, code)
		}
	}
}

// Without the demonstration nobody holds a role, and no phone says one.
func TestSandboxWithoutTheSeedLabelsNoRoles(t *testing.T) {
	_, c, stop := start(t, Options{Seed: false})
	defer stop()
	st := c.state()
	if len(st.People) != 4 {
		t.Fatalf("people: %+v", st.People)
	}
	for _, p := range st.People {
		if p.Role != "" {
			t.Errorf("%s is labelled %q", p.Name, p.Role)
		}
	}
}

// The demonstration's calls: the teacher's phone shows Zhang Jian's
// request with its buttons, and confirming it tells him in English; 小明's
// mother sees her confirmed Saturday call.
func TestSandboxDemonstrationHasCalls(t *testing.T) {
	sb, c, stop := start(t, Options{Seed: true})
	defer stop()
	teacher, mom, dad := demoPeople[1].ID, demoPeople[2].ID, demoPeople[3].ID
	say := func(lang, id string) string { return sb.app.Bot.Renderer.Text(lang, id, "Child", "丽丽") }
	c.sees(mom, "小明")
	if got := c.sees(mom, "10:00"); !strings.Contains(got.HTML, say("zh-Hans", "WeekdayShort_6")) {
		t.Fatalf("the mother's confirmed call is not on a Saturday at 10:00: %q", got.HTML)
	}
	req := c.sees(teacher, "Zhang Jian")
	if !strings.Contains(req.HTML, "15:00") || len(req.Keyboard) == 0 {
		t.Fatalf("the teacher's request card: %+v", req)
	}
	c.taps(teacher, say("zh-Hans", "ConfirmCallButton"))
	c.sees(dad, strings.SplitN(say("en", "BookSentTitle"), ".", 2)[0])
	c.waitFor(func() bool {
		for _, m := range c.phone(dad).Messages {
			if m.FromBot && strings.Contains(m.HTML, "丽丽") && strings.Contains(m.HTML, "15:00") &&
				strings.Contains(m.HTML, strings.SplitN(say("en", "CallConfirmedTitle"), ":", 2)[0]) {
				return true
			}
		}
		return false
	})
	hrs, err := sb.app.Store.Hours(context.Background(), 1)
	if err != nil || hrs.Lines != 2 || hrs.SlotMinutes != 15 || len(hrs.Windows) != 2 {
		t.Fatalf("the home's hours: %+v, %v", hrs, err)
	}
}
