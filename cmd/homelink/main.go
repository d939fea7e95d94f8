// Command homelink runs the homelink Telegram bot.
//
//	homelink [serve]              run a replica (the default)
//	homelink invite coordinator   print a one-time invitation for a coordinator
//	homelink help                 print the usage (also -h, --help)
//	homelink sandbox [-addr A] [-seed=false]
//	                              try it in a browser: no token, no internet, no Redis needed
//
// Configuration comes from environment variables; see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // time zones even on images without them

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/app"
)

// Exit codes: 2 for a wrong setting or usage, 1 for anything else.
const (
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// usage is what `homelink --help` prints.
const usage = `usage: homelink [command]

commands:
  serve                  run a replica of the bot (the default)
  invite coordinator     print a one-time invitation for a coordinator
  sandbox [-addr A] [-seed=false]
                         try it in a browser: the real bot against a built-in
                         Telegram emulator; no token, no internet, no Redis
                         needed (homelink sandbox -help for its flags)
  help                   print this

serve and invite read their settings from environment variables
(TELEGRAM_BOT_TOKEN, REDIS_URL, ...): see README.md, "Configuration".
`

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "sandbox":
		return runSandbox(args[1:], getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	invite := cmd == "invite" && len(args) == 2 && args[1] == "coordinator"
	if cmd != "serve" && !invite {
		fmt.Fprintf(stderr, "homelink: unknown command %q\n%s", strings.Join(args, " "), usage)
		return exitUsage
	}
	cfg, errs := app.LoadConfig(getenv)
	if len(errs) > 0 {
		for _, err := range errs {
			fmt.Fprintf(stderr, "homelink: %v\n", err)
		}
		return exitUsage
	}
	log := newLogger(cfg, stderr)
	redis.SetLogger(redisLog{log})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	do := serve
	if invite {
		do = func(ctx context.Context, cfg app.Config, log *slog.Logger) error {
			return inviteCoordinator(ctx, cfg, log, stdout)
		}
	}
	if err := do(ctx, cfg, log); err != nil {
		fmt.Fprintf(stderr, "homelink: %v\n", err)
		return exitFailure
	}
	return 0
}

func serve(ctx context.Context, cfg app.Config, log *slog.Logger) error {
	a, err := app.New(ctx, cfg, app.Deps{Clock: homelink.SystemClock{}, Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("LISTEN_ADDR %s: %w", cfg.ListenAddr, errors.Unwrap(err))
	}
	return a.Serve(ctx, ln)
}

// inviteCoordinator prints a one-time invitation for a coordinator: the
// operator's way to bootstrap the first one.
func inviteCoordinator(ctx context.Context, cfg app.Config, log *slog.Logger, stdout io.Writer) error {
	a, err := app.New(ctx, cfg, app.Deps{Clock: homelink.SystemClock{}, Log: log})
	if err != nil {
		return err
	}
	defer a.Close()
	link, typed, expires, err := a.Bot.NewCoordinatorInvite(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\ncode: %s\nvalid until %s; it works once.\n", link, typed, expires.In(cfg.DefaultTimezone).Format("2006-01-02 15:04 MST"))
	return nil
}

// redisLog sends go-redis's own messages (pool dial failures) to our log at
// debug level; the errors that matter reach us as return values.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis client", slog.String("msg", fmt.Sprintf(format, v...)))
}

func newLogger(cfg app.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
