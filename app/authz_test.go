package app

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// The personas of the authorization matrix, for the fixture's home and
// its child 小明.
var personas = []string{"stranger", "parent", "parent of another child", "teacher",
	"teacher of another home", "coordinator", "coordinator of other homes"}

func (f fixture) persona(name string) int64 {
	return map[string]int64{
		"stranger": 7999, "parent": f.mom, "parent of another child": f.otherParent, "teacher": f.teacher,
		"teacher of another home": f.otherTeacher, "coordinator": f.coord, "coordinator of other homes": f.otherCoord,
	}[name]
}

var (
	all         = personas
	coords      = []string{"coordinator", "coordinator of other homes"}
	coordOnly   = []string{"coordinator"}
	teacherOnly = []string{"teacher"}
	parentOnly  = []string{"parent"}
	nobody      = []string{}
)

// matrixCase is one command, button or typed answer and who may use it.
type matrixCase struct {
	// kind is "command", "button" or "typed".
	kind, name string
	// args builds the button's arguments from the fixture (the home and
	// child 小明, or another home's where the case says so).
	args func(f fixture) []int64
	// data is the flow's answers so far, for buttons and typed answers that
	// continue a flow; text is what is typed.
	data  func(f fixture) map[string]string
	text  string
	allow []string
}

func home(f fixture) []int64  { return []int64{f.home} }
func child(f fixture) []int64 { return []int64{f.home, f.child} }
func none(fixture) []int64    { return nil }
func atHome(f fixture) map[string]string {
	return map[string]string{"h": strconv.FormatInt(f.home, 10), "name": "Mei", "tz": "Asia/Shanghai"}
}
func holding(f fixture) map[string]string {
	return map[string]string{"i": strconv.FormatInt(f.momInvite, 10)}
}

var matrix = []matrixCase{
	{kind: "command", name: "start", allow: all},
	{kind: "command", name: "help", allow: all},
	{kind: "command", name: "language", allow: all},
	{kind: "command", name: "cancel", allow: all},
	{kind: "command", name: "mydata", allow: all},
	{kind: "command", name: "forget", allow: all},
	{kind: "command", name: "homes", allow: coords},
	{kind: "command", name: "invite", allow: coords},
	{kind: "command", name: "children", allow: []string{"parent", "parent of another child", "teacher", "teacher of another home"}},

	{kind: "button", name: "hl", args: none, allow: coords},
	{kind: "button", name: "hn", args: none, allow: coords},
	{kind: "button", name: "tz", args: func(fixture) []int64 { return []int64{0} }, allow: coords},
	{kind: "button", name: "is", args: none, allow: coords},
	{kind: "button", name: "hv", args: home, allow: coordOnly},
	{kind: "button", name: "hv", args: func(f fixture) []int64 { return []int64{f.otherHome} }, allow: []string{"coordinator of other homes"}},
	{kind: "button", name: "hr", args: home, allow: coordOnly},
	{kind: "button", name: "hz", args: home, allow: coordOnly},
	{kind: "button", name: "hzs", args: func(f fixture) []int64 { return []int64{f.home, 1} }, allow: coordOnly},
	{kind: "button", name: "hi", args: home, allow: coordOnly},
	{kind: "button", name: "ht", args: home, allow: coordOnly},
	{kind: "button", name: "hT", args: home, allow: coordOnly},
	{kind: "button", name: "tr", args: func(f fixture) []int64 { return []int64{f.home, f.teacher} }, allow: coordOnly},
	{kind: "button", name: "try", args: func(f fixture) []int64 { return []int64{f.home, f.teacher} }, allow: coordOnly},
	{kind: "button", name: "ci", args: none, allow: coords},
	{kind: "button", name: "cs", args: home, allow: coordOnly},
	{kind: "button", name: "cc", args: none, allow: coords},
	{kind: "button", name: "cc", args: none, data: func(f fixture) map[string]string {
		return map[string]string{"share": strconv.FormatInt(f.home, 10)} // altered: a home they do not manage
	}, allow: coordOnly},
	{kind: "button", name: "kl", args: home, allow: teacherOnly},
	{kind: "button", name: "ka", args: home, allow: teacherOnly},
	{kind: "button", name: "ks", args: home, data: atHome, allow: teacherOnly},
	{kind: "button", name: "kv", args: child, allow: teacherOnly},
	// A teacher of the other home puts their own home beside 小明.
	{kind: "button", name: "kv", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child} }, allow: nobody},
	{kind: "button", name: "gi", args: child, allow: teacherOnly},
	{kind: "button", name: "il", args: child, allow: teacherOnly},
	{kind: "button", name: "gu", args: func(f fixture) []int64 { return []int64{f.home, f.child, f.mom} }, allow: teacherOnly},
	{kind: "button", name: "guy", args: func(f fixture) []int64 { return []int64{f.home, f.child, f.mom} }, allow: teacherOnly},
	{kind: "button", name: "kr", args: child, allow: teacherOnly},
	{kind: "button", name: "kry", args: child, allow: teacherOnly},
	{kind: "button", name: "ir", args: func(f fixture) []int64 { return []int64{f.momInvite} }, allow: teacherOnly},
	{kind: "button", name: "ir", args: func(f fixture) []int64 { return []int64{f.teacherInvite} }, allow: coordOnly},
	{kind: "button", name: "ca", args: func(f fixture) []int64 { return []int64{f.momInvite} }, data: holding, allow: all},
	// Consent to an invitation other than the one whose code was opened.
	{kind: "button", name: "ca", args: func(f fixture) []int64 { return []int64{f.teacherInvite} }, data: holding, allow: nobody},
	{kind: "button", name: "cn", args: func(f fixture) []int64 { return []int64{f.momInvite} }, data: holding, allow: all},
	{kind: "button", name: "rel", args: func(f fixture) []int64 { return []int64{f.home, f.child, 0} }, allow: parentOnly},
	{kind: "button", name: "rel", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child, 0} }, allow: nobody},
	{kind: "button", name: "fy", args: none, allow: all},
	{kind: "button", name: "fn", args: none, allow: all},
	{kind: "button", name: "x", args: none, allow: all},

	// The language flow's button (its own flow, not a menu's).
	{kind: "button", name: "lang:en", args: none, allow: all},

	{kind: "typed", name: "hname", text: "Hilltop Home", allow: coords},
	{kind: "typed", name: "htz", text: "Asia/Shanghai", data: atHome, allow: coords},
	{kind: "typed", name: "hinstr", text: "Call 0851-1", data: atHome, allow: coords},
	{kind: "typed", name: "hrn", text: "Hilltop Home", data: atHome, allow: coordOnly},
	{kind: "typed", name: "hzt", text: "Asia/Shanghai", data: atHome, allow: coordOnly},
	{kind: "typed", name: "hit", text: "Call 0851-1", data: atHome, allow: coordOnly},
	{kind: "typed", name: "kname", text: "Mei", data: atHome, allow: teacherOnly},
	{kind: "typed", name: "kyear", text: "2016", data: atHome, allow: teacherOnly},
}

// Every command, button and typed answer × every persona: allowed or
// denied as the table says. A denied one answers "not available to you"
// and changes nothing in Redis.
func TestAuthorizationMatrix(t *testing.T) {
	h := start(t, webhook)
	b := h.reps[0].app.Bot
	covered := map[string]bool{}
	for _, c := range matrix {
		covered[c.kind+" "+c.name] = true
	}
	for name := range b.Buttons() {
		if !covered["button "+name] {
			t.Errorf("the matrix does not cover button %q", name)
		}
	}
	for _, name := range b.Steps() {
		if !covered["typed "+name] {
			t.Errorf("the matrix does not cover typed step %q", name)
		}
	}
	for _, name := range b.Commands() {
		if !covered["command "+name] {
			t.Errorf("the matrix does not cover command /%s", name)
		}
	}
	ctx := context.Background()
	st := h.reps[0].app.Store
	for _, c := range matrix {
		for _, who := range personas {
			f := h.reset(t)
			id := f.persona(who)
			p := h.person(id, who, "en")
			if c.kind != "command" {
				var d map[string]string
				if c.data != nil {
					d = c.data(f)
				}
				step := ""
				if c.kind == "typed" {
					step = c.name
				}
				flow := "m"
				if strings.HasPrefix(c.name, "lang:") {
					flow = "lang"
				}
				if _, err := st.SaveSession(ctx, id, homelink.Session{Flow: flow, Step: step, Nonce: "matrix00", Data: d}); err != nil {
					t.Fatal(err)
				}
			}
			seenMsgs, seenAlerts := len(p.Messages()), len(p.Alerts())
			before := h.snapshot()
			switch c.kind {
			case "command":
				p.Types("/" + c.name)
			case "button":
				var parts []string
				for _, a := range c.args(f) {
					parts = append(parts, strconv.FormatInt(a, 10))
				}
				data := "m:matrix00:" + strings.Join(append([]string{c.name}, parts...), ".")
				if flow, lang, ok := strings.Cut(c.name, ":"); ok {
					data = flow + ":matrix00:" + lang
				}
				p.TapsData(0, data)
			case "typed":
				p.Types(c.text)
			}
			denied := h.deniedTo(p, c.kind == "button", seenMsgs, seenAlerts)
			want := slices.Contains(c.allow, who)
			label := c.kind + " " + c.name
			if c.args != nil {
				label += " " + fmtArgs(c.args(f))
			}
			if denied == want {
				t.Errorf("%s by %s: allowed=%v, want %v; they see:\n%s alerts %q", label, who, !denied, want, transcript(p.Messages()), p.Alerts())
				continue
			}
			if denied {
				after := h.snapshot()
				if c.kind == "typed" { // a refused typed answer ends the user's own flow
					sess := h.prefix + "{u" + strconv.FormatInt(id, 10) + "}:session"
					delete(before, sess)
					delete(after, sess)
				}
				if !maps.Equal(before, after) {
					t.Errorf("%s by %s was denied but changed Redis", label, who)
				}
			}
		}
	}
}

func fmtArgs(a []int64) string {
	var s []string
	for _, n := range a {
		s = append(s, strconv.FormatInt(n, 10))
	}
	return strings.Join(s, ".")
}

// reset empties the harness's Redis and seeds the fixture again, so every
// case of the matrix starts from the same state.
func (h *harness) reset(t *testing.T) fixture {
	t.Helper()
	h.tg.WaitFor(5*time.Second, func() bool { return h.tg.PendingUpdates() == 0 })
	ctx := context.Background()
	keys, err := h.rdb.Keys(ctx, h.prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	var drop []string
	for _, k := range keys {
		if !strings.Contains(k, "{ob}") { // the outbox's queue is not the bot's state
			drop = append(drop, k)
		}
	}
	if len(drop) > 0 {
		if err := h.rdb.Del(ctx, drop...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	return seed(t, h)
}

// snapshot is the bot's state in Redis (not the outbox's, inboxes or
// dedupe records), key by key, to see that a denied action changed none.
func (h *harness) snapshot() map[string]string {
	ctx := context.Background()
	out := map[string]string{}
	keys, _ := h.rdb.Keys(ctx, h.prefix+"*").Result()
	for _, k := range keys {
		if strings.Contains(k, "{ob}") || strings.HasSuffix(k, ":inbox") || strings.HasSuffix(k, ":seen") ||
			strings.HasSuffix(k, ":lock") || strings.HasSuffix(k, "inbox:pending") || k == h.prefix+"users" ||
			strings.HasPrefix(k, h.prefix+"menus:") { // intake bookkeeping, and the menu job's ticks
			continue
		}
		v, _ := h.rdb.Dump(ctx, k).Result()
		out[k] = v
	}
	return out
}

// deniedTo waits for the bot to finish with p's update and reports whether
// it said "not available to you".
func (h *harness) deniedTo(p *person, tapped bool, seenMsgs, seenAlerts int) bool {
	h.t.Helper()
	const en, zh = "not available to you", "您不能使用这个功能"
	lock := h.prefix + "{u" + strconv.FormatInt(p.ID, 10) + "}:lock"
	ok := h.tg.WaitFor(5*time.Second, func() bool {
		// Delivered, answered, and the user's inbox drained: the handler
		// is done with the update.
		if h.tg.PendingUpdates() != 0 || !p.Answered() || h.rdb.Exists(context.Background(), lock).Val() != 0 {
			return false
		}
		return tapped || len(p.Messages()) > seenMsgs
	})
	if !ok {
		h.t.Fatalf("user %d got no answer", p.ID)
	}
	texts := p.Alerts()[seenAlerts:]
	for _, m := range p.Messages()[seenMsgs:] {
		texts = append(texts, m.Text)
	}
	for _, s := range texts {
		if strings.Contains(s, en) || strings.Contains(s, zh) {
			return true
		}
	}
	return false
}
