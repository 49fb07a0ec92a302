#!/usr/bin/env bash
# Measures what telemetry costs the check path: remote checks per second (POST /v1/check over HTTP keep-alive, the
# load test's `remote` scenario against a silo process) with metrics and tracing off vs on, alternating in one run.
#
#   scripts/measure-telemetry.sh [ROUNDS] [SECONDS]      # defaults: 3 rounds, 6 s per measured operation
#
#   off: Delegation__Telemetry__Metrics=false, Delegation__Telemetry__Tracing=false (no meter provider, no tracer provider)
#   on:  the defaults (metrics on: Orleans', ASP.NET Core's, the runtime's and ours, with the Prometheus endpoint, scraped
#        every 5 s here as Prometheus would) plus tracing at the default sample ratio (0.1) exported over OTLP
#        http/protobuf to a local sink that answers 200 and discards (so export costs what it costs, nothing more).
#
# Each round starts a fresh silo (memory store) for each side, off first then on, and runs the load test against it;
# the rounds alternate so that the shared machine's load falls on both sides alike. Needs the silo and the load test
# built in Release (dotnet build Delegation.sln -c Release). Prints each round's checks/s and p50/p99, and the medians.
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
seconds=${2:-6}
silo="$repo/silo/bin/Release/net10.0/Delegation.Silo.dll"
load="$repo/loadtest/Delegation.LoadTest/bin/Release/net10.0/Delegation.LoadTest.dll"
for f in "$silo" "$load"; do
  [[ -f "$f" ]] || { echo "no $f: build first (dotnet build Delegation.sln -c Release)" >&2; exit 1; }
done

work=$(mktemp -d)
pid= sink= scraper=
stop() {
  for p in $scraper $pid; do kill -TERM "$p" 2>/dev/null || true; done
  for p in $scraper $pid; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  pid= scraper=
}
cleanup() {
  stop
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
start_silo() { # side
  local side=$1 port dir
  port=$(free_port); dir="$work/$side-$round"; mkdir -p "$dir"
  local env=(Delegation__Store=memory "Delegation__DataDir=$dir" "Delegation__AdminKey=$admin"
    "Delegation__Orleans__SiloPort=$(free_port)" "Delegation__Orleans__GatewayPort=$(free_port)" Logging__LogLevel__Default=Warning)
  if [[ $side == off ]]; then
    env+=(Delegation__Telemetry__Metrics=false Delegation__Telemetry__Tracing=false)
  else
    env+=(Delegation__Telemetry__Tracing=true "Delegation__Telemetry__OtlpEndpoint=http://127.0.0.1:$otlp_port" Delegation__Telemetry__OtlpProtocol=http/protobuf)
  fi
  env "${env[@]}" dotnet "$silo" --urls "http://127.0.0.1:$port" >"$dir/silo.log" 2>&1 &
  pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -sf "$url/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sf "$url/readyz" >/dev/null || { echo "the $side silo did not become ready; its log:" >&2; cat "$dir/silo.log" >&2; exit 1; }
  if [[ $side == on ]]; then
    (while sleep 5; do curl -sf -H "Authorization: Bearer $admin" "$url/metrics" >/dev/null || true; done) &
    scraper=$!
  fi
}

declare -A rates
for round in $(seq 1 "$rounds"); do
  for side in off on; do
    start_silo "$side"
    out="$work/result-$side-$round"
    dotnet "$load" remote --url "$url" --admin-key "$admin" -d "$seconds" --warmup 2 --mode closed --out "$out" >"$out.txt" 2>&1 \
      || { echo "load test failed:" >&2; cat "$out.txt" >&2; exit 1; }
    line=$(python3 - "$out/remote.json" <<'PY'
import json, sys
def rows(node):
    if isinstance(node, dict):
        keys = {k.lower(): v for k, v in node.items()}
        if keys.get("name") == "POST /v1/check" and "operations" in keys:
            yield keys
        for v in node.values(): yield from rows(v)
    elif isinstance(node, list):
        for v in node: yield from rows(v)
row = next(rows(json.load(open(sys.argv[1]))))
lat = {k.lower(): v for k, v in row["latency"].items()}
print(f"{row['operations'] / row['seconds']:.0f} {lat.get('p50', 0)} {lat.get('p99', 0)} {row['errors']}")
PY
)
    read -r rate p50 p99 errors <<<"$line"
    echo "round $round $side: $rate checks/s, p50 $(awk "BEGIN{printf \"%.2f\", $p50/1e6}") ms, p99 $(awk "BEGIN{printf \"%.2f\", $p99/1e6}") ms, errors $errors"
    rates[$side]+="$rate "
    stop
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${rates[off]}" "${rates[on]}" <<'PY'
import sys, statistics
off = [float(x) for x in sys.argv[1].split()]; on = [float(x) for x in sys.argv[2].split()]
mo, mn = statistics.median(off), statistics.median(on)
print(f"checks/s off: {off} median {mo:,.0f}")
print(f"checks/s on:  {on} median {mn:,.0f}")
print(f"on/off: {mn/mo:.3f} ({(mn/mo-1)*100:+.1f}%)")
PY
