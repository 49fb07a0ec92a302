#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: initdb into a temporary directory, its own free port on 127.0.0.1,
# password authentication, run as an unprivileged user (the server refuses to run as root).
#
#   scripts/test-postgres.sh start    # starts it (or reuses a running one) and writes the connection string
#   scripts/test-postgres.sh stop     # stops it and deletes its directory
#   scripts/test-postgres.sh status   # exit 0 when it runs
#   scripts/test-postgres.sh pause    # stops the server (fast shutdown), keeping its data, port and password
#   scripts/test-postgres.sh resume   # starts a paused server again, on the same port
#   scripts/test-postgres.sh restart  # pause, then resume (the fault tests use pause and resume)
#
# `start` writes DELEGATION_TEST_POSTGRES to "<state>.env" (mode 600) and prints it as an export line, so
#   eval "$(scripts/test-postgres.sh start)"
# sets it in the current shell. <state> is $DELEGATION_PG_STATE, by default ${TMPDIR:-/tmp}/delegation-pg;
# test.sh gives every run its own, so concurrent runs (other work trees) never stop each other's server.
# Installs Debian's `postgresql` package when no initdb is found (as root; otherwise says what to run).
set -euo pipefail

state=${DELEGATION_PG_STATE:-${TMPDIR:-/tmp}/delegation-pg}
env_file="$state.env"
data="$state/data"
log="$state/server.log"
os_user=delegation-pg
db_user=delegation
db_name=delegation

say() { echo "test-postgres: $*" >&2; }
die() { say "$*"; exit 1; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  return 1
}

ensure_installed() {
  if bin=$(find_bin); then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    die "PostgreSQL is not installed. Run: sudo apt-get update && sudo apt-get install -y postgresql"
  fi
  say "installing Debian's postgresql package"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  bin=$(find_bin) || die "the postgresql package is installed but no initdb was found under /usr/lib/postgresql"
}

# Runs a PostgreSQL binary as the unprivileged owner of the data directory (the current user unless root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$os_user" -- "$@")
  else
    "$@"
  fi
}

ensure_os_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id "$os_user" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$os_user"
}

server_options() {
  echo "-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories='$state' -c max_connections=300"
}

running() {
  local b
  b=$(find_bin) || return 1
  [ -f "$data/PG_VERSION" ] && [ -f "$env_file" ] && as_owner "$b/pg_ctl" -D "$data" status >/dev/null 2>&1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  if running; then
    say "reusing the server in $state"
    cat "$env_file"
    return 0
  fi

  ensure_installed
  ensure_os_user
  rm -rf "$state" "$env_file"
  mkdir -p "$state"
  chmod 700 "$state"
  [ "$(id -u)" -ne 0 ] || chown "$os_user:" "$state"

  local password
  password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (umask 077 && printf '%s\n' "$password" > "$state/pwfile")
  [ "$(id -u)" -ne 0 ] || chown "$os_user:" "$state/pwfile"
  # --no-sync: a throwaway cluster need not survive a power cut; the server itself keeps fsync on.
  as_owner "$bin/initdb" -D "$data" -U "$db_user" --pwfile="$state/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$state/initdb.log" 2>&1 ||
    { cat "$state/initdb.log" >&2; die "initdb failed"; }
  rm -f "$state/pwfile"

  # A free port: probe from a random start, and try again if another process takes it first.
  local port attempt
  for attempt in $(seq 1 20); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_in_use "$port" && continue
    if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start -o "$(server_options "$port")" >/dev/null; then
      break
    fi
    port=
    grep -q "could not bind\|Address already in use" "$log" 2>/dev/null || { tail -n 30 "$log" >&2 || true; die "the server did not start"; }
  done
  [ -n "$port" ] || die "found no free port for the server"
  echo "$port" > "$state/port"

  PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $db_name" >/dev/null
  (umask 077 && printf "export DELEGATION_TEST_POSTGRES='Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s'\n" \
    "$port" "$db_user" "$password" "$db_name" > "$env_file")
  say "PostgreSQL ($("$bin/postgres" --version | awk '{print $3}')) runs on 127.0.0.1:$port, data in $data; connection string in $env_file"
  cat "$env_file"
}

stop() {
  if [ -f "$data/PG_VERSION" ] && b=$(find_bin); then
    as_owner "$b/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$state" "$env_file"
}

# Stops the postmaster but keeps everything needed to start it again as it was.
pause() {
  [ -f "$data/PG_VERSION" ] && [ -f "$state/port" ] || die "no server started by this script in $state"
  bin=$(find_bin) || die "PostgreSQL is not installed"
  as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || die "the server did not stop"
}

resume() {
  [ -f "$data/PG_VERSION" ] && [ -f "$state/port" ] || die "no server started by this script in $state"
  bin=$(find_bin) || die "PostgreSQL is not installed"
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start -o "$(server_options "$(cat "$state/port")")" >/dev/null ||
    { tail -n 30 "$log" >&2 || true; die "the server did not start again"; }
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  pause) pause ;;
  resume) resume ;;
  restart) pause; resume ;;
  *) echo "usage: $0 start|stop|status|pause|resume|restart" >&2; exit 2 ;;
esac
