package store

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

const coord1 = 1

func (w *mailWorld) agendaDue(t testing.TB, kind, key string) (time.Time, bool) {
	t.Helper()
	v, err := w.s.rdb.ZScore(context.Background(), w.s.k.prefix+"{agenda}:due", kind+"\x1f"+key).Result()
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(v)), true
}

func hello(lang, text string) []homelink.BroadcastVersion {
	return []homelink.BroadcastVersion{{Lang: lang, Text: text}}
}

// A coordinator's broadcast to the guardians of their home reaches the
// mother and the father: counted, previewed, and started as one run whose
// chunk names both; the same firing started again finds the same run.
func TestBroadcastNowReachesTheHomesGuardiansOnce(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	by := homelink.By{User: coord1}
	homes := []int64{w.home.ID}
	n, err := w.s.CountAudience(ctx, by, homes, homelink.AudienceGuardians)
	if err != nil || n != 2 {
		t.Fatalf("count = %d, %v; want the mother and the father", n, err)
	}
	if n, _ := w.s.CountAudience(ctx, by, homes, homelink.AudienceEveryone); n != 3 {
		t.Fatalf("everyone = %d; want 2 guardians and the teacher (the sender left out)", n)
	}
	r, ok, err := w.s.PreviewRecipient(ctx, by, homes, homelink.AudienceGuardians)
	if err != nil || !ok || r.HomeName != "Qingxi" || !slices.Equal(r.Children, []string{"小明"}) || r.Role != homelink.RoleGuardian {
		t.Fatalf("preview recipient = %+v, %v, %v", r, ok, err)
	}
	b, err := w.s.SaveBroadcast(ctx, by, homelink.Broadcast{Homes: homes, Audience: homelink.AudienceGuardians,
		Versions: hello("zh-Hans", "{parent_name}您好")})
	if err != nil || b.ID == 0 || b.State != homelink.BroadcastWaiting {
		t.Fatalf("save = %+v, %v", b, err)
	}
	key := strings.Join([]string{itoa(b.ID), "0"}, ".")
	due, ok := w.agendaDue(t, KindBroadcastSend, key)
	if !ok || !due.Equal(w.clock.Now().Truncate(time.Millisecond)) {
		t.Fatalf("send item due %v, %v; want now", due, ok)
	}
	run, total, err := w.s.StartRun(ctx, b.ID, 0, due)
	if err != nil || run != 1 || total != 2 {
		t.Fatalf("start = %d, %d, %v", run, total, err)
	}
	again, total2, err := w.s.StartRun(ctx, b.ID, 0, due)
	if err != nil || again != 1 || total2 != 2 {
		t.Fatalf("the same firing again = %d, %d, %v; want run 1 again", again, total2, err)
	}
	chunkKey := itoa(b.ID) + ".1.0"
	if _, ok := w.agendaDue(t, KindBroadcastChunk, chunkKey); !ok {
		t.Fatal("no chunk planned")
	}
	rec := w.s.rdb.HGet(ctx, w.s.k.prefix+"{agenda}:i:bc.chunk:"+sha4(chunkKey), chunkKey).Val()
	parts := strings.SplitN(rec, "|", 4) // attempts|token|due|payload
	payload := parts[len(parts)-1]
	refs := homelink.ParseChunk(payload)
	got := []int64{}
	for _, r := range refs {
		got = append(got, r.User)
	}
	slices.Sort(got)
	if !slices.Equal(got, []int64{mom, dad}) {
		t.Fatalf("chunk names %v (payload %q); want the mother and the father", got, payload)
	}
	rs, err := w.s.Recipients(ctx, refs, w.clock.Now())
	if err != nil || len(rs) != 2 {
		t.Fatalf("recipients = %+v, %v", rs, err)
	}
	bc, _ := w.s.Broadcast(ctx, b.ID)
	if bc.State != homelink.BroadcastDone {
		t.Fatalf("state after its only run started = %q; want done", bc.State)
	}
	if err := w.s.RunPlaced(ctx, b.ID, 1, "0", 2, 0, 0, 0, false); err != nil {
		t.Fatal(err)
	}
	_ = w.s.RunPlaced(ctx, b.ID, 1, "0", 2, 0, 0, 0, false)
	p, err := w.s.Run(ctx, b.ID, 1)
	if err != nil || p.Queued != 2 || p.Placed != 2 || p.From != coord1 {
		t.Fatalf("progress = %+v, %v; want 2 queued once", p, err)
	}
	active, _ := w.s.ActiveRuns(ctx)
	if !slices.Equal(active, []homelink.RunID{{Broadcast: b.ID, N: 1}}) {
		t.Fatalf("active = %v", active)
	}
	ended, err := w.s.FinishRun(ctx, b.ID, 1, homelink.BroadcastRun{Delivered: 1, Blocked: 1})
	if err != nil || !ended {
		t.Fatalf("finish = %v, %v", ended, err)
	}
	if ended, _ := w.s.FinishRun(ctx, b.ID, 1, homelink.BroadcastRun{}); ended {
		t.Fatal("ended twice")
	}
	runs, _ := w.s.BroadcastRuns(ctx, b.ID)
	if len(runs) != 1 || runs[0].State != homelink.RunDone || runs[0].Delivered != 1 || runs[0].Blocked != 1 {
		t.Fatalf("runs = %+v", runs)
	}
}

// Those who may not send are refused and nothing is written: a guardian,
// the teacher of another home, a teacher sending to two homes, a teacher
// marking it urgent, a coordinator of one home sending to another.
func TestBroadcastRightsAreCheckedAsItIsSaved(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	before := w.mailKeys(t)
	cases := []struct {
		name     string
		by       int64
		homes    []int64
		urgent   bool
		audience homelink.Audience
	}{
		{"a guardian", mom, []int64{w.home.ID}, false, ""},
		{"another home's teacher", teacherOf(2), []int64{w.home.ID}, false, ""},
		{"a teacher to two homes", teacherOf(1), []int64{w.home.ID, w.other.ID}, false, ""},
		{"a teacher, urgent", teacherOf(1), []int64{w.home.ID}, true, ""},
		{"a coordinator of another home", coord1, []int64{w.other.ID}, false, ""},
		{"no home", coord1, nil, false, ""},
		{"a teacher to the teachers", teacherOf(1), []int64{w.home.ID}, false, homelink.AudienceTeachers},
	}
	for _, c := range cases {
		if c.audience == "" {
			c.audience = homelink.AudienceGuardians
		}
		_, err := w.s.SaveBroadcast(ctx, homelink.By{User: c.by}, homelink.Broadcast{Homes: c.homes,
			Audience: c.audience, Urgent: c.urgent, Versions: hello("en", "hi")})
		if !errors.Is(err, homelink.ErrNotAllowed) {
			t.Errorf("%s: save = %v; want not allowed", c.name, err)
		}
		if !c.urgent {
			if _, err := w.s.CountAudience(ctx, homelink.By{User: c.by}, c.homes, c.audience); !errors.Is(err, homelink.ErrNotAllowed) {
				t.Errorf("%s: count = %v; want not allowed", c.name, err)
			}
		}
	}
	if after := w.mailKeys(t); !maps.Equal(before, after) {
		t.Fatal("a refused broadcast changed Redis")
	}
	if _, err := w.s.SaveBroadcast(ctx, homelink.By{User: teacherOf(1)}, homelink.Broadcast{Homes: []int64{w.home.ID},
		Audience: homelink.AudienceGuardians, Versions: hello("en", "hi")}); err != nil {
		t.Fatalf("the home's teacher to their home: %v", err)
	}
}

// A repeating broadcast to homes of two zones fires at 18:00 in each:
// one agenda item per zone; pausing withdraws both, resuming plans both
// again, deleting removes everything; only the sender may.
func TestRepeatingBroadcastFiresInEachHomesZone(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	// The coordinator of the first home coordinates a second, in London.
	london, err := w.s.CreateHome(ctx, homelink.By{User: coord1}, homelink.Home{Name: "London", TimeZone: "Europe/London"})
	if err != nil {
		t.Fatal(err)
	}
	by := homelink.By{User: coord1}
	b, err := w.s.SaveBroadcast(ctx, by, homelink.Broadcast{Homes: []int64{w.home.ID, london.ID},
		Audience: homelink.AudienceEveryone, Versions: hello("en", "hi"), Rule: "every Friday at 18:00"})
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	lon, _ := time.LoadLocation("Europe/London")
	d0, ok0 := w.agendaDue(t, KindBroadcastEvery, itoa(b.ID)+".0")
	d1, ok1 := w.agendaDue(t, KindBroadcastEvery, itoa(b.ID)+".1")
	if !ok0 || !ok1 {
		t.Fatal("want one item per zone")
	}
	for _, c := range []struct {
		at  time.Time
		loc *time.Location
	}{{d0, sh}, {d1, lon}} {
		l := c.at.In(c.loc)
		if l.Weekday() != time.Friday || l.Hour() != 18 || l.Minute() != 0 {
			t.Fatalf("fires %v in %v; want Friday 18:00", l, c.loc)
		}
	}
	list, next, err := w.s.Broadcasts(ctx, coord1)
	if err != nil || len(list) != 1 || !next[0].Equal(d0) {
		t.Fatalf("list = %+v next %v, %v; want the Shanghai time first", list, next, err)
	}
	if err := w.s.PauseBroadcast(ctx, homelink.By{User: mom}, b.ID); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("another's pause = %v", err)
	}
	if err := w.s.PauseBroadcast(ctx, by, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := w.agendaDue(t, KindBroadcastEvery, itoa(b.ID)+".0"); ok {
		t.Fatal("paused but still planned")
	}
	if _, _, err := w.s.StartRun(ctx, b.ID, 0, d0); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("a paused broadcast's firing started a run: %v", err)
	}
	w.clock.Advance(8 * 24 * time.Hour)
	if err := w.s.ResumeBroadcast(ctx, by, b.ID); err != nil {
		t.Fatal(err)
	}
	r0, ok := w.agendaDue(t, KindBroadcastEvery, itoa(b.ID)+".0")
	if !ok || !r0.After(w.clock.Now()) || r0.In(sh).Weekday() != time.Friday {
		t.Fatalf("resumed at %v, %v", r0, ok)
	}
	if err := w.s.DeleteBroadcast(ctx, homelink.By{User: teacherOf(1)}, b.ID); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("another's delete = %v", err)
	}
	if err := w.s.DeleteBroadcast(ctx, by, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := w.agendaDue(t, KindBroadcastEvery, itoa(b.ID)+".1"); ok {
		t.Fatal("deleted but still planned")
	}
	if _, err := w.s.Broadcast(ctx, b.ID); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("deleted broadcast read: %v", err)
	}
	if list, _, _ := w.s.Broadcasts(ctx, coord1); len(list) != 0 {
		t.Fatalf("list after delete = %+v", list)
	}
}

// Cancelling a run is the sender's alone; forgetting the sender deletes
// their broadcasts and their plans.
func TestCancelAndForgetBroadcasts(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	by := homelink.By{User: teacherOf(1)}
	b, err := w.s.SaveBroadcast(ctx, by, homelink.Broadcast{Homes: []int64{w.home.ID},
		Audience: homelink.AudienceGuardians, Versions: hello("en", "hi")})
	if err != nil {
		t.Fatal(err)
	}
	run, _, err := w.s.StartRun(ctx, b.ID, 0, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CancelRun(ctx, homelink.By{User: coord1}, b.ID, run); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("another's cancel = %v", err)
	}
	r, err := w.s.CancelRun(ctx, by, b.ID, run)
	if err != nil || r.State != homelink.RunCancelled {
		t.Fatalf("cancel = %+v, %v", r, err)
	}
	later, err := w.s.SaveBroadcast(ctx, by, homelink.Broadcast{Homes: []int64{w.home.ID},
		Audience: homelink.AudienceGuardians, Versions: hello("en", "hi"), Once: "2030-01-01 09:00"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Forget(ctx, teacherOf(1)); err != nil {
		t.Fatal(err)
	}
	if _, ok := w.agendaDue(t, KindBroadcastSend, itoa(later.ID)+".0"); ok {
		t.Fatal("a forgotten sender's broadcast is still planned")
	}
	for _, id := range []int64{b.ID, later.ID} {
		if _, err := w.s.Broadcast(ctx, id); !errors.Is(err, homelink.ErrNotFound) {
			t.Fatalf("broadcast %d kept after /forget: %v", id, err)
		}
	}
	// The cancelled run waits for the progress job, which then deletes it.
	if ended, _ := w.s.FinishRun(ctx, b.ID, run, homelink.BroadcastRun{}); !ended {
		t.Fatal("the run did not end")
	}
	if _, err := w.s.Run(ctx, b.ID, run); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("a forgotten sender's run kept: %v", err)
	}
}

// A person keeps their last 50 sent broadcasts; older ones go with their
// reports, so what is kept about them does not grow for ever.
func TestOnlyTheLastFiftySentBroadcastsAreKept(t *testing.T) {
	w := newMailWorld(t)
	ctx := context.Background()
	by := homelink.By{User: coord1}
	var first int64
	for i := range 53 {
		b, err := w.s.SaveBroadcast(ctx, by, homelink.Broadcast{Homes: []int64{w.home.ID},
			Audience: homelink.AudienceGuardians, Versions: hello("en", "hi")})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.ID
		}
		if _, _, err := w.s.StartRun(ctx, b.ID, 0, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(time.Minute)
	}
	list, _, err := w.s.Broadcasts(ctx, coord1)
	if err != nil || len(list) != 51 { // 50 done before the last was saved, and the last
		t.Fatalf("kept %d, %v; want 51", len(list), err)
	}
	if _, err := w.s.Broadcast(ctx, first); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("the oldest is still kept: %v", err)
	}
}
