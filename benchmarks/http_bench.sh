#!/usr/bin/env bash
# HTTP benchmark: wrk against a running `ledger serve --demo`, beside nginx
# serving a 100-byte static file on the same machine, with the same wrk
# settings, in the same run.
#
#   benchmarks/http_bench.sh [path/to/ledger]
#
# Measures
#   1. authenticated GET /api/v1/claims/{id}         target: >= 50% of nginx's rate, p99 < 5 ms
#   2. nginx GET of a 100-byte file                   the reference
#   3. claims round the approval cycle (wrk Lua, http_bench_submit.lua): Tier 1 approves, Tier 2 returns,
#      the practice resubmits; every request a command that succeeds
#                                                     target: >= 5,000 submissions/s, >= 30 commands per fsync
#
# Installs wrk and nginx from Debian when missing. Everything it starts (the
# server, nginx) runs on loopback ports from a temporary directory and is
# stopped at the end, whatever happens.
#
# Environment: THREADS (wrk threads, default 2), CONNECTIONS (default 64),
# DURATION (default 10s), LEDGER_PORT (18080), NGINX_PORT (18081), KEEP=1 keeps the temporary directory,
# SERVE_ARGS (more options for `ledger serve`, e.g. "--command-threads 16").
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
ledger="${1:-${LEDGER:-}}"
if [[ -z "$ledger" ]]; then
  for candidate in "$root"/build/tools/ledger "$root"/build-*/tools/ledger; do
    if [[ -x "$candidate" ]]; then ledger="$candidate"; break; fi
  done
fi
[[ -x "$ledger" ]] || { echo "no ledger binary: build it (make) or pass its path" >&2; exit 2; }

threads="${THREADS:-2}"
connections="${CONNECTIONS:-64}"
duration="${DURATION:-10s}"
ledger_port="${LEDGER_PORT:-18080}"
nginx_port="${NGINX_PORT:-18081}"
password="bench-password-2026"
base="http://127.0.0.1:$ledger_port"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null && [[ -x "$(command -v nginx)" ]] || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
if ((${#need[@]})); then
  echo "installing ${need[*]} from Debian..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d /tmp/ledger-http-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -f "$work/nginx.pid" ]]; then kill -QUIT "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  sleep 0.5
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

# ---- nginx with a 100-byte file -------------------------------------------------
mkdir -p "$work/www" "$work/nginx-temp"
head -c 99 /dev/zero | tr '\0' 'x' > "$work/www/file.txt"; echo >> "$work/www/file.txt"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-temp/body;
  proxy_temp_path $work/nginx-temp/proxy;
  fastcgi_temp_path $work/nginx-temp/fastcgi;
  uwsgi_temp_path $work/nginx-temp/uwsgi;
  scgi_temp_path $work/nginx-temp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
EOF
chmod 755 "$work" "$work/www"; chmod 644 "$work/www/file.txt"  # nginx's workers run as an unprivileged user
"$nginx_bin" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$nginx_port/file.txt" >/dev/null && break; sleep 0.1; done
[[ "$(curl -fs "http://127.0.0.1:$nginx_port/file.txt" | wc -c)" == 100 ]] || { echo "nginx does not serve the file"; exit 1; }

# ---- the ledger server with the demo history ---------------------------------------
echo "starting $ledger serve --demo (loading the demo history)..."
"$ledger" serve --demo --data "$work/data" --listen "127.0.0.1:$ledger_port" --demo-password "$password" \
  ${SERVE_ARGS:-} > "$work/serve.out" 2> "$work/serve.log" &
server_pid=$!
for _ in $(seq 1 600); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped:"; tail -20 "$work/serve.log"; exit 1; }
  sleep 0.5
done
curl -fs "$base/healthz" >/dev/null || { echo "the server did not come up"; exit 1; }

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
sign_in() {
  curl -fs -X POST "$base/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$password\"}" | json 'd["token"]'
}
reader_token="$(sign_in practice.user)"
claim_id="$(curl -fs "$base/api/v1/claims?limit=1" -H "Authorization: Bearer $reader_token" | json 'd["claims"][0]["claim_id"]')"
# Claims for last month (their window is open), drafted, submitted and taken once round the cycle by
# http_bench_claims.py: the ones that went round are the benchmark's.
claims_file="$work/claims.txt"
python3 "$here/http_bench_claims.py" "$base" "$password" "$claims_file"
[[ -s "$claims_file" ]] || { echo "no claim can go round the approval cycle"; exit 1; }
metric() { curl -fs "$base/metrics" | awk -v m="$1" '$1==m {print $2}'; }

run_wrk() {  # label, then wrk arguments
  local label="$1"; shift
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" > "$work/$label.txt" 2>&1
  cat "$work/$label.txt" >&2
}
rate() { awk '/^Requests\/sec/ {print $2}' "$work/$1.txt"; }
p99_ms() {
  awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/$1.txt"
}

echo "== nginx: 100-byte static file" >&2
run_wrk nginx "http://127.0.0.1:$nginx_port/file.txt"
echo "== ledger: authenticated GET /api/v1/claims/$claim_id" >&2
run_wrk get_claim -H "Authorization: Bearer $reader_token" "$base/api/v1/claims/$claim_id"

echo "== ledger: claims round the approval cycle ($(wc -l < "$claims_file") claims)" >&2
appends_before="$(metric ledger_appends_total)"; fsyncs_before="$(metric ledger_fsync_batches_total)"
run_wrk submit -s "$here/http_bench_submit.lua" "$base" -- "$claims_file" "$threads"
appends_after="$(metric ledger_appends_total)"; fsyncs_after="$(metric ledger_fsync_batches_total)"

nginx_rate="$(rate nginx)"; get_rate="$(rate get_claim)"
commands="$(awk '/^commands / {print $2}' "$work/submit.txt")"
submissions="$(awk '/^submissions / {print $2}' "$work/submit.txt")"
seconds="$(awk '/^seconds / {print $2}' "$work/submit.txt")"
python3 - "$nginx_rate" "$get_rate" "$(p99_ms nginx)" "$(p99_ms get_claim)" "$(p99_ms submit)" \
  "${commands:-0}" "${submissions:-0}" "${seconds:-1}" "$appends_before" "$appends_after" "$fsyncs_before" \
  "$fsyncs_after" <<'EOF'
import sys
nginx, get, nginx_p99, get_p99, submit_p99, commands, submissions, seconds = sys.argv[1:9]
appends = float(sys.argv[10]) - float(sys.argv[9])
fsyncs = float(sys.argv[12]) - float(sys.argv[11])
nginx, get, seconds = float(nginx), float(get), float(seconds)
print()
print(f"{'measurement':52} {'per s':>10} {'p99 ms':>8}")
print(f"{'nginx, 100-byte static file (requests)':52} {nginx:>10.0f} {float(nginx_p99):>8.2f}")
print(f"{'ledger, authenticated GET /api/v1/claims/{id}':52} {get:>10.0f} {float(get_p99):>8.2f}")
print(f"{'ledger, approval cycle: commands that succeeded':52} {float(commands) / seconds:>10.0f} {float(submit_p99):>8.2f}")
print(f"{'ledger, approval cycle: successful submissions':52} {float(submissions) / seconds:>10.0f}")
print()
print(f"GET claim: {100 * get / nginx:.1f}% of nginx (target >= 50%), p99 {float(get_p99):.2f} ms (target < 5 ms)")
print(f"successful submissions: {float(submissions) / seconds:.0f}/s (target >= 5,000/s); "
      f"{appends / max(fsyncs, 1):.1f} commands per fsync (target >= 30)")
EOF
