// Command faulttrial reruns issue 10's fault trials against a built
// homelink binary and prints the table: for each scenario, how many users
// were answered once, twice or never, the 429s the fake Telegram answered,
// and the longest any user waited for an answer.
//
// Each trial starts its own redis-server processes (AOF, fsync every
// second) in a temporary directory, the project's fake Bot API in-process
// with Telegram's limits, a round-robin load balancer, and -replicas
// homelink processes in webhook mode behind it. Every user sends /help
// once; once every user has an answer the trial waits until no bot
// message has come for -quiet (longer than a 30 s inbox lease plus a 10 s
// sweep, so a late repeat is seen), and while some have none it waits to
// -deadline; then it counts. Everything it started ends with it. It never
// touches a Redis it did not start.
//
//	go run ./internal/cmd/faulttrial -bin /tmp/homelink -scenario all
//	go run ./internal/cmd/faulttrial -scenario redis-restart,aof-rollback -runs 2
//
// Run it from the repository root (without -bin it builds ./cmd/homelink).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "faulttrial: %v\n", err)
		os.Exit(1)
	}
}

// envList is a repeatable -env KEY=VALUE flag.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }
func (e *envList) Set(v string) error {
	if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
		return errors.New("expected KEY=VALUE")
	}
	*e = append(*e, v)
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("faulttrial", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var which string
	var runs int
	var env envList
	fs.StringVar(&o.bin, "bin", "", "homelink binary to try (empty: go build ./cmd/homelink)")
	fs.IntVar(&o.replicas, "replicas", 2, "homelink replicas behind the load balancer (2 or 3)")
	fs.IntVar(&o.users, "users", 500, "users, each sending /help once")
	fs.IntVar(&o.killUsers, "kill-users", 20000, "users in replica-kill's burst")
	fs.Float64Var(&o.rate, "rate", 0, "bot-wide sends a second, for the fake's limit and RATE_LIMIT_PER_SECOND (0: 30, Telegram's; replica-kill 200, else 20,000 replies take 11 min)")
	fs.DurationVar(&o.quiet, "quiet", 45*time.Second, "once every user has an answer, a trial ends when no bot message has come for this long")
	fs.DurationVar(&o.deadline, "deadline", 0, "a trial with users still unanswered ends this long after its burst began (0: 3m; replica-kill 7m)")
	fs.IntVar(&runs, "runs", 1, "runs of each scenario")
	fs.StringVar(&which, "scenario", "all", "comma-separated scenarios, or all: "+scenarioNames())
	fs.Var(&env, "env", "extra replica setting KEY=VALUE (repeatable), e.g. -env REDIS_WAIT_REPLICAS=1")
	fs.BoolVar(&o.keep, "keep", false, "keep each trial's directory (logs, AOF) and say where")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.env = env
	o.log = slog.New(slog.NewTextHandler(stderr, nil))
	chosen, err := choose(which)
	if err != nil {
		return err
	}
	if o.replicas < 1 || runs < 1 || o.users < 1 || o.killUsers < 1 {
		return errors.New("-replicas, -runs, -users and -kill-users must be at least 1")
	}
	if o.bin == "" {
		dir, err := os.MkdirTemp("", "faulttrial-bin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.log.Info("building ./cmd/homelink")
		if o.bin, err = buildHomelink(dir); err != nil {
			return err
		}
	}
	return runAll(ctx, o, chosen, runs, stdout)
}

func runAll(ctx context.Context, o options, chosen []scenario, runs int, stdout io.Writer) error {
	fmt.Fprintf(stdout, "| scenario | run | replicas | users | answered once | twice | never | 429s | longest wait | notes |\n")
	fmt.Fprintf(stdout, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	var failed []string
	for _, sc := range chosen {
		for i := range runs {
			o.log.Info("trial", slog.String("scenario", sc.name), slog.Int("run", i+1), slog.String("about", sc.about))
			res, err := runTrial(ctx, o, sc)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				o.log.Error("trial failed", slog.Any("err", err))
				failed = append(failed, sc.name)
				fmt.Fprintf(stdout, "| %s | %d | %d | | | | | | | failed: %s |\n", sc.name, i+1, o.replicas, firstLine(err))
				continue
			}
			fmt.Fprintln(stdout, row(sc, i+1, o.replicas, res))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("trials failed: %s", strings.Join(failed, ", "))
	}
	return nil
}

func row(sc scenario, run, replicas int, r result) string {
	note := r.note
	if r.timedOut {
		note = strings.TrimPrefix(note+fmt.Sprintf("; waited to the deadline, %d s after the burst began", int(r.deadline.Seconds())), "; ")
	}
	return fmt.Sprintf("| %s | %d | %d | %d | %d | %d | %d | %d | %.1f s | %s |",
		sc.name, run, replicas, r.users, r.once, r.twice, r.never, r.tooMany, r.longest.Seconds(), note)
}

func choose(which string) ([]scenario, error) {
	if which == "all" {
		return scenarios, nil
	}
	var out []scenario
	for _, name := range strings.Split(which, ",") {
		sc, ok := scenarioNamed(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("no scenario %q; there are: %s", name, scenarioNames())
		}
		out = append(out, sc)
	}
	return out, nil
}

func scenarioNames() string {
	var names []string
	for _, sc := range scenarios {
		names = append(names, sc.name)
	}
	return strings.Join(names, ", ")
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return strings.ReplaceAll(s, "|", "/")
}
