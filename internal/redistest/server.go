package redistest

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server process of one test's own, which the test may
// stop, restart, pause, kill and make a replica of another: for tests of
// what homelink does when Redis goes away. It keeps its port and its data
// directory across restarts, and is killed when the test ends.
type Server struct {
	t    testing.TB
	bin  string
	Port int
	Dir  string
	args []string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// NewServer starts a redis-server on a free port with args added to its
// command line (such as "--appendonly", "yes"). It fails the test when
// redis-server is not on PATH.
func NewServer(t testing.TB, args ...string) *Server {
	t.Helper()
	bin, port := binaryAndPort(t)
	s := &Server{t: t, bin: bin, Port: port, Dir: t.TempDir(), args: args}
	s.Start()
	t.Cleanup(s.Kill)
	return s
}

// binaryAndPort finds redis-server and a free port for a process of the
// test's own, failing the test when redis-server is not on PATH.
func binaryAndPort(t testing.TB) (string, int) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redistest: redis-server not found on PATH. %s", InstallHint)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return bin, port
}

// Addr is host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// URL is the server's redis:// address.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Client returns a client of this server, closed when the test ends.
func (s *Server) Client() *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr(), ContextTimeoutEnabled: true})
	s.t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Start starts the process (again, after Stop or Kill) and waits until it
// answers.
func (s *Server) Start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	args := append([]string{"--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1",
		"--save", "", "--dir", s.Dir, "--logfile", filepath.Join(s.Dir, "redis.log"),
		// A replica syncs at once, not after the default 5 s wait for others.
		"--repl-diskless-sync-delay", "0"}, s.args...)
	cmd := exec.Command(s.bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("redistest: start redis-server: %v", err)
	}
	s.cmd = cmd
	if err := waitReady(s.URL()); err != nil {
		s.t.Fatalf("redistest: %v\n%s", err, s.Log())
	}
}

// Stop shuts the server down as an operator would (SHUTDOWN: an AOF is
// flushed), and waits for the process to end.
func (s *Server) Stop() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
	s.cmd = nil
}

// Kill ends the process at once (SIGKILL), as a crash would.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

// Pause makes the server answer nobody for d (CLIENT PAUSE ALL): every
// command waits, as in a stall of the Redis host. It returns at once.
func (s *Server) Pause(d time.Duration) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr()})
	defer rdb.Close()
	if err := rdb.Do(ctx, "CLIENT", "PAUSE", d.Milliseconds(), "ALL").Err(); err != nil {
		s.t.Fatalf("redistest: client pause: %v", err)
	}
}

// ReplicaOf makes this server a replica of primary.
func (s *Server) ReplicaOf(primary *Server) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr()})
	defer rdb.Close()
	if err := rdb.ReplicaOf(ctx, "127.0.0.1", strconv.Itoa(primary.Port)).Err(); err != nil {
		s.t.Fatalf("redistest: replicaof: %v", err)
	}
}

// Log is what the server wrote to its log file, for a failing test's message.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
	return string(b)
}

// Sentinel is a redis-server in sentinel mode watching one primary under
// a name, with short timings so a test's failover takes seconds.
type Sentinel struct {
	*Server
}

// NewSentinel starts a sentinel watching primary as master, with quorum
// and a down-after of downAfter.
func NewSentinel(t testing.TB, master string, primary *Server, quorum int, downAfter time.Duration) *Sentinel {
	t.Helper()
	bin, port := binaryAndPort(t)
	dir := t.TempDir()
	conf := strings.Join([]string{
		"port " + strconv.Itoa(port),
		"bind 127.0.0.1",
		"dir " + dir,
		"logfile " + filepath.Join(dir, "redis.log"),
		fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d %d", master, primary.Port, quorum),
		fmt.Sprintf("sentinel down-after-milliseconds %s %d", master, downAfter.Milliseconds()),
		fmt.Sprintf("sentinel failover-timeout %s %d", master, 3000),
		fmt.Sprintf("sentinel parallel-syncs %s 1", master),
	}, "\n") + "\n"
	path := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Sentinel{Server: &Server{t: t, bin: bin, Port: port, Dir: dir}}
	cmd := exec.Command(bin, path, "--sentinel")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("redistest: start sentinel: %v", err)
	}
	s.cmd = cmd
	t.Cleanup(s.Kill)
	if err := waitReady(s.URL()); err != nil {
		t.Fatalf("redistest: sentinel: %v\n%s", err, s.Log())
	}
	return s
}

// Primary asks the sentinel which address it holds as master's primary.
func (s *Sentinel) Primary(ctx context.Context, master string) (string, error) {
	sc := redis.NewSentinelClient(&redis.Options{Addr: s.Addr()})
	defer sc.Close()
	addr, err := sc.GetMasterAddrByName(ctx, master).Result()
	if err != nil {
		return "", err
	}
	return addr[0] + ":" + addr[1], nil
}

// Link is a TCP relay a replica replicates through, so a test can make
// the replica fall behind as a dying host's would: while held, what the
// primary sends is lost on the way (a crash loses what was not yet on
// the wire), and the replica stays where it was.
type Link struct {
	ln   net.Listener
	held atomic.Bool
}

// NewLink relays connections on a free port to to.
func NewLink(t testing.TB, to *Server) *Link {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &Link{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", to.Addr())
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(up, c); up.Close() }()
			go func() { l.relay(c, up); c.Close() }()
		}
	}()
	return l
}

// relay copies what the primary sends, dropping it while the link is held.
func (l *Link) relay(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !l.held.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Port is the port a replica connects to instead of the primary's.
func (l *Link) Port() int { return l.ln.Addr().(*net.TCPAddr).Port }

// Hold loses everything the primary sends from now on.
func (l *Link) Hold() { l.held.Store(true) }

// ReplicaVia makes this server a replica of the server behind link.
func (s *Server) ReplicaVia(link *Link) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr()})
	defer rdb.Close()
	if err := rdb.ReplicaOf(ctx, "127.0.0.1", strconv.Itoa(link.Port())).Err(); err != nil {
		s.t.Fatalf("redistest: replicaof: %v", err)
	}
}
