#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine: installs what is missing, builds with warnings
# as errors, runs all test projects, and ends with one line "N passed, N failed" for the whole run.
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need dotnet; then
  echo "The .NET 10 SDK is required (dotnet on PATH)." >&2
  exit 1
fi

# The dashboard's browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
if ! need chromium; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build Delegation.sln -c Release -warnaserror -nologo -v q

# docker-compose.yml is validated here (docker-compose config), never run: no Docker engine runs on these machines.
scripts/validate-compose.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The PostgreSQL store tests need a server: unless DELEGATION_TEST_POSTGRES already names one, start a
# throwaway one for this run only (its own directory and port), and stop it on exit.
if [ -z "${DELEGATION_TEST_POSTGRES:-}" ]; then
  export DELEGATION_PG_STATE
  DELEGATION_PG_STATE="$(mktemp -d)/pg"
  chmod 755 "$(dirname "$DELEGATION_PG_STATE")"
  trap 'rm -f "$log"; scripts/test-postgres.sh stop; rm -rf "$(dirname "$DELEGATION_PG_STATE")"' EXIT
  pg_env=$(scripts/test-postgres.sh start)
  eval "$pg_env"
fi
# The multi-silo tests form Orleans clusters on Redis membership: unless DELEGATION_TEST_REDIS already names a
# server, start a throwaway one for this run (its own directory and port, appendfsync always), stopped on exit.
if [ -z "${DELEGATION_TEST_REDIS:-}" ]; then
  export DELEGATION_REDIS_STATE
  DELEGATION_REDIS_STATE="$(mktemp -d)/redis"
  trap 'rm -f "$log"; scripts/test-redis.sh stop; rm -rf "$(dirname "$DELEGATION_REDIS_STATE")"; if [ -n "${DELEGATION_PG_STATE:-}" ]; then scripts/test-postgres.sh stop; rm -rf "$(dirname "$DELEGATION_PG_STATE")"; fi' EXIT
  redis_env=$(scripts/test-redis.sh start)
  eval "$redis_env"
fi
set +e
dotnet test Delegation.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Each test project ends with a block "Total tests: N / Passed: N / Failed: N / Skipped: N"; add them up.
read -r passed failed skipped < <(awk '
  /^Total tests:/ { block = 1; next }
  block && /^[[:space:]]+Passed:/  { p += $2 }
  block && /^[[:space:]]+Failed:/  { f += $2 }
  block && /^[[:space:]]+Skipped:/ { s += $2 }
  /^[[:space:]]*Total time:/ { block = 0 }
  END { print p + 0, f + 0, s + 0 }' "$log")
# The failures again at the end, with the first lines of each message, so that the tail of a long log names them.
if [ "$failed" -ne 0 ]; then
  echo "Failed tests:"
  awk '
    /^[[:space:]]+Failed [^ ]/ { shown = 12; print; next }
    shown > 0 { print; shown-- }' "$log" | cut -c1-300
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
