package app

import (
	"context"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Who may use the teacher's mailbox: the home's teachers, and nobody
// else; the authorization matrix's rows, and outsiders pressing its
// buttons with forged data.

// mailPage is a page's button on 小明's mailbox (item 0, none shown).
func mailPage(f fixture) []int64 { return []int64{f.home, f.child, 0, 0} }

// mailPageThere names 小明 beside the other home.
func mailPageThere(f fixture) []int64 { return []int64{f.otherHome, f.child, 0, 0} }

// recordingReply is the reply flow for 小明 with one text recorded.
func recordingReply(f fixture) string {
	return `{"h":` + i64(f.home) + `,"c":` + i64(f.child) + `,"items":[{"k":"text","x":"I miss you"}]}`
}

// recordingThere names 小明 beside the other home.
func recordingThere(f fixture) string {
	return `{"h":` + i64(f.otherHome) + `,"c":` + i64(f.child) + `,"items":[{"k":"text","x":"I miss you"}]}`
}

var (
	teachers     = []string{"teacher", "teacher of another home"}
	teacherThere = []string{"teacher of another home"}
)

// mailTeacherMatrix: the mailbox is its home's teachers' alone, not its
// coordinators' nor its parents'; a button naming 小明 beside another
// home is nobody's.
var mailTeacherMatrix = []matrixCase{
	{kind: "command", name: "mailbox", allow: teachers},
	{kind: "button", name: "mail.home", args: home, allow: teacherOnly},
	{kind: "button", name: "mail.home", args: otherHome, allow: teacherThere},
	{kind: "button", name: "mail.open", args: home, allow: teacherOnly},
	{kind: "button", name: "mail.open", args: otherHome, allow: teacherThere},
	{kind: "button", name: "mail.child", args: child, allow: teacherOnly},
	{kind: "button", name: "mail.child", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child} }, allow: nobody},
	{kind: "button", name: "mail.more", args: mailPage, allow: teacherOnly},
	{kind: "button", name: "mail.more", args: mailPageThere, allow: nobody},
	{kind: "button", name: "mail.heard", args: mailPage, allow: teacherOnly},
	{kind: "button", name: "mail.heard", args: mailPageThere, allow: nobody},
	{kind: "button", name: "mail.record", args: func(f fixture) []int64 { return []int64{f.home, f.child, 0} }, allow: teacherOnly},
	{kind: "button", name: "mail.record", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child, 1} }, allow: nobody},
	{kind: "button", name: "mail.send", args: none, answers: recordingReply, allow: teacherOnly},
	{kind: "button", name: "mail.send", args: none, answers: recordingThere, allow: nobody},
	{kind: "typed", name: "mail.reply/record", text: "I miss you", answers: recordingReply, allow: teacherOnly},
	{kind: "typed", name: "mail.reply/record", text: "I miss you", answers: recordingThere, allow: nobody},
}

func init() { matrix = append(matrix, mailTeacherMatrix...) }

// forge puts p's session at flow/step ("" for a menu) with answers and
// the nonce "forged00", as a forged button of theirs would need.
func (w *mailWorld) forge(p *person, step, answers string) {
	w.t.Helper()
	ctx, st := context.Background(), w.h.store()
	s, err := st.Session(ctx, p.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	next := homelink.Session{Flow: "menu", Nonce: "forged00", Version: s.Version, Answers: []byte(answers)}
	if step != "" {
		next.Flow, next.Step, _ = strings.Cut(step, "/")
	}
	if _, err := st.SaveSession(ctx, p.ID, next); err != nil {
		w.t.Fatal(err)
	}
}

// A teacher of another home, a coordinator of this one and a parent of
// 小明 press every button of 小明's mailbox with forged data (the real
// home, or 小明 beside another home), and type into a forged reply step:
// each is told it is not for them, sees no message, and Redis is as it
// was; nothing is played, marked heard or sent.
func TestOutsidersCannotPlayMarkOrAnswerTheMailbox(t *testing.T) {
	w := newMailWorld(t, nil)
	w.says(w.f.mom, "secret one")
	last := w.says(w.f.dad, "secret two")
	w.h.settle() // the notices are sent: nothing is due while Redis is compared
	b := w.h.reps[0].app.Bot
	h, c, there := w.f.home, w.f.child, w.f.otherHome
	presses := []struct {
		name    string
		args    []int64
		step    string
		answers func(fixture) string
	}{
		{name: "mail.home", args: []int64{h}}, {name: "mail.open", args: []int64{h}},
		{name: "mail.child", args: []int64{h, c}}, {name: "mail.child", args: []int64{there, c}},
		{name: "mail.more", args: []int64{h, c, 0, 0}}, {name: "mail.more", args: []int64{there, c, 0, 0}},
		{name: "mail.heard", args: []int64{h, c, last.ID, 2}}, {name: "mail.heard", args: []int64{there, c, last.ID, 2}},
		{name: "mail.record", args: []int64{h, c, 1}}, {name: "mail.record", args: []int64{there, c, 0}},
		{name: "mail.send", step: "mail.reply/record", answers: recordingReply},
		{name: "mail.send", step: "mail.reply/record", answers: recordingThere},
	}
	for _, who := range []*person{w.otherTeacher, w.coord, w.mom} {
		for _, p := range presses {
			answers := ""
			if p.answers != nil {
				answers = p.answers(w.f)
			}
			w.forge(who, p.step, answers)
			before, alerts := w.h.snapshot(), len(who.Alerts())
			who.TapsData(0, b.ButtonData(p.name, "forged00", p.args...))
			if !w.h.tg.WaitFor(5*time.Second, func() bool {
				return w.h.tg.PendingUpdates() == 0 && who.Answered() && len(who.Alerts()) > alerts
			}) {
				t.Fatalf("%s %v by %d: no answer", p.name, p.args, who.ID)
			}
			if a := who.Alerts()[alerts]; !strings.Contains(a, "not available to you") && !strings.Contains(a, "您不能使用这个功能") {
				t.Errorf("%s %v by %d: told %q", p.name, p.args, who.ID, a)
			}
			if !maps.Equal(before, w.h.snapshot()) {
				t.Errorf("%s %v by %d was refused but changed Redis", p.name, p.args, who.ID)
			}
		}
		w.forge(who, "mail.reply/record", recordingReply(w.f))
		before, seen := w.h.snapshot(), len(who.Messages())
		who.Types("I am 小明, really")
		who.SeesNew(seen, map[bool]string{true: "您不能使用这个功能", false: "not available to you"}[who == w.mom])
		after := w.h.snapshot()
		session := w.h.prefix + "{u" + strconv.FormatInt(who.ID, 10) + "}:session" // a refused answer ends their flow
		delete(before, session)
		delete(after, session)
		if !maps.Equal(before, after) {
			t.Errorf("a reply typed by %d was refused but changed Redis", who.ID)
		}
		if strings.Contains(transcript(who.Messages()), "secret") {
			t.Errorf("user %d was shown a message of 小明's:\n%s", who.ID, transcript(who.Messages()))
		}
	}
	if n := w.unread(); n != 2 {
		t.Fatalf("%d wait for 小明, want 2", n)
	}
	for _, p := range []*person{w.mom, w.dad} {
		if strings.Contains(transcript(p.Messages()), "💌") {
			t.Fatalf("a forged reply reached %d", p.ID)
		}
	}
}
