package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// sentinelName is the master name the sentinels watch.
const sentinelName = "homelink"

// sentinel is a redis-server in sentinel mode with short timings, so a
// trial's failover takes seconds.
type sentinel struct {
	port int
	p    *proc
}

func (s *sentinel) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// startSentinel starts a sentinel watching primary with quorum and
// downAfter.
func startSentinel(ctx context.Context, ps *procs, name string, primary *redisServer, quorum int, downAfter time.Duration) (*sentinel, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(ps.dir, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sentinel %s: %w", name, err)
	}
	conf := strings.Join([]string{
		"port " + strconv.Itoa(port),
		"bind 127.0.0.1",
		"dir " + dir,
		fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d %d", sentinelName, primary.port, quorum),
		fmt.Sprintf("sentinel down-after-milliseconds %s %d", sentinelName, downAfter.Milliseconds()),
		fmt.Sprintf("sentinel failover-timeout %s 10000", sentinelName),
		fmt.Sprintf("sentinel parallel-syncs %s 1", sentinelName),
	}, "\n") + "\n"
	path := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return nil, fmt.Errorf("sentinel %s: %w", name, err)
	}
	p, err := ps.start(name, "redis-server", []string{path, "--sentinel"}, nil)
	if err != nil {
		return nil, err
	}
	s := &sentinel{port: port, p: p}
	if err := waitPing(ctx, s.addr(), p, 10*time.Second); err != nil {
		return nil, fmt.Errorf("sentinel %s: %w\n%s", name, err, p.tail(15))
	}
	return s, nil
}

// primary asks the sentinel which address it holds as the primary.
func (s *sentinel) primary(ctx context.Context) (string, error) {
	sc := redis.NewSentinelClient(&redis.Options{Addr: s.addr(), MaxRetries: -1})
	defer sc.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	addr, err := sc.GetMasterAddrByName(ctx, sentinelName).Result()
	if err != nil {
		return "", fmt.Errorf("sentinel %s: %w", s.addr(), err)
	}
	return addr[0] + ":" + addr[1], nil
}
