package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/app"
)

// ErrNotASandboxRedis is returned by Start when REDIS_URL's database holds
// keys under the prefix that no sandbox wrote: perhaps a real deployment's,
// which the sandbox's phones, clock and demonstration would change.
var ErrNotASandboxRedis = errors.New("sandbox: Redis holds data that is not a sandbox's")

// markerKey marks the data under prefix as a sandbox's. The sandbox writes
// it on an empty prefix before anything else and finds it on later starts;
// homelink serve never writes it.
func markerKey(prefix string) string { return prefix + "sandbox" }

// claim makes sure the data under cfg's prefix is a sandbox's before the
// sandbox writes anything: it is marked as one, or there is none (then it
// marks it). Otherwise it refuses with ErrNotASandboxRedis, naming a key it
// found and how to go on.
func claim(ctx context.Context, cfg app.Config) error {
	rdb, err := cfg.RedisClient(1)
	if err != nil {
		return fmt.Errorf("sandbox: REDIS_URL %s: %w", cfg.RedactedRedisURL(), err)
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	marked, err := rdb.Exists(ctx, markerKey(cfg.RedisPrefix)).Result()
	if err != nil || marked == 1 {
		return wrapRedis(cfg, err)
	}
	found, err := anyKey(ctx, rdb, cfg.RedisPrefix)
	if err != nil {
		return wrapRedis(cfg, err)
	}
	if found != "" {
		return fmt.Errorf("%w: %s holds keys under REDIS_KEY_PREFIX %q (such as %q) but no sandbox's mark (%q); "+
			"they may be a real deployment's, which the sandbox would change. Give the sandbox a prefix of its own "+
			"(REDIS_KEY_PREFIX=sandbox:) or an empty database (another number at the end of REDIS_URL). "+
			"If they are an earlier sandbox's, mark them: redis-cli -u \"$REDIS_URL\" SET %s 1",
			ErrNotASandboxRedis, cfg.RedactedRedisURL(), cfg.RedisPrefix, found, markerKey(cfg.RedisPrefix), markerKey(cfg.RedisPrefix))
	}
	return wrapRedis(cfg, rdb.Set(ctx, markerKey(cfg.RedisPrefix), "homelink sandbox", 0).Err())
}

// anyKey is one key under prefix, or "" when there is none.
func anyKey(ctx context.Context, rdb *redis.Client, prefix string) (string, error) {
	match := globEscape(prefix) + "*"
	var cursor uint64
	for {
		keys, next, err := rdb.Scan(ctx, cursor, match, 1000).Result()
		if err != nil {
			return "", err
		}
		if len(keys) > 0 {
			return keys[0], nil
		}
		if cursor = next; cursor == 0 {
			return "", nil
		}
	}
}

func wrapRedis(cfg app.Config, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sandbox: Redis at %s: %w", cfg.RedactedRedisURL(), err)
}

// globEscape quotes the characters SCAN's MATCH treats as a pattern.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`).Replace(s)
}
