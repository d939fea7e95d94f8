package outbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// Paced menus go no faster than bulk messages would, share the limiter
// with them, and skip unreachable chats without asking Telegram.
func TestSetCommandsPacedKeepsTheBulkPace(t *testing.T) {
	tg := emulator.New()
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	const rate = 50
	o := instance(t, tg, prefix, Options{RatePerSecond: rate})
	ctx := context.Background()
	menu := []Command{{Name: "help", Description: "What I can do"}}
	o.SetReachable(ctx, 999, false)
	if err := o.SetCommandsPaced(ctx, 999, "", menu); !errors.Is(err, ErrBlocked) {
		t.Fatalf("unreachable chat: %v", err)
	}
	const n = 50
	start := time.Now()
	for i := range n {
		if err := o.SetCommandsPaced(ctx, int64(1000+i), "", menu); err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(start)
	calls := tg.Calls("setMyCommands")
	if len(calls) != n {
		t.Fatalf("%d calls, want %d (none for the unreachable chat)", len(calls), n)
	}
	// n slots at the paced rate, the first at once: at least (n-1) intervals.
	if least := time.Duration(n-1) * time.Second / rate; took < least {
		t.Fatalf("%d menus took %v, faster than the %d/s limit allows (%v)", n, took, rate, least)
	}
	t.Logf("%d paced menus in %v (%.1f/s at a %d/s limit)", n, took, float64(n)/took.Seconds(), rate)
	if c := tg.Commands("chat:1049", ""); len(c) != 1 || c[0].Command != "help" {
		t.Fatalf("chat 1049's menu: %+v", c)
	}
}
