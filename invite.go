package homelink

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"time"
)

// Invite is a one-time invitation that gives its role, in its scope, to
// whoever redeems it first: a coordinator (sharing Homes), a teacher of
// HomeID, or a guardian of ChildID at HomeID.
type Invite struct {
	ID      int64
	Role    Role
	HomeID  int64
	ChildID int64
	// Homes are the homes a coordinator invitation shares (none for the
	// first coordinator an admin invites).
	Homes     []int64
	ExpiresAt time.Time
	// MadeBy is who made it. It is good only while they hold the right
	// that let them make it (ByAdmin: an admin made it, on the
	// deployment's word).
	MadeBy  int64
	ByAdmin bool
	// Link and Typed are the codes, known only when the invite is made:
	// the store keeps their hashes.
	Link, Typed string
}

// DefaultInviteTTL is how long an invitation stays valid unless configured.
const DefaultInviteTTL = 7 * 24 * time.Hour

// Wrong codes are throttled per account.
const (
	MaxCodeFailures   = 5
	CodeFailureWindow = time.Hour
)

// Errors of invitations.
var (
	// ErrInviteInvalid: no such code, or it expired or was revoked.
	ErrInviteInvalid = errors.New("homelink: invitation not valid")
	// ErrInviteUsed: someone redeemed it first.
	ErrInviteUsed = errors.New("homelink: invitation already used")
	// ErrTooManyAttempts: too many wrong codes lately.
	ErrTooManyAttempts = errors.New("homelink: too many wrong codes")
	// ErrAlreadyMember: the account already holds what the invite gives.
	ErrAlreadyMember = errors.New("homelink: already linked")
)

// typedAlphabet has no look-alikes (0/O, 1/I/L) and reads aloud well.
const typedAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// Code lengths: a link code carries 128 random bits in 22 base64url
// characters (Telegram allows 64 of A-Z a-z 0-9 _ -); a typed code 12
// characters of a 31-letter alphabet, 59 bits, read as three groups of four.
const (
	linkCodeBytes = 16
	typedCodeLen  = 12
)

// NewInviteCodes returns a fresh link code and typed code from crypto/rand.
func NewInviteCodes() (link, typed string) {
	b := make([]byte, linkCodeBytes)
	rand.Read(b)
	link = base64.RawURLEncoding.EncodeToString(b)
	var t strings.Builder
	// Rejection sampling keeps every letter equally likely.
	for t.Len() < typedCodeLen {
		var c [1]byte
		rand.Read(c[:])
		if int(c[0]) < 256/len(typedAlphabet)*len(typedAlphabet) {
			t.WriteByte(typedAlphabet[int(c[0])%len(typedAlphabet)])
		}
	}
	return link, t.String()
}

// FormatTypedCode groups a typed code for reading aloud: "ABCD-EFGH-JKMN".
func FormatTypedCode(code string) string {
	var parts []string
	for i := 0; i < len(code); i += 4 {
		parts = append(parts, code[i:min(i+4, len(code))])
	}
	return strings.Join(parts, "-")
}

// NormalizeTypedCode reads a code as a parent types it: any case, with or
// without spaces and dashes. ok is false when it cannot be a typed code.
func NormalizeTypedCode(s string) (code string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\u3000' || r == '－':
			continue
		case r < 128 && strings.ContainsRune(typedAlphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != typedCodeLen {
		return "", false
	}
	return b.String(), true
}

// ValidLinkCode reports whether s fits Telegram's start payload rules and
// the length of our link codes, before it is looked up.
func ValidLinkCode(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
