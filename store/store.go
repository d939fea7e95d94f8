// Package store is the Redis implementation of everything homelink keeps:
// users and their roles, homes, children and their guardians, invitations,
// conversation sessions and the inbox of updates waiting to be handled. It owns every key (keys.go) and every Lua script (*.lua, embedded).
// No other package speaks to Redis except outbox, which owns its queues.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

//go:embed *.lua
var scriptFS embed.FS

// Store keeps homelink's state in Redis. It is safe for concurrent use.
type Store struct {
	rdb     *redis.Client
	k       keys
	clock   homelink.Clock
	scripts map[string]*redis.Script
}

// New returns a Store using rdb, with every key under prefix.
func New(rdb *redis.Client, prefix string, clock homelink.Clock) *Store {
	s := &Store{rdb: rdb, k: keys{prefix: prefix}, clock: clock, scripts: map[string]*redis.Script{}}
	helpers, _ := scriptFS.ReadFile("_keys.lua")
	entries, _ := scriptFS.ReadDir(".")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") {
			continue
		}
		src, _ := scriptFS.ReadFile(e.Name())
		s.scripts[strings.TrimSuffix(e.Name(), ".lua")] = redis.NewScript(string(helpers) + string(src))
	}
	return s
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

func (s *Store) script(name string) *redis.Script {
	sc, ok := s.scripts[name]
	if !ok {
		panic("store: no script " + name)
	}
	return sc
}

// isNoScript reports whether err says Redis lost its script cache (after a
// restart); EVALSHA inside a pipeline does not recover from it by itself.
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
