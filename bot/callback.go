package bot

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// Callback data is "<flow>:<nonce>:<arg>". The nonce is the session's for
// the flow that drew the button, so a button from an older or finished flow,
// or one another user replays, finds no matching session and does nothing.
func callbackData(flow, nonce, arg string) string { return flow + ":" + nonce + ":" + arg }

func parseCallbackData(data string) (flow, nonce, arg string, ok bool) {
	parts := strings.SplitN(data, ":", 3)
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// newNonce returns 8 random characters for a new flow.
func newNonce() string {
	b := make([]byte, 5)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// callback routes a button tap to its flow, or says it has expired.
func (b *Bot) callback(ctx context.Context, r *request) error {
	flow, nonce, arg, ok := parseCallbackData(r.update.CallbackQuery.Data)
	h, known := b.callbacks[flow]
	if !ok || !known || !r.session.Accepts(flow, nonce) {
		return r.answer(ctx, r.text("ButtonExpired"))
	}
	r.args = arg
	return h(ctx, r)
}
