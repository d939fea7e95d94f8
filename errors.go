package homelink

import "errors"

// ErrNotFound means what was asked for does not exist (any more).
var ErrNotFound = errors.New("homelink: not found")
