package app

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// What comes back to the guardian: the receipt once a teacher marked
// their messages heard (none to a chat that blocked the bot, and never
// tried again), [Leave a message] on their calls and reminders, /mydata
// and the consent text.

// leaves has p, a guardian of one child, leave a text for them and end
// with Done; voice adds a voice note before Done.
func leaves(p *person, text string, voice bool, kept, done string) {
	p.h.t.Helper()
	n := count(p, kept)
	p.Types("/message")
	p.Types(text)
	if voice {
		p.SendsVoice()
		n++
	}
	if !p.h.tg.WaitFor(5*time.Second, func() bool { return count(p, kept) > n }) {
		p.h.t.Fatalf("user %d's messages were not kept; they see:\n%s", p.ID, transcript(p.Messages()))
	}
	p.Tap(done)
}

// markHeard has the fixture's teacher mark 小明's waiting items heard, as
// [✅ The child heard them] on their phone would, and returns how many it marked.
func markHeard(t *testing.T, h *harness, f fixture, upTo int64) int {
	t.Helper()
	items, err := h.store().MarkHeard(context.Background(), homelink.By{User: f.teacher}, f.home, f.child, upTo)
	if err != nil {
		t.Fatal(err)
	}
	return len(items)
}

func lastID(items []homelink.MailItem) int64 { return items[len(items)-1].ID }

// A mother (Chinese) and a father (English) leave messages for 小明; late
// in the evening a teacher marks them heard. Each is told, in their own
// language and silently (their quiet hours), with [Leave a message]: the
// father taps it and leaves another. Lili's grandmother, who left none,
// hears nothing.
func TestReceiptsAfterHeard(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	mom, dad := h.person(f.mom, "秀兰", "zh-hans"), h.person(f.dad, "Jian", "en")
	grandma := h.person(f.otherParent, "Grandma Li", "en")
	leaves(mom, "想你了", true, "给小明的", "✅ 完成")
	leaves(dad, "Be good", false, "Kept for 小明", "✅ Done")
	items := waiting(t, h, f, f.home, f.child)
	if len(items) != 3 {
		t.Fatalf("%d items waiting, want 3", len(items))
	}

	h.clock.Set(at(2026, 11, 28, 23, 30))
	if n := markHeard(t, h, f, lastID(items)); n != 3 {
		t.Fatalf("marked %d, want 3", n)
	}
	h.settle()
	m := onlyOnce(t, mom, "✓ 小明已经在青溪村儿童之家听到您的留言了（2 条）。")
	wantSilent(t, m, true)
	if !m.HasButton("✉️ 给孩子留言") {
		t.Fatalf("the receipt's buttons: %v", m.Buttons())
	}
	m = onlyOnce(t, dad, "✓ 小明 has heard your message at 青溪村儿童之家.")
	wantSilent(t, m, true)
	if len(grandma.Messages()) != 0 {
		t.Fatalf("Lili's grandmother was told:\n%s", transcript(grandma.Messages()))
	}

	dad.Tap("✉️ Leave a message")
	dad.Sees("A message for 小明")
	dad.Types("Sleep well")
	seesTimes(t, dad, "✓ Kept for 小明: a text message.", 2)
	onlyOnce(t, dad, "has heard your message") // the receipt stays as it was
	if got := waiting(t, h, f, f.home, f.child); len(got) != 1 || got[0].Text != "Sleep well" {
		t.Fatalf("waiting after the receipt: %+v", got)
	}
}

// A father who blocked the bot gets no receipt, and none is tried again
// later; the mother's comes as usual, and the agenda keeps no failure.
func TestBlockedSenderGetsNoReceiptAndNoRetry(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	mom, dad := h.person(f.mom, "秀兰", "zh-hans"), h.person(f.dad, "Jian", "en")
	leaves(dad, "Be good", false, "Kept for 小明", "✅ Done")
	leaves(mom, "想你了", false, "给小明的", "✅ 完成")
	seen := len(dad.Messages())
	dad.Blocks()
	ob := h.reps[0].app.Outbox
	if !h.tg.WaitFor(5*time.Second, func() bool { ok, _ := ob.Reachable(ctx, dad.ID); return !ok }) {
		t.Fatal("blocking did not mark the chat unreachable")
	}
	calls := len(h.tg.Calls(""))

	markHeard(t, h, f, lastID(waiting(t, h, f, f.home, f.child)))
	h.settle()
	onlyOnce(t, mom, "✓ 小明已经在青溪村儿童之家听到您的留言了（1 条）。")
	for _, later := range []time.Duration{time.Hour, 24 * time.Hour} {
		h.clock.Set(h.clock.Now().Add(later))
		h.settle()
	}
	tried := 0
	for _, c := range h.tg.Calls("")[calls:] {
		if c.Params["chat_id"] == strconv.FormatInt(dad.ID, 10) {
			tried++
		}
	}
	if tried > 1 || len(dad.Messages()) != seen {
		t.Fatalf("%d sends tried to the blocked father; he sees:\n%s", tried, transcript(dad.Messages()))
	}
	failed, err := h.reps[0].app.Agenda.Failed(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range failed {
		if it.Kind == "mail.heard" {
			t.Fatalf("the receipts failed: %+v", it)
		}
	}
}

// /mydata lists the messages a mother left (kind, time in her zone, heard
// or not, her own text) and the replies sent to her, and never a file id.
func TestMyDataListsMessagesNotMedia(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	mom := h.person(f.mom, "秀兰", "zh-hans")
	leaves(mom, "想你了", true, "给小明的", "✅ 完成")
	items := waiting(t, h, f, f.home, f.child)
	markHeard(t, h, f, items[0].ID)
	reply := []homelink.MailItem{{Kind: homelink.MailVoice, FileID: "reply-voice-file"}}
	if _, err := h.store().Reply(ctx, homelink.By{User: f.teacher}, f.home, f.child, reply); err != nil {
		t.Fatal(err)
	}

	mom.Types("/mydata")
	if !h.tg.WaitFor(5*time.Second, func() bool { return mom.Last().Kind == "document" }) {
		t.Fatalf("no document; mom sees:\n%s", transcript(mom.Messages()))
	}
	raw := mom.Last().File
	var data struct {
		Left []struct {
			Child, Home, Kind string
			At                string `json:"left_at"`
			Text              string `json:"your_text"`
			Heard             bool
			HeardAt           string `json:"heard_at"`
		} `json:"messages_you_left"`
		Replies []struct {
			Child string `json:"from_child"`
			Kind  string
		} `json:"replies_sent_to_you"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	l := data.Left
	if len(l) != 2 || l[0].Kind != "text" || l[0].Text != "想你了" || !l[0].Heard || l[0].HeardAt == "" ||
		l[1].Kind != "voice" || l[1].Heard || l[1].HeardAt != "" || l[0].Child != "小明" || l[0].Home != "青溪村儿童之家" ||
		!strings.HasPrefix(l[0].At, "2026-11-28T17:00:00+08:00") {
		t.Fatalf("messages in my data: %s", raw)
	}
	if len(data.Replies) != 1 || data.Replies[0].Kind != "voice" || data.Replies[0].Child != "小明" {
		t.Fatalf("replies in my data: %s", raw)
	}
	for _, file := range append(sentFiles(h, f.mom), "reply-voice-file") {
		if bytes.Contains(raw, []byte(file)) {
			t.Fatalf("my data shows the file id %s: %s", file, raw)
		}
	}
}

// The consent a parent reads says what the mailbox keeps, and how long,
// in both languages.
func TestConsentSaysWhatTheMailboxKeeps(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	for _, p := range []struct {
		id         int64
		lang, want string
	}{
		{9401, "en", "the messages you leave for 小明 (voice notes, photos, videos, texts) and 小明's replies to you, kept at most 90 days (a message 小明 has heard, 30 days after that, if that comes sooner)."},
		{9402, "zh-hans", "以及您给小明的留言和小明给您的回复（语音、照片、视频、文字，最多保存 90 天；孩子听过的，30 天后删除）。"},
	} {
		link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child})
		g := h.person(p.id, "Mei", p.lang)
		g.Types("/start " + link)
		g.Sees(p.want)
	}
}

// A father's call card in /calls and his reminder at the start of the
// call carry [Leave a message] for 小明, which opens the compose step.
func TestCallCardAndReminderOfferLeaveMessage(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	w.confirmedCall(w.f.dad, w.f.child, sunday1400, homelink.VideoCall)
	w.dad.Types("/calls")
	w.dad.Tap("Sun 29 Nov 14:00 小明")
	card := w.dad.Sees("Call with 小明 (confirmed)")
	if !card.HasButton("✉️ Leave a message") {
		t.Fatalf("the call card's buttons: %v", card.Buttons())
	}
	start := w.comesAt(sunday1400, arrival{w.dad, "It is time", "It is time for your call with 小明."})[0]
	if got := start.Buttons(); !slices.Equal(got, []string{"❌ I can't make it", "✉️ Leave a message"}) {
		t.Fatalf("the start reminder's buttons: %q", got)
	}
	w.dad.TapsData(start.ID, start.Keyboard[1][0].CallbackData)
	w.dad.Sees("A message for 小明")
	w.dad.SendsVoice()
	w.dad.Sees("✓ Kept for 小明: a voice note.")
}
