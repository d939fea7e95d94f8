package homelink

import "errors"

// Session is where a user stands in a conversation ("choosing a language",
// later "booking a call: choosing a day"). It lives in the store with a TTL
// so that any replica can take the next step and a restart loses nothing.
type Session struct {
	// Flow names the conversation in progress; empty when none is.
	Flow string
	// Step names the step within Flow.
	Step string
	// Nonce is fresh for every flow started; buttons carry it, so a button
	// from an earlier or finished flow is recognised as expired.
	Nonce string
	// Version increases with every write; a write that expects an older
	// version fails with ErrSessionChanged.
	Version int64
	// Answers holds the flow's answers so far, encoded (as JSON) by the
	// flow that owns them.
	Answers []byte
}

// Active reports whether a flow is in progress.
func (s Session) Active() bool { return s.Flow != "" }

// ErrSessionChanged means the session moved on (another update changed it)
// between reading it and writing it back.
var ErrSessionChanged = errors.New("homelink: session changed meanwhile")
