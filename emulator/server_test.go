package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func client(t *testing.T, s *Server) *bot.Bot {
	t.Helper()
	b, err := bot.New(s.Token(), bot.WithServerURL(s.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRealClientSendsAndEdits(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewUser(42, "Mei", "zh-hans")
	b := client(t, s)
	ctx := context.Background()
	me, err := b.GetMe(ctx)
	if err != nil || me.Username != BotUsername {
		t.Fatalf("getMe = %+v, %v", me, err)
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: "English", CallbackData: "lang:en"}, {Text: "简体中文", CallbackData: "lang:zh"},
	}}}
	msg, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "<b>Hi</b> &amp; welcome", ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	last := u.Last()
	if last.Text != "Hi & welcome" || !last.HasButton("English") || msg.ID != last.ID {
		t.Fatalf("user sees %+v", last)
	}
	if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: u.ID, MessageID: msg.ID, Text: "Done"}); err != nil {
		t.Fatal(err)
	}
	if last = u.Last(); last.Text != "Done" || len(last.Keyboard) != 0 || last.Edits != 1 || len(u.Messages()) != 1 {
		t.Fatalf("after edit user sees %+v", u.Messages())
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: u.ID, MessageID: msg.ID, Text: "Done"})
	if err == nil || !strings.Contains(err.Error(), "message is not modified") {
		t.Fatalf("identical edit = %v, want not modified", err)
	}
}

// A message sent with disable_notification is recorded as silent, as the
// user's phone makes no sound for it; one sent without it is not.
func TestRecordsDisableNotification(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	b := client(t, s)
	ctx := context.Background()
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "quiet", DisableNotification: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "loud"}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/sendMessage", "application/json",
		strings.NewReader(`{"chat_id":42,"text":"json quiet","disable_notification":true}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("json: %v %v", resp, err)
	}
	ms := u.Messages()
	if len(ms) != 3 || !ms[0].DisableNotification || ms[1].DisableNotification || !ms[2].DisableNotification {
		t.Fatalf("user sees %+v", ms)
	}
}

func TestRejectsWhatTelegramRejects(t *testing.T) {
	s := New(WithLimits(Limits{Off: true}))
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	b := client(t, s)
	ctx := context.Background()
	cases := []struct {
		name string
		p    *bot.SendMessageParams
		want string
	}{
		{"empty text", &bot.SendMessageParams{ChatID: u.ID, Text: ""}, "message text is empty"},
		{"too long", &bot.SendMessageParams{ChatID: u.ID, Text: strings.Repeat("字", 4097)}, "message is too long"},
		{"bad html", &bot.SendMessageParams{ChatID: u.ID, Text: "<script>x</script>", ParseMode: models.ParseModeHTML}, "Unsupported start tag"},
		{"unescaped lt", &bot.SendMessageParams{ChatID: u.ID, Text: "a <3 b", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{"unknown chat", &bot.SendMessageParams{ChatID: 999, Text: "hi"}, "chat not found"},
		{"callback data too long", &bot.SendMessageParams{ChatID: u.ID, Text: "hi", ReplyMarkup: &models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "x", CallbackData: strings.Repeat("d", 65)}}}}}, "BUTTON_DATA_INVALID"},
		{"button without action", &bot.SendMessageParams{ChatID: u.ID, Text: "hi", ReplyMarkup: &models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "x"}}}}}, "text buttons are unallowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := b.SendMessage(ctx, c.p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: strings.Repeat("字", 4096)}); err != nil {
		t.Fatalf("4096 characters refused: %v", err)
	}
	if len(u.Messages()) != 1 {
		t.Fatalf("refused sends left messages: %d", len(u.Messages()))
	}
	resp, _ := http.Post(s.URL()+"/bot"+s.Token()+"/noSuchMethod", "application/json", strings.NewReader("{}"))
	if resp.StatusCode != 404 {
		t.Fatalf("unknown method: %d", resp.StatusCode)
	}
	resp, _ = http.Post(s.URL()+"/botWRONG/getMe", "application/json", strings.NewReader("{}"))
	if resp.StatusCode != 401 {
		t.Fatalf("wrong token: %d", resp.StatusCode)
	}
}

func TestAcceptsJSONAndURLEncodedBodies(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	base := s.URL() + "/bot" + s.Token() + "/sendMessage"
	resp, err := http.Post(base, "application/json", strings.NewReader(`{"chat_id":42,"text":"json","reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("json: %v %v", resp.StatusCode, err)
	}
	resp, err = http.PostForm(base, url.Values{"chat_id": {"42"}, "text": {"form"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("form: %v %v", resp.StatusCode, err)
	}
	ms := u.Messages()
	if len(ms) != 2 || ms[0].Text != "json" || !ms[0].HasButton("A") || ms[1].Text != "form" {
		t.Fatalf("user sees %+v", ms)
	}
}

func TestLimitsAnswer429WithRetryAfter(t *testing.T) {
	s := New() // Telegram's limits: 1/s per chat with a burst of 3
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	b := client(t, s)
	var err error
	sent := 0
	for i := 0; i < 10 && err == nil; i++ {
		if _, err = b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: u.ID, Text: "hi"}); err == nil {
			sent++
		}
	}
	var tooMany *bot.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter < 1 {
		t.Fatalf("after %d sends err = %v, want 429 with retry_after", sent, err)
	}
	if sent != 3 {
		t.Fatalf("burst allowed %d sends into one chat, want 3", sent)
	}
}

func TestBlockedUserAnswers403(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	u.Blocks()
	_, err := client(t, s).SendMessage(context.Background(), &bot.SendMessageParams{ChatID: u.ID, Text: "hi"})
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
		t.Fatalf("err = %v", err)
	}
}

func TestGetUpdatesOffsetAndLongPoll(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	first := u.Types("/start")
	u.Types("你好 /help")
	poll := func(offset int64, timeout int) []models.Update {
		resp, err := http.PostForm(s.URL()+"/bot"+s.Token()+"/getUpdates", url.Values{
			"offset": {itoa(offset)}, "timeout": {itoa(int64(timeout))}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			OK     bool            `json:"ok"`
			Result []models.Update `json:"result"`
		}
		json.NewDecoder(resp.Body).Decode(&r)
		return r.Result
	}
	ups := poll(0, 0)
	if len(ups) != 2 || ups[0].ID != first || ups[0].Message.Text != "/start" {
		t.Fatalf("first poll = %+v", ups)
	}
	ent := ups[1].Message.Entities
	if len(ent) != 1 || ent[0].Type != models.MessageEntityTypeBotCommand || ent[0].Offset != 3 || ent[0].Length != 5 {
		t.Fatalf("entities with non-ASCII before the command = %+v (want UTF-16 offset 3, length 5)", ent)
	}
	if again := poll(0, 0); len(again) != 2 {
		t.Fatalf("unconfirmed updates not re-sent: %d", len(again))
	}
	if rest := poll(ups[1].ID+1, 0); len(rest) != 0 {
		t.Fatalf("confirmed updates re-sent: %d", len(rest))
	}
	done := make(chan []models.Update)
	go func() { done <- poll(ups[1].ID+1, 5) }()
	// The long poll waits; a new update ends it.
	if !s.WaitFor(2*time.Second, s.Polling) {
		t.Fatal("getUpdates with a timeout did not wait")
	}
	u.Types("later")
	select {
	case got := <-done:
		if len(got) != 1 || got[0].Message.Text != "later" {
			t.Fatalf("long poll = %+v", got)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("long poll did not return on a new update")
	}
}

func TestWebhookDeliveryRetriesAndSendsSecret(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	var calls atomic.Int32
	var got atomic.Value
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			w.WriteHeader(401)
			return
		}
		if calls.Add(1) == 1 {
			w.WriteHeader(503) // first attempt fails: Telegram sends it again
			return
		}
		body, _ := io.ReadAll(r.Body)
		got.Store(string(body))
	}))
	defer hook.Close()
	if _, err := client(t, s).SetWebhook(context.Background(), &bot.SetWebhookParams{URL: hook.URL, SecretToken: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	u.Types("hello")
	if !s.WaitFor(5*time.Second, func() bool { return got.Load() != nil }) {
		t.Fatalf("webhook never delivered; attempts %+v", s.WebhookAttempts())
	}
	if !strings.Contains(got.Load().(string), `"text":"hello"`) || calls.Load() != 2 {
		t.Fatalf("delivered %v after %d calls", got.Load(), calls.Load())
	}
	resp, _ := http.Post(s.URL()+"/bot"+s.Token()+"/getUpdates", "application/json", strings.NewReader("{}"))
	if resp.StatusCode != 409 {
		t.Fatalf("getUpdates with a webhook set: %d, want 409", resp.StatusCode)
	}
}

func TestCallbackQueryAnswerAndTap(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewUser(42, "Mei", "en")
	b := client(t, s)
	ctx := context.Background()
	b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "pick", ReplyMarkup: &models.InlineKeyboardMarkup{
		InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Yes", CallbackData: "y"}}}}})
	if _, err := u.Taps("No"); err == nil {
		t.Fatal("tapped a button that is not there")
	}
	if _, err := u.Taps("Yes"); err != nil {
		t.Fatal(err)
	}
	resp, _ := http.Post(s.URL()+"/bot"+s.Token()+"/getUpdates", "application/json", strings.NewReader("{}"))
	var r struct{ Result []models.Update }
	json.NewDecoder(resp.Body).Decode(&r)
	cq := r.Result[0].CallbackQuery
	if cq == nil || cq.Data != "y" || cq.Message.Message == nil || cq.Message.Message.Text != "pick" {
		t.Fatalf("callback = %+v", cq)
	}
	if u.Answered() {
		t.Fatal("unanswered tap reported answered")
	}
	if _, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: "ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID}); err == nil {
		t.Fatal("second answer accepted")
	}
	if a := u.Alerts(); len(a) != 1 || a[0] != "ok" || !u.Answered() {
		t.Fatalf("alerts = %v", a)
	}
	// Each answer says which message was tapped, as it was then.
	pick := u.Last()
	b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: u.ID, MessageID: pick.ID, Text: "picked"})
	u.TapsData(pick.ID, "again")
	if a := u.Answers(); len(a) != 1 || a[0].Message != pick.ID || a[0].Edits != 0 || a[0].Text != "ok" || a[0].Alert || a[0].Query != cq.ID {
		t.Fatalf("answers = %+v", a)
	}
	resp, _ = http.Post(s.URL()+"/bot"+s.Token()+"/getUpdates", "application/json", strings.NewReader(`{"offset":`+strconv.FormatInt(r.Result[0].ID+1, 10)+`}`))
	json.NewDecoder(resp.Body).Decode(&r)
	b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: r.Result[0].CallbackQuery.ID, Text: "gone", ShowAlert: true})
	if a := u.Answers(); len(a) != 2 || a[1].Message != pick.ID || a[1].Edits != 1 || a[1].Text != "gone" || !a[1].Alert {
		t.Fatalf("answers = %+v", a)
	}
}

func TestParseHTML(t *testing.T) {
	good := map[string]string{
		"<b>a</b> &lt;b&gt; &amp; &#39;q&#39;":      "a <b> & 'q'",
		`<a href="https://t.me/x?start=1">link</a>`: "link",
		"R&D":             "R&D",
		"<i>x</i> > y":    "x > y",
		"<b><i>x</i></b>": "x",
	}
	for in, want := range good {
		if got, err := ParseHTML(in); err != nil || got != want {
			t.Errorf("ParseHTML(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"<b>x", "<b>x</i>", "<div>x</div>", "a < b", "&bogus;"} {
		if _, err := ParseHTML(bad); err == nil {
			t.Errorf("ParseHTML(%q) accepted", bad)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestGroupAndBotWideLimits(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := New(WithLimits(Limits{PerSecond: 30, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}), WithClock(clock))
	defer s.Close()
	s.NewGroup(-100, "Village")
	b := client(t, s)
	ctx := context.Background()
	sent := 0
	for i := 0; i < 25; i++ {
		if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(-100), Text: "hi"}); err == nil {
			sent++
		}
	}
	if sent != 20 {
		t.Fatalf("group took %d messages at once, want 20 a minute", sent)
	}
	sent = 0
	var last error
	for i := 0; i < 40; i++ {
		u := s.NewUser(int64(1000+i), "x", "en")
		if _, last = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "hi"}); last == nil {
			sent++
		}
	}
	// Time stands still: 20 of the bot's 30 this second went to the group.
	var tooMany *bot.TooManyRequestsError
	if sent != 10 || !errors.As(last, &tooMany) || tooMany.RetryAfter != 1 {
		t.Fatalf("bot-wide: sent %d more (want 10), last err %v", sent, last)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(1039), Text: "hi"}); err != nil {
		t.Fatalf("a second later the bot may send again: %v", err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(-100), Text: "hi"}); !errors.As(err, &tooMany) {
		t.Fatalf("a group refills at 20 a minute, not per second: %v", err)
	}
}

func TestInjectedFaultsAndSlowAnswers(t *testing.T) {
	s := New(WithLimits(Limits{Off: true}))
	defer s.Close()
	u := s.NewUser(1, "x", "en")
	b := client(t, s)
	ctx := context.Background()
	s.Fail("", 502, "Bad Gateway", 2)
	for i := 0; i < 2; i++ {
		if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "hi"}); err == nil || !strings.Contains(err.Error(), "502") {
			t.Fatalf("send %d: %v, want 502", i, err)
		}
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "hi"}); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	s.SetDelay(300 * time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := b.SendMessage(short, &bot.SendMessageParams{ChatID: u.ID, Text: "slow"}); err == nil {
		t.Fatal("a slow answer arrived before the client's deadline")
	}
	if got := len(u.Messages()); got != 1 {
		t.Fatalf("user sees %d messages", got)
	}
}
