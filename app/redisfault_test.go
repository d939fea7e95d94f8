package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// readyz reads a replica's readiness.
func (r *replica) readyz() int {
	resp, err := http.Get(r.url + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A stall of Redis shorter than the grace leaves every replica ready
// throughout; Redis gone for longer makes it unready, and back, ready
// again. /healthz, about the process, stays 200.
func TestReadinessRidesOutAShortRedisStall(t *testing.T) {
	srv := redistest.NewServer(t)
	h := startOn(t, srv.URL(), srv.Client(), "t:", webhook, func(c *Config) { c.RedisGrace = 3 * time.Second })
	rep := h.reps[0]
	srv.Pause(1500 * time.Millisecond)
	for end := time.Now().Add(2500 * time.Millisecond); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if code := rep.readyz(); code != 200 {
			t.Fatalf("readyz %d during a 1.5 s stall, want 200 (grace 3 s)", code)
		}
	}
	srv.Stop()
	if !h.tg.WaitFor(6*time.Second, func() bool { return rep.readyz() == 503 }) {
		t.Fatal("readyz still 200 with Redis gone past the grace")
	}
	if resp, err := http.Get(rep.url + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz with Redis gone: %v %v, want 200", resp, err)
	}
	srv.Start()
	if !h.tg.WaitFor(5*time.Second, func() bool { return rep.readyz() == 200 }) {
		t.Fatal("readyz not 200 again with Redis back")
	}
	p := h.person(3101, "A", "en")
	p.Types("/help")
	p.Sees("What I can do")
}

// Sentinel: the primary is killed under load. The bot follows the new
// primary without a restart, and with REDIS_WAIT_REPLICAS=1 every update
// the webhook answered 200 is handled: nothing acknowledged is lost.
func TestSentinelFailoverUnderLoadLosesNothingAnswered(t *testing.T) {
	failoverUnderLoad(t, 1)
}

func failoverUnderLoad(t *testing.T, waitReplicas int) {
	const master = "homelink"
	primary := redistest.NewServer(t, "--appendonly", "yes")
	var links []*redistest.Link
	for i := 0; i < 2; i++ {
		link := redistest.NewLink(t, primary)
		redistest.NewServer(t).ReplicaVia(link)
		links = append(links, link)
	}
	var addrs []string
	for i := 0; i < 3; i++ {
		addrs = append(addrs, redistest.NewSentinel(t, master, primary, 2, time.Second).Addr())
	}
	rdb := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: master, SentinelAddrs: addrs, ContextTimeoutEnabled: true})
	t.Cleanup(func() { rdb.Close() })
	url := fmt.Sprintf("redis://%s/0?master_name=%s&addr=%s&addr=%s", addrs[0], master, addrs[1], addrs[2])
	h := startOn(t, url, rdb, "t:", webhook, func(c *Config) { c.RedisWaitReplicas, c.InboxLease = waitReplicas, 3*time.Second })

	const users = 150
	var people []*person
	for i := 0; i < users; i++ {
		people = append(people, h.person(int64(4000+i), "P", "en"))
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for _, p := range people {
			p.Types("/help")
			time.Sleep(15 * time.Millisecond) // users arriving over about two seconds, across the failover
		}
	}()
	// Kill the primary once a third of the users were answered.
	if !h.tg.WaitFor(10*time.Second, func() bool { return answered(people) >= users/3 }) {
		t.Fatalf("only %d of %d answered before the failover", answered(people), users)
	}
	// The primary's host fails: for its last moments nothing it sends
	// reaches the replicas, then it dies. What it took meanwhile exists
	// nowhere else.
	for _, l := range links {
		l.Hold()
	}
	time.Sleep(400 * time.Millisecond) // updates arrive meanwhile, on the primary only
	before := accepted(h)
	killed := time.Now()
	primary.Kill()
	if !h.tg.WaitFor(30*time.Second, func() bool { return accepted(h) > before+1 }) {
		t.Fatal("no update was taken after the primary died")
	}
	t.Logf("from the primary's death to the first update taken on the new primary: %v", time.Since(killed).Round(10*time.Millisecond))
	<-sent
	if !h.tg.WaitFor(30*time.Second, func() bool { return h.tg.PendingUpdates() == 0 && answered(people) == users }) {
		var never []int64
		for _, p := range people {
			if len(p.Messages()) == 0 {
				never = append(never, p.ID)
			}
		}
		t.Fatalf("%d of %d users never answered after the failover (%v); %d updates still at Telegram\n%.3000s",
			len(never), users, never, h.tg.PendingUpdates(), h.logs.String())
	}
	twice := 0
	for _, p := range people {
		if n := len(p.Messages()); n > 1 {
			twice++
		}
		if !strings.Contains(p.Messages()[0].Text, "What I can do") {
			t.Fatalf("user %d was answered %q", p.ID, p.Messages()[0].Text)
		}
	}
	// A reply sent in the replicas' lag before the failover, whose record
	// was lost with the old primary, is sent again: a repeat, never a loss.
	t.Logf("%d users answered once, %d more than once", users-twice, twice)
}

// answered counts people the bot has answered.
func answered(people []*person) int {
	n := 0
	for _, p := range people {
		if len(p.Messages()) > 0 {
			n++
		}
	}
	return n
}

// accepted counts webhook deliveries answered 2xx.
func accepted(h *harness) int {
	n := 0
	for _, a := range h.tg.WebhookAttempts() {
		if a.Status >= 200 && a.Status < 300 {
			n++
		}
	}
	return n
}

// Redis goes away while hundreds of replies wait in the outbox at
// Telegram's own limits, on two replicas: stopped and restarted (its AOF
// keeps what was queued), or stalled past the client's 3 s timeout. Every
// user is answered exactly once, and Telegram never answers 429.
func TestRedisAwayWhileRepliesWaitAnswersEachUserOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(*redistest.Server)
	}{
		{"stopped 5 s and restarted", func(s *redistest.Server) {
			s.Stop()
			time.Sleep(5 * time.Second) // Redis is away this long
			s.Start()
		}},
		{"stalled 6 s twice", func(s *redistest.Server) {
			s.Pause(6 * time.Second)
			time.Sleep(8 * time.Second) // the stall, then a moment of calm
			s.Pause(6 * time.Second)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := redistest.NewServer(t, "--appendonly", "yes", "--appendfsync", "always")
			h := startOn(t, srv.URL(), srv.Client(), "t:", webhook, nil, emulator.WithLimits(emulator.TelegramLimits))
			h.addReplica(webhook)
			const users = 300
			var people []*person
			for i := 0; i < users; i++ {
				people = append(people, h.person(int64(5000+i), "P", "en"))
			}
			// Users write over ten seconds, before, during and after the
			// fault; their replies go out at 30 a second, so many wait.
			sent := make(chan struct{})
			go func() {
				defer close(sent)
				for _, p := range people {
					p.Types("/help")
					time.Sleep(10 * time.Millisecond) // users arriving over time
				}
			}()
			if !h.tg.WaitFor(10*time.Second, func() bool { return answered(people) >= 30 }) {
				t.Fatalf("only %d answered before the fault", answered(people))
			}
			tc.fault(srv)
			<-sent
			if !h.tg.WaitFor(60*time.Second, func() bool { return h.tg.PendingUpdates() == 0 && answered(people) == users }) {
				t.Fatalf("%d of %d users answered", answered(people), users)
			}
			// Each reply is recorded as sent: none is left in a worker's
			// hands to be sent again when its lease runs out.
			ctx := context.Background()
			var held int64
			if !h.tg.WaitFor(5*time.Second, func() bool {
				held, _ = h.rdb.ZCard(ctx, h.prefix+"{ob}:inflight").Result()
				return held == 0
			}) {
				t.Fatalf("%d sent messages were never recorded: they will be sent again", held)
			}
			var twice []int64
			for _, p := range people {
				if len(p.Messages()) != 1 {
					twice = append(twice, p.ID)
				}
			}
			too := 0
			for _, c := range h.tg.Calls("") {
				if c.Status == 429 {
					too++
				}
			}
			if len(twice) > 0 || too > 0 {
				t.Fatalf("%d users answered more than once (%v), %d × 429", len(twice), twice, too)
			}
		})
	}
}
