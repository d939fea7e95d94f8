package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/homelink/homelink/outbox"
)

// An action is one kind of button: the value that registers what it does,
// on what and for whom, and that builds its buttons, so its wire code is
// written once. Each feature declares its actions in its own file (see
// homeActions); the router finds them by code.
//
// Callback data stays within Telegram's 64 bytes; arguments are written in
// base 36 to leave room (a menu button is "b:", so buttons of the older
// decimal "m:" format simply expire):
//
//	b:<nonce>:<code>.<arg>.<arg>   a menu button: it works while its menu is
//	                               the user's newest (the session's nonce)
//	s:<code>.<arg>.<arg>:<mac>     a standing button: it works while the
//	                               thing it names exists, whoever taps it,
//	                               and its MAC stops altered data
type action struct {
	// name is how code, logs and the authorization matrix call it.
	name string
	// code is the short name on the wire.
	code string
	// args are what its buttons carry, in order.
	args []arg
	// need is who may press it, checked against the target at the tap.
	need need
	run  func(ctx context.Context, r *request, t target) error
	// at, for a button that answers a flow's question (a time zone while
	// creating a home), is that step: the button works only while the
	// flow waits there, and keeps the answers so far. Any other menu
	// button leaves the flow in progress.
	at *step
	// standing marks a button sent to someone other than the person
	// acting (a notice, a request, a reminder).
	standing bool
	// exists, for a standing button, reports whether the thing it acts on
	// is still there; when it is not, the tap says so, before any need is
	// checked, and the message loses its buttons.
	exists func(ctx context.Context, t target) (bool, error)
}

// arg is one argument a button carries.
type arg byte

// The arguments a button can carry.
const (
	argHome   arg = 'h'
	argChild  arg = 'c'
	argUser   arg = 'u'
	argInvite arg = 'i'
	// argChoice is an index among offered choices (a time zone, a
	// relationship, a language).
	argChoice arg = 'n'
	// argBooking is a call, argSeries a standing weekly call.
	argBooking arg = 'b'
	argSeries  arg = 's'
	// argTime is a moment (a slot's start, a day's midnight), in unix
	// seconds.
	argTime arg = 't'
	// argItem is a mailbox item's id.
	argItem arg = 'm'
	// argBroadcast is a broadcast's id, argRun one of its runs.
	argBroadcast arg = 'x'
	argRun       arg = 'r'
)

// target is what an action acts on, read from the button's data or the
// flow's answers so far.
type target struct {
	home, child, user, invite int64
	// booking and series are a call and a standing weekly call; at is a
	// moment in unix seconds.
	booking, series, at int64
	// item is a mailbox item's id.
	item int64
	// broadcast and run are a broadcast's id and one of its runs.
	broadcast, run int64
	// n is a choice among buttons (a time zone, a relationship).
	n int
}

func (t target) get(a arg) int64 {
	switch a {
	case argHome:
		return t.home
	case argChild:
		return t.child
	case argUser:
		return t.user
	case argInvite:
		return t.invite
	case argBooking:
		return t.booking
	case argSeries:
		return t.series
	case argTime:
		return t.at
	case argItem:
		return t.item
	case argBroadcast:
		return t.broadcast
	case argRun:
		return t.run
	}
	return int64(t.n)
}

func (t *target) set(a arg, v int64) {
	switch a {
	case argHome:
		t.home = v
	case argChild:
		t.child = v
	case argUser:
		t.user = v
	case argInvite:
		t.invite = v
	case argBooking:
		t.booking = v
	case argSeries:
		t.series = v
	case argTime:
		t.at = v
	case argItem:
		t.item = v
	case argBroadcast:
		t.broadcast = v
	case argRun:
		t.run = v
	case argChoice:
		t.n = int(v)
	}
}

// encode writes the action's code and t's values of its args.
func (a *action) encode(t target) string {
	var sb strings.Builder
	sb.WriteString(a.code)
	for _, x := range a.args {
		sb.WriteByte('.')
		sb.WriteString(strconv.FormatInt(t.get(x), 36))
	}
	return sb.String()
}

// decode reads "<code>.<arg>…" into an action and its target.
func (acts actions) decode(s string) (*action, target, bool) {
	parts := strings.Split(s, ".")
	a, ok := acts[parts[0]]
	if !ok || len(parts)-1 != len(a.args) {
		return nil, target{}, false
	}
	var t target
	for i, p := range parts[1:] {
		n, err := strconv.ParseInt(p, 36, 64)
		if err != nil || n < 0 {
			return nil, target{}, false
		}
		t.set(a.args[i], n)
	}
	return a, t, true
}

// button is one of a's buttons, labelled label, acting on t. Menu buttons
// carry the user's menu nonce; standing buttons a MAC.
func (a *action) button(r *request, label string, t target) outbox.Button {
	if a.standing {
		return outbox.Button{Text: label, Data: r.b.sign(a.encode(t))}
	}
	return outbox.Button{Text: label, Data: menuData(r.session.Nonce, a.encode(t))}
}

// always is the exists of a standing button whose handler itself tells a
// tapper what became of its thing (an invitation: used, revoked by whom,
// or expired), since each of those has more to say than "gone".
func always(context.Context, target) (bool, error) { return true, nil }

// menuData is a menu button's callback data.
func menuData(nonce, payload string) string { return "b:" + nonce + ":" + payload }

// actions finds every action by its code.
type actions map[string]*action

// add registers a, refusing a code used twice: two features must never
// answer the same button.
func (acts actions) add(a *action) *action {
	if _, dup := acts[a.code]; dup {
		panic(fmt.Sprintf("bot: action code %q of %s is taken", a.code, a.name))
	}
	if a.need == nil || a.run == nil || a.standing && (a.exists == nil || a.at != nil) {
		panic("bot: action " + a.name + " lacks a need or a handler, or is a standing button without exists or within a step")
	}
	acts[a.code] = a
	return a
}
