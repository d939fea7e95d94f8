package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"strings"
	"syscall"

	"github.com/homelink/homelink/sandbox"
)

// runSandbox runs `homelink sandbox`: the real bot against a built-in Bot
// API emulator, with a web page of phones. REDIS_URL, when set, is used
// instead of the embedded Redis; SANDBOX_ADDR sets the page's address and
// SANDBOX_ALLOWED_HOSTS the names it may be reached by besides it.
func runSandbox(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	var help bytes.Buffer
	fs.SetOutput(&help)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: homelink sandbox [-addr A] [-allowed-hosts H,…] [-seed=false]\n\n"+
			"Runs the real bot against a built-in Telegram emulator and serves a web page\n"+
			"with one phone per person. REDIS_URL, when set, is used instead of the\n"+
			"embedded Redis; other settings are read as serve reads them.\n\nflags:\n")
		fs.PrintDefaults()
	}
	addr := getenv("SANDBOX_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	fs.StringVar(&addr, "addr", addr, "`address` of the web page (env SANDBOX_ADDR)")
	hosts := fs.String("allowed-hosts", getenv("SANDBOX_ALLOWED_HOSTS"),
		"comma-separated `names` the page may also be reached by, besides -addr's host, localhost and IP addresses (env SANDBOX_ALLOWED_HOSTS)")
	seed := fs.Bool("seed", true, "create the demonstration home and people when the store is empty")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			stdout.Write(help.Bytes())
			return 0
		}
		stderr.Write(help.Bytes())
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "homelink sandbox: unexpected %q\n", fs.Args())
		fs.SetOutput(stderr)
		fs.Usage()
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	sb, err := sandbox.Start(ctx, sandbox.Options{Addr: addr, AllowedHosts: strings.Split(*hosts, ","),
		RedisURL: getenv("REDIS_URL"), Seed: *seed, Getenv: getenv, Log: log})
	if errors.Is(err, syscall.EADDRINUSE) {
		fmt.Fprintf(stderr, "homelink: %s is already in use, perhaps by another sandbox; "+
			"choose another address with -addr (or SANDBOX_ADDR), for example: homelink sandbox -addr 127.0.0.1:8081\n", addr)
		return exitFailure
	}
	if err != nil {
		fmt.Fprintf(stderr, "homelink: %v\n", err)
		return exitFailure
	}
	redis := "embedded Redis: nothing is kept after it stops"
	if getenv("REDIS_URL") != "" {
		redis = "Redis at REDIS_URL"
	}
	if sb.Exposed() {
		fmt.Fprintf(stderr, "homelink sandbox: WARNING: listening on %s, beyond this machine: anyone who can reach "+
			"this port can act as every phone (type, tap, join homes) and move the clock, with no password. "+
			"Unless you mean that, bind 127.0.0.1 (-addr 127.0.0.1:8080, or docker run -p 127.0.0.1:8080:8080).\n", addr)
	}
	fmt.Fprintf(stdout, "homelink sandbox: open %s in a browser (%s). Ctrl-C stops it.\n", sb.URL(), redis)
	if err := sb.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "homelink: %v\n", err)
		return exitFailure
	}
	return 0
}
