package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// webhookSecret is the secret the replicas set and Telegram sends back.
const webhookSecret = "faulttrial-webhook-secret"

// replica is one homelink process in webhook mode.
type replica struct {
	name string
	port int
	env  []string
	p    *proc
}

func (r *replica) url() string { return "http://127.0.0.1:" + strconv.Itoa(r.port) }

// startReplica runs bin with env (the settings, on top of PATH and HOME)
// listening on a port of its own, and waits until /readyz answers 200.
func startReplica(ctx context.Context, ps *procs, name, bin string, env []string) (*replica, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	r := &replica{name: name, port: port, env: append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"LISTEN_ADDR=127.0.0.1:" + strconv.Itoa(port),
	}, env...)}
	if r.p, err = ps.start(name, bin, []string{"serve"}, r.env); err != nil {
		return nil, err
	}
	if err := waitReady(ctx, r.url()+"/readyz", r.p, 60*time.Second); err != nil {
		return nil, fmt.Errorf("replica %s: %w\n%s", name, err, r.p.tail(15))
	}
	return r, nil
}

// waitReady waits until url answers 200.
func waitReady(ctx context.Context, url string, p *proc, timeout time.Duration) error {
	client := &http.Client{Timeout: 3 * time.Second}
	deadline := time.Now().Add(timeout)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s answered %s", url, resp.Status)
		}
		switch {
		case p.exited():
			return errExited
		case ctx.Err() != nil:
			return ctx.Err()
		case time.Now().After(deadline):
			return fmt.Errorf("not ready within %s: %w", timeout, err)
		}
		time.Sleep(100 * time.Millisecond) // polling a starting process
	}
}

// buildHomelink builds ./cmd/homelink (run from the module's root) into
// dir and returns the binary's path.
func buildHomelink(dir string) (string, error) {
	bin := filepath.Join(dir, "homelink")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/homelink")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/homelink (run faulttrial from the repository root, or pass -bin): %w\n%s", err, out)
	}
	return bin, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
