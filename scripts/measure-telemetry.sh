#!/usr/bin/env bash
# Measures what telemetry costs the check path: remote checks per second (the load test's `remote` scenario,
# POST /v1/check over HTTP keep-alive, 16 connections) against two silo processes at the same time, one with telemetry
# off and one with it on, so that both see the same background load at the same moments (the machine this is
# developed on is shared: its load average moves between 5 and 25 within minutes). Each round starts two fresh silos
# (memory store) and two load tests side by side; the summary is the median over rounds of the paired ratio.
#
#   scripts/measure-telemetry.sh [ROUNDS] [SECONDS] [SIDE]   # defaults: 5 rounds, 5 s per measured row, "on"
#
#   off (the baseline, always): Delegation__Telemetry__Metrics=false, Delegation__Telemetry__Tracing=false
#   metrics: the default configuration: metrics on (ours, Orleans', ASP.NET Core's, the runtime's) with the Prometheus
#            endpoint, scraped every 5 s here as Prometheus would; no tracing (no OTLP endpoint is configured)
#   tracing: metrics off; tracing on at the default sample ratio (0.1), exported over OTLP http/protobuf
#   on:      metrics as in `metrics` plus tracing as in `tracing`
# Spans go to a local sink that answers 200 and discards them, so exporting costs what it costs and nothing more.
# Silo CPU per request is the silo process's user+system time (/proc) over the load test, divided by the requests
# counted in its measured rows (warm-up requests are not counted, alike on both sides).
# Needs the silo and the load test built in Release (dotnet build Delegation.sln -c Release).
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
seconds=${2:-5}
side=${3:-on}
silo="$repo/silo/bin/Release/net10.0/Delegation.Silo.dll"
load="$repo/loadtest/Delegation.LoadTest/bin/Release/net10.0/Delegation.LoadTest.dll"
for f in "$silo" "$load"; do
  [[ -f "$f" ]] || { echo "no $f: build first (dotnet build Delegation.sln -c Release)" >&2; exit 1; }
done
case $side in metrics|tracing|on) ;; *) echo "SIDE must be metrics, tracing or on" >&2; exit 1 ;; esac

work=$(mktemp -d)
pids=() sink=
stop_all() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_all
  [[ -n "$sink" ]] && { kill "$sink" 2>/dev/null || true; wait "$sink" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The OTLP sink: accepts any POST, answers 200 with an empty body (an empty export response is valid protobuf).
otlp_port=$(free_port)
python3 - "$otlp_port" <<'PY' &
import sys, http.server
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200); self.send_header('Content-Type', 'application/x-protobuf'); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Sink).serve_forever()
PY
sink=$!

admin=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
declare -A url silo_pid
start_silo() { # kind round
  local kind=$1 port dir
  port=$(free_port); dir="$work/$kind-$2"; mkdir -p "$dir"
  local env=(Delegation__Store=memory "Delegation__DataDir=$dir" "Delegation__AdminKey=$admin"
    "Delegation__Orleans__SiloPort=$(free_port)" "Delegation__Orleans__GatewayPort=$(free_port)" Logging__LogLevel__Default=Warning)
  local otlp=("Delegation__Telemetry__OtlpEndpoint=http://127.0.0.1:$otlp_port" Delegation__Telemetry__OtlpProtocol=http/protobuf)
  case $kind in
    off) env+=(Delegation__Telemetry__Metrics=false Delegation__Telemetry__Tracing=false) ;;
    metrics) env+=(Delegation__Telemetry__Tracing=false) ;;
    tracing) env+=(Delegation__Telemetry__Metrics=false Delegation__Telemetry__Tracing=true "${otlp[@]}") ;;
    on) env+=(Delegation__Telemetry__Tracing=true "${otlp[@]}") ;;
  esac
  env "${env[@]}" dotnet "$silo" --urls "http://127.0.0.1:$port" >"$dir/silo.log" 2>&1 &
  silo_pid[$kind]=$!
  pids+=($!)
  url[$kind]="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -sf "${url[$kind]}/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sf "${url[$kind]}/readyz" >/dev/null || { echo "the $kind silo did not become ready; its log:" >&2; cat "$dir/silo.log" >&2; exit 1; }
  if [[ $kind == on || $kind == metrics ]]; then
    (while sleep 5; do curl -sf -H "Authorization: Bearer $admin" "${url[$kind]}/metrics" >/dev/null || true; done) &
    pids+=($!)
  fi
}

# The silo process's CPU time (user + system, in clock ticks).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# "<checks/s> <p50 ns> <p99 ns> <errors> <requests in measured rows>" from a remote.json.
read_report() {
  python3 - "$1" <<'PY'
import json, sys
def rows(node):
    if isinstance(node, dict):
        if {"name", "operations", "seconds"} <= {k.lower() for k in node}:
            yield {k.lower(): v for k, v in node.items()}
        for v in node.values(): yield from rows(v)
    elif isinstance(node, list):
        for v in node: yield from rows(v)
all_rows = list(rows(json.load(open(sys.argv[1]))))
row = next(r for r in all_rows if r["name"] == "POST /v1/check")
lat = {k.lower(): v for k, v in row["latency"].items()}
print(f"{row['operations'] / row['seconds']:.0f} {lat['p50']} {lat['p99']} {row['errors']} {sum(r['operations'] for r in all_rows)}")
PY
}

ticks=$(getconf CLK_TCK)
ratios=()
for round in $(seq 1 "$rounds"); do
  # Alternate which silo starts first, so neither always has the warmer caches.
  if ((round % 2)); then order=(off "$side"); else order=("$side" off); fi
  for kind in "${order[@]}"; do start_silo "$kind" "$round"; done
  declare -A before load_pid
  for kind in off "$side"; do
    before[$kind]=$(cpu_ticks "${silo_pid[$kind]}")
    dotnet "$load" remote --url "${url[$kind]}" --admin-key "$admin" -c 16 -d "$seconds" --warmup 2 --mode closed \
      --out "$work/result-$kind-$round" >"$work/result-$kind-$round.txt" 2>&1 &
    load_pid[$kind]=$!
  done
  declare -A rate cpu_us line
  for kind in off "$side"; do
    wait "${load_pid[$kind]}" || { echo "load test ($kind) failed:" >&2; cat "$work/result-$kind-$round.txt" >&2; exit 1; }
    after=$(cpu_ticks "${silo_pid[$kind]}")
    read -r r p50 p99 errors total <<<"$(read_report "$work/result-$kind-$round/remote.json")"
    rate[$kind]=$r
    cpu_us[$kind]=$(awk "BEGIN{printf \"%.1f\", ($after - ${before[$kind]}) / $ticks * 1e6 / $total}")
    line[$kind]="$r checks/s, p50 $(awk "BEGIN{printf \"%.2f\", $p50/1e6}") ms, p99 $(awk "BEGIN{printf \"%.2f\", $p99/1e6}") ms, errors $errors, silo CPU ${cpu_us[$kind]} us/request"
  done
  echo "round $round  off: ${line[off]}"
  echo "round $round  $side: ${line[$side]}"
  ratios+=("${rate[$side]} ${rate[off]} ${cpu_us[$side]} ${cpu_us[off]}")
  stop_all
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$side" "${ratios[@]}" <<'PY'
import sys, statistics
side, rounds = sys.argv[1], [list(map(float, r.split())) for r in sys.argv[2:]]
rate = [r[0] / r[1] for r in rounds]; cpu = [r[2] / r[3] for r in rounds]
print(f"{side}/off checks/s per round: {', '.join(f'{x:.3f}' for x in rate)}; median {statistics.median(rate):.3f}")
print(f"{side}/off silo CPU per request per round: {', '.join(f'{x:.3f}' for x in cpu)}; median {statistics.median(cpu):.3f}")
PY
