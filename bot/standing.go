package bot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Standing buttons sit on messages sent to someone other than the person
// acting: a notice, a request, a reminder. They carry no menu nonce, so
// they keep working whatever menus their recipient opened since; instead
// they carry a MAC of their data, so data altered to name another thing
// never reaches a handler. At the tap the need is checked against the
// thing as it is now, and the action itself tells a second tapper who
// acted first.

// macLen is how many characters of the MAC a button carries (66 bits).
const macLen = 11

// sign is the callback data of a standing button with payload
// "<code>.<arg>…".
func (b *Bot) sign(payload string) string {
	return "s:" + payload + ":" + b.mac(payload)
}

// verify returns the payload of standing-button data "<payload>:<mac>"
// (after "s:") if its MAC is right.
func (b *Bot) verify(data string) (string, bool) {
	i := strings.LastIndexByte(data, ':')
	if i < 0 {
		return "", false
	}
	payload, mac := data[:i], data[i+1:]
	return payload, hmac.Equal([]byte(mac), []byte(b.mac(payload)))
}

// standingOf reads standing-button data (after "s:") into its action and
// target; ok is false for data whose MAC is wrong or that names no
// standing action.
func (b *Bot) standingOf(data string) (*action, target, bool) {
	payload, ok := b.verify(data)
	if !ok {
		return nil, target{}, false
	}
	a, t, ok := b.acts.decode(payload)
	return a, t, ok && a.standing
}

func (b *Bot) mac(payload string) string {
	h := hmac.New(sha256.New, b.ButtonKey)
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))[:macLen]
}
