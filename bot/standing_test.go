package bot

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
)

// Two teachers tap Yes on their Unlink notices at the same moment, each
// handled by its own Bot (two replicas) on one Redis: the guardian is
// unlinked once, told once, and the other teacher is told who acted. Ten
// rounds, so the race is really run.
func TestStandingUnlinkRacesToOneWinner(t *testing.T) {
	w := newWalker(t)
	second := New(w.b.Config) // another replica: its own Bot, the same Redis
	ctx := context.Background()
	_, h := w.coordinator(100)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 201)
	w.join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: h.ID}, 202)
	teachers := []*someone{w.person(201, "en"), w.person(202, "en")}
	for round := range 10 {
		c := w.child(h, "小明")
		guardian := int64(300 + round)
		g := w.person(guardian, "en")
		link := w.inviteFor(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID}, guardian)
		w.b.guardianJoinedNotice(ctx, c, []int64{201, 202}, guardian, link, "阿芳", "")
		for _, p := range teachers {
			p.taps("Unlink")
			p.sees("Unlink this parent")
		}
		for _, p := range teachers {
			if _, err := p.Taps("Yes, unlink"); err != nil {
				t.Fatal(err)
			}
		}
		updates := w.tg.TakeUpdates()
		if len(updates) != 2 {
			t.Fatalf("%d taps", len(updates))
		}
		var start, done sync.WaitGroup
		start.Add(1)
		for i, b := range []*Bot{w.b, second} {
			done.Add(1)
			go func() {
				defer done.Done()
				var u models.Update
				json.Unmarshal(updates[i], &u)
				start.Wait()
				b.Handle(ctx, &u, nil)
			}()
		}
		start.Done()
		done.Wait()
		unlinked, told := 0, 0
		for _, p := range teachers {
			for _, m := range p.Messages() {
				if strings.Contains(m.Text, "The parent is unlinked.") {
					unlinked++
				}
			}
			for _, a := range p.Alerts() {
				if strings.Contains(a, "P unlinked this parent on") { // P: the other teacher's name

					told++
				}
			}
		}
		if unlinked != round+1 || told != round+1 {
			t.Fatalf("round %d: unlinked %d times in all, told %d times", round, unlinked, told)
		}
		if n := strings.Count(strings.Join(texts(g.Messages()), "\n"), "no longer linked"); n != 1 {
			t.Fatalf("round %d: the guardian was told %d times", round, n)
		}
	}
}
