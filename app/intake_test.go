package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink/internal/redistest"
)

func (h *harness) post(r *replica, secretHeader, body string) int {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.url+"/telegram/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secretHeader != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretHeader)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func textUpdate(updateID, user int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764320000,`+
		`"chat":{"id":%d,"type":"private","first_name":"P"},"from":{"id":%d,"is_bot":false,"first_name":"P","language_code":"en"},`+
		`"text":%q,"entities":[{"type":"bot_command","offset":0,"length":%d}]}}`,
		updateID, updateID, user, user, text, len(strings.Fields(text)[0]))
}

// inboxKeys lists the per-user update keys stored (dedupe and inbox).
func (h *harness) inboxKeys() []string {
	var out []string
	for _, k := range redistest.Keys(h.t, h.rdb, h.prefix) {
		if strings.HasSuffix(k, ":seen") || strings.HasSuffix(k, ":inbox") || strings.HasSuffix(k, "pending") {
			out = append(out, k)
		}
	}
	return out
}

func TestWebhookRefusesWrongSecretAndGarbage(t *testing.T) {
	h := start(t, webhook)
	p := h.person(3001, "A", "en")
	rep := h.reps[0]
	if code := h.post(rep, "wrong-secret", textUpdate(1, p.ID, "/start")); code != 401 {
		t.Fatalf("wrong secret: %d, want 401", code)
	}
	if code := h.post(rep, "", textUpdate(2, p.ID, "/start")); code != 401 {
		t.Fatalf("no secret: %d, want 401", code)
	}
	for _, body := range []string{`{"update_id":`, `[]`, `{"message":{}}`, `{"update_id":-5}`, "\x00\xff"} {
		if code := h.post(rep, secret, body); code != 400 {
			t.Fatalf("body %q: %d, want 400", body, code)
		}
	}
	huge := `{"update_id":9,"message":{"text":"` + strings.Repeat("a", 2<<20) + `"}}`
	if code := h.post(rep, secret, huge); code != 413 {
		t.Fatalf("2 MiB update: %d, want 413", code)
	}
	if keys := h.inboxKeys(); len(keys) != 0 {
		t.Fatalf("refused calls stored %v", keys)
	}
	// The right secret works, and nothing of the refused calls was handled.
	if code := h.post(rep, secret, textUpdate(3, p.ID, "/help")); code != 200 {
		t.Fatalf("right secret: %d", code)
	}
	p.Sees("What I can do")
	p.settled(1)
}

// Anyone can call the webhook. Thousands of forged, oversized and
// malformed calls are refused and counted by reason, and leave a line or
// two in the log, not one per call.
func TestRefusedWebhookCallsAreCountedNotLoggedEach(t *testing.T) {
	h := start(t, webhook)
	rep := h.reps[0]
	var wg sync.WaitGroup
	calls := func(n int, secretHeader, body string, want int) {
		sem := make(chan struct{}, 16)
		for i := 0; i < n; i++ {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				if code := h.post(rep, secretHeader, body); code != want {
					t.Errorf("refused call answered %d, want %d", code, want)
				}
			}()
		}
		wg.Wait()
	}
	calls(2000, "forged", textUpdate(1, 3009, "/start"), 401)
	calls(200, secret, `{"update_id":9,"message":{"text":"`+strings.Repeat("a", 1<<20)+`"}}`, 413)
	calls(200, secret, `{"update_id":`, 400)

	wants := []string{
		`homelink_webhook_refused_total{reason="wrong_secret"} 2000`,
		`homelink_webhook_refused_total{reason="too_large"} 200`,
		`homelink_webhook_refused_total{reason="bad_json"} 200`,
	}
	body := h.metrics(rep)
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	var refusals int
	for _, line := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(line, "refused") {
			refusals++
		}
	}
	if refusals != 3 || len(h.logs.String()) > 16<<10 {
		t.Fatalf("2,400 refused calls left %d log lines about refusals and %d bytes of log, want 3 lines (one per reason) and a few kilobytes:\n%.2000s",
			refusals, len(h.logs.String()), h.logs.String())
	}
	for _, reason := range []string{"wrong_secret", "too_large", "bad_json"} {
		if !strings.Contains(h.logs.String(), `"reason":"`+reason+`"`) {
			t.Errorf("no log line names the refusals for %s", reason)
		}
	}
	if keys := h.inboxKeys(); len(keys) != 0 {
		t.Fatalf("refused calls stored %v", keys)
	}
}

func TestSameUpdateTwiceIsHandledOnce(t *testing.T) {
	h := start(t, webhook)
	h.addReplica(webhook) // a second replica behind the same webhook
	p := h.person(3002, "A", "en")
	upd := textUpdate(77, p.ID, "/help")
	for i := 0; i < 3; i++ {
		if code := h.post(h.reps[i%2], secret, upd); code != 200 {
			t.Fatalf("delivery %d: %d", i, code)
		}
	}
	p.Sees("What I can do")
	if code := h.post(h.reps[0], secret, textUpdate(78, p.ID, "/start")); code != 200 {
		t.Fatal(code)
	}
	p.Sees("Welcome")
	p.settled(2)
}

// Twenty quick updates from one user are answered in the order sent, even
// when they arrive at two replicas.
func TestTwentyQuickUpdatesInOrder(t *testing.T) {
	commands := []string{"/start", "/help", "/cancel", "/language", "/help@" + "homelink_test_bot"}
	replyOf := map[string]string{
		"/start": "Welcome", "/help": "What I can do", "/cancel": "", "/language": "Which language",
		"/help@homelink_test_bot": "What I can do",
	}
	var sent, want []string
	flow := false
	for i := 0; i < 20; i++ {
		c := commands[(i*7+i/3)%len(commands)]
		sent = append(sent, c)
		switch {
		case c == "/cancel" && flow:
			want = append(want, "Okay, stopped. Nothing was changed.")
		case c == "/cancel":
			want = append(want, "There is nothing to cancel")
		default:
			want = append(want, replyOf[c])
		}
		if c == "/language" {
			flow = true
		} else if c == "/cancel" {
			flow = false
		}
	}
	check := func(t *testing.T, p *person) {
		p.settled(20)
		for i, m := range p.Messages() {
			if !strings.Contains(m.Text, want[i]) {
				t.Fatalf("reply %d to %s is %q, want %q\n%s", i+1, sent[i], m.Text, want[i], transcript(p.Messages()))
			}
		}
	}
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			h := start(t, mode)
			p := h.person(3003, "A", "en")
			for _, c := range sent {
				p.Types(c)
			}
			check(t, p)
		})
	}
	t.Run("two replicas", func(t *testing.T) {
		h := start(t, webhook)
		h.addReplica(webhook)
		p := h.person(3004, "A", "en")
		for i, c := range sent {
			if code := h.post(h.reps[i%2], secret, textUpdate(int64(500+i), p.ID, c)); code != 200 {
				t.Fatal(code)
			}
		}
		check(t, p)
	})
}

// Updates the bot has no use for are ignored without a crash; blocking the
// bot is remembered until the user writes again.
func TestUnusedUpdatesAndBlocking(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			h := start(t, mode)
			p := h.person(3005, "A", "en")
			h.tg.NewGroup(-4001, "Village group")
			h.tg.PushRaw("edited_message", map[string]any{"message_id": 1, "date": 1, "edit_date": 2,
				"chat": map[string]any{"id": p.ID, "type": "private"}, "from": map[string]any{"id": p.ID, "is_bot": false, "first_name": "A"}, "text": "edit"})
			h.tg.PushRaw("channel_post", map[string]any{"message_id": 1, "date": 1,
				"chat": map[string]any{"id": -1009, "type": "channel", "title": "news"}, "text": "post"})
			h.tg.PushRaw("poll", map[string]any{"id": "1", "question": "?", "options": []any{}})
			p.TypesInGroup(-4001, "/help")
			p.SendsSticker()
			p.Sees("To begin, ask the teacher") // a stranger's sticker gets the welcome
			p.SendsVoice()
			p.SeesNew(1, "To begin, ask the teacher")
			p.Types("/help")
			p.SeesNew(2, "What I can do")
			p.settled(3)

			ctx := context.Background()
			ob := h.reps[0].app.Outbox
			p.Blocks()
			if !h.tg.WaitFor(5*time.Second, func() bool { ok, _ := ob.Reachable(ctx, p.ID); return !ok }) {
				t.Fatal("kicked status did not mark the chat unreachable")
			}
			p.Unblocks()
			p.Types("/start")
			p.SeesNew(3, "Welcome")
			if ok, _ := ob.Reachable(ctx, p.ID); !ok {
				t.Fatal("chat still unreachable after the user wrote again")
			}
		})
	}
}

// A reply to a user who blocked the bot marks their chat unreachable.
func TestReplyToBlockedUserMarksThem(t *testing.T) {
	h := start(t, webhook)
	p := h.person(3006, "A", "en")
	h.tg.Fail("sendMessage", 403, "Forbidden: bot was blocked by the user", 1)
	p.Types("/help")
	ob := h.reps[0].app.Outbox
	if !h.tg.WaitFor(5*time.Second, func() bool { ok, _ := ob.Reachable(context.Background(), p.ID); return !ok }) {
		t.Fatal("403 did not mark the chat unreachable")
	}
	// Writing again makes them reachable: the reply clears the mark.
	p.Types("/help")
	p.Sees("What I can do")
	if ok, _ := ob.Reachable(context.Background(), p.ID); !ok {
		t.Fatal("chat still unreachable after the user wrote again")
	}
}

// metrics reads a replica's /metrics.
func (h *harness) metrics(r *replica) string {
	h.t.Helper()
	resp, err := http.Get(r.url + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	io.Copy(&b, resp.Body)
	return b.String()
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	h := start(t, webhook)
	p := h.person(3007, "A", "en")
	p.Types("/help")
	p.Sees("What I can do")
	get := func(path string) (int, string) {
		resp, err := http.Get(h.reps[0].url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		io.Copy(&b, resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Fatalf("readyz %d", code)
	}
	wants := []string{
		`homelink_updates_total{outcome="handled",type="message"} 1`,
		`homelink_handler_seconds_count`,
		`homelink_bot_api_calls_total{method="sendMessage",result="ok"} 1`,
		`homelink_bot_api_calls_total{method="setWebhook",result="ok"} 1`,
		`homelink_outbox_sends_total{lane="interactive",result="sent"} 1`,
		`homelink_outbox_queue_depth{lane="bulk"} 0`,
		`homelink_outbox_429_total 0`,
		`homelink_outbox_send_seconds_count{lane="interactive"} 1`,
	}
	// The reply reaches the user a moment before its sender and the intake
	// have counted it.
	var code int
	var body string
	h.tg.WaitFor(5*time.Second, func() bool {
		code, body = get("/metrics")
		for _, want := range wants {
			if !strings.Contains(body, want) {
				return false
			}
		}
		return true
	})
	for _, want := range wants {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Once stopping, the replica is no longer ready.
	h.reps[0].cancel()
	<-h.reps[0].done
	h.reps[0].done <- nil // for the cleanup's stop
	if resp, err := http.Get(h.reps[0].url + "/readyz"); err == nil {
		resp.Body.Close()
		t.Fatalf("readyz answered %d after stop", resp.StatusCode)
	}
}

// A release whose menus differ from the stored version sets the chat menu
// of everyone known with a language or a role; the next tick does nothing.
func TestMenuRefreshJobSetsKnownUsersChatMenus(t *testing.T) {
	h := start(t, webhook)
	p := h.person(3010, "A", "en")
	p.Types("/language")
	p.Tap("English")
	p.Sees("English")
	a := h.reps[0].app
	if c := h.tg.Commands("chat:3010", ""); c != nil {
		t.Fatalf("a chat menu before the job: %+v", c)
	}
	if err := a.sched.RunNow(menuRefreshJob); err != nil {
		t.Fatal(err)
	}
	u, _ := a.Store.User(context.Background(), p.ID)
	want := a.Bot.ChatMenu(u)
	got := h.tg.Commands("chat:3010", "")
	if len(got) != len(want) || got[0].Command != want[0].Name {
		t.Fatalf("chat menu = %+v, want %+v", got, want)
	}
	calls := len(h.tg.Calls("setMyCommands"))
	a.sched.RunNow(menuRefreshJob)
	if n := len(h.tg.Calls("setMyCommands")); n != calls {
		t.Fatalf("unchanged menus were set again (%d calls, then %d)", calls, n)
	}
}
