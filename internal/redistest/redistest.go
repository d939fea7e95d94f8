// Package redistest gives each test package a private Redis: a real
// redis-server started on a free port for the package's tests, or the server
// named by REDIS_URL. Each test gets its own key prefix, so tests that share
// a server never see each other's keys. It never mocks Redis.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// InstallHint says how to make Redis available to the tests.
const InstallHint = "the tests need Redis: put redis-server on PATH " +
	"(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) " +
	"or set REDIS_URL to a server the tests may write to (they use their own key prefixes)"

var serverURL string

// Run starts a private redis-server (unless REDIS_URL is set), runs the
// package's tests and stops the server. Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }
func Run(m *testing.M) int {
	if u := os.Getenv("REDIS_URL"); u != "" {
		serverURL = u
		return m.Run()
	}
	stop, url, err := startServer()
	if err != nil {
		fmt.Fprintf(os.Stderr, "redistest: %v\n%s\n", err, InstallHint)
		return 1
	}
	serverURL = url
	code := m.Run()
	stop()
	return code
}

// URL is the address of the package's Redis.
func URL() string { return serverURL }

// Client returns a client of the package's Redis and a key prefix that no
// other test uses. The client closes and the test's keys are removed when
// the test ends.
func Client(t testing.TB) (*redis.Client, string) {
	t.Helper()
	if serverURL == "" {
		t.Fatalf("redistest: no Redis; call redistest.Run from TestMain. %s", InstallHint)
	}
	opt, err := redis.ParseURL(serverURL)
	if err != nil {
		t.Fatalf("redistest: REDIS_URL: %v", err)
	}
	opt.ContextTimeoutEnabled = true
	opt.PoolSize = 64
	rdb := redis.NewClient(opt)
	prefix := "t" + randomHex(6) + ":"
	t.Cleanup(func() {
		deleteKeys(rdb, prefix)
		rdb.Close()
	})
	return rdb, prefix
}

// Keys lists every key under prefix; tests use it to prove what is stored.
func Keys(t testing.TB, rdb *redis.Client, prefix string) []string {
	t.Helper()
	var keys []string
	iter := rdb.Scan(context.Background(), 0, prefix+"*", 1000).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("redistest: scan: %v", err)
	}
	return keys
}

func deleteKeys(rdb *redis.Client, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
}

func startServer() (stop func(), url string, err error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, "", fmt.Errorf("redis-server not found on PATH and REDIS_URL is not set")
	}
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--logfile", filepath.Join(dir, "redis.log"))
	// The server dies with the test binary even if it is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start redis-server: %w", err)
	}
	stop = func() {
		cmd.Process.Kill()
		cmd.Wait()
		os.RemoveAll(dir)
	}
	url = fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	if err := waitReady(url); err != nil {
		stop()
		return nil, "", err
	}
	return stop, url, nil
}

func waitReady(url string) error {
	opt, _ := redis.ParseURL(url)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis-server did not answer within 10s: %w", err)
		}
		time.Sleep(20 * time.Millisecond) // polling a starting process, not waiting on a test effect
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
