package outbox

import (
	"strings"

	"github.com/go-telegram/bot"
)

// Why a message failed. A failed message's Status.Reason starts with its
// class and a colon ("blocked: bot was blocked by the user"), and a
// batch counts its failed messages by class (BatchStatus.Reasons). The
// classes are few and stable, to be shown to a person in their words:
// whatever else a reason starts with counts as ReasonOther. _queue.lua's
// reason_class knows the same list (TestReasonClassesMatchLua).
const (
	// ReasonBlocked: the person blocked the bot or deleted their account
	// (Telegram answered 403), or was known to have when the message was
	// queued or claimed: nothing was sent.
	ReasonBlocked = "blocked"
	// ReasonBadRequest: Telegram refused the message (400): a chat not
	// found, a text too long, a group that moved twice.
	ReasonBadRequest = "bad request"
	// ReasonNotFound: Telegram answered 404.
	ReasonNotFound = "not found"
	// ReasonGaveUp: Telegram had trouble (5xx, timeouts) at every one of
	// Options.MaxAttempts tries.
	ReasonGaveUp = "gave up"
	// ReasonUnreadable: the queued payload could not be opened (sealed
	// under a payload key no replica holds any more).
	ReasonUnreadable = "unreadable"
	// ReasonCancelled: CancelBatch withdrew it before it was sent.
	ReasonCancelled = "cancelled"
	// ReasonForgotten: Forget purged it with its chat.
	ReasonForgotten = "forgotten"
	// ReasonOther: anything else.
	ReasonOther = "other"
)

// ReasonClasses lists the classes, ReasonOther last.
var ReasonClasses = []string{ReasonBlocked, ReasonBadRequest, ReasonNotFound, ReasonGaveUp,
	ReasonUnreadable, ReasonCancelled, ReasonForgotten, ReasonOther}

// ReasonClass is the class of a failed message's reason.
func ReasonClass(reason string) string {
	class, _, ok := strings.Cut(reason, ":")
	if ok {
		for _, c := range ReasonClasses[:len(ReasonClasses)-1] {
			if class == c {
				return c
			}
		}
	}
	return ReasonOther
}

// refusal words Telegram's refusal err as "<class>: <its description>":
// go-telegram/bot writes "<sentinel>, <description>" ("bad request, Bad
// Request: chat not found"), and Telegram's description repeats the
// status; neither is said twice.
func refusal(class string, err error) string {
	desc := err.Error()
	for _, sentinel := range []error{bot.ErrorForbidden, bot.ErrorBadRequest, bot.ErrorNotFound} {
		if rest, ok := strings.CutPrefix(desc, sentinel.Error()); ok {
			desc = strings.TrimLeft(rest, ",: ")
			break
		}
	}
	for _, status := range []string{"Forbidden: ", "Bad Request: ", "Not Found: "} {
		desc = strings.TrimPrefix(desc, status)
	}
	return class + ": " + desc
}
