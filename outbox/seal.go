package outbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// A queued message's payload (its text, caption, keyboard, an uploaded
// file's bytes: an invitation's codes, a /mydata file) is sealed with
// AES-256-GCM before it reaches Redis, under a key Redis never holds: a
// copy of the database, or someone who can read it, learns who is waiting
// for how many messages, not what they say.

// sealVersion starts every sealed payload, so that a later format (or
// key) can be told apart.
const sealVersion = 1

// PayloadKeySize is the length of Options.PayloadKey.
const PayloadKeySize = 32

// DeriveKey makes a payload key from a secret kept outside Redis (the
// app's INVITE_KEY), so that one secret is configured, not two; nil for
// an empty secret.
func DeriveKey(secret []byte) []byte {
	if len(secret) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("homelink outbox payloads v1"))
	return mac.Sum(nil)
}

// sealer seals payloads under the current key and opens them under it or
// the previous one (a payload sealed before a key rotation).
type sealer struct{ current, previous cipher.AEAD }

func newSealer(key, previous []byte) (sealer, error) {
	var s sealer
	var err error
	if s.current, err = gcm(key); err != nil {
		return s, err
	}
	if previous != nil {
		s.previous, err = gcm(previous)
	}
	return s, err
}

func gcm(key []byte) (cipher.AEAD, error) {
	if len(key) != PayloadKeySize {
		return nil, fmt.Errorf("outbox: a payload key has %d bytes, want %d", len(key), PayloadKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal returns version, nonce and ciphertext in one string.
func (s sealer) seal(plain []byte) string {
	out := make([]byte, 1+s.current.NonceSize(), 1+s.current.NonceSize()+len(plain)+s.current.Overhead())
	out[0] = sealVersion
	rand.Read(out[1:])
	return string(s.current.Seal(out, out[1:], plain, nil))
}

var errUnsealed = errors.New("outbox: payload cannot be opened with the payload keys")

// open returns the payload sealed in box.
func (s sealer) open(box string) ([]byte, error) {
	b := []byte(box)
	if len(b) > 0 && b[0] == '{' {
		// Queued before payloads were sealed (an upgrade): still sent.
		return b, nil
	}
	if len(b) < 1 || b[0] != sealVersion {
		return nil, errUnsealed
	}
	for _, a := range []cipher.AEAD{s.current, s.previous} {
		if a == nil || len(b) < 1+a.NonceSize() {
			continue
		}
		n := a.NonceSize()
		if plain, err := a.Open(nil, b[1:1+n], b[1+n:], nil); err == nil {
			return plain, nil
		}
	}
	return nil, errUnsealed
}
