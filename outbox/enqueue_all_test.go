package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/metrics"
)

// fastOutbox is an outbox whose chats may take several messages a second
// in a burst, sending through a fake without limits: messages to one chat
// go out as fast as several workers can send them.
func fastOutbox(t *testing.T, opt Options) (*Outbox, *emulator.Server) {
	t.Helper()
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	opt.ChatPerSecond, opt.ChatBurst, opt.Workers = 50, 5, 8
	return instance(t, tg, prefix, opt), tg
}

// texts is what the person reads in their chat, in order.
func texts(u *emulator.User) []string {
	var out []string
	for _, m := range u.Messages() {
		out = append(out, m.Text)
	}
	return out
}

// A page of a child's mailbox for the teacher and a reply for the family,
// queued together: one round trip, and each person reads theirs in the
// order queued, however many workers send them at once. The ids cross
// from two digits to three, where Redis orders equal scores as text.
func TestEnqueueAllKeepsEachChatsOrderInOneRoundTrip(t *testing.T) {
	o, tg := fastOutbox(t, Options{})
	teacher, mom := tg.NewUser(1, "Teacher", "en"), tg.NewUser(2, "Mom", "en")
	ctx := context.Background()
	o.rdb.Set(ctx, o.k.seq(), 95, 0)
	var ms []Message
	var wantTeacher, wantMom []string
	for i := 1; i <= 8; i++ {
		text := fmt.Sprintf("item %d", i)
		m := Message{ChatID: teacher.ID, Text: text, Reply: true}
		if i%2 == 0 {
			m.Kind, m.FileID = Voice, fmt.Sprintf("voice-%d", i)
		}
		ms, wantTeacher = append(ms, m), append(wantTeacher, text)
		if i%3 == 0 {
			text = fmt.Sprintf("reply %d", i/3)
			ms, wantMom = append(ms, Message{Lane: Bulk, ChatID: mom.ID, Text: text}), append(wantMom, text)
		}
	}
	rt := &roundTrips{}
	o.rdb.AddHook(rt)
	ids, err := o.EnqueueAll(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	if n := rt.n.Load(); n != 1 {
		t.Fatalf("EnqueueAll took %d round trips, want 1", n)
	}
	if len(ids) != len(ms) || slices.Contains(ids, "") || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ms) {
		t.Fatalf("ids %q", ids)
	}
	run(t, o)
	if !tg.WaitFor(10*time.Second, func() bool {
		return len(teacher.Messages()) == len(wantTeacher) && len(mom.Messages()) == len(wantMom)
	}) {
		t.Fatalf("the teacher sees %q, the mother %q", texts(teacher), texts(mom))
	}
	if got := texts(teacher); !slices.Equal(got, wantTeacher) {
		t.Errorf("the teacher sees %q, want %q", got, wantTeacher)
	}
	if got := texts(mom); !slices.Equal(got, wantMom) {
		t.Errorf("the mother sees %q, want %q", got, wantMom)
	}
}

// nothingQueued fails the test when anything of the outbox is in Redis
// but the id counter's starting value.
func nothingQueued(t *testing.T, o *Outbox) {
	t.Helper()
	ctx := context.Background()
	if d, _ := o.Depth(ctx); d != [3]int64{} {
		t.Errorf("lanes hold %v", d)
	}
	keys, _ := o.rdb.Keys(ctx, o.k.base()+"*").Result()
	if len(keys) != 0 {
		t.Errorf("keys left behind: %v", keys)
	}
}

// A bad message refuses the whole lot: nothing is queued, neither before
// it nor after, whether Go or the script finds it.
func TestEnqueueAllIsAllOrNone(t *testing.T) {
	o, tg := newOutbox(t)
	a, b := tg.NewUser(1, "A", "en"), tg.NewUser(2, "B", "en")
	ctx := context.Background()
	ms := []Message{{ChatID: a.ID, Text: "one"}, {Lane: 7, ChatID: b.ID, Text: "two"}, {ChatID: a.ID, Text: "three"}}
	rt := &roundTrips{}
	o.rdb.AddHook(rt)
	if ids, err := o.EnqueueAll(ctx, ms); err == nil || !strings.Contains(err.Error(), "no lane 7") {
		t.Fatalf("EnqueueAll with a bad lane: %q, %v", ids, err)
	}
	if n := rt.n.Load(); n != 0 {
		t.Errorf("a bad lane took %d round trips", n)
	}
	nothingQueued(t, o)

	// The script checks every message before it queues the first.
	ms[1].Lane = Bulk
	_, keys, args, err := o.enqueueAllArgs(ms)
	if err != nil {
		t.Fatal(err)
	}
	args[2+8*1] = 7
	err = o.scripts["enqueue_all"].Run(ctx, o.rdb, keys, args...).Err()
	if err == nil || !strings.Contains(err.Error(), "message 2: no lane 7") {
		t.Fatalf("the script took a bad lane: %v", err)
	}
	nothingQueued(t, o)
	if _, err := o.scripts["enqueue_all"].Run(ctx, o.rdb, keys, args[:len(args)-1]...).Result(); err == nil {
		t.Fatal("the script took a message without all its arguments")
	}
	nothingQueued(t, o)
	if ids, err := o.EnqueueAll(ctx, nil); ids != nil || err != nil {
		t.Fatalf("nothing to queue: %q, %v", ids, err)
	}
}

// A message to a chat that blocked the bot is dead-lettered as Enqueue
// does it, and the others still go; a reply in the lot makes its chat
// reachable again, for the messages after it too, and that is told once.
func TestEnqueueAllWithABlockedChat(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	r := &told{}
	o := instance(t, tg, prefix, Options{OnReachability: r.hear})
	mom, dad, teacher := tg.NewUser(1, "Mom", "en"), tg.NewUser(2, "Dad", "en"), tg.NewUser(3, "Teacher", "en")
	ctx := context.Background()
	for _, u := range []*emulator.User{dad, teacher} {
		u.Blocks()
		if err := o.SetReachable(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := o.EnqueueAll(ctx, []Message{
		{Lane: Bulk, ChatID: mom.ID, Text: "for mom", Batch: "reply"},
		{Lane: Bulk, ChatID: dad.ID, Text: "for dad", Batch: "reply"},
		{ChatID: teacher.ID, Text: "played", Reply: true},
		{Lane: Bulk, ChatID: teacher.ID, Text: "and more"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids, "") {
		t.Fatalf("ids %q", ids)
	}
	if s, _ := o.Status(ctx, ids[1]); s.State != "failed" || !strings.HasPrefix(s.Reason, "blocked") {
		t.Errorf("the message to the father who blocked homelink: %+v", s)
	}
	if got := r.heard(); !slices.Equal(got, []bool{false, false, true}) {
		t.Errorf("OnReachability heard %v, want [false false true]", got)
	}
	teacher.Unblocks()
	run(t, o)
	if !tg.WaitFor(10*time.Second, func() bool { return len(mom.Messages()) == 1 && len(teacher.Messages()) == 2 }) {
		t.Fatalf("the mother sees %q, the teacher %q", texts(mom), texts(teacher))
	}
	if got := texts(teacher); !slices.Equal(got, []string{"played", "and more"}) {
		t.Errorf("the teacher sees %q", got)
	}
	if b := waitBatch(t, tg, o, "reply", 2, 5*time.Second); b.Sent != 1 || b.Failed != 1 {
		t.Errorf("batch %+v, want one sent and one failed", b)
	}
	if n := len(dad.Messages()); n != 0 {
		t.Errorf("the father got %d messages", n)
	}
}

// An interactive message past its chat's backlog is left out ("" for its
// id, counted as dropped) as Enqueue leaves it out, counting the messages
// queued before it in the same lot; the others, a reminder to the same
// chat among them, are still queued.
func TestEnqueueAllLeavesOutWhatTheBacklogCannotTake(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	m := metrics.New()
	o := instance(t, tg, prefix, Options{ChatBacklog: 3, Metrics: m})
	teacher, mom := tg.NewUser(1, "Teacher", "en"), tg.NewUser(2, "Mom", "en")
	ctx := context.Background()
	var ms []Message
	for i := 1; i <= 5; i++ {
		ms = append(ms, Message{ChatID: teacher.ID, Text: fmt.Sprintf("item %d", i), Reply: true})
	}
	ms = append(ms, Message{Lane: Reminder, ChatID: teacher.ID, Text: "call at 5"},
		Message{ChatID: mom.ID, Text: "hint", Droppable: true},
		Message{ChatID: mom.ID, Text: "second hint", Droppable: true})
	ids, err := o.EnqueueAll(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	left := []bool{false, false, false, true, true, false, false, true}
	for i, id := range ids {
		if (id == "") != left[i] {
			t.Errorf("message %d (%q): id %q", i+1, ms[i].Text, id)
		}
	}
	if n := testutil.ToFloat64(m.OutboxSends.WithLabelValues("interactive", "dropped_backlog")); n != 3 {
		t.Errorf("%v dropped counted, want 3", n)
	}
	if n := testutil.ToFloat64(m.OutboxQueued.WithLabelValues("interactive")); n != 4 {
		t.Errorf("%v interactive queued counted, want 4", n)
	}
	run(t, o)
	want := []string{"item 1", "item 2", "item 3", "call at 5"}
	if !tg.WaitFor(10*time.Second, func() bool { return len(teacher.Messages()) == len(want) && len(mom.Messages()) == 1 }) {
		t.Fatalf("the teacher sees %q, the mother %q", texts(teacher), texts(mom))
	}
	got := texts(teacher)
	slices.Sort(got) // the reminder's lane goes first
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the teacher sees %q, want %q", got, want)
	}
	if got := texts(mom); !slices.Equal(got, []string{"hint"}) {
		t.Errorf("the mother sees %q", got)
	}
}

// A chunk queued once by key is not queued again when its work is
// retried (the worker crashed before recording it): the second call
// queues nothing and says so.
func TestEnqueueAllOnceQueuesAKeyOnce(t *testing.T) {
	ob, _ := newOutbox(t)
	ctx := context.Background()
	ms := []Message{{Lane: Bulk, ChatID: 101, Text: "a", Batch: "bc1.1"}, {Lane: Bulk, ChatID: 102, Text: "b", Batch: "bc1.1"}}
	ids, err := ob.EnqueueAllOnce(ctx, "bc1.1:c0", ms)
	if err != nil || len(ids) != 2 || ids[0] == "" || ids[1] == "" {
		t.Fatalf("first = %v, %v", ids, err)
	}
	if ids, err := ob.EnqueueAllOnce(ctx, "bc1.1:c0", ms); !errors.Is(err, ErrQueuedBefore) || ids != nil {
		t.Fatalf("again = %v, %v; want ErrQueuedBefore", ids, err)
	}
	if st, err := ob.Batch(ctx, "bc1.1"); err != nil || st.Total != 2 {
		t.Fatalf("batch = %+v, %v; want 2 queued once", st, err)
	}
	if _, err := ob.EnqueueAllOnce(ctx, "bc1.1:c1", ms[:1]); err != nil {
		t.Fatalf("another key: %v", err)
	}
}
