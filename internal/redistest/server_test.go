package redistest

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// A server of the test's own keeps what it was told across a restart
// (with an AOF), stalls while paused, and follows its primary as a replica.
func TestServerStopsRestartsPausesAndReplicates(t *testing.T) {
	ctx := context.Background()
	s := NewServer(t, "--appendonly", "yes")
	rdb := s.Client()
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if err := rdb.Ping(ctx).Err(); err == nil {
		t.Fatal("a stopped server answered")
	}
	s.Start()
	if v, err := rdb.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("after a restart: %q, %v; want v", v, err)
	}

	s.Pause(300 * time.Millisecond)
	start := time.Now()
	if err := rdb.Get(ctx, "k").Err(); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Fatalf("a paused server answered after %v", waited)
	}

	r := NewServer(t)
	r.ReplicaOf(s)
	rr := r.Client()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if v, _ := rr.Get(ctx, "k").Result(); v == "v" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica never got the primary's data\n%s", r.Log())
		}
		time.Sleep(20 * time.Millisecond) // polling replication, a process outside the test
	}
}

// A sentinel names the primary it watches.
func TestSentinelNamesThePrimary(t *testing.T) {
	p := NewServer(t)
	sn := NewSentinel(t, "hl", p, 1, time.Second)
	addr, err := sn.Primary(context.Background(), "hl")
	if err != nil || addr != p.Addr() {
		t.Fatalf("sentinel says %q, %v; want %s", addr, err, p.Addr())
	}
}
