package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type queuedUpdate struct {
	id   int64
	kind string
	raw  []byte
}

// WebhookInfo is the webhook the bot set.
type WebhookInfo struct {
	URL            string
	Secret         string
	MaxConnections int
	AllowedUpdates []string
}

// WebhookAttempt is one delivery of an update to the webhook.
type WebhookAttempt struct {
	UpdateID int64
	Status   int // 0 when the request failed
}

// defaultKinds are the update kinds Telegram sends when allowed_updates is
// not set.
func defaultAllowed(kind string) bool {
	return kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count"
}

// push queues an update of kind with the given body; the caller holds mu.
func (s *Server) push(kind string, body any) int64 {
	s.nextUpd++
	id := s.nextUpd
	raw, _ := json.Marshal(map[string]any{"update_id": id, kind: body})
	s.updates = append(s.updates, queuedUpdate{id: id, kind: kind, raw: raw})
	s.notify()
	return id
}

// PushRaw queues an update given as JSON without its update_id (the fake
// assigns it), for update kinds the helpers do not cover.
func (s *Server) PushRaw(kind string, body map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.push(kind, body)
}

// TakeUpdates hands over every pending update and forgets them, as a
// confirmed getUpdates would: for tests that give updates to a handler
// directly, without an intake.
func (s *Server) TakeUpdates() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, len(s.updates))
	for i, u := range s.updates {
		out[i] = u.raw
	}
	s.updates = nil
	return out
}

func (s *Server) allowed(kind string) bool {
	if len(s.webhook.AllowedUpdates) == 0 {
		return defaultAllowed(kind)
	}
	for _, a := range s.webhook.AllowedUpdates {
		if a == kind {
			return true
		}
	}
	return false
}

func (s *Server) getUpdates(r *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	if s.webhook.URL != "" {
		s.mu.Unlock()
		return nil, &apiError{code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	var allowed []string
	if p.json("allowed_updates", &allowed) == nil && p.has("allowed_updates") {
		s.webhook.AllowedUpdates = allowed
	}
	s.pollGen++
	gen := s.pollGen
	offset, _ := strconv.ParseInt(p.str("offset"), 10, 64)
	s.confirm(offset)
	s.mu.Unlock()

	limit, _ := strconv.Atoi(p.str("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p.str("timeout"))
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	// Counted as polling for the whole call: marking it per wait told
	// every waiter (this one too) that something changed, and an idle
	// poll spun.
	s.setPolling(1)
	defer s.setPolling(-1)
	for {
		s.mu.Lock()
		if s.pollGen != gen {
			s.mu.Unlock()
			return nil, &apiError{code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		out := make([]json.RawMessage, 0, limit)
		for _, u := range s.updates {
			if len(out) < limit && s.allowed(u.kind) {
				out = append(out, u.raw)
			}
		}
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			return out, nil
		}
		select {
		case <-ch:
			continue
		case <-deadline.C:
		case <-r.Context().Done():
		case <-s.closed:
		}
		return out, nil
	}
}

func (s *Server) setPolling(d int) {
	s.mu.Lock()
	s.polling += d
	s.notify()
	s.mu.Unlock()
}

// Polling reports whether a getUpdates long poll is waiting.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling > 0
}

// confirm forgets updates below offset (Telegram's getUpdates semantics);
// a negative offset keeps only the last -offset updates.
func (s *Server) confirm(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.updates) && s.updates[i].id < offset {
			i++
		}
		s.updates = s.updates[i:]
	case offset < 0 && int(-offset) < len(s.updates):
		s.updates = s.updates[len(s.updates)+int(offset):]
	}
}

var secretRE = func(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Server) setWebhook(p params) (any, *apiError) {
	url := p.str("url")
	if url == "" {
		return s.deleteWebhook(p)
	}
	// Telegram wants HTTPS on ports 443, 80, 88 or 8443; the fake also takes
	// plain HTTP on loopback, where tests run.
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://127.0.0.1") && !strings.HasPrefix(url, "http://localhost") {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p.str("secret_token")
	if secret != "" && !secretRE(secret) {
		return nil, badRequest("bad webhook: secret token contains unallowed characters")
	}
	maxConn := 40
	if p.has("max_connections") {
		maxConn, _ = strconv.Atoi(p.str("max_connections"))
		if maxConn < 1 || maxConn > 100 {
			return nil, badRequest("bad webhook: max_connections must be between 1 and 100")
		}
	}
	var allowed []string
	p.json("allowed_updates", &allowed)
	s.webhook = WebhookInfo{URL: url, Secret: secret, MaxConnections: maxConn, AllowedUpdates: allowed}
	if p.bool("drop_pending_updates") {
		s.updates = nil
	}
	s.pollGen++ // a waiting getUpdates ends
	s.notify()
	return true, nil
}

func (s *Server) deleteWebhook(p params) (any, *apiError) {
	s.webhook.URL, s.webhook.Secret = "", ""
	if p.bool("drop_pending_updates") {
		s.updates = nil
	}
	s.notify()
	return true, nil
}

func (s *Server) webhookInfo() map[string]any {
	return map[string]any{"url": s.webhook.URL, "has_custom_certificate": false,
		"pending_update_count": len(s.updates), "max_connections": s.webhook.MaxConnections,
		"allowed_updates": s.webhook.AllowedUpdates}
}

// Webhook returns the webhook the bot set ("" URL when none).
func (s *Server) Webhook() WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// WebhookAttempts lists every delivery to the webhook so far.
func (s *Server) WebhookAttempts() []WebhookAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookAttempt(nil), s.attempts...)
}

// PendingUpdates counts updates not yet taken by the bot.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// pushWebhooks delivers queued updates to the webhook one at a time, in
// order, retrying with backoff on anything but a 2xx answer, as Telegram does.
func (s *Server) pushWebhooks() {
	defer s.wg.Done()
	client := &http.Client{Timeout: 10 * time.Second}
	backoff := 10 * time.Millisecond
	for {
		s.mu.Lock()
		ch := s.changed
		hook := s.webhook
		var next *queuedUpdate
		for len(s.updates) > 0 && hook.URL != "" {
			if s.allowed(s.updates[0].kind) {
				next = &s.updates[0]
				break
			}
			s.updates = s.updates[1:]
		}
		var u queuedUpdate
		if next != nil {
			u = *next
		}
		s.mu.Unlock()
		if next == nil {
			select {
			case <-ch:
				continue
			case <-s.closed:
				return
			}
		}
		status := deliver(client, hook, u.raw)
		s.mu.Lock()
		s.attempts = append(s.attempts, WebhookAttempt{UpdateID: u.id, Status: status})
		if status >= 200 && status < 300 {
			if len(s.updates) > 0 && s.updates[0].id == u.id {
				s.updates = s.updates[1:]
			}
			backoff = 10 * time.Millisecond
		}
		s.notify()
		s.mu.Unlock()
		if status < 200 || status >= 300 {
			select {
			case <-time.After(backoff):
			case <-s.closed:
				return
			}
			backoff = min(2*backoff, 500*time.Millisecond)
		}
	}
}

func deliver(client *http.Client, hook WebhookInfo, raw []byte) int {
	req, err := http.NewRequest(http.MethodPost, hook.URL, bytes.NewReader(raw))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.Secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.Secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
