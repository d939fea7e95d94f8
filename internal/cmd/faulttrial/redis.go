package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisServer is a redis-server of the trial's own, on a fixed port and
// data directory across restarts, with AOF fsynced every second as in
// production.
type redisServer struct {
	ps    *procs
	name  string
	port  int
	dir   string
	extra []string
	p     *proc
}

// newRedis prepares (but does not start) a redis-server; extra is added to
// its command line.
func newRedis(ps *procs, name string, extra ...string) (*redisServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(ps.dir, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("redis %s: %w", name, err)
	}
	return &redisServer{ps: ps, name: name, port: port, dir: dir, extra: extra}, nil
}

func (s *redisServer) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }
func (s *redisServer) url() string  { return "redis://" + s.addr() + "/0" }

// start runs the server and waits until it answers PING (after loading its
// AOF). It fails when the process exits instead.
func (s *redisServer) start(ctx context.Context) error {
	args := append([]string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--dir", s.dir, "--logfile", "redis.log", "--save", "",
		"--appendonly", "yes", "--appendfsync", "everysec",
		// No rewrite during a trial: the AOF rollback truncates the files
		// it measured, which a rewrite would replace.
		"--auto-aof-rewrite-percentage", "0",
		"--repl-diskless-sync-delay", "0"}, s.extra...)
	p, err := s.ps.start(s.name, "redis-server", args, nil)
	if err != nil {
		return err
	}
	s.p = p
	if err := waitPing(ctx, s.addr(), p, 30*time.Second); err != nil {
		return fmt.Errorf("redis %s: %w\n%s", s.name, err, s.logTail())
	}
	return nil
}

// stop shuts the server down as an operator would: SIGTERM, the AOF is
// flushed and fsynced.
func (s *redisServer) stop() { s.p.stop(10 * time.Second) }

// kill ends the server with SIGKILL.
func (s *redisServer) kill() { s.p.kill() }

func (s *redisServer) client() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: s.addr(), MaxRetries: -1})
}

// do sends one command on a connection of its own.
func (s *redisServer) do(ctx context.Context, args ...any) (any, error) {
	rdb := s.client()
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, err := rdb.Do(ctx, args...).Result()
	if err != nil {
		return nil, fmt.Errorf("redis %s: %v: %w", s.name, args, err)
	}
	return v, nil
}

// info returns the fields of one INFO section.
func (s *redisServer) info(ctx context.Context, section string) (map[string]string, error) {
	v, err := s.do(ctx, "INFO", section)
	if err != nil {
		return nil, err
	}
	text, _ := v.(string)
	out := map[string]string{}
	for _, line := range strings.Split(text, "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok {
			out[k] = val
		}
	}
	return out, nil
}

func (s *redisServer) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-15):], "\n")
}

// aofSizes measures the incremental AOF files (Redis 7's multi-part AOF).
func (s *redisServer) aofSizes() (map[string]int64, error) {
	files, err := filepath.Glob(filepath.Join(s.dir, "appendonlydir", "*.incr.aof"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("redis %s: no incremental AOF under %s", s.name, s.dir)
	}
	out := map[string]int64{}
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("redis %s: %w", s.name, err)
		}
		out[f] = st.Size()
	}
	return out, nil
}

// rollBackAOF cuts every incremental AOF file back to the size in sizes
// (files made since are emptied), as a host crash losing the writes not
// yet fsynced would, and returns the bytes dropped. Call it with the
// server dead.
func (s *redisServer) rollBackAOF(sizes map[string]int64) (int64, error) {
	now, err := s.aofSizes()
	if err != nil {
		return 0, err
	}
	var dropped int64
	for f, size := range now {
		keep := sizes[f] // 0 for a file made after the measure
		if size <= keep {
			continue
		}
		if err := os.Truncate(f, keep); err != nil {
			return dropped, fmt.Errorf("redis %s: roll back AOF: %w", s.name, err)
		}
		dropped += size - keep
	}
	return dropped, nil
}

// fixAOF runs redis-check-aof --fix on the AOF manifest, for a server that
// will not load a cut AOF.
func (s *redisServer) fixAOF() error {
	manifests, _ := filepath.Glob(filepath.Join(s.dir, "appendonlydir", "*.manifest"))
	if len(manifests) == 0 {
		return fmt.Errorf("redis %s: no AOF manifest", s.name)
	}
	cmd := exec.Command("redis-check-aof", "--fix", manifests[0])
	cmd.Stdin = strings.NewReader("y\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("redis %s: redis-check-aof --fix: %w\n%s", s.name, err, out)
	}
	return nil
}

// waitPing waits until addr answers PING, p (when not nil) exits, or
// timeout passes.
func waitPing(ctx context.Context, addr string, p *proc, timeout time.Duration) error {
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(timeout)
	for {
		pctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		err := rdb.Ping(pctx).Err()
		cancel()
		switch {
		case err == nil:
			return nil
		case p != nil && p.exited():
			return errExited
		case ctx.Err() != nil:
			return ctx.Err()
		case time.Now().After(deadline):
			return fmt.Errorf("no answer to PING within %s: %w", timeout, err)
		}
		time.Sleep(50 * time.Millisecond) // polling a starting process
	}
}
