package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The demonstration starts with a voice note from 小明's mother waiting:
// the teacher is told (at once, or when her quiet hours end), opens the
// mailbox from the notice, hears the voice note (the page plays a sound
// for it), marks it heard, and the mother is told in Chinese with a
// button to leave another. All of it is the real bot's doing.
func TestSandboxStartsWithAVoiceNoteFromTheMother(t *testing.T) {
	sb, c, stop := start(t, Options{Seed: true})
	defer stop()
	teacher, mom := demoPeople[1].ID, demoPeople[2].ID
	zh := func(id string, kv ...any) string { return sb.app.Bot.Renderer.Text("zh-Hans", id, kv...) }
	// 09:00 tomorrow at the home: outside everyone's quiet hours, whenever
	// the test runs.
	now := sb.Clock.Now().In(sb.cfg.DefaultTimezone)
	morning := time.Date(now.Year(), now.Month(), now.Day()+1, 9, 0, 0, 0, now.Location())
	if code := c.post("/api/clock", map[string]string{"set": morning.Format("2006-01-02T15:04")}); code != http.StatusNoContent {
		t.Fatalf("clock: %d", code)
	}
	notice := c.sees(teacher, "小明 1 条")
	if !strings.Contains(notice.HTML, "留言") {
		t.Fatalf("the teacher's notice: %q", notice.HTML)
	}
	c.taps(teacher, zh("MailOpenButton"))
	c.taps(teacher, zh("MailboxChildNew", "Name", "小明", "Count", 1))
	var voice messageView
	c.waitFor(func() bool {
		for _, m := range c.phone(teacher).Messages {
			if m.FromBot && m.Kind == "voice" && strings.Contains(m.HTML, "李秀兰（妈妈）") {
				voice = m
				return true
			}
		}
		return false
	})
	c.sees(teacher, "已播到第 1 条，共 1 条")
	c.taps(teacher, zh("MailHeardButton"))
	receipt := c.sees(mom, "听到您的留言了")
	if len(receipt.Keyboard) == 0 || receipt.Keyboard[0][0].Text != zh("MailLeaveButton") {
		t.Fatalf("the mother's receipt: %+v", receipt)
	}
	// The page plays a sound for the voice note.
	resp, err := http.Get(c.url + "/sound.wav")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "audio/wav" || voice.ID == 0 {
		t.Fatalf("the sample sound: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
