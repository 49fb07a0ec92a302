#!/usr/bin/env bash
# Measures, in one run on this machine, against one throwaway PostgreSQL:
#   1. pgbench's simple-update TPS:  pgbench -i, then pgbench -N -c 4 -j 2 -T 20
#   2. delegations created per second and checks with cost per second through two silos on one database
#      (scripts/cluster-bench: 16 workers, 10 s per phase, worker w on silo w % 2, loopback only)
# and prints each silo figure as a ratio to pgbench's TPS. Everything it starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

seconds=${BENCH_SECONDS:-10}
workers=${BENCH_WORKERS:-16}
export DELEGATION_PG_STATE DELEGATION_REDIS_STATE
DELEGATION_PG_STATE="$(mktemp -d)/pg"
DELEGATION_REDIS_STATE="$(dirname "$DELEGATION_PG_STATE")/redis"
chmod 755 "$(dirname "$DELEGATION_PG_STATE")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/test-postgres.sh stop
  scripts/test-redis.sh stop
  rm -rf "$(dirname "$DELEGATION_PG_STATE")"
}
trap cleanup EXIT

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
dotnet build silo -c Release -nologo -v q >/dev/null
dotnet build scripts/cluster-bench -c Release -nologo -v q >/dev/null
eval "$(scripts/test-postgres.sh start)"
# The silos form one Orleans cluster on Redis membership (one activation per tree across them).
eval "$(scripts/test-redis.sh start)"

# The connection string's parts, for pgbench and psql.
field() { tr ';' '\n' <<<"$DELEGATION_TEST_POSTGRES" | sed -n "s/^$1=//p"; }
export PGHOST=$(field Host) PGPORT=$(field Port) PGUSER=$(field Username) PGPASSWORD=$(field Password)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
"$bin/psql" -d postgres -q -c "CREATE DATABASE pgbench" -c "CREATE DATABASE cluster_bench"

echo "== pgbench -i; pgbench -N -c 4 -j 2 -T 20" >&2
"$bin/pgbench" -i -q pgbench >/dev/null 2>&1
pgbench_out=$("$bin/pgbench" -N -c 4 -j 2 -T 20 pgbench 2>/dev/null)
tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$pgbench_out")
echo "$pgbench_out" | grep -E "^(tps|latency average|number of transactions actually processed)" >&2

admin=$(openssl rand -hex 32)
enforcer=$(openssl rand -hex 32)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
urls=()
for name in silo-a silo-b; do
  port=$(free_port)
  Delegation__Cluster=redis ConnectionStrings__Redis="$DELEGATION_TEST_REDIS" Delegation__Orleans__AdvertisedAddress=127.0.0.1 \
    Delegation__Orleans__SiloPort=$(free_port) Delegation__Orleans__GatewayPort=$(free_port) Delegation__Orleans__ClusterId=cluster-bench \
    Delegation__Store=postgres ConnectionStrings__Postgres="${DELEGATION_TEST_POSTGRES/Database=delegation/Database=cluster_bench}" \
    Delegation__AdminKey=$admin Delegation__EnforcerKeys__0=$enforcer Delegation__SiloName=$name \
    Delegation__DataDir="$(dirname "$DELEGATION_PG_STATE")/$name" Logging__LogLevel__Default=Warning \
    dotnet silo/bin/Release/net10.0/Delegation.Silo.dll --urls "http://127.0.0.1:$port" >"$(dirname "$DELEGATION_PG_STATE")/$name.log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$port")
done
for url in "${urls[@]}"; do
  for _ in $(seq 1 300); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
done

echo "== two silos, $workers workers, $seconds s per phase" >&2
bench=$(dotnet scripts/cluster-bench/bin/Release/net10.0/ClusterBench.dll "${urls[0]}" "${urls[1]}" "$admin" "$enforcer" "$seconds" "$workers")
delegations=$(sed -n 's/^delegations_per_second=//p' <<<"$bench")
checks=$(sed -n 's/^checks_with_cost_per_second=//p' <<<"$bench")

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "pgbench_simple_update_tps=$tps"
echo "delegations_per_second=$delegations ratio_to_pgbench=$(ratio "$delegations" "$tps")"
echo "checks_with_cost_per_second=$checks ratio_to_pgbench=$(ratio "$checks" "$tps")"
