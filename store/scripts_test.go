package store

import (
	"strings"
	"testing"

	"github.com/homelink/homelink/agenda"
)

// The scripts every update runs carry no call helpers; the scripts that
// change calls or hours, plan reminders and digests, or forget a person,
// carry them all.
func TestOnlyCallScriptsCarryTheCallHelpers(t *testing.T) {
	entries, _ := scriptFS.ReadDir(".")
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".lua")
		if strings.HasPrefix(name, "_") {
			continue
		}
		carries := strings.HasPrefix(helpersFor(mustRead(e.Name())), agenda.Lua)
		wants := strings.HasPrefix(name, "call_") || strings.HasPrefix(name, "series_") ||
			name == "forget" || name == "hours_set" || name == "child_remove" || name == "guardian_unlink" || name == "strangers_forget" ||
			strings.HasPrefix(name, "digest_") || name == "home_create" || name == "remind_dayoff"
		if carries != wants {
			t.Errorf("script %s carries the call helpers: %v, want %v", name, carries, wants)
		}
	}
}
