package sandbox

import (
	"net/http"
	"testing"
	"time"
)

// The demonstration's coordinator broadcasts to the home's parents with
// buttons: each parent gets it with their own name, and the coordinator's
// phone shows how it went. All of it is the real bot's doing.
func TestSandboxCoordinatorBroadcastsToTheParents(t *testing.T) {
	sb, c, stop := start(t, Options{Seed: true})
	defer stop()
	coord, mom, dad := demoPeople[0].ID, demoPeople[2].ID, demoPeople[3].ID
	zh := func(id string, kv ...any) string { return sb.app.Bot.Renderer.Text("zh-Hans", id, kv...) }
	// 09:00 tomorrow at the home: outside everyone's quiet hours.
	now := sb.Clock.Now().In(sb.cfg.DefaultTimezone)
	morning := time.Date(now.Year(), now.Month(), now.Day()+1, 9, 0, 0, 0, now.Location())
	if code := c.post("/api/clock", map[string]string{"set": morning.Format("2006-01-02T15:04")}); code != http.StatusNoContent {
		t.Fatalf("clock: %d", code)
	}
	c.types(coord, "/broadcast")
	c.taps(coord, zh("BcToGuardiansAt", "Home", DemoHome))
	c.types(coord, "{parent_name}您好：周六上午十点开家长会。")
	c.taps(coord, zh("BcOneVersionButton"))
	c.taps(coord, zh("BcSendNowButton"))
	c.sees(mom, "李秀兰您好：周六上午十点开家长会。")
	c.sees(dad, "Zhang Jian您好：周六上午十点开家长会。")
	c.sees(coord, zh("BroadcastDelivered", "Count", 2, "N", "2"))
}
