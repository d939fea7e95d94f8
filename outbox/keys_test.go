package outbox

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/internal/redistest"
)

// The Lua helpers in _keys.lua build the same names as keys.go.
func TestLuaKeyNamesMatchGo(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	k := keys{p: prefix}
	helpers, err := os.ReadFile("_keys.lua")
	if err != nil {
		t.Fatal(err)
	}
	sc := redis.NewScript(string(helpers) + `
local b = ARGV[1]
return {lanekey(b, 2), msgkey(b, '17'), batchkey(b, 'x'), batchidskey(b, 'x'),
  chattatkey(b, '-100'), chatqueuedkey(b, '42'), chatpausekey(b, '-100'), chatmsgskey(b, '42'), chatlastkey(b, '42')}`)
	got, err := sc.Run(context.Background(), rdb, nil, k.base()).StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{k.lane(Bulk), k.msg("17"), k.batch("x"), k.batchIDs("x"),
		k.chatTat(-100), k.chatQueued(42), k.chatPause(-100), k.chatMsgs(42), k.chatLast(42)}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Lua builds %v, Go %v", got, want)
	}
}

// No script spells a key name by hand: they use KEYS or _keys.lua.
func TestScriptsBuildKeyNamesOnlyThroughHelpers(t *testing.T) {
	spelled := regexp.MustCompile(`\.\.\s*'[a-z:]+:?'`)
	entries, _ := scriptFS.ReadDir(".")
	for _, e := range entries {
		if e.Name() == "_keys.lua" {
			continue
		}
		src, _ := scriptFS.ReadFile(e.Name())
		if m := spelled.FindString(string(src)); m != "" {
			t.Errorf("%s builds a key by hand: %s", e.Name(), m)
		}
	}
}
