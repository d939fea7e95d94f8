package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is one child process of the harness: a redis-server, a sentinel or a
// homelink replica. Its output goes to a log file in the trial's directory.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{} // closed when the process has ended
}

// procs is every child a trial started, so that the trial ends them all
// however it ends. Pdeathsig covers the harness itself dying.
type procs struct {
	dir string
	mu  sync.Mutex
	all map[*proc]bool
}

func newProcs(dir string) *procs { return &procs{dir: dir, all: map[*proc]bool{}} }

// start runs bin with args and env (nil: the harness's own), logging to
// <dir>/<name>.log (appended to, so a restarted server keeps one log).
func (ps *procs) start(name, bin string, args, env []string) (*proc, error) {
	path := filepath.Join(ps.dir, name+".log")
	logf, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	// Its own process group: a Ctrl-C reaches the harness, which ends the
	// children itself; SIGKILL if the harness dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s (%s): %w", name, bin, err)
	}
	p := &proc{name: name, cmd: cmd, log: path, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		logf.Close()
		ps.mu.Lock()
		delete(ps.all, p)
		ps.mu.Unlock()
		close(p.done)
	}()
	ps.mu.Lock()
	ps.all[p] = true
	ps.mu.Unlock()
	return p, nil
}

// killAll ends every child still running, at once.
func (ps *procs) killAll() {
	ps.mu.Lock()
	var left []*proc
	for p := range ps.all {
		left = append(left, p)
	}
	ps.mu.Unlock()
	for _, p := range left {
		p.kill()
	}
}

// kill ends the process with SIGKILL, as a crash of its host would, and
// waits until it is gone.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop asks the process to end (SIGTERM) and kills it after grace.
func (p *proc) stop(grace time.Duration) {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.kill()
	}
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tail is the end of the process's log, for an error message.
func (p *proc) tail(lines int) string {
	b, _ := os.ReadFile(p.log)
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}

// errExited is returned by waits that notice the process has ended.
var errExited = errors.New("process exited")
