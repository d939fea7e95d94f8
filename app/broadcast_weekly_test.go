package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// A broadcast every Friday at 18:00 to the parents of a home in Guizhou
// and one in London, with two replicas, over a month of fake time moved
// an hour at a time: each parent gets it once a week, at 18:00 in their
// home's time, four times; a parent who joins in the second week is
// included from then on.
func TestWeeklyBroadcastFiresAtEachHomesLocalTime(t *testing.T) {
	h := start(t, webhook)
	h.addReplica(webhook)
	f := seed(t, h)
	ctx := context.Background()
	st := h.store()
	s := crowdSeeder{h: h, st: st}
	london, err := st.CreateHome(ctx, homelink.By{User: f.coord}, homelink.Home{Name: "London Home", TimeZone: "Europe/London"})
	if err != nil {
		t.Fatal(err)
	}
	const londonTeacher, londonParent, latecomer = 7101, 7102, 7103
	if err := s.join(ctx, homelink.Invite{Role: homelink.RoleTeacher, HomeID: london.ID, MadeBy: f.coord}, londonTeacher, "Ms Green"); err != nil {
		t.Fatal(err)
	}
	kid, err := st.AddChild(ctx, homelink.By{User: londonTeacher}, homelink.Child{HomeID: london.ID, Name: "Amy"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.join(ctx, homelink.Invite{Role: homelink.RoleGuardian, HomeID: london.ID, ChildID: kid.ID, MadeBy: londonTeacher}, londonParent, "Sam"); err != nil {
		t.Fatal(err)
	}
	people := map[int64]*person{}
	for _, id := range []int64{f.mom, f.dad, f.otherParent, londonParent, latecomer} {
		people[id] = h.person(id, "P", "en")
	}
	h.person(f.coord, "周主任", "en")
	sendBroadcast(t, h, f.coord, []int64{f.home, london.ID}, homelink.AudienceGuardians, false,
		"en", "Friday: {home_name} says hello, {parent_name}.", "zh-Hans", "周五好，{parent_name}！{home_name}问候您。")
	rule := "every Friday at 18:00"
	b, _, _ := st.Broadcasts(ctx, f.coord)
	if len(b) != 1 {
		t.Fatalf("broadcasts = %+v", b)
	}
	// It was saved as a send-now broadcast above; make it the weekly one
	// a coordinator would: delete, and save again with the rule.
	if err := st.DeleteBroadcast(ctx, homelink.By{User: f.coord}, b[0].ID); err != nil {
		t.Fatal(err)
	}
	weekly := b[0]
	weekly.ID, weekly.Rule = 0, rule
	if _, err := st.SaveBroadcast(ctx, homelink.By{User: f.coord}, weekly); err != nil {
		t.Fatal(err)
	}
	// The send-now one may have gone out already: start counting afresh.
	h.settleWithin(30 * time.Second)
	seen := map[int64]int{}
	for id, p := range people {
		seen[id] = len(p.Messages())
	}
	got := map[int64][]time.Time{}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	lon, _ := time.LoadLocation("Europe/London")
	start := h.clock.Now()
	for step := 1; step <= 31*24; step++ {
		h.clock.Set(start.Add(time.Duration(step) * time.Hour))
		if step == 8*24 { // the second Sunday: a parent joins the London home
			kid2, err := st.AddChild(ctx, homelink.By{User: londonTeacher}, homelink.Child{HomeID: london.ID, Name: "Ben"})
			if err == nil {
				err = s.join(ctx, homelink.Invite{Role: homelink.RoleGuardian, HomeID: london.ID, ChildID: kid2.ID, MadeBy: londonTeacher}, latecomer, "Lee")
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		h.settleWithin(30 * time.Second)
		for id, p := range people {
			ms := p.Messages()
			for _, m := range ms[seen[id]:] {
				if strings.Contains(m.Text, "says hello") || strings.Contains(m.Text, "问候您") {
					got[id] = append(got[id], h.clock.Now())
				}
			}
			seen[id] = len(ms)
		}
	}
	check := func(id int64, loc *time.Location, want int) {
		t.Helper()
		if len(got[id]) != want {
			t.Fatalf("parent %d got it %d times in the month, want %d: %v", id, len(got[id]), want, got[id])
		}
		for i, at := range got[id] {
			l := at.In(loc)
			// Seen at the first hourly step at or after 18:00 local.
			if l.Weekday() != time.Friday || l.Hour() != 18 {
				t.Fatalf("parent %d got it at %v, want Friday 18:00 in %v", id, l, loc)
			}
			if i > 0 && at.Sub(got[id][i-1]) != 7*24*time.Hour {
				t.Fatalf("parent %d got it %v after the last", id, at.Sub(got[id][i-1]))
			}
		}
	}
	for _, id := range []int64{f.mom, f.dad, f.otherParent} {
		check(id, sh, 4)
	}
	check(londonParent, lon, 4)
	check(latecomer, lon, 3)
	if !strings.Contains(transcript(people[f.mom].Messages()), "周五好，李秀兰！青溪村儿童之家问候您。") {
		t.Fatalf("the mother's copy is not in Chinese with her name and home:\n%s", transcript(people[f.mom].Messages()))
	}
	if !strings.Contains(people[londonParent].Messages()[0].Text, "London Home says hello, Sam.") {
		t.Fatalf("Sam's copy:\n%s", transcript(people[londonParent].Messages()))
	}
}

// Down over two Fridays: back on Monday, the parents get neither stale
// Friday broadcast, and the next Friday's comes on time.
func TestAWeeklyBroadcastMissedInADowntimeIsNotSentLate(t *testing.T) {
	h := start(t, polling)
	f := seed(t, h)
	ctx := context.Background()
	dad := h.person(f.dad, "Jian", "en")
	h.person(f.mom, "李秀兰", "zh-hans")
	h.person(f.otherParent, "Grandma Li", "en")
	h.person(f.coord, "周主任", "en")
	if _, err := h.store().SaveBroadcast(ctx, homelink.By{User: f.coord}, homelink.Broadcast{Homes: []int64{f.home},
		Audience: homelink.AudienceGuardians, Rule: "every Friday at 18:00",
		Versions: []homelink.BroadcastVersion{{Lang: "en", Text: "Friday news for {parent_name}."}}}); err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	h.clock.Set(time.Date(2026, 12, 14, 8, 0, 0, 0, sh)) // Monday, after Fridays 4 and 11 December
	h.settleWithin(30 * time.Second)
	if strings.Contains(transcript(dad.Messages()), "Friday news") {
		t.Fatalf("a stale Friday broadcast came on Monday:\n%s", transcript(dad.Messages()))
	}
	h.clock.Set(time.Date(2026, 12, 18, 18, 0, 0, 0, sh))
	h.settleWithin(30 * time.Second)
	if n := strings.Count(transcript(dad.Messages()), "Friday news for Jian."); n != 1 {
		t.Fatalf("on Friday 18 December the parent got it %d times:\n%s", n, transcript(dad.Messages()))
	}
}
