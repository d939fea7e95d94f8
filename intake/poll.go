package intake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/homelink/homelink/internal/backoff"
)

// Poller reads updates with getUpdates. Run it on one replica only:
// Telegram ends a long poll when another starts.
type Poller struct {
	// APIURL is the Bot API base URL and Token the bot's token.
	APIURL, Token string
	Client        *http.Client
	// Timeout is the long-poll wait (50s when zero).
	Timeout time.Duration
	// AllowedUpdates lists the update kinds to receive.
	AllowedUpdates []string
}

// Poll takes updates until ctx ends. The offset moves past an update only
// after it is taken, so a crash loses nothing: Telegram sends it again and
// the inbox drops the repeat.
func (in *Intake) Poll(ctx context.Context, p Poller) error {
	if p.Timeout <= 0 {
		p.Timeout = 50 * time.Second
	}
	var offset int64
	var failures int
	for ctx.Err() == nil {
		batch, err := p.getUpdates(ctx, offset)
		if err == nil {
			offset, err = in.takeAll(ctx, batch, offset)
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			failures++
			in.log.Warn("polling for updates failed", slog.Int("failures", failures), slog.Any("err", err))
			if !sleep(ctx, pollWait(failures)) {
				break
			}
			continue
		}
		failures = 0
	}
	return nil
}

// takeAll takes a batch in order and returns the offset past what was taken.
func (in *Intake) takeAll(ctx context.Context, batch []json.RawMessage, offset int64) (int64, error) {
	for _, raw := range batch {
		var env envelope
		if err := json.Unmarshal(raw, &env); err != nil || env.ID <= 0 {
			continue // not an update: nothing to take, nothing to confirm
		}
		err := in.Take(ctx, raw)
		if err != nil && !errors.Is(err, ErrMalformed) {
			return offset, err
		}
		offset = env.ID + 1
	}
	return offset, nil
}

func (p Poller) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{
		"offset": offset, "timeout": int(p.Timeout.Seconds()), "allowed_updates": p.AllowedUpdates,
	})
	ctx, cancel := context.WithTimeout(ctx, p.Timeout+15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.APIURL+"/bot"+p.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", redact(err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", redact(err))
	}
	defer resp.Body.Close()
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		Description string            `json:"description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d: unreadable answer", resp.StatusCode)
	}
	if !r.OK {
		return nil, fmt.Errorf("getUpdates: HTTP %d: %s", resp.StatusCode, r.Description)
	}
	return r.Result, nil
}

// redact drops the URL (which holds the token) from a request error.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// pollWait is the wait after failures failed polls in a row: 1s doubling
// to 30s, with jitter.
func pollWait(failures int) time.Duration {
	return backoff.Wait(time.Second, 30*time.Second, failures-1)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
