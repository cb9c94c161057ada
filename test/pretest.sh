#!/usr/bin/env bash
# `npm test` runs this first (the `pretest` script): it makes sure of what the suite needs, so the
# README's test command passes by itself on a fresh Debian machine.
#
# - Chromium: the playground test drives /usr/bin/chromium. When it is missing, this installs
#   Debian's `chromium` package (apt-get update, then apt-get install -y chromium) — which needs
#   root — and fails with a clear message if it cannot.
# - PostgreSQL (TEST_DATABASE_URL, default 127.0.0.1:5432) and Redis (TEST_REDIS_URL, default
#   127.0.0.1:6379) must answer: the store suites and the multi-instance test use them. This only
#   checks them; starting services is the machine's business (see .ci/run).
set -uo pipefail

say() { printf '[pretest] %s\n' "$*"; }
fail() {
  printf '[pretest] ERROR: %s\n' "$*" >&2
  exit 1
}

# Where test/playground/playground.test.ts looks for the browser (overridable only to test this script).
CHROMIUM="${PRETEST_CHROMIUM_PATH:-/usr/bin/chromium}"

ensure_chromium() {
  [ -x "$CHROMIUM" ] && return 0
  say "$CHROMIUM is missing (the playground browser test needs it): installing Debian's chromium package"
  command -v apt-get >/dev/null 2>&1 ||
    fail "no apt-get here: install Chromium so that $CHROMIUM exists, then run npm test again"
  [ "$(id -u)" -eq 0 ] ||
    fail "installing chromium needs root: run 'sudo apt-get update && sudo apt-get install -y chromium', then npm test again"
  say "apt-get update"
  apt-get update -qq || fail "apt-get update failed (network or apt sources?); chromium was not installed"
  say "apt-get install -y chromium"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
    fail "apt-get install chromium failed; install it by hand so that $CHROMIUM exists"
  [ -x "$CHROMIUM" ] || fail "the chromium package was installed but $CHROMIUM is still missing"
  say "chromium installed"
}

# host and port of a URL such as postgres://user@host:5432/db or redis://host:6379
host_of() { node -e 'const u = new URL(process.argv[1]); console.log(u.hostname)' "$1"; }
port_of() { node -e 'const u = new URL(process.argv[1]); console.log(u.port || process.argv[2])' "$1" "$2"; }

# Is something accepting TCP connections there? (bash's /dev/tcp: no client tools needed)
reachable() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

ensure_services() {
  local pg_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
  local redis_url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
  local pg_host pg_port redis_host redis_port
  pg_host=$(host_of "$pg_url") && pg_port=$(port_of "$pg_url" 5432) || fail "TEST_DATABASE_URL is not a URL: $pg_url"
  redis_host=$(host_of "$redis_url") && redis_port=$(port_of "$redis_url" 6379) || fail "TEST_REDIS_URL is not a URL: $redis_url"
  reachable "$pg_host" "$pg_port" ||
    fail "PostgreSQL does not answer at $pg_host:$pg_port. Start it (e.g. 'pg_ctlcluster <version> main start') or set TEST_DATABASE_URL"
  reachable "$redis_host" "$redis_port" ||
    fail "Redis does not answer at $redis_host:$redis_port. Start it (e.g. 'redis-server --daemonize yes') or set TEST_REDIS_URL"
}

ensure_chromium
ensure_services
say "chromium, PostgreSQL and Redis are there"
