package bot

import (
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/locales"
)

// TestCallMessageIDsExist checks the message ids calls pass around as
// values (titles, refusals) or build from a kind or state, which the scan
// of literal ids does not see.
func TestCallMessageIDsExist(t *testing.T) {
	ids := []string{"BookConfirmedTitle", "BookSentTitle", "CallConfirmedTitle", "CallDeclinedTitle", "CallExpiredTitle",
		"CallHeldTitle", "CallKept", "CallMissedTitle", "CancelAsk", "CancelSeriesAsk", "CancelledByHomeTitle",
		"CancelledByParentTitle", "ChildBusy", "MarkAgainTitle", "MarkAskTitle", "MarkedTitle", "MovedConfirmedTitle",
		"MovedNoticeTitle", "MovedRequestTitle", "MovedSentTitle", "NewCallConfirmedTitle", "NewRequestTitle",
		"NewWeeklyRequestTitle", "NoFreeOutsideShifts", "NoFreeSlots", "NoHoursYet", "ProposalChosenTitle", "ProposedTitle",
		"SeriesCancelledByHomeTitle", "SeriesCancelledByParentTitle", "SeriesCancelledTitle", "SeriesSkippedStaffTitle",
		"SeriesSkippedTitle", "SlotJustTaken", "SlotPast", "Did_moved", "Did_proposed", "Did_requested", "ShiftsHidden", "Help_calls_both", "CancelledByStaffTitle", "SeriesCancelledByStaffTitle"}
	for _, k := range homelink.CallKinds {
		ids = append(ids, "Kind_"+string(k))
	}
	for _, s := range homelink.BookingStates {
		ids = append(ids, "State_"+string(s), didID(homelink.Booking{State: s}))
	}
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		for _, lang := range cat.Languages() {
			counts := []any{nil}
			if id == "ShiftsHidden" {
				counts = []any{1, 2, 5}
			}
			for _, n := range counts {
				cfg := &i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: map[string]any{"Count": n}}
				if _, err := cat.Localizer(lang).Localize(cfg); err != nil {
					t.Errorf("message %s (count %v) missing in %s: %v", id, n, lang, err)
				}
			}
		}
	}
}
