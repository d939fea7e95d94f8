package store

import (
	"strings"
	"testing"

	"github.com/homelink/homelink/agenda"
)

// The scripts every update runs carry no helpers but the key helpers; the
// scripts that change calls or hours, or forget a person, carry the call
// helpers; those that change mailboxes (forgetting a person or removing a
// child among them) or keep a contact the mailbox's; each of those, and
// the scripts that plan digests and weekly reports, the agenda's library;
// the broadcasts' scripts (and forgetting a person) the broadcast helpers
// and the agenda's library.
func TestOnlyCallScriptsCarryTheCallHelpers(t *testing.T) {
	entries, _ := scriptFS.ReadDir(".")
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".lua")
		if strings.HasPrefix(name, "_") {
			continue
		}
		src := helpersFor(mustRead(e.Name()))
		calls, mail := strings.Contains(src, callHelpers), strings.Contains(src, mailHelpers)
		wantsCalls := strings.HasPrefix(name, "call_") || strings.HasPrefix(name, "series_") ||
			name == "forget" || name == "hours_set" || name == "child_remove" || name == "guardian_unlink" || name == "strangers_forget" ||
			name == "remind_dayoff"
		wantsMail := strings.HasPrefix(name, "mail_") && name != "mail_unread" ||
			name == "forget" || name == "child_remove" || name == "strangers_forget" || name == "guardian_unlink" ||
			name == "call_mark" // a call held is a contact (contact_note)
		wantsBC := strings.HasPrefix(name, "bc_") || name == "forget"
		wantsAgenda := wantsCalls || wantsMail || wantsBC || strings.HasPrefix(name, "digest_") || name == "home_create" ||
			name == "report_plan" || name == "report_ensure"
		if bc := strings.Contains(src, bcHelpers); bc != wantsBC {
			t.Errorf("script %s carries the broadcast helpers: %v, want %v", name, bc, wantsBC)
		}
		if calls != wantsCalls {
			t.Errorf("script %s carries the call helpers: %v, want %v", name, calls, wantsCalls)
		}
		if mail != wantsMail {
			t.Errorf("script %s carries the mailbox helpers: %v, want %v", name, mail, wantsMail)
		}
		if agendaToo := strings.HasPrefix(src, agenda.Lua); agendaToo != wantsAgenda {
			t.Errorf("script %s carries the agenda's library: %v, want %v", name, agendaToo, wantsAgenda)
		}
	}
}
