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
	s.codeKeys = nil
	for _, k := range append([][]byte{current}, previous...) {
		if len(k) > 0 { // an empty key would sign with nothing
			s.codeKeys = append(s.codeKeys, k)
		}
	}
}

// UseAdmins names the deployment's admins (ADMIN_IDS): an invitation an
// admin made is good only while they are one. Call it before first use.
func (s *Store) UseAdmins(ids []int64) {
	s.admins = map[int64]bool{}
	for _, id := range ids {
		s.admins[id] = true
	}
}

// digest is what the store keeps of code under key.
func digest(key []byte, code string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}
