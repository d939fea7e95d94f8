// Package emulator is a Telegram Bot API emulator served over real HTTP, for
// tests and the sandbox. The real go-telegram/bot client talks to it exactly
// as to Telegram: it parses multipart, urlencoded and JSON requests, keeps
// every chat's messages with edits applied, delivers updates by getUpdates
// or by webhook, enforces Telegram's limits and rules, keeps the files the
// bot uploads (getFile and its download link serve them), and can be told
// to fail. Helpers let a test act as users: type, tap a button, send a voice
// note, block the bot, and read what each user now sees.
package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// DefaultToken is the token the fake accepts unless told otherwise.
const DefaultToken = "123456:TEST-token-for-the-fake-bot-api"

// BotID and BotUsername identify the fake's bot.
const (
	BotID       = 123456
	BotUsername = "homelink_test_bot"
)

// Server is the fake Bot API.
type Server struct {
	http  *httptest.Server
	token string

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change
	chats    map[int64]*chat
	limiter  *limiter
	calls    []Call
	blocked  map[int64]bool
	faults   []*fault
	delay    time.Duration
	commands map[string][]BotCommand
	queries  map[string]*callbackQuery
	migrated map[int64]int64
	files    map[string]*storedFile // by file id
	paths    map[string]*storedFile // by getFile's file_path
	onSend   func(Message)
	now      func() time.Time // limits and message dates; Call times are wall time

	updates   []queuedUpdate // not yet confirmed (poll) or delivered (webhook)
	nextUpd   int64
	pollGen   int
	polling   int
	webhook   WebhookInfo
	attempts  []WebhookAttempt
	nextQuery int
	closed    chan struct{}
	wg        sync.WaitGroup
}

// Option configures a Server.
type Option func(*Server)

// WithLimits sets the limits enforced (TelegramLimits by default).
func WithLimits(l Limits) Option { return func(s *Server) { s.limiter = newLimiter(l, time.Time{}) } }

// WithClock makes the fake read the time for its limits and message dates
// from now, so a test can hold time still or move it.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithFirstUpdateID numbers updates from id on. A restarted emulator
// talking to a bot whose Redis remembers earlier update ids must not
// repeat them: the bot would take its updates for repeats.
func WithFirstUpdateID(id int64) Option { return func(s *Server) { s.nextUpd = id } }

// WithToken sets the token the fake accepts.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// New starts a fake Bot API on a free loopback port. Close stops it.
func New(opts ...Option) *Server {
	s := &Server{
		token:    DefaultToken,
		changed:  make(chan struct{}),
		chats:    map[int64]*chat{},
		limiter:  newLimiter(TelegramLimits, time.Time{}),
		blocked:  map[int64]bool{},
		commands: map[string][]BotCommand{},
		queries:  map[string]*callbackQuery{},
		migrated: map[int64]int64{},
		files:    map[string]*storedFile{},
		paths:    map[string]*storedFile{},
		nextUpd:  100000,
		closed:   make(chan struct{}),
		now:      time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	s.wg.Add(1)
	go s.pushWebhooks()
	return s
}

// URL is the base URL to give the client (bot.WithServerURL).
func (s *Server) URL() string { return s.http.URL }

// Token is the token the fake accepts.
func (s *Server) Token() string { return s.token }

// Close stops the server and its webhook deliveries.
func (s *Server) Close() {
	close(s.closed)
	s.http.CloseClientConnections()
	s.http.Close()
	s.wg.Wait()
}

// Call is one Bot API request the fake received.
type Call struct {
	Method string
	Params map[string]string
	Status int
	// At is when the request arrived, Done when it was answered.
	At, Done time.Time
}

// Calls returns the requests received for method ("" for all), in order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// OnSend registers f to be called after every message the bot sends or
// edits, outside the fake's lock (benchmarks use it to time replies).
func (s *Server) OnSend(f func(Message)) {
	s.mu.Lock()
	s.onSend = f
	s.mu.Unlock()
}

// SetDelay makes every answer wait d first (a slow Telegram).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// fault makes matching requests fail.
type fault struct {
	method      string // "" matches every send
	code        int
	description string
	remaining   int     // calls left to fail; < 0 for no end
	fraction    float64 // with remaining < 0: the share of calls that fail
	retryAfter  int
}

// Fail makes the next times calls of method ("" for any send or edit)
// answer with code and description, as Telegram does when it has trouble.
func (s *Server) Fail(method string, code int, description string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: strings.ToLower(method), code: code, description: description, remaining: times})
}

// FailFraction makes about fraction of all sends and edits answer with
// code (a flaky Telegram) until Heal.
func (s *Server) FailFraction(fraction float64, code int, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{code: code, description: description, remaining: -1, fraction: fraction})
}

// FailTooMany makes the next times sends answer 429 with retry_after.
func (s *Server) FailTooMany(retryAfter, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{code: 429, remaining: times, retryAfter: retryAfter,
		description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)})
}

// MigrateGroup makes group old a supergroup new: sends to old answer 400
// with migrate_to_chat_id, as Telegram does.
func (s *Server) MigrateGroup(old, new int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.migrated[old] = new
}

// Transcript is a private or group chat as its member sees it: the bot's
// messages and the person's own, in order, with edits applied.
func (s *Server) Transcript(chat int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	if c, ok := s.chats[chat]; ok {
		for _, m := range c.messages {
			if !m.Deleted {
				out = append(out, *m)
			}
		}
	}
	return out
}

// ChatMessages lists the bot's messages in chat, with edits applied.
func (s *Server) ChatMessages(chat int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	if c, ok := s.chats[chat]; ok {
		for _, m := range c.messages {
			if m.FromBot && !m.Deleted {
				out = append(out, *m)
			}
		}
	}
	return out
}

// Heal removes every injected fault.
func (s *Server) Heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// notify wakes every waiter; the caller holds mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Changed is closed at the fake's next change of state (a message, an
// edit, an answered tap): a live view waits on it, then asks again.
func (s *Server) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// WaitFor waits until cond (called without the lock) holds or timeout
// passes. It re-checks on every change of the fake's state, and every 20ms
// for conditions that depend on something else.
func (s *Server) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-deadline.C:
			return cond()
		}
	}
}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

// apiError is a refusal with Telegram's code and wording.
type apiError struct {
	code        int
	description string
	retryAfter  int
	migrateTo   int64
}

func badRequest(desc string) *apiError {
	return &apiError{code: 400, description: "Bad Request: " + desc}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.download(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeJSON(w, 404, apiResponse{ErrorCode: 404, Description: "Not Found"})
		return
	}
	if token != s.token {
		writeJSON(w, 401, apiResponse{ErrorCode: 401, Description: "Unauthorized"})
		return
	}
	p, err := parseParams(r)
	var result any
	var aerr *apiError
	if err != nil {
		aerr = badRequest(err.Error())
	} else {
		s.mu.Lock()
		delay := s.delay
		s.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		result, aerr = s.call(r, method, p)
	}
	status := 200
	resp := apiResponse{OK: true, Result: result}
	if aerr != nil {
		status = aerr.code
		resp = apiResponse{ErrorCode: aerr.code, Description: aerr.description}
		if aerr.retryAfter > 0 || aerr.migrateTo != 0 {
			resp.Parameters = &responseParams{RetryAfter: aerr.retryAfter, MigrateToChatID: aerr.migrateTo}
		}
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: method, Params: p.values, Status: status, At: arrived, Done: time.Now()})
	s.notify()
	s.mu.Unlock()
	writeJSON(w, status, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
