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

# shellcheck source=scripts/demo-server.sh
source "$portal/../scripts/demo-server.sh"
start_demo_server "$ledger" run-e2e || exit 1
url="$demo_url"
password="$demo_password"

status=0
(
  cd "$portal"
  LEDGER_URL="$url" LEDGER_DEMO_PASSWORD="$password" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npx --no-install playwright test -c tests/playwright.config.mjs "$@"
) || status=$?

if [[ $status -ne 0 ]]; then
  echo "run-e2e: browser tests failed (status $status)" >&2
  demo_log_tail 30
fi
exit $status
