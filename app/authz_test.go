package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

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
	// staffHere teach at or manage the fixture's home; staffThere the
	// other home.
	staffHere  = []string{"teacher", "coordinator"}
	staffThere = []string{"teacher of another home", "coordinator of other homes"}
	members    = []string{"parent", "parent of another child", "teacher", "teacher of another home", "coordinator", "coordinator of other homes"}
	parents    = []string{"parent", "parent of another child"}
)

// matrixCase is one command, button or typed answer and who may use it.
type matrixCase struct {
	// kind is "command", "button" or "typed"; name is the command, the
	// button's name in the code, or the typed step ("flow/step").
	kind, name string
	// args builds the button's arguments from the fixture (the home and
	// child 小明, or another home's where the case says so).
	args func(f fixture) []int64
	// answers are the flow's answers so far (JSON), for buttons and typed
	// answers that continue a flow; step is the step a button answers
	// (read from the bot); text is what is typed.
	answers func(f fixture) string
	step    string
	text    string
	allow   []string
}

func home(f fixture) []int64  { return []int64{f.home} }
func child(f fixture) []int64 { return []int64{f.home, f.child} }
func none(fixture) []int64    { return nil }
func first(fixture) []int64   { return []int64{0} }
func momLink(f fixture) []int64 {
	return []int64{f.home, f.child, f.mom}
}
func momNotice(f fixture) []int64 { return []int64{f.home, f.child, f.mom, f.momLink} }
func atHome(f fixture) string {
	return `{"h":` + strconv.FormatInt(f.home, 10) + `,"name":"Mei","tz":"Asia/Shanghai"}`
}
func atOtherHome(f fixture) string {
	return `{"h":` + strconv.FormatInt(f.otherHome, 10) + `,"name":"Mei"}`
}
func otherHome(f fixture) []int64 { return []int64{f.otherHome} }
func homeAnd(n int64) func(fixture) []int64 {
	return func(f fixture) []int64 { return []int64{f.home, n} }
}
func otherHomeAnd(n int64) func(fixture) []int64 {
	return func(f fixture) []int64 { return []int64{f.otherHome, n} }
}
func choice(n int64) func(fixture) []int64 { return func(fixture) []int64 { return []int64{n} } }
func startingAt9(f fixture) string {
	return `{"h":` + strconv.FormatInt(f.home, 10) + `,"d":6,"s":540}`
}
func holding(f fixture) string { return `{"i":` + strconv.FormatInt(f.momInvite, 10) + `}` }

var matrix = []matrixCase{
	{kind: "command", name: "start", allow: all},
	{kind: "command", name: "help", allow: all},
	{kind: "command", name: "language", allow: all},
	{kind: "command", name: "cancel", allow: all},
	{kind: "command", name: "mydata", allow: all},
	{kind: "command", name: "forget", allow: all},
	{kind: "command", name: "homes", allow: coords},
	{kind: "command", name: "invite", allow: coords},
	{kind: "command", name: "settings", allow: all},
	{kind: "command", name: "hours", allow: []string{"teacher", "teacher of another home", "coordinator", "coordinator of other homes"}},
	{kind: "command", name: "children", allow: []string{"parent", "parent of another child", "teacher", "teacher of another home"}},

	{kind: "button", name: "homes.list", args: none, allow: coords},
	{kind: "button", name: "home.new", args: none, allow: coords},
	{kind: "button", name: "home.new.zone", args: first, answers: atHome, allow: coords},
	{kind: "button", name: "home.new.skipInstructions", args: none, answers: atHome, allow: coords},
	{kind: "button", name: "flow.back", args: none, answers: atHome, step: "home.new/zone", allow: coords},
	{kind: "button", name: "flow.back", args: none, answers: atHome, step: "child.add/year", allow: teacherOnly},
	{kind: "button", name: "flow.cancel", args: none, answers: atHome, step: "home.new/zone", allow: all},
	{kind: "button", name: "home.view", args: home, allow: coordOnly},
	{kind: "button", name: "home.view", args: func(f fixture) []int64 { return []int64{f.otherHome} }, allow: []string{"coordinator of other homes"}},
	{kind: "button", name: "home.rename", args: home, allow: coordOnly},
	{kind: "button", name: "home.zone", args: home, allow: coordOnly},
	{kind: "button", name: "home.zone.set", args: first, answers: atHome, allow: coordOnly},
	// The flow names another home than the one the coordinator manages.
	{kind: "button", name: "home.zone.set", args: first, answers: atOtherHome, allow: []string{"coordinator of other homes"}},
	{kind: "button", name: "home.instructions", args: home, allow: coordOnly},
	{kind: "button", name: "teacher.invite", args: home, allow: coordOnly},
	{kind: "button", name: "teachers.view", args: home, allow: coordOnly},
	{kind: "button", name: "teacher.removeAsk", args: func(f fixture) []int64 { return []int64{f.home, f.teacher} }, allow: coordOnly},
	{kind: "button", name: "teacher.remove", args: func(f fixture) []int64 { return []int64{f.home, f.teacher} }, allow: coordOnly},
	{kind: "button", name: "share.start", args: none, allow: coords},
	{kind: "button", name: "share.toggle", args: home, allow: coordOnly},
	{kind: "button", name: "share.create", args: none, allow: coords},
	{kind: "button", name: "share.create", args: none, answers: func(f fixture) string {
		return `{"homes":[` + strconv.FormatInt(f.home, 10) + `]}` // altered: a home they do not manage
	}, allow: coordOnly},
	{kind: "button", name: "children.list", args: home, allow: teacherOnly},
	{kind: "button", name: "child.add", args: home, allow: teacherOnly},
	{kind: "button", name: "child.add.skipYear", args: none, answers: atHome, allow: teacherOnly},
	{kind: "button", name: "child.view", args: child, allow: teacherOnly},
	// A teacher of the other home puts their own home beside 小明.
	{kind: "button", name: "child.view", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child} }, allow: nobody},
	{kind: "button", name: "guardian.invite", args: child, allow: teacherOnly},
	{kind: "button", name: "invites.view", args: child, allow: teacherOnly},
	{kind: "button", name: "guardian.unlinkAsk", args: momLink, allow: teacherOnly},
	{kind: "button", name: "guardian.unlink", args: momLink, allow: teacherOnly},
	{kind: "button", name: "child.removeAsk", args: child, allow: teacherOnly},
	{kind: "button", name: "child.remove", args: child, allow: teacherOnly},
	{kind: "button", name: "invite.revoke", args: func(f fixture) []int64 { return []int64{f.momInvite} }, allow: teacherOnly},
	{kind: "button", name: "invite.revoke", args: func(f fixture) []int64 { return []int64{f.teacherInvite} }, allow: coordOnly},
	// Used and revoked invitations are judged by what they were for: a
	// stranger to them learns nothing of them.
	{kind: "button", name: "invite.revoke", args: func(f fixture) []int64 { return []int64{f.momLink} }, allow: teacherOnly},
	{kind: "button", name: "invite.revoke", args: func(f fixture) []int64 { return []int64{f.revokedInvite} }, allow: teacherOnly},
	{kind: "button", name: "invite.revokeOnCard", args: func(f fixture) []int64 { return []int64{f.revokedInvite} }, allow: teacherOnly},
	{kind: "button", name: "consent.yes", args: func(f fixture) []int64 { return []int64{f.momInvite} }, answers: holding, allow: all},
	// Consent to an invitation other than the one whose code was opened.
	{kind: "button", name: "consent.yes", args: func(f fixture) []int64 { return []int64{f.teacherInvite} }, answers: holding, allow: nobody},
	{kind: "button", name: "consent.no", args: func(f fixture) []int64 { return []int64{f.momInvite} }, answers: holding, allow: all},
	{kind: "button", name: "relationship.set", args: func(f fixture) []int64 { return []int64{f.home, f.child, 0} }, allow: parentOnly},
	{kind: "button", name: "relationship.set", args: func(f fixture) []int64 { return []int64{f.otherHome, f.child, 0} }, allow: nobody},
	{kind: "button", name: "forget.yes", args: none, allow: all},
	{kind: "button", name: "forget.no", args: none, allow: all},
	{kind: "button", name: "menu.close", args: none, allow: all},
	{kind: "button", name: "language.choose", args: first, allow: all},
	{kind: "button", name: "settings.view", args: none, allow: all},
	{kind: "button", name: "settings.name", args: none, allow: all},
	{kind: "button", name: "settings.language", args: none, allow: all},
	{kind: "button", name: "settings.zone", args: none, allow: members},
	{kind: "button", name: "settings.zone.set", args: choice(7), allow: members},
	{kind: "button", name: "settings.zone.clear", args: none, allow: members},
	{kind: "button", name: "settings.shifts", args: none, allow: parents},
	{kind: "button", name: "settings.shifts.preset", args: first, allow: parents},
	{kind: "button", name: "settings.shifts.type", args: none, allow: parents},
	{kind: "button", name: "settings.shifts.clear", args: none, allow: parents},
	{kind: "button", name: "settings.quiet", args: none, allow: members},
	{kind: "button", name: "settings.quiet.preset", args: choice(3), allow: members},
	{kind: "button", name: "settings.quiet.type", args: none, allow: members},
	{kind: "button", name: "settings.quiet.switch", args: choice(0), allow: members},
	{kind: "button", name: "settings.dayAhead", args: choice(0), allow: parents},

	// A home's call hours: its teachers and coordinators only; a button
	// naming another home works only for that home's staff.
	{kind: "button", name: "hours.view", args: home, allow: staffHere},
	{kind: "button", name: "hours.view", args: otherHome, allow: staffThere},
	{kind: "button", name: "hours.add", args: home, allow: staffHere},
	{kind: "button", name: "hours.add.day", args: choice(6), answers: atHome, allow: staffHere},
	{kind: "button", name: "hours.add.day", args: choice(6), answers: atOtherHome, allow: staffThere},
	{kind: "button", name: "hours.add.start", args: choice(540), answers: atHome, allow: staffHere},
	{kind: "button", name: "hours.add.end", args: choice(600), answers: startingAt9, allow: staffHere},
	{kind: "button", name: "flow.back", args: none, answers: startingAt9, step: "hours.add/end", allow: staffHere},
	{kind: "button", name: "hours.removeList", args: home, allow: staffHere},
	{kind: "button", name: "hours.remove", args: homeAnd(0), allow: staffHere},
	{kind: "button", name: "hours.remove", args: otherHomeAnd(0), allow: staffThere},
	{kind: "button", name: "hours.slot", args: home, allow: staffHere},
	{kind: "button", name: "hours.slot.set", args: homeAnd(20), allow: staffHere},
	{kind: "button", name: "hours.slot.set", args: otherHomeAnd(20), allow: staffThere},
	{kind: "button", name: "hours.lines", args: home, allow: staffHere},
	{kind: "button", name: "hours.lines.set", args: homeAnd(2), allow: staffHere},
	{kind: "button", name: "hours.auto", args: homeAnd(1), allow: staffHere},
	{kind: "button", name: "hours.closed", args: home, allow: staffHere},
	{kind: "button", name: "hours.closed.add", args: home, allow: staffHere},
	{kind: "button", name: "hours.closed.remove", args: homeAnd(0), allow: staffHere},
	{kind: "button", name: "hours.reminders", args: home, allow: staffHere},
	{kind: "button", name: "hours.reminders", args: otherHome, allow: staffThere},
	{kind: "button", name: "hours.reminders.set", args: homeAnd(2), allow: staffHere},
	{kind: "button", name: "hours.reminders.set", args: otherHomeAnd(22), allow: staffThere},

	// Standing buttons: Revoke on an invitation card, and the notice
	// teachers get when a guardian joins.
	{kind: "button", name: "invite.revokeOnCard", args: func(f fixture) []int64 { return []int64{f.momInvite} }, allow: teacherOnly},
	{kind: "button", name: "invite.revokeOnCard", args: func(f fixture) []int64 { return []int64{f.teacherInvite} }, allow: coordOnly},
	{kind: "button", name: "joined.unlinkAsk", args: momNotice, allow: teacherOnly},
	{kind: "button", name: "joined.unlink", args: momNotice, allow: teacherOnly},
	{kind: "button", name: "joined.keep", args: momNotice, allow: teacherOnly},

	{kind: "typed", name: "home.new/name", text: "Hilltop Home", allow: coords},
	{kind: "typed", name: "home.new/zone", text: "Asia/Shanghai", answers: atHome, allow: coords},
	{kind: "typed", name: "home.new/instructions", text: "Call 0851-1", answers: atHome, allow: coords},
	{kind: "typed", name: "home.rename/name", text: "Hilltop Home", answers: atHome, allow: coordOnly},
	{kind: "typed", name: "home.zone/zone", text: "Asia/Shanghai", answers: atHome, allow: coordOnly},
	{kind: "typed", name: "home.instructions/text", text: "Call 0851-1", answers: atHome, allow: coordOnly},
	{kind: "typed", name: "child.add/name", text: "Mei", answers: atHome, allow: teacherOnly},
	{kind: "typed", name: "child.add/year", text: "2016", answers: atHome, allow: teacherOnly},
	{kind: "typed", name: "settings.name/name", text: "Mei", allow: all},
	{kind: "typed", name: "settings.zone/zone", text: "Europe/Madrid", allow: members},
	{kind: "typed", name: "settings.shifts/shifts", text: "Mon-Sat 07:00-19:00", allow: parents},
	{kind: "typed", name: "settings.quiet/quiet", text: "08:00-16:00", allow: members},
	{kind: "typed", name: "hours.add/day", text: "Sat 09:00-11:30", answers: atHome, allow: staffHere},
	{kind: "typed", name: "hours.add/day", text: "Sat 09:00-11:30", answers: atOtherHome, allow: staffThere},
	{kind: "typed", name: "hours.closed/dates", text: "2027-02-10 - 2027-02-17 春节", answers: atHome, allow: staffHere},
	{kind: "typed", name: "hours.view/hours", text: "Sat 09:00-11:30", answers: atHome, allow: staffHere},
	{kind: "typed", name: "hours.view/hours", text: "Sat 09:00-11:30", answers: atOtherHome, allow: staffThere},
	{kind: "typed", name: "hours.slot/minutes", text: "25", answers: atHome, allow: staffHere},
	{kind: "typed", name: "hours.slot/minutes", text: "25", answers: atOtherHome, allow: staffThere},

	// Weekly reports: any teacher or coordinator; a home's report only
	// for its own staff (the standing button under the summary).
	{kind: "command", name: "report", allow: []string{"teacher", "teacher of another home", "coordinator", "coordinator of other homes"}},
	{kind: "button", name: "report.home", args: home, allow: staffHere},
	{kind: "button", name: "report.home", args: otherHome, allow: staffThere},
	{kind: "button", name: "report.homes", args: choice(1), allow: []string{"teacher", "teacher of another home", "coordinator", "coordinator of other homes"}},
}

// matrix gets the rows of calls, from booking_authz_test.go.
func init() { matrix = append(matrix, callMatrix...) }

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
	buttons := b.Buttons()
	for _, c := range matrix {
		for _, who := range personas {
			f := h.reset(t)
			id := f.persona(who)
			p := h.person(id, who, "en")
			info := buttons[c.name]
			if c.kind != "command" && !info.Standing {
				sess := homelink.Session{Flow: "menu", Nonce: "matrix00"}
				if c.answers != nil {
					sess.Answers = []byte(c.answers(f))
				}
				step := c.step
				if c.kind == "typed" {
					step = c.name
				} else if info.Step != "" {
					step = info.Step
				}
				if step != "" {
					sess.Flow, sess.Step, _ = strings.Cut(step, "/")
				}
				if _, err := st.SaveSession(ctx, id, sess); err != nil {
					t.Fatal(err)
				}
			}
			seenMsgs, seenAlerts := len(p.Messages()), len(p.Alerts())
			before := h.snapshot()
			switch c.kind {
			case "command":
				p.Types("/" + c.name)
			case "button":
				p.TapsData(0, b.ButtonData(c.name, "matrix00", c.args(f)...))
			case "typed":
				p.Types(c.text)
			}
			denied := h.deniedTo(p, c.kind == "button", c.kind == "command" && c.name == "start", seenMsgs, seenAlerts)
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
					t.Errorf("%s by %s was denied but changed Redis: %v", label, who, changedKeys(before, after))
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

// reset puts the harness's Redis back as the fixture first left it, so
// every case of the matrix starts from the same state. The first call
// seeds it through the store and keeps an image of every key; later calls
// restore that image in one pipeline, far quicker than seeding again.
func (h *harness) reset(t *testing.T) fixture {
	t.Helper()
	h.tg.WaitFor(5*time.Second, func() bool { return h.tg.PendingUpdates() == 0 })
	ctx := context.Background()
	drop := h.botKeys(t)
	if h.seeded == nil {
		if len(drop) > 0 {
			if err := h.rdb.Del(ctx, drop...).Err(); err != nil {
				t.Fatal(err)
			}
		}
		f := seed(t, h)
		seedCall(t, h, &f)
		seedBroadcast(t, h, f)
		h.seeded = &seedImage{f: f, keys: map[string]dumpedKey{}}
		for _, k := range h.botKeys(t) {
			v, err := h.rdb.Dump(ctx, k).Result()
			ttl, err2 := h.rdb.PTTL(ctx, k).Result()
			if err != nil || err2 != nil {
				t.Fatal(err, err2)
			}
			h.seeded.keys[k] = dumpedKey{v, max(ttl, 0)}
		}
		return f
	}
	_, err := h.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if len(drop) > 0 {
			p.Del(ctx, drop...)
		}
		for k, d := range h.seeded.keys {
			p.RestoreReplace(ctx, k, d.ttl, d.value)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h.seeded.f
}

// seedImage is the fixture and every key of the bot's state it made.
type seedImage struct {
	f    fixture
	keys map[string]dumpedKey
}

type dumpedKey struct {
	value string
	ttl   time.Duration // 0: none
}

// botKeys are the harness's keys but the outbox's queue, which is not the
// bot's state.
func (h *harness) botKeys(t *testing.T) []string {
	t.Helper()
	keys, err := h.rdb.Keys(context.Background(), h.prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(keys, func(k string) bool { return strings.Contains(k, "{ob}") })
}

// snapshot is the bot's state in Redis (not the outbox's, inboxes or
// dedupe records), key by key, to see that a denied action changed none.
// Each value is read in a canonical form (a hash's fields sorted, a
// set's members), not DUMPed: a large hash's DUMP lists its fields in its
// table's order, which a mere read may change while Redis rehashes.
func (h *harness) snapshot() map[string]string {
	ctx := context.Background()
	keys, _ := h.rdb.Keys(ctx, h.prefix+"*").Result()
	keys = slices.DeleteFunc(keys, func(k string) bool {
		return strings.Contains(k, "{ob}") || strings.HasSuffix(k, ":inbox") || strings.HasSuffix(k, ":seen") ||
			strings.HasSuffix(k, ":lock") || strings.HasSuffix(k, "inbox:pending") || k == h.prefix+"users" ||
			strings.HasPrefix(k, h.prefix+"menus:") // intake bookkeeping, and the menu job's ticks
	})
	types := make([]*redis.StatusCmd, len(keys))
	h.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			types[i] = p.Type(ctx, k)
		}
		return nil
	})
	values := make([]redis.Cmder, len(keys))
	h.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			switch types[i].Val() {
			case "hash":
				values[i] = p.HGetAll(ctx, k)
			case "set":
				values[i] = p.SMembers(ctx, k)
			case "zset":
				values[i] = p.ZRangeWithScores(ctx, k, 0, -1)
			case "list":
				values[i] = p.LRange(ctx, k, 0, -1)
			default:
				values[i] = p.Dump(ctx, k)
			}
		}
		return nil
	})
	out := make(map[string]string, len(keys))
	for i, k := range keys {
		switch c := values[i].(type) {
		case *redis.MapStringStringCmd:
			out[k] = fmt.Sprint(c.Val()) // fmt sorts a map's keys
		case *redis.StringSliceCmd: // a set's members, sorted; a list's, in order
			members := c.Val()
			if types[i].Val() == "set" {
				slices.Sort(members)
			}
			out[k] = strings.Join(members, "\x00")
		case *redis.ZSliceCmd:
			out[k] = fmt.Sprint(c.Val())
		case *redis.StringCmd:
			out[k] = c.Val()
		}
	}
	return out
}

// deniedTo waits for the bot to finish with p's update and reports whether
// it said "not available to you".
func (h *harness) deniedTo(p *person, tapped, welcomed bool, seenMsgs, seenAlerts int) bool {
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
	denied := false
	for _, s := range texts {
		if strings.Contains(s, "Something went wrong") || strings.Contains(s, "出了点问题") {
			h.t.Errorf("user %d got an apology: the handler failed:\n%s", p.ID, lastFailure(h.logs.String()))
		}
		// Someone with no role is told how to join instead (unless how to
		// join is what they asked for).
		joinText := strings.Contains(s, "ask the teacher at your child's Children's Home") || strings.Contains(s, "请向孩子所在儿童之家的老师要一个邀请链接")
		denied = denied || strings.Contains(s, en) || strings.Contains(s, zh) || joinText && !welcomed
	}
	return denied
}

func lastFailure(logs string) string {
	i := strings.LastIndex(logs, "handling update failed")
	if i < 0 {
		return "(nothing logged)"
	}
	return logs[i:min(len(logs), i+300)]
}
