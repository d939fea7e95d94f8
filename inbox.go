package homelink

import "errors"

// Actor is what homelink holds about the person behind an update, read
// together with the update so that handling it needs no further read.
type Actor struct {
	User    User
	Session Session
}

// InboxItem is one update waiting in its sender's inbox to be handled,
// with its actor as they stood when it was handed out. Raw is the update
// exactly as Telegram sent it; the domain never looks inside.
type InboxItem struct {
	UpdateID int64
	Raw      []byte
	Actor    Actor
}

// ErrInboxHeld means another worker holds the lease on that inbox and
// will handle what is in it.
var ErrInboxHeld = errors.New("homelink: inbox held by another worker")

// ErrNotReplicated means an update was taken but could not be confirmed on
// as many Redis replicas as the deployment requires: it is not answered as
// taken, so Telegram sends it again.
var ErrNotReplicated = errors.New("homelink: not confirmed on enough Redis replicas")
