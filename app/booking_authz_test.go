package app

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// Who may see, book, decide and cancel calls: the authorization matrix's
// rows for calls, and a stranger, a parent of another child and a teacher
// of another home trying anyway, forged standing buttons included.

// seedCall gives the fixture's home its weekend hours and a call mom
// asked for: 小明 on Sunday 29 Nov 14:00.
func seedCall(t testing.TB, h *harness, f *fixture) {
	t.Helper()
	ctx := context.Background()
	st := h.store()
	if err := st.SetHours(ctx, homelink.By{User: f.teacher}, f.home, weekendHours(2)); err != nil {
		t.Fatal(err)
	}
	c, err := st.Book(ctx, homelink.By{User: f.mom}, homelink.BookingRequest{HomeID: f.home, ChildID: f.child,
		Start: sunday1400, Kind: homelink.VideoCall})
	if err != nil {
		t.Fatal(err)
	}
	f.momCall = c.ID
}

func momCall(f fixture) []int64      { return []int64{f.home, f.momCall} }
func momCallThere(f fixture) []int64 { return []int64{f.otherHome, f.momCall} }
func i64(n int64) string             { return strconv.FormatInt(n, 10) }

// booking is a /book flow for 小明 so far, at 15:00 on Sunday.
func booking(f fixture) string {
	return `{"h":` + i64(f.home) + `,"c":` + i64(f.child) + `,"d":` + i64(at(2026, 11, 29, 0, 0).Unix()) +
		`,"s":` + i64(at(2026, 11, 29, 15, 0).Unix()) + `,"k":"video"}`
}

// onCall is a flow about mom's call.
func onCall(f fixture) string {
	return `{"h":` + i64(f.home) + `,"c":` + i64(f.child) + `,"b":` + i64(f.momCall) + `,"d":` + i64(at(2026, 11, 29, 0, 0).Unix()) + `}`
}

var (
	guardians    = []string{"parent", "parent of another child"}
	callCancel   = []string{"parent", "teacher", "coordinator"}
	callReaders  = []string{"parent", "parent of another child", "teacher", "teacher of another home", "coordinator", "coordinator of other homes"}
	staffMembers = []string{"teacher", "teacher of another home", "coordinator", "coordinator of other homes"}
	homeStaff    = []string{"teacher", "coordinator"}
	sunday1500   = func(fixture) []int64 { return []int64{at(2026, 11, 29, 15, 0).Unix()} }
)

// callMatrix: a standing button naming a call beside another home than
// its own finds no such call there and says so before any need is checked
// (TestOutsidersCannotTouchCalls taps those); menu buttons that do the
// same are denied.
var callMatrix = []matrixCase{
	{kind: "command", name: "book", allow: guardians},
	{kind: "command", name: "calls", allow: callReaders},

	{kind: "button", name: "book.child", args: child, allow: parentOnly},
	{kind: "button", name: "book.child", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child} }, allow: nobody},
	{kind: "button", name: "book.day", args: sunday1500, answers: booking, allow: parentOnly},
	{kind: "button", name: "book.time", args: sunday1500, answers: booking, allow: parentOnly},
	{kind: "button", name: "book.kind", args: first, answers: booking, allow: parentOnly},
	{kind: "button", name: "book.skipNote", args: none, answers: booking, allow: parentOnly},
	{kind: "button", name: "book.send", args: none, answers: booking, allow: parentOnly},
	{kind: "button", name: "book.weekly", args: none, answers: booking, allow: parentOnly},
	{kind: "button", name: "book.again", args: child, allow: parentOnly},
	{kind: "button", name: "flow.back", args: none, answers: booking, step: "book/time", allow: parentOnly},

	{kind: "button", name: "call.cancel", args: momCall, allow: callCancel},
	{kind: "button", name: "call.cancelSeries", args: momCall, allow: callCancel},
	{kind: "button", name: "call.move", args: momCall, allow: parentOnly},
	{kind: "button", name: "call.cancel.noReason", args: none, answers: onCall, allow: callCancel},
	{kind: "button", name: "call.cancel.keep", args: none, answers: onCall, allow: callCancel},
	{kind: "button", name: "call.move.day", args: sunday1500, answers: onCall, allow: parentOnly},
	{kind: "button", name: "call.move.time", args: sunday1500, answers: onCall, allow: parentOnly},
	{kind: "button", name: "series.move", args: momCall, allow: parentOnly},
	{kind: "button", name: "call.staffMove", args: momCall, allow: staffHere},
	{kind: "button", name: "call.staffMove.day", args: sunday1500, answers: onCall, allow: staffHere},
	{kind: "button", name: "call.staffMove.time", args: sunday1500, answers: onCall, allow: staffHere},
	{kind: "button", name: "series.move.day", args: sunday1500, answers: onCall, allow: parentOnly},
	{kind: "button", name: "series.move.time", args: sunday1500, answers: onCall, allow: parentOnly},

	{kind: "button", name: "call.confirm", args: momCall, allow: teacherOnly},
	{kind: "button", name: "call.decline", args: momCall, allow: teacherOnly},
	{kind: "button", name: "call.propose", args: momCall, allow: teacherOnly},
	{kind: "button", name: "call.held", args: momCall, allow: teacherOnly},
	{kind: "button", name: "call.missed", args: momCall, allow: teacherOnly},
	{kind: "button", name: "call.choose", args: func(f fixture) []int64 { return []int64{f.home, f.momCall, sunday1500(f)[0]} }, allow: parentOnly},
	{kind: "button", name: "call.propose.toggle", args: func(f fixture) []int64 { return []int64{f.home, f.momCall, sunday1500(f)[0], 0} }, allow: teacherOnly},
	{kind: "button", name: "call.propose.send", args: momCall, allow: teacherOnly},
	{kind: "button", name: "call.propose.back", args: momCall, allow: teacherOnly},
	{kind: "button", name: "call.attend", args: momCall, allow: parentOnly},
	{kind: "button", name: "call.cannot", args: momCall, allow: parentOnly},

	{kind: "button", name: "calls.mine", args: none, allow: guardians},
	{kind: "button", name: "calls.view", args: momCall, allow: parentOnly},
	{kind: "button", name: "calls.view", args: momCallThere, allow: nobody},
	{kind: "button", name: "calls.homes", args: none, allow: staffMembers},
	{kind: "button", name: "calls.home", args: home, allow: homeStaff},
	{kind: "button", name: "calls.staffView", args: momCall, allow: homeStaff},
	{kind: "button", name: "calls.staffView", args: momCallThere, allow: nobody},

	{kind: "typed", name: "book/note", text: "She has a cold", answers: booking, allow: parentOnly},
	{kind: "typed", name: "call.cancel/reason", text: "Working late", answers: onCall, allow: callCancel},
}

// Outsiders cannot see, book, confirm or cancel the home's calls, even
// with standing buttons forged from the real ones' data.
func TestOutsidersCannotTouchCalls(t *testing.T) {
	w := newBookingWorld(t, weekendHours(2))
	w.dadBooksSunday()
	w.teacher.Sees("New call request")
	id := w.only().ID
	b := w.h.reps[0].app.Bot
	stranger := w.h.person(7999, "Stranger", "en")
	other := w.h.person(w.f.otherParent, "Grandma Li", "en")
	far := w.h.person(w.f.farParent, "阿芳", "en")
	before := w.h.snapshot()
	for _, p := range []*person{stranger, other, far, w.otherTeacher} {
		p.Types("/calls")
		for _, name := range []string{"call.confirm", "call.decline", "call.cancel", "call.held"} {
			p.TapsData(0, b.ButtonData(name, "", w.f.home, id))
		}
		p.TapsData(0, b.ButtonData("call.choose", "", w.f.home, id, sunday1400.Unix()))
		p.TapsData(0, b.ButtonData("call.confirm", "", w.f.otherHome, id))
		p.TapsData(0, b.ButtonData("book.again", "", w.f.home, w.f.child))
	}
	w.otherTeacher.Sees("No calls today or tomorrow.")
	other.Sees("You have no calls booked.")
	far.Sees("You have no calls booked.")
	stranger.Sees("ask the teacher at your child's Children's Home")
	for _, p := range []*person{stranger, other, far, w.otherTeacher} {
		p.settledAnswers(7)
		for _, a := range p.Alerts() {
			// A call named beside another home does not exist there.
			if a != "Sorry, that is not available to you." && a != "This no longer exists." {
				t.Errorf("user %d was told %q", p.ID, a)
			}
		}
		if n := count(p, "小明"); n != 0 {
			t.Errorf("user %d saw 小明's call:\n%s", p.ID, transcript(p.Messages()))
		}
	}
	after := w.h.snapshot()
	for k := range before {
		if before[k] != after[k] && !isSession(w.h, k) {
			t.Errorf("an outsider changed %s", k)
		}
	}
	w.wantState(id, homelink.Requested)
}

// settledAnswers waits until p's n taps are answered.
func (p *person) settledAnswers(n int) {
	p.h.t.Helper()
	if !p.h.tg.WaitFor(5*time.Second, func() bool { return len(p.Answers()) >= n && p.Answered() }) {
		p.h.t.Fatalf("user %d: %d of %d taps answered", p.ID, len(p.Answers()), n)
	}
}

// isSession reports whether k is someone's session (commands open menus).
func isSession(h *harness, k string) bool {
	return len(k) > len(h.prefix) && k[len(k)-len(":session"):] == ":session"
}
