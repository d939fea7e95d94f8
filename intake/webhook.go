package intake

import (
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/homelink/homelink"
)

// maxUpdateBytes bounds a webhook body; real updates are a few kilobytes.
const maxUpdateBytes = 1 << 20

// SecretHeader is where Telegram puts the webhook secret.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// refusalLogEvery is the most often one kind of refused webhook call is
// logged: anyone on the internet can make them, and must not be able to
// flood the logs.
const refusalLogEvery = time.Minute

// Webhook is the HTTP handler Telegram posts updates to. It answers 401 to
// a wrong secret (compared in constant time), 413 to a body over 1 MiB,
// 400 to a body that is not an update, 2xx only once the update is taken,
// and 503 when it could not be taken (or, with replicas required, not
// confirmed on them), so Telegram sends it again. Every refusal is counted
// by reason; each reason is logged at most once a minute, with a count.
func (in *Intake) Webhook(secret string) http.Handler {
	want := []byte(secret)
	var refusals sync.Map // reason → *throttle
	refuse := func(w http.ResponseWriter, r *http.Request, status int, reason, answer string, err error) {
		in.metrics.WebhookRefused.WithLabelValues(reason).Inc()
		t, _ := refusals.LoadOrStore(reason, &throttle{every: refusalLogEvery})
		if n, ok := t.(*throttle).note(time.Now()); ok {
			attrs := []any{slog.String("reason", reason), slog.Int("calls", n), slog.String("remote", r.RemoteAddr)}
			if err != nil {
				attrs = append(attrs, slog.Any("err", err))
			}
			level := slog.LevelWarn
			if status >= 500 {
				level = slog.LevelError
			}
			in.log.Log(r.Context(), level, "webhook calls refused", attrs...)
		}
		http.Error(w, answer, status)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			refuse(w, r, http.StatusMethodNotAllowed, "method", "method not allowed", nil)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), want) != 1 {
			in.metrics.Updates.WithLabelValues("unknown", "rejected").Inc()
			refuse(w, r, http.StatusUnauthorized, "wrong_secret", "unauthorized", nil)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			refuse(w, r, http.StatusRequestEntityTooLarge, "too_large", "update too large", nil)
			return
		case err != nil: // the caller hung up mid-body
			refuse(w, r, http.StatusBadRequest, "unreadable", "update unreadable", err)
			return
		}
		switch err := in.Take(r.Context(), body); {
		case err == nil:
			w.WriteHeader(http.StatusOK)
		case errors.Is(err, ErrMalformed):
			in.metrics.Updates.WithLabelValues("unknown", "rejected").Inc()
			refuse(w, r, http.StatusBadRequest, "bad_json", "not a Telegram update", nil)
		case errors.Is(err, homelink.ErrNotReplicated):
			refuse(w, r, http.StatusServiceUnavailable, "not_durable", "try again", err)
		default:
			refuse(w, r, http.StatusServiceUnavailable, "unavailable", "try again", err)
		}
	})
}

// throttle lets one event through every so often and counts the rest.
type throttle struct {
	every time.Duration
	mu    sync.Mutex
	last  time.Time
	count int
}

// note counts an event at now; ok is true when it should be logged, with
// n the events since the last one logged, this one included.
func (t *throttle) note(now time.Time) (n int, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.count++
	if !t.last.IsZero() && now.Sub(t.last) < t.every {
		return 0, false
	}
	n, t.count, t.last = t.count, 0, now
	return n, true
}
