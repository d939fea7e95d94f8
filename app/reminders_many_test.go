package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/store"
)

// Reminders in numbers: thousands of calls over two replicas, and a
// home's busiest day in one digest.

// Two replicas and 2,000 confirmed calls (200 homes of 10 children, all
// calls on Sunday 6 Dec at 14:00): each reminder reaches its person
// exactly once, counted at the fake Bot API. Both replicas tick the
// agenda at the same moments, and both do part of the work.
func TestTwoReplicasSendEachOf2000CallsRemindersOnce(t *testing.T) {
	const homes, perHome = 200, 10
	h := startWith(t, webhook, func(c *Config) {
		c.RatePerSecond, c.ChatPerSecond, c.ChatBurst = 1e6, 1e6, 1000
		c.OutboxWorkers = 32
	})
	h.addReplica(webhook)
	// From Tuesday: the homes' first weekly reports (Monday 7 Dec) fall
	// after the calls, so the replicas' work is the reminders alone.
	h.clock.Set(at(2026, 12, 1, 9, 0))
	began := time.Now()
	cr := seedCrowd(t, h, homes, perHome, sunday6Dec(14, 0))
	t.Logf("%d calls seeded in %v", cr.calls, time.Since(began))

	for _, moment := range []time.Time{at(2026, 12, 5, 14, 0), at(2026, 12, 6, 8, 0), sunday6Dec(13, 0), sunday6Dec(13, 50), sunday6Dec(14, 0)} {
		step := time.Now()
		h.clock.Set(moment)
		h.settleWithin(60 * time.Second)
		t.Logf("%v settled in %v", moment, time.Since(step))
	}

	// Each guardian: the reminder a day ahead, an hour ahead and at the
	// start, once each.
	titles := []string{"is tomorrow at 14:00", "starts in 1 hour, at 14:00.", "It is time for your call with"}
	for k, g := range cr.guardians {
		ms := h.tg.ChatMessages(g)
		if len(ms) != len(titles) {
			t.Fatalf("guardian %d got %d messages, want %d:\n%s\nthe agenda's failures:\n%s", g, len(ms), len(titles), transcript(ms), agendaFailures(h.logs.String()))
		}
		for i, title := range titles {
			if !strings.Contains(ms[i].Text, title) || !strings.Contains(ms[i].Text, cr.children[k]) {
				t.Fatalf("guardian %d's message %d is not %q about %s:\n%s\nthe agenda's failures:\n%s", g, i+1, title, cr.children[k], ms[i].Text, agendaFailures(h.logs.String()))
			}
		}
	}
	// Each teacher: the digest of 10 calls, and a nudge for each child.
	for i, teacher := range cr.teachers {
		ms := withoutReports(h.tg.ChatMessages(teacher)) // and Monday's weekly report
		if len(ms) != 1+perHome {
			t.Fatalf("teacher %d got %d messages, want %d:\n%s", teacher, len(ms), 1+perHome, transcript(ms))
		}
		if !strings.Contains(ms[0].Text, crowdHome(i)+" today, Sun 6 Dec: 10 calls") {
			t.Fatalf("teacher %d's first message is not the digest:\n%s", teacher, ms[0].Text)
		}
		nudged := transcript(ms[1:])
		for j := range perHome {
			if n := strings.Count(nudged, "In 10 minutes, at 14:00: a call with "+crowdChild(i, j)+" "); n != 1 {
				t.Fatalf("teacher %d was nudged %d times about %s:\n%s", teacher, n, crowdChild(i, j), nudged)
			}
		}
	}
	// And nothing else was sent: each send counted once at the fake.
	sent := 0
	for _, c := range h.tg.Calls("sendMessage") {
		if c.Status == 200 && !strings.HasPrefix(c.Params["text"], "📊") { // not Monday's weekly report
			sent++
		}
	}
	if want := cr.calls*4 + homes; sent != want {
		t.Fatalf("the fake Bot API took %d messages, want %d", sent, want)
	}
	for _, kind := range []string{"call.remind.day", "call.remind.soon", "call.remind.start", "call.remind.nudge"} {
		if n := h.reminders(kind, "sent"); n != cr.calls {
			t.Errorf("%s counted sent %d times, want %d", kind, n, cr.calls)
		}
	}
	for i, r := range h.reps {
		if n := testutil.ToFloat64(r.app.Metrics.Reminders.WithLabelValues("call.remind.start", "sent")); n == 0 {
			t.Errorf("replica %d sent no reminder: the other took them all", i)
		}
	}
}

// A busy day: a home with 120 calls (ten lines, every slot of a Sunday
// afternoon) still gets its digest, every call in it once, cut into
// messages within Telegram's 4,096 characters, each under the title and
// the footer under the last.
func TestABusyDaysDigestReachesTheTeacherWhole(t *testing.T) {
	h := start(t, webhook)
	var starts []time.Time
	for m := 0; m < 3*60; m += 15 {
		starts = append(starts, sunday6Dec(14, 0).Add(time.Duration(m)*time.Minute))
	}
	h.clock.Set(at(2026, 12, 5, 17, 0)) // less than a day ahead: no reminders a day ahead to wait for
	cr := seedCrowd(t, h, 1, 10, starts...)
	h.clock.Set(at(2026, 12, 6, 8, 0))
	h.settle()
	ms := h.tg.ChatMessages(cr.teachers[0])
	all := transcript(ms)
	if len(ms) < 2 {
		dead, _ := h.reps[0].app.Outbox.DeadLetters(context.Background(), 10)
		t.Fatalf("the digest of 120 calls came in %d messages; dead letters: %+v\n%s", len(ms), dead, all)
	}
	for i, m := range ms {
		if !strings.HasPrefix(m.Text, "☀️ Home 0 today, Sun 6 Dec: 120 calls") {
			t.Errorf("part %d does not begin with the title:\n%s", i+1, m.Text)
		}
		if n := len(utf16.Encode([]rune(m.Text))); n > 4096 {
			t.Errorf("part %d is %d characters long", i+1, n)
		}
		if last := i == len(ms)-1; strings.Contains(m.Text, "Open /calls") != last {
			t.Errorf("part %d of %d: its footer shown is %v, want %v:\n%s", i+1, len(ms), !last, last, m.Text)
		}
	}
	for _, start := range starts {
		for j := range 10 {
			line := start.Format("15:04") + " · " + crowdChild(0, j) + " · "
			if n := strings.Count(all, line); n != 1 {
				t.Fatalf("the digest lists %q %d times:\n%s", line, n, all)
			}
		}
	}
}

// crowd is many homes whose children have calls at the same times, made
// through the store as fast as it goes (the reminders are tested, not
// the booking).
type crowd struct {
	teachers  []int64 // the homes' one teacher each, in order
	guardians []int64 // one per child, home by home
	children  []string
	calls     int
}

// Ids and names of the crowd: home i, its coordinator and teacher, its
// child j and the child's guardian.
func crowdHome(i int) string          { return fmt.Sprintf("Home %d", i) }
func crowdCoordinator(i int) int64    { return 200000 + int64(i) }
func crowdTeacher(i int) int64        { return 210000 + int64(i) }
func crowdChild(i, j int) string      { return fmt.Sprintf("Kid %d-%d", i, j) }
func crowdGuardian(i, j int) int64    { return 300000 + int64(i)*100 + int64(j) }
func crowdParentName(i, j int) string { return fmt.Sprintf("Parent %d-%d", i, j) }

// seedCrowd makes homes homes in Asia/Shanghai, each with a coordinator,
// a teacher and perHome children (at most 10, the most lines a home may
// have) with a guardian each, all reading English; each home hosts calls
// on Sundays 14:00–17:00 on perHome lines and confirms them at once, and
// each child has a voice call at each of starts. Eight homes at a time.
func seedCrowd(t *testing.T, h *harness, homes, perHome int, starts ...time.Time) crowd {
	t.Helper()
	s := crowdSeeder{h: h, st: h.store(), perHome: perHome, starts: starts}
	errs := make([]error, homes)
	next := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = s.home(context.Background(), i)
			}
		}()
	}
	for i := range homes {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	cr := crowd{calls: homes * perHome * len(starts)}
	for i := range homes {
		cr.teachers = append(cr.teachers, crowdTeacher(i))
		h.tg.NewUser(crowdTeacher(i), "T", "en")
		for j := range perHome {
			cr.guardians = append(cr.guardians, crowdGuardian(i, j))
			cr.children = append(cr.children, crowdChild(i, j))
			h.tg.NewUser(crowdGuardian(i, j), "P", "en")
		}
	}
	return cr
}

type crowdSeeder struct {
	h       *harness
	st      *store.Store
	perHome int
	starts  []time.Time
}

// home makes home i, its people and its calls.
func (s crowdSeeder) home(ctx context.Context, i int) error {
	coord, teacher := crowdCoordinator(i), crowdTeacher(i)
	if err := s.join(ctx, homelink.Invite{Role: homelink.RoleCoordinator, ByAdmin: true}, coord, "Coordinator"); err != nil {
		return err
	}
	hm, err := s.st.CreateHome(ctx, homelink.By{User: coord}, homelink.Home{Name: crowdHome(i), TimeZone: "Asia/Shanghai", Instructions: "0851-1234"})
	if err != nil {
		return err
	}
	if err := s.join(ctx, homelink.Invite{Role: homelink.RoleTeacher, HomeID: hm.ID, MadeBy: coord}, teacher, fmt.Sprintf("Teacher %d", i)); err != nil {
		return err
	}
	hrs := homelink.Hours{Windows: []homelink.Window{{Day: time.Sunday, Start: 14 * 60, End: 17 * 60}},
		SlotMinutes: 15, Lines: s.perHome, AutoConfirm: true, Set: true}
	if err := s.st.SetHours(ctx, homelink.By{User: teacher}, hm.ID, hrs); err != nil {
		return err
	}
	for j := range s.perHome {
		if err := s.child(ctx, hm.ID, teacher, i, j); err != nil {
			return err
		}
	}
	return nil
}

// child makes child j of home i, links its guardian and books its calls.
func (s crowdSeeder) child(ctx context.Context, home, teacher int64, i, j int) error {
	c, err := s.st.AddChild(ctx, homelink.By{User: teacher}, homelink.Child{HomeID: home, Name: crowdChild(i, j)})
	if err != nil {
		return err
	}
	g := crowdGuardian(i, j)
	inv := homelink.Invite{Role: homelink.RoleGuardian, HomeID: home, ChildID: c.ID, MadeBy: teacher}
	if err := s.join(ctx, inv, g, crowdParentName(i, j)); err != nil {
		return err
	}
	if err := s.st.SetRelationship(ctx, home, c.ID, g, homelink.Mother); err != nil {
		return err
	}
	for _, start := range s.starts {
		call, err := s.st.Book(ctx, homelink.By{User: g}, homelink.BookingRequest{HomeID: home, ChildID: c.ID,
			Start: start, Kind: homelink.VoiceCall, MaxUpcoming: len(s.starts)})
		if err != nil {
			return fmt.Errorf("book for %s: %w", crowdChild(i, j), err)
		}
		if call.State != homelink.Confirmed {
			return fmt.Errorf("the call of %s is %s", crowdChild(i, j), call.State)
		}
	}
	return nil
}

// join has user redeem a new invitation inv and take name.
func (s crowdSeeder) join(ctx context.Context, inv homelink.Invite, user int64, name string) error {
	inv.Link, inv.Typed = homelink.NewInviteCodes()
	inv.ExpiresAt = s.h.clock.Now().Add(time.Hour)
	inv, err := s.st.CreateInvite(ctx, inv)
	if err != nil {
		return err
	}
	if _, err := s.st.RedeemInvite(ctx, inv.ID, user, "en"); err != nil {
		return err
	}
	return s.st.SetName(ctx, user, name)
}

// agendaFailures is the first few distinct reasons the agenda's handlers
// failed, as logged: why a reminder came late.
func agendaFailures(logs string) string {
	seen := map[string]bool{}
	var out []string
	for line := range strings.Lines(logs) {
		if !strings.Contains(line, "agenda: handler failed") {
			continue
		}
		_, why, _ := strings.Cut(line, `"err":`)
		if !seen[why] && len(out) < 5 {
			seen[why] = true
			out = append(out, strings.TrimSpace(line))
		}
	}
	if len(out) == 0 {
		return "(none logged)"
	}
	return strings.Join(out, "\n")
}
