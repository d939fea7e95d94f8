package sandbox

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/homelink/homelink/agenda"
)

// Work due later fires as soon as the sandbox's clock is moved past it,
// on the embedded Redis: nothing waits for the wall clock. (Features put
// their own kinds; this test registers one of its own.)
func TestMovingTheClockFiresDueWork(t *testing.T) {
	sb, c, stop := start(t, Options{})
	defer stop()
	handled := make(chan agenda.Item, 1)
	sb.app.Agenda.Register("sandbox.test", agenda.Handler{Handle: func(_ context.Context, it agenda.Item) error {
		handled <- it
		return nil
	}})
	due := sb.Clock.Now().Add(time.Hour)
	if err := sb.app.Agenda.Put(context.Background(), "sandbox.test", "call-1", due, []byte("x")); err != nil {
		t.Fatal(err)
	}
	select {
	case it := <-handled:
		t.Fatalf("handled %+v before its time", it)
	case <-time.After(1500 * time.Millisecond): // a tick or more of the scheduler
	}
	if code := c.post("/api/clock", map[string]string{"add": "1h"}); code != http.StatusNoContent {
		t.Fatalf("clock +1 hour: %d", code)
	}
	select {
	case it := <-handled:
		if it.Key != "call-1" || !it.Due.Equal(due.Truncate(time.Millisecond)) {
			t.Fatalf("handled %+v", it)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the item due in an hour was not handled after the clock moved an hour")
	}
}
