package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// ErrNoCodeKey means invitations were used before UseCodeKeys.
var ErrNoCodeKey = errors.New("store: no key for invitation codes (INVITE_KEY)")

// UseCodeKeys sets the keys invitation codes are kept under: Redis holds
// only HMAC-SHA-256(key, code), so a copy of the database gives no code
// away without the key, which is never in Redis. New invitations use
// current; a code is looked up under current, then each of previous (the
// keys of a rotation, until their invitations have expired). Call it
// before first use.
func (s *Store) UseCodeKeys(current []byte, previous ...[]byte) {
	s.codeKeys = append([][]byte{current}, previous...)
}

// digest is what the store keeps of code under key.
func digest(key []byte, code string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}
