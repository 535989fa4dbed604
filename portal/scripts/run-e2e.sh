#!/usr/bin/env bash
# Runs the portal's browser tests against a fresh server:
#   portal/scripts/run-e2e.sh BUILD_DIR [playwright args...]
# Starts BUILD_DIR/tools/ledger serve --demo on a free loopback port with a new data directory, waits for /healthz,
# runs `npx playwright test` with Debian's chromium, stops the server and exits with Playwright's status.
# Screenshots and reports go to $LEDGER_E2E_OUTPUT (default: portal/test-results).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [playwright args...]" >&2
  exit 2
fi
build="$(cd "$1" && pwd)"
shift
portal="$(cd "$(dirname "$0")/.." && pwd)"
ledger="$build/tools/ledger"

if [[ ! -x "$ledger" ]]; then
  echo "run-e2e: $ledger not found; build the ledger target first" >&2
  exit 1
fi
if [[ ! -x /usr/bin/chromium ]]; then
  echo "run-e2e: /usr/bin/chromium is missing (apt-get install chromium, or scripts/install-deps)" >&2
  exit 1
fi
if [[ ! -d "$portal/node_modules/@playwright/test" ]]; then
  echo "run-e2e: portal npm packages missing (scripts/install-deps, or npm ci in portal/)" >&2
  exit 1
fi

data="$(mktemp -d "${TMPDIR:-/tmp}/ledger-e2e.XXXXXX")"
log="$data.server.log"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
password="e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
url="http://127.0.0.1:$port"

"$ledger" serve --data "$data/store" --listen "127.0.0.1:$port" --demo --demo-password "$password" >"$log" 2>&1 &
server_pid=$!

# The demo history is generated on first start, so allow it time.
ready=0
for _ in $(seq 1 600); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('$url/healthz', timeout=1)" 2>/dev/null; then ready=1; break; fi
  sleep 0.2
done
if [[ $ready -ne 1 ]]; then
  echo "run-e2e: the server did not become healthy at $url/healthz; its log:" >&2
  tail -n 50 "$log" >&2 || true
  exit 1
fi

status=0
(
  cd "$portal"
  LEDGER_URL="$url" LEDGER_DEMO_PASSWORD="$password" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npx --no-install playwright test -c tests/playwright.config.mjs "$@"
) || status=$?

if [[ $status -ne 0 ]]; then
  echo "run-e2e: browser tests failed (status $status); last lines of the server log:" >&2
  tail -n 30 "$log" >&2 || true
fi
rm -f "$log"
exit $status
