// Command homelink runs the homelink Telegram bot.
//
//	homelink [serve]   run a replica (the default)
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
	"syscall"
	_ "time/tzdata" // time zones even on images without them

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/internal/app"
)

// Exit codes: 2 for a wrong setting or usage, 1 for anything else.
const (
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stderr))
}

func run(args []string, getenv func(string) string, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	if cmd != "serve" {
		fmt.Fprintf(stderr, "homelink: unknown command %q; usage: homelink [serve]\n", cmd)
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
	if err := serve(ctx, cfg, log); err != nil {
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
