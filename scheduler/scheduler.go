// Package scheduler runs homelink's time-driven jobs on every replica with
// robfig/cron as the ticker only. A job never is the work itself: each run
// claims its work from Redis atomically, so three replicas ticking at once
// do each piece of work once. A job that panics is recovered and logged; a
// job still running when its next tick comes is skipped, not doubled.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Scheduler ticks jobs.
type Scheduler struct {
	cron *cron.Cron
	log  *slog.Logger
	ctx  context.Context
	stop context.CancelFunc
	jobs map[string]func(context.Context) error
	mu   sync.Mutex
}

// New returns a Scheduler; ticks follow the wall clock, jobs read their
// own injected clock.
func New(log *slog.Logger) *Scheduler {
	ctx, stop := context.WithCancel(context.Background())
	return &Scheduler{
		cron: cron.New(cron.WithSeconds(), cron.WithLocation(time.UTC)),
		log:  log, ctx: ctx, stop: stop, jobs: map[string]func(context.Context) error{},
	}
}

// Add registers job under name on a cron spec with seconds
// ("*/10 * * * * *") or a descriptor ("@every 10s").
func (s *Scheduler) Add(name, spec string, job func(context.Context) error) error {
	var running sync.Mutex
	_, err := s.cron.AddFunc(spec, func() {
		if !running.TryLock() {
			s.log.Warn("job still running, tick skipped", slog.String("job", name))
			return
		}
		defer running.Unlock()
		s.run(name, job)
	})
	if err != nil {
		return fmt.Errorf("scheduler: job %s: spec %q: %w", name, spec, err)
	}
	s.mu.Lock()
	s.jobs[name] = job
	s.mu.Unlock()
	return nil
}

// run runs one job, recovering a panic.
func (s *Scheduler) run(name string, job func(context.Context) error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("job panicked", slog.String("job", name), slog.Any("panic", p),
				slog.String("stack", string(debug.Stack())))
		}
	}()
	if err := job(s.ctx); err != nil && s.ctx.Err() == nil {
		s.log.Error("job failed", slog.String("job", name), slog.Any("err", err))
	}
}

// RunNow runs the named job once, now, as a tick would (tests, operators).
func (s *Scheduler) RunNow(name string) error {
	s.mu.Lock()
	job, ok := s.jobs[name]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("scheduler: no job %s", name)
	}
	s.run(name, job)
	return nil
}

// RunAll starts every job once, now, without waiting for them: after the
// sandbox's clock jumps, due work is done at once rather than at the next
// tick. Jobs are safe to run beside a tick, as on several replicas.
func (s *Scheduler) RunAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, job := range s.jobs {
		go s.run(name, job)
	}
}

// Start starts ticking.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops ticking, cancels running jobs' context and waits for them,
// at most until ctx ends.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.stop()
	select {
	case <-s.cron.Stop().Done():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("scheduler: stop: %w", ctx.Err())
	}
}
