// Package store is the Redis implementation of everything homelink keeps:
// users and their roles and settings, homes, children and their
// guardians, invitations, call hours, calls and standing calls,
// conversation sessions and the inbox of updates waiting to be handled.
// It owns every key (keys.go) and every Lua script (*.lua, embedded). No
// other package speaks to Redis except outbox, which owns its queues, and
// agenda, whose Lua library the scripts that change a call include so the
// call's due work changes in the same step.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda"
)

//go:embed *.lua
var scriptFS embed.FS

// Store keeps homelink's state in Redis. It is safe for concurrent use.
type Store struct {
	rdb     *redis.Client
	k       keys
	clock   homelink.Clock
	scripts map[string]*redis.Script
	// replicas and replicaTimeout: see RequireReplicas.
	replicas       int
	replicaTimeout time.Duration
	// codeKeys sign invitation codes: the first signs new ones, any finds
	// one (UseCodeKeys).
	codeKeys [][]byte
	// admins are the deployment's admins (UseAdmins).
	admins map[int64]bool
	// retention is how long a call is kept after its end
	// (UseHistoryRetention).
	retention time.Duration
	// mailRetention is how long a mailbox item is kept after it arrived.
	mailRetention time.Duration
	// zone is the deployment's default zone, for a home without one
	// (UseDefaultZone).
	zone *time.Location
}

// New returns a Store using rdb, with every key under prefix.
func New(rdb *redis.Client, prefix string, clock homelink.Clock) *Store {
	s := &Store{rdb: rdb, k: keys{prefix: prefix}, clock: clock, scripts: map[string]*redis.Script{},
		retention: homelink.DefaultHistoryRetention, mailRetention: homelink.DefaultMailRetention, zone: time.UTC}
	entries, _ := scriptFS.ReadDir(".")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") {
			continue
		}
		src, _ := scriptFS.ReadFile(e.Name())
		s.scripts[strings.TrimSuffix(e.Name(), ".lua")] = redis.NewScript(helpersFor(string(src)) + string(src))
	}
	return s
}

// helpersFor is the Lua a script's source needs before it: the key
// helpers; for a script that changes calls (or forgets a person, which
// cancels theirs) the agenda's library and the call helpers too; for one
// that changes mailboxes the agenda's library and the mailbox helpers;
// for one of broadcasts (or /forget) the agenda's and the broadcasts'.
// The others go without: Redis defines every helper anew on each run, and
// the scripts every update runs (taking it, saving the session) would pay
// for some sixty functions they never call.
func helpersFor(src string) string {
	calls, mail, bc := callScript.MatchString(src), mailScript.MatchString(src), bcScript.MatchString(src)
	out := keyHelpers
	if calls || mail || bc || agendaScript.MatchString(src) {
		out = agenda.Lua + keyHelpers
	}
	if calls {
		out += callHelpers
	}
	if mail {
		out += mailHelpers
	}
	if bc {
		out += bcHelpers
	}
	return out
}

var (
	keyHelpers  = mustRead("_keys.lua")
	callHelpers = mustRead("_calls.lua")
	mailHelpers = mustRead("_mail.lua")
	bcHelpers   = mustRead("_bc.lua")
	// callScript matches a script that calls a function of the call
	// helpers, mailScript one of the mailbox's, agendaScript one of the
	// agenda's library.
	callScript   = callsUser(callHelpers)
	mailScript   = callsUser(mailHelpers)
	bcScript     = callsUser(bcHelpers)
	agendaScript = callsUser(agenda.Lua)
)

func mustRead(name string) string {
	b, err := scriptFS.ReadFile(name)
	if err != nil {
		panic("store: " + err.Error())
	}
	return string(b)
}

// callsUser matches a script that calls any function the Lua library lib
// defines.
func callsUser(lib string) *regexp.Regexp {
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^local function (\w+)`).FindAllStringSubmatch(lib, -1) {
		names = append(names, m[1])
	}
	return regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\(`)
}

// UseHistoryRetention sets how long a call is kept after its end
// (BOOKING_HISTORY_RETENTION; homelink.DefaultHistoryRetention until set).
func (s *Store) UseHistoryRetention(d time.Duration) {
	if d > 0 {
		s.retention = d
	}
}

// UseDefaultZone sets the zone of a home that has none (DEFAULT_TIMEZONE;
// UTC until set).
func (s *Store) UseDefaultZone(loc *time.Location) {
	if loc != nil {
		s.zone = loc
	}
}

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close closes the Redis client.
func (s *Store) Close() error { return s.rdb.Close() }

// LoadScripts loads every script into Redis so the first calls need no
// second round trip.
func (s *Store) LoadScripts(ctx context.Context) error {
	for name, sc := range s.scripts {
		if err := sc.Load(ctx, s.rdb).Err(); err != nil {
			return fmt.Errorf("store: load script %s: %w", name, err)
		}
	}
	return nil
}

// Every store script is called one way, through run or runIn: its KEYS
// are the keys it touches that the caller can name, and ARGV[1] is always
// the key prefix, so the helpers in _keys.lua can build the names of keys
// the script finds while it runs (a member's user hash, an invitation).
// A script's own arguments start at ARGV[2]; each script's header lists
// them.

// run runs script name with the key prefix as ARGV[1]. Outside a pipeline
// go-redis recovers from NOSCRIPT by itself (EVALSHA, then EVAL).
func (s *Store) run(ctx context.Context, name string, keys []string, args ...any) *redis.Cmd {
	return s.script(name).Run(ctx, s.rdb, keys, s.argv(args)...)
}

// runIn queues script name in pipe, with the key prefix as ARGV[1], as
// EVALSHA: only pipelined runs, which retry on NOSCRIPT, may use it.
func (s *Store) runIn(ctx context.Context, pipe redis.Pipeliner, name string, keys []string, args ...any) *redis.Cmd {
	return s.script(name).EvalSha(ctx, pipe, keys, s.argv(args)...)
}

// pipelined builds a pipeline with fill and runs it. Inside a pipeline
// EVALSHA fails with NOSCRIPT after Redis lost its script cache (a
// restart), and go-redis does not recover: then every script is loaded
// again and the pipeline is built and run once more. A script that failed
// with NOSCRIPT did nothing, but the plain commands beside it ran, so
// they must be safe to repeat (ZADD, SET, EXPIRE: not INCR).
func (s *Store) pipelined(ctx context.Context, fill func(pipe redis.Pipeliner)) error {
	run := func() error {
		pipe := s.rdb.Pipeline()
		fill(pipe)
		_, err := pipe.Exec(ctx)
		return err
	}
	err := run()
	if isNoScript(err) {
		if err = s.LoadScripts(ctx); err == nil {
			err = run()
		}
	}
	return err
}

func (s *Store) argv(args []any) []any {
	return append([]any{s.k.prefix}, args...)
}

func (s *Store) script(name string) *redis.Script {
	sc, ok := s.scripts[name]
	if !ok {
		panic("store: no script " + name)
	}
	return sc
}

// isNoScript reports whether err says Redis lost its script cache (after a
// restart).
func isNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}

var errNil = redis.Nil

func isNil(err error) bool { return errors.Is(err, errNil) }

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
