package homelink

import "errors"

// ErrNotFound means what was asked for does not exist (any more).
var ErrNotFound = errors.New("homelink: not found")

// ErrNotAllowed means the person asking no longer holds the right the
// change needs: the store checks it in the same step that writes, so roles
// read a moment earlier cannot let a removed teacher act.
var ErrNotAllowed = errors.New("homelink: not allowed")

// ErrMovedOn means a piece of due work is no longer the one its handler
// was handed: withdrawn, put again, or claimed by another replica.
var ErrMovedOn = errors.New("homelink: the due work moved on")

// By is who asks the store for a change, which it checks against what they
// hold at the moment it writes. Admin is the deployment's word (ADMIN_IDS),
// which Redis does not hold.
type By struct {
	User  int64
	Admin bool
}
