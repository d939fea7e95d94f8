package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
)

// wideHomes are three homes of one coordinator with perHome parents each,
// every parent the guardian of a child of their own.
type wideHomes struct {
	coord   int64
	homes   []int64
	parents []int64
	users   map[int64]*emulator.User
}

func wideParent(i, j int) int64 { return 400000 + int64(i)*10000 + int64(j) }

func seedWide(t *testing.T, h *harness, perHome int) wideHomes {
	t.Helper()
	ctx := context.Background()
	s := crowdSeeder{h: h, st: h.store()}
	w := wideHomes{coord: 390000, users: map[int64]*emulator.User{}}
	if err := s.join(ctx, homelink.Invite{Role: homelink.RoleCoordinator, ByAdmin: true}, w.coord, "周主任"); err != nil {
		t.Fatal(err)
	}
	if err := s.st.SetLanguage(ctx, w.coord, "en"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var errs []error
	for i := range 3 {
		hm, err := s.st.CreateHome(ctx, homelink.By{User: w.coord}, homelink.Home{Name: crowdHome(i), TimeZone: "Asia/Shanghai"})
		if err != nil {
			t.Fatal(err)
		}
		teacher := 391000 + int64(i)
		if err := s.join(ctx, homelink.Invite{Role: homelink.RoleTeacher, HomeID: hm.ID, MadeBy: w.coord}, teacher, "T"); err != nil {
			t.Fatal(err)
		}
		w.homes = append(w.homes, hm.ID)
		next := make(chan int)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range next {
					c, err := s.st.AddChild(ctx, homelink.By{User: teacher}, homelink.Child{HomeID: hm.ID, Name: fmt.Sprintf("Kid %d-%d", i, j)})
					if err == nil {
						err = s.join(ctx, homelink.Invite{Role: homelink.RoleGuardian, HomeID: hm.ID, ChildID: c.ID, MadeBy: teacher},
							wideParent(i, j), fmt.Sprintf("Parent %d-%d", i, j))
					}
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
				}
			}()
		}
		for j := range perHome {
			next <- j
			w.parents = append(w.parents, wideParent(i, j))
			w.users[wideParent(i, j)] = h.tg.NewUser(wideParent(i, j), "P", "en")
		}
		close(next)
		wg.Wait()
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return w
}

// A broadcast to 2,000 parents of three homes, two replicas, the fake Bot
// API at a quarter of Telegram's time scale (120 a second bot-wide): each
// parent gets it once; the coordinator's progress message is edited at
// most every 5 s; the parents who blocked homelink are counted; twenty
// parents asking for their calls during it are each answered within
// 1.5 s; and stopping it midway stops it within a second.
func TestBroadcastTo2000ParentsAcrossThreeHomes(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 recipients: not in -short")
	}
	limits := emulator.Limits{PerSecond: 120, PerChatPerSecond: 4, PerChatBurst: 4, GroupPerMinute: 80}
	h := startWith(t, webhook, func(c *Config) {
		c.RatePerSecond, c.ChatPerSecond, c.ChatBurst = 110, 4, 4
		c.OutboxWorkers = 16
	}, emulator.WithLimits(limits))
	h.addReplica(webhook)
	w := seedWide(t, h, 667)
	coord := h.person(w.coord, "周主任", "en")
	// Five parents blocked homelink long ago.
	blocked := map[int64]bool{}
	for _, id := range w.parents[:5] {
		blocked[id] = true
		w.users[id].Blocks()
	}
	// ... so long ago that the bot heard of it only from Telegram's 403.
	began := time.Now()
	sendBroadcast(t, h, w.coord, w.homes, homelink.AudienceGuardians, false,
		"en", "Dear {parent_name}, the homes are closed on Friday for the festival.")

	// Twenty parents write while it goes; each is answered at once.
	if !h.tg.WaitFor(10*time.Second, func() bool { return delivered(h, w.parents, "festival") >= 100 }) {
		t.Fatal("the broadcast did not start within 10 s")
	}
	var slowest time.Duration
	for k := 0; k < 20; k++ {
		p := &person{User: w.users[w.parents[100+k*50]], h: h}
		before := len(p.Messages())
		asked := time.Now()
		p.Types("/help")
		if !p.WaitForCount(before+1, 5*time.Second) {
			t.Fatalf("parent %d got no answer", p.ID)
		}
		// Their answer, not the broadcast, is what they waited for.
		ok := h.tg.WaitFor(5*time.Second, func() bool {
			for _, m := range p.Messages()[before:] {
				if !strings.Contains(m.Text, "festival") {
					return true
				}
			}
			return false
		})
		if !ok {
			t.Fatalf("parent %d: no answer to /help:\n%s", p.ID, transcript(p.Messages()))
		}
		if d := time.Since(asked); d > slowest {
			slowest = d
		}
		time.Sleep(100 * time.Millisecond) // a parent every tenth of a second
	}
	if slowest > 1500*time.Millisecond {
		t.Errorf("a parent waited %v for an answer during the broadcast; want within 1.5 s", slowest)
	}
	t.Logf("slowest answer during the broadcast: %v", slowest)

	// Stop it midway, noting when the progress message changes.
	progress := coord.Sees("📣 Sending")
	var edits []time.Time
	var editsMu sync.Mutex
	watching := make(chan struct{})
	go func() {
		last := 0
		for {
			select {
			case <-watching:
				return
			case <-time.After(50 * time.Millisecond):
			}
			for _, m := range coord.Messages() {
				if m.ID == progress.ID && m.Edits != last {
					last = m.Edits
					editsMu.Lock()
					edits = append(edits, time.Now())
					editsMu.Unlock()
				}
			}
		}
	}()
	if !h.tg.WaitFor(30*time.Second, func() bool { return delivered(h, w.parents, "festival") >= 1000 }) {
		t.Fatalf("only %d delivered after 30 s", delivered(h, w.parents, "festival"))
	}
	coord.Tap("✖ Stop sending")
	stopped := time.Now()
	time.Sleep(time.Second)
	atStop := delivered(h, w.parents, "festival")
	time.Sleep(3 * time.Second)
	if after := delivered(h, w.parents, "festival"); after != atStop {
		t.Fatalf("%d more parents got it more than a second after Stop", after-atStop)
	}
	if atStop >= len(w.parents)-len(blocked) {
		t.Fatalf("everyone got it (%d): the stop came too late to test anything", atStop)
	}
	t.Logf("stopped after %v with %d delivered", stopped.Sub(began), atStop)

	// Each parent got it at most once; the blocked got nothing.
	for _, id := range w.parents {
		n := 0
		for _, m := range h.tg.ChatMessages(id) {
			if strings.Contains(m.Text, "festival") {
				n++
			}
		}
		if n > 1 || n == 1 && blocked[id] {
			t.Fatalf("parent %d got it %d times (blocked: %v)", id, n, blocked[id])
		}
	}

	// The report: what went, the blocked, what the stop held back.
	report, ok := coord.WaitForMessage("was stopped", 20*time.Second)
	if !ok {
		t.Fatalf("no report after the stop; the coordinator sees:\n%s", transcript(coord.Messages()))
	}
	want := []string{fmt.Sprintf("Delivered: %s", commas(atStop)), "Blocked homelink, so not reached: 5",
		fmt.Sprintf("Not sent, because you stopped it: %s", commas(2001-atStop-5))}
	for _, s := range want {
		if !strings.Contains(report.Text, s) {
			t.Errorf("report lacks %q:\n%s", s, report.Text)
		}
	}
	if report.ID != progress.ID {
		t.Errorf("the report is a new message; want the progress message edited")
	}
	// Edits at most every 5 s (seen within 50 ms).
	time.Sleep(200 * time.Millisecond)
	close(watching)
	editsMu.Lock()
	defer editsMu.Unlock()
	for i := 1; i < len(edits); i++ {
		if d := edits[i].Sub(edits[i-1]); d < 5*time.Second-100*time.Millisecond {
			t.Errorf("progress edits %d and %d came %v apart", i, i+1, d)
		}
	}
	if len(edits) < 2 {
		t.Errorf("the progress message was edited %d times; want it to move along", len(edits))
	}
	t.Logf("%d progress edits", len(edits))

	// Sent again in full: everyone but the blocked gets it exactly once.
	sendBroadcast(t, h, w.coord, w.homes, homelink.AudienceGuardians, false,
		"en", "Dear {parent_name}, the festival lunch is at noon.")
	full, ok := coord.WaitForMessage("festival lunch i…” is sent: 2,001 people in all.", 60*time.Second)
	if !ok {
		t.Fatalf("no report of the full run; the coordinator sees:\n%s", transcript(coord.Messages()))
	}
	for _, s := range []string{"Delivered: 1,996", "Blocked homelink, so not reached: 5"} {
		if !strings.Contains(full.Text, s) {
			t.Errorf("report lacks %q:\n%s", s, full.Text)
		}
	}
	for _, id := range w.parents {
		n := 0
		for _, m := range h.tg.ChatMessages(id) {
			if strings.Contains(m.Text, "lunch") {
				n++
			}
		}
		if want := map[bool]int{true: 0, false: 1}[blocked[id]]; n != want {
			t.Fatalf("parent %d got the second broadcast %d times, want %d", id, n, want)
		}
	}
}

func delivered(h *harness, ids []int64, text string) int {
	n := 0
	for _, id := range ids {
		for _, m := range h.tg.ChatMessages(id) {
			if strings.Contains(m.Text, text) {
				n++
				break
			}
		}
	}
	return n
}

func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
