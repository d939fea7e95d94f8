#!/usr/bin/env bash
# The one test command (README.md, `make test` and .ci/run all run this).
#
# The tests need, besides Go:
#   - redis-server: each test package starts its own (internal/redistest),
#     unless REDIS_URL names a running server;
#   - a C compiler: `go test -race` needs cgo;
#   - Chromium (or Chrome) on PATH as chromium, chromium-browser or
#     google-chrome: the sandbox's browser test drives it.
# What is missing is installed with apt-get (as root, or through sudo);
# without apt-get, or without root and sudo, it stops and names what to
# install. It never skips a test for want of a program.
set -euo pipefail
cd "$(dirname "$0")"

if [ $# -gt 0 ]; then
  echo "usage: ./test.sh  (runs the whole suite; for part of it, use go test directly)" >&2
  exit 2
fi

say() { echo "test.sh: $*" >&2; }

command -v go >/dev/null || {
  say "Go is missing: install Go 1.26 or later from https://go.dev/dl/ and put go on PATH"
  exit 1
}

chromium_names=(chromium chromium-browser google-chrome) # as sandbox/browser_test.go looks them up
find_chromium() {
  local n
  for n in "${chromium_names[@]}"; do
    command -v "$n" && return 0
  done
  return 1
}

# missing lists what is absent, one "what|Debian packages|how to get it" per entry.
missing=()
check() {
  missing=()
  if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null; then
    missing+=("redis-server|redis-server|Debian/Ubuntu: apt-get install redis-server; Fedora: dnf install redis; macOS: brew install redis")
  fi
  if ! command -v "$(go env CC)" >/dev/null; then
    missing+=("a C compiler, $(go env CC), for go test -race|gcc libc6-dev|Debian/Ubuntu: apt-get install gcc libc6-dev; Fedora: dnf install gcc; macOS: xcode-select --install")
  fi
  if ! find_chromium >/dev/null; then
    missing+=("Chromium or Chrome, on PATH as chromium, chromium-browser or google-chrome|chromium|Debian: apt-get install chromium; Ubuntu: apt-get install chromium-browser; Fedora: dnf install chromium; elsewhere install Chrome or Chromium and link its binary onto PATH as chromium")
  fi
}

explain() { # $1: why nothing was, or could be, installed
  say "the tests need what this machine lacks ($1):"
  local m what how
  for m in "${missing[@]}"; do
    IFS='|' read -r what _ how <<<"$m"
    printf '  - %s\n      %s\n' "$what" "$how" >&2
  done
  say "install them, then run ./test.sh again"
}

check
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    explain "no apt-get here to install them with"
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    explain "not root, and no sudo to install them with"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  say "installing what is missing with ${as_root[*]:+${as_root[*]} }apt-get:"
  for m in "${missing[@]}"; do echo "  - ${m%%|*}" >&2; done
  if ! "${as_root[@]}" apt-get update -qq; then
    explain "apt-get update failed"
    exit 1
  fi
  pkgs=()
  for m in "${missing[@]}"; do
    IFS='|' read -r _ debian _ <<<"$m"
    if [ "$debian" = chromium ] && ! apt-cache show chromium >/dev/null 2>&1 &&
      apt-cache show chromium-browser >/dev/null 2>&1; then
      debian=chromium-browser # Ubuntu's name
    fi
    read -r -a more <<<"$debian"
    pkgs+=("${more[@]}")
  done
  say "+ ${as_root[*]:+${as_root[*]} }apt-get install -y --no-install-recommends ${pkgs[*]}"
  if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; then
    explain "apt-get install failed"
    exit 1
  fi
  check
  if [ ${#missing[@]} -gt 0 ]; then
    explain "still missing after apt-get install"
    exit 1
  fi
fi

say "$(go version)"
if [ -n "${REDIS_URL:-}" ]; then
  say "Redis: REDIS_URL (tests use their own key prefixes)"
else
  say "Redis: $(command -v redis-server) ($(redis-server --version | cut -d' ' -f3))"
fi
say "browser: $(find_chromium)"

# -p 1 runs one package at a time (each starts its own redis-server, the
# sandbox's its Chromium), which keeps a small machine well inside the tests'
# hang time-outs. No test asserts a rate or a wall-clock floor: a busy machine
# only makes the suite slower. How close the outbox comes to the limit is a
# benchmark's figure (README.md, "Tests"). -timeout 90m: the end-to-end
# package (app) takes 40 minutes or more under -race on 2 cores (its
# authorization matrix alone plays every command, button and step as seven
# people), far past the default 10 minutes, which is there to catch a hang,
# not to time a busy machine.
set -x
go test -race -count=1 -p 1 -timeout 90m ./...
