# A throw-away demo server for the tests that drive one from outside
# (portal/scripts/run-e2e.sh, tests/contract/run-contract.sh). Source it, then
#   start_demo_server LEDGER NAME
# starts `LEDGER serve --demo` on a free loopback port with a new data
# directory and a random demo password, waits for /healthz (the demo history
# is generated on first start), and sets
#   demo_url, demo_password, demo_log (the server's output), demo_pid.
# On exit the server is stopped (TERM, then KILL after 10 s) and its data
# directory removed. Returns 1, with the log's tail on stderr, when the
# server does not become healthy. `demo_log_tail [N]` prints the log's last lines.
# shellcheck shell=bash

demo_pid=""
demo_data=""
demo_log=""

stop_demo_server() {
  if [[ -n "$demo_pid" ]] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$demo_pid" 2>/dev/null || true
  fi
  if [[ -n "$demo_data" ]]; then rm -rf "$demo_data" "$demo_log"; fi
}

demo_log_tail() {
  echo "$demo_name: last lines of the server log:" >&2
  tail -n "${1:-40}" "$demo_log" >&2 || true
}

start_demo_server() {
  local ledger=$1
  demo_name=$2
  demo_data="$(mktemp -d "${TMPDIR:-/tmp}/ledger-$demo_name.XXXXXX")"
  demo_log="$demo_data.server.log"
  trap stop_demo_server EXIT
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  demo_password="$demo_name-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  demo_url="http://127.0.0.1:$port"
  "$ledger" serve --data "$demo_data/store" --listen "127.0.0.1:$port" --demo --demo-password "$demo_password" \
    >"$demo_log" 2>&1 &
  demo_pid=$!
  for _ in $(seq 1 600); do
    if ! kill -0 "$demo_pid" 2>/dev/null; then break; fi
    if python3 -c "import urllib.request; urllib.request.urlopen('$demo_url/healthz', timeout=1)" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "$demo_name: the server did not become healthy at $demo_url/healthz" >&2
  demo_log_tail 50
  return 1
}
