package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/internal/testlog"
	"github.com/homelink/homelink/store"
)

// TestMain runs homelink's own main when re-executed by a test as the
// server process (HOMELINK_RUN_MAIN=1), so process tests need no build.
func TestMain(m *testing.M) {
	if os.Getenv("HOMELINK_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(redistest.Run(m))
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// testInviteKey is the INVITE_KEY of the tests' starts.
const testInviteKey = "cli-test-invite-key-0123456789abcdef"

func TestWrongSettingsStopTheStartWithExitTwo(t *testing.T) {
	var out bytes.Buffer
	code := run(nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": "not-a-token", "LOG_LEVEL": "loud", "LISTEN_ADDR": "8080",
		"WEBHOOK_URL": "https://example.org/hook", "DEFAULT_TIMEZONE": "Mars/Olympus",
	}), &out, &out)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2; said:\n%s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, name := range []string{"TELEGRAM_BOT_TOKEN", "LOG_LEVEL", "LISTEN_ADDR", "DEFAULT_TIMEZONE", "WEBHOOK_SECRET"} {
		found := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "homelink: "+name) {
				found++
			}
		}
		if found != 1 {
			t.Errorf("want one line naming %s, got %d:\n%s", name, found, out.String())
		}
	}
	if strings.Contains(out.String(), "not-a-token") {
		t.Error("the token was repeated in the error")
	}
	if code := run([]string{"frobnicate"}, env(nil), &out, &out); code != exitUsage {
		t.Fatalf("unknown command exit %d", code)
	}
}

// --help tells what the commands are, on standard output, and succeeds;
// so does the sandbox's -help for its flags.
func TestHelpPrintsUsage(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"sandbox", "--help"}} {
		var out, errs bytes.Buffer
		if code := run(args, env(nil), &out, &errs); code != 0 {
			t.Fatalf("%v: exit %d; said:\n%s%s", args, code, out.String(), errs.String())
		}
		want := []string{"serve", "invite coordinator", "sandbox", "README.md"}
		if args[0] == "sandbox" {
			want = []string{"-addr", "SANDBOX_ADDR", "-seed"}
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%v: no %q in:\n%s", args, w, out.String())
			}
		}
		if errs.Len() > 0 {
			t.Errorf("%v: wrote to stderr: %s", args, errs.String())
		}
	}
	var out bytes.Buffer
	if code := run([]string{"sandbox", "-frob"}, env(nil), &out, &out); code != exitUsage || !strings.Contains(out.String(), "-addr") {
		t.Fatalf("sandbox -frob: exit %d; said:\n%s", code, out.String())
	}
}

// A sandbox on a busy port says so and which flag changes the address,
// at once (before starting anything else).
func TestSandboxOnABusyPortNamesTheFlag(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	var out, errs bytes.Buffer
	began := time.Now()
	if code := run([]string{"sandbox", "-addr", addr}, env(nil), &out, &errs); code != exitFailure {
		t.Fatalf("exit %d; said:\n%s%s", code, out.String(), errs.String())
	}
	for _, w := range []string{addr + " is already in use", "-addr", "SANDBOX_ADDR"} {
		if !strings.Contains(errs.String(), w) {
			t.Errorf("no %q in: %s", w, errs.String())
		}
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("took %v to say the port is busy", d)
	}
}

func TestUnreachableRedisExitsOneWithoutThePassword(t *testing.T) {
	var out bytes.Buffer
	code := run(nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": emulator.DefaultToken, "REDIS_URL": "redis://:hunter2@127.0.0.1:1/0", "INVITE_KEY": testInviteKey,
	}), &out, &out)
	msg := out.String()
	if code != exitFailure || !strings.Contains(msg, "cannot reach Redis at redis://:xxxxx@127.0.0.1:1/0") || strings.Contains(msg, "hunter2") {
		t.Fatalf("exit %d:\n%s", code, msg)
	}
	if n := strings.Count(strings.TrimSpace(msg), "\n"); n != 0 {
		t.Fatalf("want one line, got:\n%s", msg)
	}
}

func TestRejectedTokenExitsOne(t *testing.T) {
	tg := emulator.New(emulator.WithToken("999:another-token-the-fake-accepts"))
	defer tg.Close()
	var out bytes.Buffer
	code := run(nil, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": emulator.DefaultToken, "TELEGRAM_API_URL": tg.URL(), "REDIS_URL": redistest.URL(),
		"INVITE_KEY": testInviteKey,
	}), &out, &out)
	if code != exitFailure || !strings.Contains(out.String(), "Telegram rejected TELEGRAM_BOT_TOKEN") ||
		strings.Contains(out.String(), emulator.DefaultToken) {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
}

// The operator bootstraps the first coordinator from the command line: the
// printed link opens a coordinator invitation, and nothing else is printed.
func TestInviteCoordinatorPrintsAOneTimeLink(t *testing.T) {
	tg := emulator.New()
	defer tg.Close()
	var stdout, stderr bytes.Buffer
	code := run([]string{"invite", "coordinator"}, env(map[string]string{
		"TELEGRAM_BOT_TOKEN": emulator.DefaultToken, "TELEGRAM_API_URL": tg.URL(), "REDIS_URL": redistest.URL(),
		"REDIS_KEY_PREFIX": "cli-test:", "INVITE_KEY": testInviteKey,
	}), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	m := regexp.MustCompile(`^https://t\.me/` + emulator.BotUsername + `\?start=([A-Za-z0-9_-]{22})\ncode: ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\nvalid until `).
		FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("printed:\n%s", stdout.String())
	}
	opt, _ := redis.ParseURL(redistest.URL())
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	st := store.New(rdb, "cli-test:", homelink.SystemClock{})
	st.UseCodeKeys([]byte(testInviteKey))
	for _, c := range []string{m[1], strings.ReplaceAll(m[2], "-", "")} {
		inv, err := st.InviteByCode(context.Background(), c)
		if err != nil || inv.Role != homelink.RoleCoordinator || len(inv.Homes) != 0 {
			t.Fatalf("code opens %+v, %v", inv, err)
		}
	}
	if code := run([]string{"invite", "teacher"}, env(nil), &stdout, &stderr); code != exitUsage {
		t.Fatalf("invite teacher: exit %d", code)
	}
}

// The real program starts, gets ready, answers a user, and stops within
// 10 seconds of SIGTERM.
func TestBinaryServesAndStopsOnSIGTERM(t *testing.T) {
	bin := os.Args[0] // this test binary, running main
	tg := emulator.New()
	defer tg.Close()
	p := startBinary(t, bin, tg)
	u := tg.NewUser(5001, "A", "en")
	u.Types("/start")
	if _, ok := u.WaitForMessage("Welcome to homelink", 10*time.Second); !ok {
		t.Fatalf("no welcome; logs:\n%s", p.logs())
	}
	start := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p.logs())
		}
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("still running 10s after SIGTERM\n%s", p.logs())
	}
	t.Logf("stopped %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(p.logs(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop in the logs:\n%s", p.logs())
	}
}

// BenchmarkStartToReady starts the real binary against the fake Bot API and
// a private Redis, and reports the time from exec to /readyz answering 200
// and the resident memory once idle.
func BenchmarkStartToReady(b *testing.B) {
	bin := buildBinary(b)
	tg := emulator.New()
	defer tg.Close()
	var total time.Duration
	var rss float64
	for i := 0; i < b.N; i++ {
		p := startBinary(b, bin, tg)
		total += p.ready
		// Idle: nothing to do for a moment.
		tg.WaitFor(time.Second, func() bool { return false })
		rss += p.rssMB()
		p.cmd.Process.Signal(syscall.SIGTERM)
		<-p.exited
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-ready")
	b.ReportMetric(rss/float64(b.N), "MB-idle-rss")
	b.ReportMetric(0, "ns/op")
}

func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "homelink")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

type process struct {
	cmd    *exec.Cmd
	out    *testlog.Buffer
	exited chan error
	ready  time.Duration
}

func startBinary(t testing.TB, bin string, tg *emulator.Server) *process {
	t.Helper()
	_, prefix := redistest.Client(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	p := &process{cmd: exec.Command(bin), out: &testlog.Buffer{}, exited: make(chan error, 1)}
	p.cmd.Env = []string{"HOMELINK_RUN_MAIN=1",
		"TELEGRAM_BOT_TOKEN=" + tg.Token(), "TELEGRAM_API_URL=" + tg.URL(), "REDIS_URL=" + redistest.URL(),
		"REDIS_KEY_PREFIX=" + prefix, "LISTEN_ADDR=" + addr, "INVITE_KEY=" + testInviteKey,
	}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	begin := time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	client := &http.Client{Timeout: time.Second}
	ready := func() bool {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}
	for !ready() {
		if time.Since(begin) > 10*time.Second {
			t.Fatalf("not ready within 10s:\n%s", p.logs())
		}
		time.Sleep(2 * time.Millisecond) // polling a starting process
	}
	p.ready = time.Since(begin)
	return p
}

func (p *process) logs() string { return p.out.String() }

func (p *process) rssMB() float64 {
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// `homelink sandbox` needs no token, no Redis and no internet: it prints
// its address, serves the page with the demonstration, and Ctrl-C stops it
// cleanly.
func TestSandboxCommandStartsAndStopsOnCtrlC(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	p := &process{cmd: exec.Command(os.Args[0], "sandbox", "-addr", addr), out: &testlog.Buffer{}, exited: make(chan error, 1)}
	p.cmd.Env = []string{"HOMELINK_RUN_MAIN=1"}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.logs(), "open http://"+addr) {
		if time.Now().After(deadline) {
			t.Fatalf("no address printed:\n%s", p.logs())
		}
		time.Sleep(10 * time.Millisecond) // waiting for a starting process
	}
	if strings.Contains(p.logs(), "WARNING") {
		t.Errorf("a warning on loopback:\n%s", p.logs())
	}
	resp, err := http.Get("http://" + addr + "/api/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"role":"coordinator"`) || !strings.Contains(string(body), "Asia/Shanghai") {
		t.Fatalf("state: %s", body)
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, p.logs())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10s after Ctrl-C:\n%s", p.logs())
	}
}

// A sandbox bound beyond loopback, as the README's Docker example binds
// it, says at start who can then use it; on loopback it says nothing of
// the kind (TestSandboxCommandStartsAndStopsOnCtrlC).
func TestSandboxBeyondLoopbackWarns(t *testing.T) {
	p := &process{cmd: exec.Command(os.Args[0], "sandbox", "-addr", "0.0.0.0:0"), out: &testlog.Buffer{}, exited: make(chan error, 1)}
	p.cmd.Env = []string{"HOMELINK_RUN_MAIN=1"}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.logs(), "open http://") {
		if time.Now().After(deadline) {
			t.Fatalf("no address printed:\n%s", p.logs())
		}
		time.Sleep(10 * time.Millisecond) // waiting for a starting process
	}
	for _, w := range []string{"WARNING: listening on 0.0.0.0:0, beyond this machine",
		"anyone who can reach this port can act as every phone", "bind 127.0.0.1"} {
		if !strings.Contains(p.logs(), w) {
			t.Errorf("no %q in:\n%s", w, p.logs())
		}
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, p.logs())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10s after Ctrl-C:\n%s", p.logs())
	}
}
