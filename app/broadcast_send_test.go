package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// sendBroadcast saves a broadcast as by would with /broadcast, to the
// guardians of home, in the versions given (lang, text, lang, text…).
func sendBroadcast(t testing.TB, h *harness, by int64, homes []int64, a homelink.Audience, urgent bool, versions ...string) homelink.Broadcast {
	t.Helper()
	b := homelink.Broadcast{Homes: homes, Audience: a, Urgent: urgent}
	for i := 0; i+1 < len(versions); i += 2 {
		b.Versions = append(b.Versions, homelink.BroadcastVersion{Lang: versions[i], Text: versions[i+1]})
	}
	b, err := h.store().SaveBroadcast(context.Background(), homelink.By{User: by}, b)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A coordinator's broadcast to the home's parents reaches each once, in
// their language with their own name; the coordinator watches it go and
// gets the report.
func TestBroadcastReachesEachParentInTheirLanguage(t *testing.T) {
	h := start(t, polling)
	f := seed(t, h)
	ctx := context.Background()
	if err := h.store().SetLanguage(ctx, f.coord, "en"); err != nil {
		t.Fatal(err)
	}
	coord := h.person(f.coord, "周主任", "en")
	mom, dad, grandma := h.person(f.mom, "李秀兰", "zh-hans"), h.person(f.dad, "Jian", "en"), h.person(f.otherParent, "Grandma Li", "en")
	far := h.person(f.farParent, "阿芳", "en")
	sendBroadcast(t, h, f.coord, []int64{f.home}, homelink.AudienceGuardians, false,
		"zh-Hans", "{parent_name}您好：本周六下午 3 点开家长会。", "en", "Dear {parent_name}, the parents' meeting is on Saturday at 3 pm.")
	mom.Sees("李秀兰您好：本周六下午 3 点开家长会。")
	dad.Sees("Dear Jian, the parents' meeting is on Saturday at 3 pm.")
	grandma.Sees("Dear Grandma Li, the parents' meeting")
	report, ok := coord.WaitForMessage("is sent: 3 people in all", 15*time.Second)
	if !ok {
		t.Fatalf("no report; the coordinator sees:\n%s", transcript(coord.Messages()))
	}
	if !strings.Contains(report.Text, "Delivered: 3") || report.HasButton("✖ Stop sending") {
		t.Fatalf("report = %q %v", report.Text, report.Buttons())
	}
	if n := len(coord.Messages()); n != 1 {
		t.Fatalf("the coordinator got %d messages; want one, edited:\n%s", n, transcript(coord.Messages()))
	}
	for _, p := range []*person{mom, dad, grandma} {
		if n := len(p.Messages()); n != 1 {
			t.Fatalf("user %d got %d messages:\n%s", p.ID, n, transcript(p.Messages()))
		}
	}
	if n := len(far.Messages()); n != 0 {
		t.Fatalf("a parent of another home got it:\n%s", transcript(far.Messages()))
	}
}

// At night a broadcast waits for each parent's quiet hours to end; the
// report says so, and comes when all are through. An urgent one does not
// wait.
func TestBroadcastWaitsForQuietHoursUnlessUrgent(t *testing.T) {
	h := start(t, polling)
	f := seed(t, h)
	ctx := context.Background()
	if err := h.store().SetLanguage(ctx, f.coord, "en"); err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	h.clock.Set(time.Date(2026, 12, 1, 23, 0, 0, 0, sh))
	coord := h.person(f.coord, "周主任", "en")
	mom, dad := h.person(f.mom, "李秀兰", "zh-hans"), h.person(f.dad, "Jian", "en")
	sendBroadcast(t, h, f.coord, []int64{f.home}, homelink.AudienceGuardians, false, "en", "Tomorrow the home is closed.")
	coord.Sees("3 waiting for their quiet hours to end")
	if n := len(mom.Messages()) + len(dad.Messages()); n != 0 {
		t.Fatal("a parent was woken at 23:00")
	}
	sendBroadcast(t, h, f.coord, []int64{f.home}, homelink.AudienceGuardians, true, "en", "Urgent: the road is flooded.")
	dad.Sees("Urgent: the road is flooded.")
	mom.Sees("Urgent: the road is flooded.")
	h.clock.Set(time.Date(2026, 12, 2, 7, 0, 0, 0, sh))
	dad.Sees("Tomorrow the home is closed.")
	mom.Sees("Tomorrow the home is closed.")
	if _, ok := coord.WaitForMessage("is sent: 3 people in all", 15*time.Second); !ok {
		t.Fatalf("no report; the coordinator sees:\n%s", transcript(coord.Messages()))
	}
}
