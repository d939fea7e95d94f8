package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// scenario is one row of issue 10's fault-trial table: a workload and
// what goes wrong while it runs.
type scenario struct {
	name, about string
	// perSecond paces the users (0: all within burstSpread).
	perSecond float64
	// killUsers: use -kill-users rather than -users.
	killUsers bool
	// rate is the bot-wide sends a second when -rate is not given (0:
	// Telegram's 30).
	rate float64
	// deadline bounds a run when -deadline is not given: it is reached
	// only when some user is still unanswered.
	deadline time.Duration
	failover bool
	env      []string
	// fault runs from the burst's start, beside it, and returns a note for
	// the table; the trial waits for quiet after it returns.
	fault func(ctx context.Context, t *trial) (string, error)
}

// burstSpread is how long a burst of users takes to send /help.
const burstSpread = 1500 * time.Millisecond

func (sc scenario) userCount(o options) int {
	if sc.killUsers {
		return o.killUsers
	}
	return o.users
}

// defaultDeadline bounds a 500-user run: one 10 s sweep covers every
// inbox, so an update not answered by then is lost.
const defaultDeadline = 3 * time.Minute

func (sc scenario) deadlineFor(o options) time.Duration {
	switch {
	case o.deadline > 0:
		return o.deadline
	case sc.deadline > 0:
		return sc.deadline
	}
	return defaultDeadline
}

func (sc scenario) spreadFor(users int) time.Duration {
	if sc.perSecond > 0 {
		return time.Duration(float64(users) / sc.perSecond * float64(time.Second))
	}
	return burstSpread
}

// scenarios are the trials, in the table's order.
var scenarios = []scenario{
	{name: "clean", about: "nothing goes wrong"},
	{name: "clean-40", about: "nothing goes wrong; users arrive at 40 a second, past Telegram's 30", perSecond: 40},
	{name: "redis-restart", about: "Redis stopped (SIGTERM) 1 s into the burst and started 5 s later, replies queued", fault: redisRestart},
	{name: "redis-stalls", about: "three 6 s Redis stalls (CLIENT PAUSE 6000 ALL at 1 s, 10 s, 19 s), past go-redis's 5 s timeout", fault: redisStalls},
	{name: "aof-rollback", about: "Redis's host crashes 2 s in, the burst's last half second taken: SIGKILL, AOF cut back to its size 1 s earlier, restart", fault: aofRollbackAt(2 * time.Second)},
	{name: "aof-rollback-late", about: "as aof-rollback, 3 s in: the whole burst taken before the lost second, replies queued", fault: aofRollbackAt(3 * time.Second)},
	{name: "replica-kill", about: "a burst of -kill-users users; one replica SIGKILLed once the burst is taken", killUsers: true, rate: 200, deadline: 7 * time.Minute, fault: replicaKill},
	{name: "failover", about: "Sentinel: primary SIGKILLed 1 s into the burst", failover: true, fault: failover},
	{name: "failover-wait1", about: "as failover, with REDIS_WAIT_REPLICAS=1", failover: true, env: []string{"REDIS_WAIT_REPLICAS=1"}, fault: failover},
}

func redisRestart(ctx context.Context, t *trial) (string, error) {
	if err := t.at(ctx, time.Second); err != nil {
		return "", err
	}
	t.redis.stop()
	stopped := t.since()
	if err := t.at(ctx, 6*time.Second); err != nil {
		return "", err
	}
	if err := t.redis.start(ctx); err != nil {
		return "", err
	}
	return fmt.Sprintf("stopped at %s, up again at %s", stopped, t.since()), nil
}

func redisStalls(ctx context.Context, t *trial) (string, error) {
	var at []string
	for _, d := range []time.Duration{time.Second, 10 * time.Second, 19 * time.Second} {
		if err := t.at(ctx, d); err != nil {
			return "", err
		}
		if _, err := t.redis.do(ctx, "CLIENT", "PAUSE", 6000, "ALL"); err != nil {
			return "", err
		}
		at = append(at, t.since())
	}
	return fmt.Sprintf("paused 6 s at %v", at), t.at(ctx, 25*time.Second)
}

// aofRollbackAt crashes Redis's host at crash: what was written to the AOF
// in the second before, not yet fsynced, is lost with it.
func aofRollbackAt(crash time.Duration) func(ctx context.Context, t *trial) (string, error) {
	return func(ctx context.Context, t *trial) (string, error) { return aofRollback(ctx, t, crash) }
}

func aofRollback(ctx context.Context, t *trial, crash time.Duration) (string, error) {
	if err := t.at(ctx, crash-time.Second); err != nil {
		return "", err
	}
	sizes, err := t.redis.aofSizes()
	if err != nil {
		return "", err
	}
	if err := t.at(ctx, crash); err != nil {
		return "", err
	}
	t.redis.kill()
	killed := t.since()
	dropped, err := t.redis.rollBackAOF(sizes)
	if err != nil {
		return "", err
	}
	fixed := ""
	if err := t.redis.start(ctx); errors.Is(err, errExited) {
		if err := t.redis.fixAOF(); err != nil {
			return "", err
		}
		fixed = ", redis-check-aof --fix"
		err = t.redis.start(ctx)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("SIGKILL at %s, %d AOF bytes dropped%s, up again at %s", killed, dropped, fixed, t.since()), nil
}

// replicaKill SIGKILLs the last replica as soon as Telegram has handed over
// the whole burst: it dies holding leases on inboxes it took.
func replicaKill(ctx context.Context, t *trial) (string, error) {
	select {
	case <-t.burstDone:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	for t.tg.PendingUpdates() > 0 {
		select {
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	victim := t.replicas[len(t.replicas)-1]
	victim.p.kill()
	return fmt.Sprintf("%s SIGKILLed at %s, the burst taken; %d bot messages sent by then", victim.name, t.since(), t.work.sent.Load()), nil
}

// scenarioNamed finds a scenario by name.
func scenarioNamed(name string) (scenario, bool) {
	for _, sc := range scenarios {
		if sc.name == name {
			return sc, true
		}
	}
	return scenario{}, false
}
