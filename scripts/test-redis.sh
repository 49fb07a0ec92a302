#!/usr/bin/env bash
# A throwaway Redis for the tests (Orleans cluster membership of the multi-silo tests): its own directory and
# free port on 127.0.0.1, durable the way production must be (appendonly yes, appendfsync always).
#
#   scripts/test-redis.sh start    # starts it (or reuses a running one) and prints DELEGATION_TEST_REDIS as an export line
#   scripts/test-redis.sh stop     # stops it and deletes its directory
#   scripts/test-redis.sh status   # exit 0 when it runs
#   scripts/test-redis.sh kill     # SIGKILLs the server (a crash), keeping its data directory and port
#   scripts/test-redis.sh restart  # starts a killed or stopped-by-crash server again on the same port and directory
#                                  # (replaying its append-only file), and waits until it answers
#
# <state> is $DELEGATION_REDIS_STATE, by default ${TMPDIR:-/tmp}/delegation-redis; test.sh gives every run its own.
# Installs Debian's `redis-server` package when no redis-server is found (as root; otherwise says what to run).
set -euo pipefail

state=${DELEGATION_REDIS_STATE:-${TMPDIR:-/tmp}/delegation-redis}
env_file="$state.env"

say() { echo "test-redis: $*" >&2; }
die() { say "$*"; exit 1; }

ensure_installed() {
  command -v redis-server >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "Redis is not installed. Run: sudo apt-get update && sudo apt-get install -y redis-server"
  fi
  say "installing Debian's redis-server package"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >&2
  command -v redis-server >/dev/null 2>&1 || die "the redis-server package is installed but redis-server is not on PATH"
}

port_of() { sed -n 's/^export DELEGATION_TEST_REDIS=127.0.0.1:\([0-9]*\)$/\1/p' "$env_file" 2>/dev/null; }

running() {
  local port
  port=$(port_of) || return 1
  [ -n "$port" ] && redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

start() {
  if running; then
    say "reusing the server in $state"
    cat "$env_file"
    return 0
  fi

  ensure_installed
  mkdir -p "$state"
  local port
  port=$(free_port)
  launch "$port"
  if answers "$port"; then
    echo "export DELEGATION_TEST_REDIS=127.0.0.1:$port" > "$env_file"
    chmod 600 "$env_file"
    cat "$env_file"
    return 0
  fi
  die "redis-server did not answer on port $port (see $state/redis.log)"
}

# Starts redis-server in the background on port $1 with the state directory's files (start and restart alike).
launch() {
  redis-server --bind 127.0.0.1 --port "$1" --dir "$state" --daemonize yes \
    --pidfile "$state/redis.pid" --logfile "$state/redis.log" \
    --appendonly yes --appendfsync always --save "" >&2
}

# Waits up to 10 s for a PONG on port $1 (replaying a large append-only file takes a while).
answers() {
  for _ in $(seq 1 100); do
    if redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG; then return 0; fi
    sleep 0.1
  done
  return 1
}

pid_of() { cat "$state/redis.pid" 2>/dev/null; }

# SIGKILL, as a crash would: no shutdown, no final fsync, the append-only file as it stands.
kill_server() {
  local port pid
  port=$(port_of) || true
  [ -n "${port:-}" ] && [ -d "$state" ] || die "no server started by this script in $state"
  pid=$(pid_of) || true
  [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null || die "the server in $state is not running"
  kill -KILL "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  die "redis-server (pid $pid) did not die"
}

restart() {
  local port
  port=$(port_of) || true
  [ -n "${port:-}" ] && [ -d "$state" ] || die "no server started by this script in $state"
  if running; then
    say "the server on port $port already runs"
    return 0
  fi
  launch "$port"
  answers "$port" || die "redis-server did not answer on port $port again (see $state/redis.log)"
}

stop() {
  local port
  port=$(port_of || true)
  if [ -n "${port:-}" ]; then
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  fi
  rm -rf "$state" "$env_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then say "runs on 127.0.0.1:$(port_of), data in $state"; else say "not running"; exit 1; fi ;;
  kill) kill_server ;;
  restart) restart ;;
  *) die "usage: $0 start|stop|status|kill|restart" ;;
esac
