package store

import "errors"

// errTODO marks what the contract declares and a later commit fills in.
var errTODO = errors.New("store: not built yet")
