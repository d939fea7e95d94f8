package sandbox

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/store"
)

// A sandbox pointed at a Redis whose prefix holds a deployment's data
// refuses to start, says how to go on, and writes nothing there; an empty
// prefix is marked as the sandbox's and found again on the next start
// (TestSandboxOnARealRedisKeepsItsData).
func TestSandboxRefusesARedisHoldingOtherData(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	// What `homelink serve` leaves on its first start.
	if err := store.New(rdb, prefix, homelink.SystemClock{}).Upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	before := redistest.Keys(t, rdb, prefix)
	if len(before) == 0 {
		t.Fatal("serve's first start left no key to find")
	}
	env := func(name string) string {
		if name == "REDIS_KEY_PREFIX" {
			return prefix
		}
		return ""
	}
	sb, err := Start(ctx, Options{Addr: "127.0.0.1:0", Seed: true, RedisURL: redistest.URL(), Getenv: env})
	if err == nil {
		sb.close()
		t.Fatal("started on a deployment's data")
	}
	t.Logf("the refusal: %v", err)
	if !errors.Is(err, ErrNotASandboxRedis) {
		t.Fatalf("err = %v", err)
	}
	for _, w := range []string{prefix, "REDIS_KEY_PREFIX", "empty database", "SET " + prefix + "sandbox 1"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the refusal does not say %q: %v", w, err)
		}
	}
	if after := redistest.Keys(t, rdb, prefix); !sameKeys(before, after) {
		t.Errorf("keys were %q, now %q", before, after)
	}
}

func sameKeys(a, b []string) bool {
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
