#!/usr/bin/env bash
# Measures, in one run on this machine, a cluster of silos (three by default) in one Orleans cluster on Redis
# membership, each store beside its own server's benchmark on the same throwaway server in the same run:
#
#   scripts/measure-cluster.sh [postgres|redis|both]      # default: postgres
#
#   postgres  one throwaway PostgreSQL (scripts/test-postgres.sh: fsync on, synchronous_commit on) and one
#             throwaway Redis for membership only. Baseline: pgbench's simple-update TPS (pgbench -N -j 2 -T 20),
#             at 4 clients (as in earlier runs) and at 16 (the generator's workers).
#   redis     one throwaway Redis (scripts/test-redis.sh: appendonly yes, appendfsync always) holding the store and
#             the membership. Baseline: redis-benchmark SET on that server at 16 clients (the generator's workers),
#             50 (its default) and 1 (one fsync per SET, no group commit), before the silos start; its keys are
#             flushed before the silos start.
#   both      postgres, then redis, each on its own servers.
#
# Per store, scripts/cluster-bench drives the silos over loopback HTTP: delegations per second and checks with cost
# per second (BENCH_WORKERS=16 workers, BENCH_SECONDS=10 s each, worker w on silo w % silos, after a BENCH_WARMUP=2 s warm-up of
# both that is not counted), then up to BENCH_REVOCATIONS=300 revocations sent through the first silo and timed
# until the second one denies (BENCH_SILOS=3 silos). Between phases it reads the CPU time used by the silos, by the
# server and by the whole machine (/proc; the machine's includes the generator and other people's work), the store's
# feed head and, on Redis, its memory and decision count. Every figure is printed as key=value lines on stdout;
# progress goes to stderr. With BENCH_TRACE=<dir>, dotnet-trace (~/.dotnet/tools, `dotnet tool install -g dotnet-trace`)
# samples the first silo's threads (dotnet-sampled-thread-time, or BENCH_TRACE_ARGS) for BENCH_TRACE_SECONDS=6 s from the 2nd second of each
# throughput phase into <dir>/<store>-<phase>.nettrace (the tracing costs CPU: figures of such a run are not comparable
# with untraced ones). With BENCH_PERF=<dir>, perf (Debian's linux-perf) records every silo's CPU (999 Hz, call graphs;
# the silos write perf maps, DOTNET_PerfMapEnabled=1) over the same window into <dir>/<store>-<phase>.perf: read it
# with `perf report -i <file> --no-children --sort sym` after copying the silos' maps (<dir>/perf-*.map) back to
# /tmp. The silos run from a copy of the Release build, so a rebuild in this checkout cannot change them mid-run. Everything it starts (servers, silos) it stops, by pid or through the scripts that started them.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

mode=${1:-postgres}
case "$mode" in postgres|redis|both) ;; *) echo "usage: $0 [postgres|redis|both]" >&2; exit 2 ;; esac
seconds=${BENCH_SECONDS:-10}
workers=${BENCH_WORKERS:-16}
silo_count=${BENCH_SILOS:-3}
revocations=${BENCH_REVOCATIONS:-300}
warmup=${BENCH_WARMUP:-2}

work=$(mktemp -d)
chmod 755 "$work"
export DELEGATION_PG_STATE DELEGATION_REDIS_STATE
silo_pids=()
perf_mapped=()
stop_silos() {
  local pid
  for pid in "${silo_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${silo_pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  silo_pids=()
}
stop_servers() {
  if [ -n "${DELEGATION_PG_STATE:-}" ]; then scripts/test-postgres.sh stop; fi
  if [ -n "${DELEGATION_REDIS_STATE:-}" ]; then scripts/test-redis.sh stop; fi
  DELEGATION_PG_STATE= DELEGATION_REDIS_STATE=
}
cleanup() {
  local pid
  for pid in ${BENCH_PERF:+"${perf_mapped[@]}"}; do mv -f "/tmp/perf-$pid.map" "/tmp/perfinfo-$pid.map" "$BENCH_PERF/" 2>/dev/null || true; done
  stop_silos
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT

say() { echo "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
tck=$(getconf CLK_TCK)

# CPU time (user + system, in clock ticks) of the given processes, all their threads; with a leading "+", of the
# first one's exited children too (PostgreSQL's backends, reaped by the postmaster). Processes gone count 0.
ticks() {
  local total=0 pid f with_children=0
  if [ "${1:-}" = "+" ]; then with_children=1; shift; fi
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    read -r -a f <<<"$(sed 's/^.*) //' "/proc/$pid/stat")" || continue
    total=$((total + f[11] + f[12]))
    if [ "$with_children" = 1 ]; then total=$((total + f[13] + f[14])); with_children=0; fi
  done
  echo "$total"
}
# Busy CPU time of the whole machine (every process, in clock ticks): user, nice, system, irq, softirq, steal.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
seconds_of() { awk -v t="$1" -v h="$tck" 'BEGIN { printf "%.2f", t / h }'; }

say "load average before: $(load)"
dotnet build silo -c Release -nologo -v q >/dev/null
dotnet build scripts/cluster-bench -c Release -nologo -v q >/dev/null
cp -r silo/bin/Release/net10.0 "$work/silo"
cp -r scripts/cluster-bench/bin/Release/net10.0 "$work/bench"
# Only the silos (started below) write perf maps, into /tmp/perf-<pid>.map; cleanup moves them into $BENCH_PERF.
if [ -n "${BENCH_PERF:-}" ]; then export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; fi
admin=$(openssl rand -hex 32)
enforcer=$(openssl rand -hex 32)

# Starts $silo_count silos on store $1 (redis | postgres; connection string $2), membership on $DELEGATION_TEST_REDIS.
start_silos() {
  local store=$1 connection=$2 i name port letters=abcdefghijklmnopqrstuvwxyz
  urls=()
  for i in $(seq 0 $((silo_count - 1))); do
    name=silo-${letters:$i:1}
    port=$(free_port)
    Delegation__Cluster=redis ConnectionStrings__Redis="$DELEGATION_TEST_REDIS" Delegation__Orleans__AdvertisedAddress=127.0.0.1 \
      Delegation__Orleans__SiloPort=$(free_port) Delegation__Orleans__GatewayPort=$(free_port) Delegation__Orleans__ClusterId=cluster-bench-$store \
      Delegation__Store=$store ConnectionStrings__Postgres="$connection" \
      Delegation__AdminKey=$admin Delegation__EnforcerKeys__0=$enforcer Delegation__SiloName=$name \
      Delegation__DataDir="$work/$store-$name" Logging__LogLevel__Default=Warning \
      dotnet "$work/silo/Delegation.Silo.dll" --urls "http://127.0.0.1:$port" >"$work/$store-$name.log" 2>&1 &
    silo_pids+=($!)
    perf_mapped+=($!)
    urls+=("http://127.0.0.1:$port")
  done
  local url up
  for url in "${urls[@]}"; do
    up=0
    for _ in $(seq 1 300); do if curl -sf "$url/healthz" >/dev/null; then up=1; break; fi; sleep 0.2; done
    [ "$up" = 1 ] || { say "a silo at $url did not start; its log:"; tail -n 40 "$work"/$store-*.log >&2; exit 1; }
  done
}

# Warms the silos up (JIT, connections, activations) with a short run of the two throughput phases, not counted.
warm_up() {
  dotnet "$work/bench/ClusterBench.dll" "${urls[@]}" "$admin" "$enforcer" "$warmup" "$workers" --phases delegations,checks >/dev/null 2>&1
}

# The silos' CPU while nothing is sent (Orleans' membership and timers, telemetry, the feed followers' idle reads, and
# what the JIT still compiles after the warm-up), over BENCH_IDLE=5 s: printed as idle_phase.
idle() {
  local before seconds=${BENCH_IDLE:-5}
  before=$(ticks "${silo_pids[@]}")
  if [ -n "${BENCH_PERF:-}" ]; then
    mkdir -p "$BENCH_PERF"
    perf record -q -F 999 -g -p "$(IFS=,; echo "${silo_pids[*]}")" -o "$BENCH_PERF/$store_name-idle.perf" -- sleep "$seconds" >/dev/null 2>&1 || say "perf failed while idle"
  else
    sleep "$seconds"
  fi
  echo "idle_phase wall_seconds=$seconds cpu_seconds_silos=$(seconds_of $(( $(ticks "${silo_pids[@]}") - before )))"
}

# Runs one phase of the generator and prints its figures (a rate as a ratio to each baseline of $2, "name=value ..."),
# the CPU seconds used meanwhile by the silos and by the server (server_ticks), the feed's growth (feed_head) and the
# store's own counters (extra_stats: with no argument the counters now, with the earlier counters their growth).
phase() {
  local name=$1 baselines=$2 silo_before server_before machine_before feed_before extra_before out rate ratios="" b started
  started=$(date +%s.%N)
  machine_before=$(machine_ticks)
  silo_before=$(ticks "${silo_pids[@]}")
  server_before=$(server_ticks)
  feed_before=$(feed_head)
  extra_before=$(extra_stats)
  local tracer=
  if [ -n "${BENCH_TRACE:-}" ] && [ "$name" != revocations ]; then
    mkdir -p "$BENCH_TRACE"
    (sleep 2; "${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}" collect -p "${silo_pids[0]}" ${BENCH_TRACE_ARGS:---profile dotnet-sampled-thread-time} \
      --duration "00:00:00:$(printf %02d "${BENCH_TRACE_SECONDS:-6}")" -o "$BENCH_TRACE/$store_name-$name.nettrace" >/dev/null 2>&1) &
    tracer=$!
  fi
  if [ -n "${BENCH_PERF:-}" ] && [ "$name" != revocations ]; then
    mkdir -p "$BENCH_PERF"
    (sleep 2; perf record -q -F 999 -g -p "$(IFS=,; echo "${silo_pids[*]}")" -o "$BENCH_PERF/$store_name-$name.perf" \
      -- sleep "${BENCH_TRACE_SECONDS:-6}" >/dev/null 2>&1) &
    tracer="$tracer $!"
  fi
  out=$(dotnet "$work/bench/ClusterBench.dll" "${urls[@]}" "$admin" "$enforcer" "$seconds" "$workers" \
    --phases "$name" --revocations "$revocations")
  if [ -n "$tracer" ]; then wait $tracer || say "a profiler failed during $name"; fi
  sleep 1   # the decision log writes in batches: let the last one land before the counters are read
  local silo_cpu server_cpu machine_cpu events wall
  machine_cpu=$(seconds_of $(( $(machine_ticks) - machine_before )))
  wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  silo_cpu=$(seconds_of $(( $(ticks "${silo_pids[@]}") - silo_before )))
  server_cpu=$(seconds_of $(( $(server_ticks) - server_before )))
  events=$(( $(feed_head) - feed_before ))
  rate=$(sed -n 's/^[a-z_]*_per_second=//p' <<<"$out")
  if [ -n "$rate" ]; then
    for b in $baselines; do ratios+=" ratio_to_${b%%=*}=$(ratio "$rate" "${b#*=}")"; done
    echo "$out$ratios"
  else
    echo "$out"
  fi
  echo "${name}_phase wall_seconds=$wall cpu_seconds_machine=$machine_cpu cpu_seconds_silos=$silo_cpu cpu_seconds_server=$server_cpu feed_events=$events$(extra_stats "$extra_before" | sed 's/^./ &/')"
}

measure_postgres() {
  store_name=postgres
  DELEGATION_PG_STATE=$work/pg DELEGATION_REDIS_STATE=$work/redis-membership
  eval "$(scripts/test-postgres.sh start)"
  eval "$(scripts/test-redis.sh start)"   # membership only
  field() { tr ';' '\n' <<<"$DELEGATION_TEST_POSTGRES" | sed -n "s/^$1=//p"; }
  export PGHOST=$(field Host) PGPORT=$(field Port) PGUSER=$(field Username) PGPASSWORD=$(field Password)
  local bin tps4 tps16 out
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  "$bin/psql" -d postgres -q -c "CREATE DATABASE pgbench" -c "CREATE DATABASE cluster_bench"
  say "== postgres: pgbench -i; pgbench -N -j 2 -T 20 at 4 and at 16 clients (load average $(load))"
  "$bin/pgbench" -i -q pgbench >/dev/null 2>&1
  for c in 4 16; do
    out=$("$bin/pgbench" -N -c $c -j 2 -T 20 pgbench 2>/dev/null)
    echo "$out" | grep -E "^(tps|latency average)" >&2
    eval "tps$c=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")"
  done
  echo "mode=postgres silos=$silo_count workers=$workers seconds=$seconds load_average_start=\"$(load)\""
  echo "pgbench_simple_update_tps c4=$tps4 c16=$tps16"

  start_silos postgres "${DELEGATION_TEST_POSTGRES/Database=delegation/Database=cluster_bench}"
  local postmaster
  postmaster=$(head -n 1 "$DELEGATION_PG_STATE/data/postmaster.pid")
  # The postmaster, its backends as they are now, and (through the postmaster) the ones that have exited.
  server_ticks() { ticks + "$postmaster" $(ps -o pid= --ppid "$postmaster"); }
  feed_head() { "$bin/psql" -d cluster_bench -tAq -c "SELECT seq FROM feed_head"; }
  extra_stats() { :; }
  say "== postgres: $silo_count silos, $workers workers, $seconds s per phase (load average $(load))"
  warm_up
  idle
  phase delegations "pgbench_c4=$tps4 pgbench_c16=$tps16"
  phase checks "pgbench_c4=$tps4 pgbench_c16=$tps16"
  if [ "$revocations" -gt 0 ] && [ "$silo_count" -gt 1 ]; then
    say "== postgres: revocation through silo A, in force at silo B"
    phase revocations ""
  fi
  echo "load_average_end=\"$(load)\""
  stop_silos
  stop_servers
}

measure_redis() {
  store_name=redis
  DELEGATION_REDIS_STATE=$work/redis
  eval "$(scripts/test-redis.sh start)"
  local host=${DELEGATION_TEST_REDIS%:*} port=${DELEGATION_TEST_REDIS#*:} c16 c50
  rcli() { redis-cli -h "$host" -p "$port" "$@"; }
  say "== redis: $(redis-server --version | cut -d' ' -f3), appendonly $(rcli config get appendonly | tail -n 1), appendfsync $(rcli config get appendfsync | tail -n 1)"
  say "== redis: redis-benchmark -t set -r 100000 at 1, 16 and 50 clients (load average $(load))"
  bench() { timeout 120 redis-benchmark -h "$host" -p "$port" -t set -r 100000 -c "$1" -n "$2" --csv | sed -n 's/^"SET","\([0-9.]*\)".*/\1/p'; }
  c1=$(bench 1 3000)   # one client: a round trip plus one fsync per SET (no group commit)
  c16=$(bench 16 60000)
  c50=$(bench 50 120000)
  [ -n "$c1" ] && [ -n "$c16" ] && [ -n "$c50" ] || { say "redis-benchmark did not finish in time"; exit 1; }
  rcli flushall >/dev/null
  echo "mode=redis silos=$silo_count workers=$workers seconds=$seconds load_average_start=\"$(load)\""
  echo "redis_benchmark_set_rps c1=$c1 c16=$c16 c50=$c50"

  start_silos redis ""
  local server
  server=$(cat "$DELEGATION_REDIS_STATE/redis.pid")
  server_ticks() { ticks "$server"; }
  feed_head() { local h; h=$(rcli get dlg:feed:head); echo "${h:-0}"; }
  extra_stats() {
    local memory decisions
    memory=$(rcli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
    decisions=$(rcli zcard dlg:decisions:all)
    if [ $# -eq 0 ]; then echo "$memory $decisions"; return; fi
    read -r m0 d0 <<<"$1"
    echo "used_memory_delta=$((memory - m0)) decisions_added=$((decisions - d0))"
  }
  say "== redis: $silo_count silos, $workers workers, $seconds s per phase (load average $(load))"
  warm_up
  idle
  phase delegations "set_c16=$c16 set_c50=$c50"
  phase checks "set_c16=$c16 set_c50=$c50"
  if [ "$revocations" -gt 0 ] && [ "$silo_count" -gt 1 ]; then
    say "== redis: revocation through silo A, in force at silo B"
    phase revocations ""
  fi
  echo "used_memory_end=$(rcli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p') feed_head_end=$(feed_head) decisions_end=$(rcli zcard dlg:decisions:all)"
  echo "load_average_end=\"$(load)\""
  stop_silos
  stop_servers
}

case "$mode" in
  postgres) measure_postgres ;;
  redis) measure_redis ;;
  both) measure_postgres; measure_redis ;;
esac
say "load average after: $(load)"
