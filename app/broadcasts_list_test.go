package app

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// /broadcasts end to end: the sender's waiting, paused and done
// broadcasts, each in words, paused, resumed, deleted after asking, and
// the report of each run; nobody else can act on them.

// broadcastsMatrix: a broadcast's buttons are its sender's alone, not
// even another coordinator's of its home (seededBroadcast is the
// fixture's coordinator's); /broadcasts and its way back are for whoever
// may broadcast.
var broadcastsMatrix = []matrixCase{
	{kind: "command", name: "broadcasts", allow: []string{"teacher", "teacher of another home", "coordinator", "coordinator of other homes"}},
	{kind: "button", name: "broadcasts.list", args: none, allow: []string{"teacher", "teacher of another home", "coordinator", "coordinator of other homes"}},
	{kind: "button", name: "broadcasts.pause", args: seeded, allow: coordOnly},
	{kind: "button", name: "broadcasts.resume", args: seeded, allow: coordOnly},
	{kind: "button", name: "broadcasts.deleteAsk", args: seeded, allow: coordOnly},
	{kind: "button", name: "broadcasts.delete", args: seeded, allow: coordOnly},
	{kind: "button", name: "broadcasts.reports", args: seeded, allow: coordOnly},
	// A run's stop button is its sender's alone (seededRun is the
	// coordinator's, ended).
	{kind: "button", name: "broadcast.stop", args: func(fixture) []int64 { return []int64{seededRun[0], seededRun[1]} }, allow: coordOnly},
}

func init() { matrix = append(matrix, broadcastsMatrix...) }

// seededBroadcast is the broadcast seedBroadcast made for the matrix;
// seededRun a run of another, ended.
var (
	seededBroadcast int64
	seededRun       [2]int64
)

func seeded(fixture) []int64 { return []int64{seededBroadcast} }

// seedBroadcast gives the fixture's coordinator a weekly broadcast to the
// home's parents, for the matrix's /broadcasts buttons. It reads it back
// until Redis has settled its hash (a large hash's DUMP, which the matrix
// compares, follows its table's order, and a read moves that along while
// Redis grows the table).
func seedBroadcast(t testing.TB, h *harness, f fixture) {
	t.Helper()
	bc := scheduleBroadcast(t, h, f.coord, homelink.Broadcast{Homes: []int64{f.home}, Audience: homelink.AudienceGuardians,
		Versions: []homelink.BroadcastVersion{{Lang: "en", Text: "See you on Friday, {parent_name}."}}, Rule: "every Friday at 18:00"})
	seededBroadcast = bc.ID
	st := h.store()
	// The coordinator's note to the home's teachers, started and ended
	// at once, its one chunk taken off the agenda, so nothing is sent
	// while the matrix looks.
	mine := scheduleBroadcast(t, h, f.coord, homelink.Broadcast{Homes: []int64{f.home}, Audience: homelink.AudienceTeachers,
		Versions: []homelink.BroadcastVersion{{Lang: "en", Text: "Staff meeting"}}, Once: "2030-01-01 09:00"})
	run, _, err := st.StartRun(context.Background(), mine.ID, 0, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	chunk := fmt.Sprintf("bc.chunk\x1f%d.%d.0", mine.ID, run)
	if err := h.rdb.ZRem(context.Background(), h.prefix+"{agenda}:due", chunk).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FinishRun(context.Background(), mine.ID, run, homelink.BroadcastRun{}); err != nil {
		t.Fatal(err)
	}
	seededRun = [2]int64{mine.ID, run}
}

// scheduleBroadcast keeps a broadcast as by would with /broadcast.
func scheduleBroadcast(t testing.TB, h *harness, by int64, b homelink.Broadcast) homelink.Broadcast {
	t.Helper()
	b, err := h.store().SaveBroadcast(context.Background(), homelink.By{User: by}, b)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stateOf is where broadcast id stands in the store.
func stateOf(t *testing.T, h *harness, id int64) homelink.BroadcastState {
	t.Helper()
	b, err := h.store().Broadcast(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return b.State
}

func TestSenderPausesResumesAndDeletesBroadcasts(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	if err := h.store().SetLanguage(ctx, f.coord, "en"); err != nil {
		t.Fatal(err)
	}
	coord := h.person(f.coord, "周主任", "en")
	for _, p := range []struct {
		id   int64
		name string
	}{{f.mom, "李秀兰"}, {f.dad, "Jian"}, {f.otherParent, "Grandma Li"}} {
		h.person(p.id, p.name, "en")
	}
	text := func(s string) []homelink.BroadcastVersion { return []homelink.BroadcastVersion{{Lang: "en", Text: s}} }
	home := []int64{f.home}
	scheduleBroadcast(t, h, f.coord, homelink.Broadcast{Homes: home, Audience: homelink.AudienceGuardians,
		Versions: text("<b>Closed</b> on Monday for the holiday.")})
	if _, ok := coord.WaitForMessage("is sent: 3 people in all", 15*time.Second); !ok {
		t.Fatalf("the broadcast sent now did not go; the coordinator sees:\n%s", transcript(coord.Messages()))
	}
	once := scheduleBroadcast(t, h, f.coord, homelink.Broadcast{Homes: home, Audience: homelink.AudienceEveryone,
		Versions: text("The parents' meeting is moved to Sunday."), Once: "2026-12-05 18:00"})
	weekly := scheduleBroadcast(t, h, f.coord, homelink.Broadcast{Homes: home, Audience: homelink.AudienceTeachers,
		Versions: text("Weekly meeting: please send {parent_name} the calls."), Rule: "every Friday at 18:00"})

	coord.Types("/broadcasts")
	list := coord.Sees("Your messages to many")
	for _, want := range []string{
		"#1 🗓 every Friday at 18:00, each home's time\nto the teachers at 青溪村儿童之家\nWeekly meeting: please send {parent_name} the calls.\n⏭ Next: Fri 4 Dec 18:00",
		"#2 🗓 once, on Sat 5 Dec 18:00, each home's time\nto everyone at 青溪村儿童之家\nThe parents' meeting is moved to Sunday.\n⏭ Next: Sat 5 Dec 18:00",
		"#3 🗓 sent at once\nto the parents at 青溪村儿童之家\nClosed on Monday for the holiday.\n✓ Sent",
	} {
		if !strings.Contains(list.Text, want) {
			t.Fatalf("the list lacks %q:\n%s", want, list.Text)
		}
	}
	for _, want := range []string{"#1 ⏸ Pause", "#1 🗑 Delete", "#1 📊 Reports", "#2 ⏸ Pause", "#3 🗑 Delete", "#3 📊 Reports"} {
		if !list.HasButton(want) {
			t.Fatalf("list buttons %v, want %q", list.Buttons(), want)
		}
	}
	if list.HasButton("#3 ⏸ Pause") {
		t.Fatal("a broadcast already sent can be paused")
	}

	coord.Tap("#1 ⏸ Pause")
	coord.Sees("⏸ Paused: it will not go out until you resume it.")
	if s := stateOf(t, h, weekly.ID); s != homelink.BroadcastPaused {
		t.Fatalf("after Pause the broadcast is %s", s)
	}
	coord.Tap("#1 ▶ Resume")
	coord.Sees("▶ Resumed: every Friday at 18:00, each home's time.")
	if s := stateOf(t, h, weekly.ID); s != homelink.BroadcastWaiting {
		t.Fatalf("after Resume the broadcast is %s", s)
	}

	coord.Tap("#2 🗑 Delete")
	coord.Sees("Delete this message to many?\nThe parents' meeting is moved to Sunday.")
	coord.Tap("No, keep it")
	coord.Sees("#2 🗓 once")
	coord.Tap("#2 🗑 Delete")
	coord.Tap("🗑 Yes, delete it")
	coord.Sees("🗑 Deleted: The parents' meeting is moved to Sunday.")
	if _, err := h.store().Broadcast(ctx, once.ID); err == nil {
		t.Fatal("the deleted broadcast is still kept")
	}

	coord.Tap("#2 📊 Reports") // the one sent now is #2 since #2 went
	report := coord.Sees("How it went")
	for _, want := range []string{"Closed on Monday for the holiday.\n🗓 sent at once", "for 3 people", "✅ Delivered: 3"} {
		if !strings.Contains(report.Text, want) {
			t.Fatalf("the report lacks %q:\n%s", want, report.Text)
		}
	}
	coord.Tap("« Back to my messages to many")
	coord.Sees("#1 🗓 every Friday")
}

// In Chinese the list reads as one.
func TestBroadcastsListInChinese(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	coord := h.person(f.coord, "周主任", "zh-hans")
	scheduleBroadcast(t, h, f.coord, homelink.Broadcast{Homes: []int64{f.home}, Audience: homelink.AudienceGuardians,
		Versions: []homelink.BroadcastVersion{{Lang: "zh-Hans", Text: "各位家长：周六开家长会。", Photo: "photo-1"}},
		Rule:     "0 18 * * 1,3,5"})
	coord.Types("/broadcasts")
	list := coord.Sees("您的群发消息")
	want := "#1 🗓 每周一、周三、周五 18:00（各儿童之家当地时间）\n发给青溪村儿童之家的家长\n“📷 各位家长：周六开家长会。”\n⏭ 下一次：11月30日 周一 18:00"
	if !strings.Contains(list.Text, want) {
		t.Fatalf("the list:\n%s\nwant it to contain\n%s", list.Text, want)
	}
	coord.Tap("#1 📊 发送情况")
	coord.Sees("还没有发送过。")
}

// Nobody but the sender acts on a broadcast: a forged button naming it
// is refused, and Redis is left as it was; someone with none hears so.
func TestOnlyTheSenderActsOnABroadcast(t *testing.T) {
	h := start(t, webhook)
	f := seed(t, h)
	ctx := context.Background()
	bc := scheduleBroadcast(t, h, f.coord, homelink.Broadcast{Homes: []int64{f.home}, Audience: homelink.AudienceGuardians,
		Versions: []homelink.BroadcastVersion{{Lang: "en", Text: "Hello"}}, Rule: "every Friday at 18:00"})
	b := h.reps[0].app.Bot
	for _, who := range []int64{f.teacher, f.otherCoord} {
		p := h.person(who, "Other", "en")
		n := len(p.Messages())
		p.Types("/broadcasts")
		p.SeesNew(n, "You have no messages to many waiting.")
		nonce := session(t, h, who).Nonce
		for _, button := range []string{"broadcasts.pause", "broadcasts.deleteAsk", "broadcasts.delete", "broadcasts.reports"} {
			before := h.contents()
			alerts := len(p.Alerts())
			p.TapsData(0, b.ButtonData(button, nonce, bc.ID))
			h.tg.WaitFor(5*time.Second, func() bool { return len(p.Alerts()) > alerts })
			if got := p.Alerts(); len(got) <= alerts || !strings.Contains(got[len(got)-1], "not available to you") {
				t.Fatalf("%s by %d: alerts %q", button, who, got)
			}
			if after := h.contents(); !maps.Equal(before, after) {
				t.Fatalf("a forged %s by %d changed Redis", button, who)
			}
		}
	}
	if s := stateOf(t, h, bc.ID); s != homelink.BroadcastWaiting {
		t.Fatalf("the broadcast is %s", s)
	}
	_ = ctx
}

// contents is the bot's state in Redis as snapshot has it, but each hash
// read by its fields rather than DUMPed: a large hash's DUMP follows its
// table's order, which a mere read changes while Redis rehashes it.
func (h *harness) contents() map[string]string {
	ctx := context.Background()
	out := h.snapshot()
	for k := range out {
		if h.rdb.Type(ctx, k).Val() == "hash" {
			out[k] = fmt.Sprint(h.rdb.HGetAll(ctx, k).Val())
		}
	}
	return out
}
