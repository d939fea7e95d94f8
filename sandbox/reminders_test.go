package sandbox

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Moving the sandbox's clock through the Saturday of the demonstration's
// confirmed call, as someone trying it would: at 08:00 the teacher's
// phone shows the morning digest with 小明's call; the mother's phone
// shows, in Chinese, the reminder an hour before at 09:00 and the one at
// the start at 10:00 with the home's calling instructions, each with the
// buttons to say she will be there or cannot make it.
func TestSandboxSaturdayBringsTheRemindersAndTheDigest(t *testing.T) {
	sb, c, stop := start(t, Options{Seed: true})
	defer stop()
	teacher, mom := demoPeople[1].ID, demoPeople[2].ID
	calls, err := sb.app.Store.GuardianCalls(context.Background(), mom)
	if err != nil || len(calls) != 1 {
		t.Fatalf("the mother's calls: %+v, %v", calls, err)
	}
	call := calls[0]
	zh := func(id string, kv ...any) string { return sb.app.Bot.Renderer.HTML("zh-Hans", id, kv...) }
	moveTo := func(at time.Time) {
		t.Helper()
		set := at.In(sb.cfg.DefaultTimezone).Format("2006-01-02T15:04")
		if code := c.post("/api/clock", map[string]string{"set": set}); code != http.StatusNoContent {
			t.Fatalf("clock to %s: %d", set, code)
		}
	}
	// answerable checks a reminder carries the answers want, in Chinese.
	answerable := func(m messageView, want ...string) {
		t.Helper()
		var labels []string
		for _, row := range m.Keyboard {
			for _, b := range row {
				labels = append(labels, b.Text)
			}
		}
		if strings.Join(labels, "|") != strings.Join(want, "|") {
			t.Errorf("the reminder %q has the buttons %q, want %q", m.HTML, labels, want)
		}
	}
	// The title of a message as the phone shows it, up to its first variable.
	head := func(id string) string {
		title, _, _ := strings.Cut(zh(id, "Child", "\x00", "In", "\x00", "Home", "\x00", "Instructions", "\x00"), "\x00")
		return title
	}

	moveTo(call.Start.Add(-2 * time.Hour)) // 08:00 home time
	digest := c.sees(teacher, head("DigestTitle"))
	for _, want := range []string{"小明", "10:00", "李秀兰（妈妈）", zh("DigestAnswer_None"), zh("Today")} {
		if !strings.Contains(digest.HTML, want) {
			t.Errorf("the teacher's digest lacks %q: %q", want, digest.HTML)
		}
	}

	moveTo(call.Start.Add(-time.Hour)) // 09:00
	soon := c.sees(mom, zh("RemindSoonTitle", "Child", "小明", "In", zh("InHours", "Count", 1), "Time", "10:00"))
	answerable(soon, zh("AttendButton"), zh("CannotButton"), zh("MailLeaveButton"))
	if !strings.Contains(soon.HTML, zh("RemindAskLine")) || strings.Contains(soon.HTML, zh("RemindLateLine")) {
		t.Errorf("the reminder an hour before: %q", soon.HTML)
	}

	moveTo(call.Start) // 10:00
	now := c.sees(mom, zh("RemindStartTitle", "Child", "小明"))
	answerable(now, zh("CannotButton"), zh("MailLeaveButton")) // the call has begun
	if !strings.Contains(now.HTML, "0851-8888-6666") || !strings.Contains(now.HTML, head("RemindHowLine")) {
		t.Errorf("the reminder at the start does not say how to call: %q", now.HTML)
	}
}
