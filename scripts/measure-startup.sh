#!/usr/bin/env bash
# Measures silo start time: from starting
#   dotnet <repo>/silo/bin/Release/net10.0/Delegation.Silo.dll --urls http://127.0.0.1:<free port>
# (memory store, a fresh admin key, the Orleans silo and gateway ports on free loopback ports) until GET /healthz
# answers 200, RUNS times one after another, and prints each time and the median.
#
#   scripts/measure-startup.sh [REPO_DIR] [RUNS]     # defaults: this repository, 5 runs
#
# REPO_DIR is a checkout whose silo is already built in Release (dotnet build silo -c Release), e.g. a worktree of an
# older commit; the script builds nothing. Every silo it starts listens on 127.0.0.1 only and is stopped (SIGTERM,
# then SIGKILL after 10 s) before the next starts, and on any exit. Polling every 10 ms, so a figure is known to
# within about 10 ms plus one curl start.
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
runs=${2:-5}
dll="$repo/silo/bin/Release/net10.0/Delegation.Silo.dll"
if [[ ! -f "$dll" ]]; then
  echo "no $dll: build it first (cd $repo && dotnet build silo -c Release)" >&2
  exit 1
fi
if ! [[ "$runs" =~ ^[0-9]+$ ]] || ((runs < 1 || runs > 50)); then
  echo "RUNS must be between 1 and 50" >&2
  exit 1
fi

work=$(mktemp -d)
pid=
stop_silo() {
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}
cleanup() {
  stop_silo
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ns() { date +%s%N; }

echo "silo: $dll ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout'))" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
times=()
for run in $(seq 1 "$runs"); do
  http=$(free_port)
  silo_port=$(free_port)
  gateway=$(free_port)
  while [[ "$silo_port" == "$http" ]]; do silo_port=$(free_port); done
  while [[ "$gateway" == "$http" || "$gateway" == "$silo_port" ]]; do gateway=$(free_port); done
  mkdir -p "$work/$run"
  key="startup-$(openssl rand -hex 16)"
  start=$(now_ns)
  # The Orleans ports are ignored by a silo without Orleans (the old runtime). The working directory (the content
  # root, where appsettings.json is read from) is an empty one, so every silo starts on its built-in defaults.
  (cd "$work/$run" && Delegation__Store=memory Delegation__AdminKey="$key" Delegation__DataDir="$work/$run" \
    Delegation__Orleans__SiloPort="$silo_port" Delegation__Orleans__GatewayPort="$gateway" \
    exec dotnet "$dll" --urls "http://127.0.0.1:$http") >"$work/$run.log" 2>&1 &
  pid=$!
  ms=
  for _ in $(seq 1 6000); do # at most about 60 s of 10 ms polls
    if [[ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$http/healthz" || true)" == 200 ]]; then
      ms=$((($(now_ns) - start) / 1000000))
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.01
  done
  if [[ -z "$ms" ]]; then
    echo "run $run: the silo did not answer /healthz 200; its log:" >&2
    tail -n 30 "$work/$run.log" >&2
    exit 1
  fi
  stop_silo
  echo "run $run: ${ms} ms" >&2
  times+=("$ms")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "startup_ms=${times[*]}"
echo "startup_median_ms=$median"
