package intake

import (
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
)

// maxUpdateBytes bounds a webhook body; real updates are a few kilobytes.
const maxUpdateBytes = 1 << 20

// SecretHeader is where Telegram puts the webhook secret.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Webhook is the HTTP handler Telegram posts updates to. It answers 401 to
// a wrong secret (compared in constant time), 400 to a body that is not an
// update, 2xx only once the update is taken, and 503 when it could not be
// taken, so Telegram sends it again.
func (in *Intake) Webhook(secret string) http.Handler {
	want := []byte(secret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), want) != 1 {
			in.metrics.Updates.WithLabelValues("unknown", "rejected").Inc()
			in.log.Warn("webhook call with a wrong secret", slog.String("remote", r.RemoteAddr))
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		if err != nil {
			http.Error(w, "update too large or unreadable", http.StatusRequestEntityTooLarge)
			return
		}
		switch err := in.Take(r.Context(), body); {
		case err == nil:
			w.WriteHeader(http.StatusOK)
		case errors.Is(err, ErrMalformed):
			in.metrics.Updates.WithLabelValues("unknown", "rejected").Inc()
			http.Error(w, "not a Telegram update", http.StatusBadRequest)
		default:
			in.log.Error("could not take update", slog.Any("err", err))
			http.Error(w, "try again", http.StatusServiceUnavailable)
		}
	})
}
