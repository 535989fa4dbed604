#!/usr/bin/env bash
# The API contract test, with tools nobody here wrote:
#   tests/contract/run-contract.sh BUILD_DIR
# Starts BUILD_DIR/tools/ledger serve --demo on a free loopback port with a new data directory, waits for
# /healthz, then
#   a. downloads GET /api/v1/openapi.json;
#   b. lints it with Redocly CLI (redocly.yaml: recommended plus our rules): 0 errors, warnings counted;
#   c. generates its TypeScript types with openapi-typescript (schema.d.ts, in the work directory);
#   d. type-checks client.ts against them (tsc --noEmit, strict: tsconfig.json);
#   e. compiles client.ts and runs it: one claim from draft to paid through openapi-fetch, every response
#      validated with ajv against what the document declares for its operation, status and content type.
# Every step runs even when an earlier one failed (except those that need its output), so that one run shows
# everything the document gets wrong; the script exits 1 if any step failed. The work directory (the document,
# lint report, types, compiled client) is $LEDGER_CONTRACT_WORK, default BUILD_DIR/tests/contract/work;
# it is replaced on each run and kept afterwards to look at.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
ledger="$build/tools/ledger"

if [[ ! -x "$ledger" ]]; then
  echo "run-contract: $ledger not found; build the ledger target first" >&2
  exit 1
fi
for package in @redocly/cli openapi-typescript openapi-fetch typescript ajv ajv-formats; do
  if [[ ! -d "$here/node_modules/$package" ]]; then
    echo "run-contract: tests/contract npm packages missing (scripts/install-deps, or npm ci in tests/contract/)" >&2
    exit 1
  fi
done

work="${LEDGER_CONTRACT_WORK:-$build/tests/contract/work}"
rm -rf "$work"
mkdir -p "$work/out"
# shellcheck source=scripts/demo-server.sh
source "$here/../../scripts/demo-server.sh"
start_demo_server "$ledger" run-contract || exit 1
url="$demo_url"
password="$demo_password"
server_log_tail() { demo_log_tail 40; }

# Quiet, offline tools: no telemetry, no update checks, nothing fetched by npx.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1 NO_COLOR=1
npx=(npx --no-install --prefix "$here")
failed=()
step() { echo; echo "== contract: $* (at ${SECONDS}s)"; }
fail() { echo "run-contract: FAILED: $*" >&2; failed+=("$1"); }

# a. The document, as served.
step "a. GET /api/v1/openapi.json"
doc="$work/openapi.json"
if ! python3 - "$url/api/v1/openapi.json" "$doc" <<'EOF'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
    status, ctype, body = r.status, r.headers.get("Content-Type", ""), r.read()
if status != 200 or not ctype.split(";")[0].strip().lower() == "application/json":
    sys.exit(f"answered {status} {ctype!r}, not 200 application/json")
doc = json.loads(body)
if not isinstance(doc, dict) or not str(doc.get("openapi", "")).startswith("3.1."):
    sys.exit(f"not an OpenAPI 3.1 document (openapi: {doc.get('openapi') if isinstance(doc, dict) else '?'!r})")
open(sys.argv[2], "wb").write(body)
print(f"{len(body)} bytes, OpenAPI {doc['openapi']}, {len(doc.get('paths', {}))} paths, "
      f"{len(doc.get('components', {}).get('schemas', {}))} component schemas")
EOF
then
  fail "a (download)"
  server_log_tail
  exit 1
fi

# b. Redocly lint: the problems as a report (codeframes for errors), the counts from its JSON.
step "b. redocly lint (tests/contract/redocly.yaml)"
lint_status=0
"${npx[@]}" redocly lint --config "$here/redocly.yaml" --format=json --max-problems 100000 "$doc" \
  >"$work/lint.json" 2>"$work/lint.stderr" || lint_status=$?
if ! node - "$work/lint.json" "$lint_status" <<'EOF'
const fs = require('node:fs')
const [file, status] = process.argv.slice(2)
let report
try { report = JSON.parse(fs.readFileSync(file, 'utf8')) } catch (e) {
  console.error(`redocly lint gave no report (exit ${status}): ${e.message}`); process.exit(1)
}
const { errors, warnings } = report.totals
const byRule = {}
for (const p of report.problems) {
  const key = `${p.severity} ${p.ruleId}`
  ;(byRule[key] ??= []).push(p)
}
for (const [key, problems] of Object.entries(byRule).sort()) {
  console.log(`${key}: ${problems.length}`)
  if (key.startsWith('error')) {
    for (const p of problems.slice(0, 15)) {
      const where = p.location?.[0]?.pointer ?? ''
      console.log(`    ${where}: ${p.message}`)
    }
    if (problems.length > 15) console.log(`    ... and ${problems.length - 15} more (${file})`)
  }
}
console.log(`redocly lint: ${errors} error(s), ${warnings} warning(s)`)
process.exit(errors === 0 && Number(status) === 0 ? 0 : 1)
EOF
then
  sed -n '/./p' "$work/lint.stderr" | grep -v '[║╔╚]' | tail -n 20 >&2 || true
  fail "b (redocly lint)"
fi

# c. Types from the document. openapi-typescript validates with Redocly too, with the redocly.yaml of the
# directory it runs in unless told otherwise: it gets `minimal` (the document's structure), since the lint of
# step b is reported there and types are still worth generating from a document that fails it.
step "c. openapi-typescript"
types_ok=0
printf 'extends:\n  - minimal\n' >"$work/redocly-typegen.yaml"
if "${npx[@]}" openapi-typescript "$doc" --output "$work/schema.d.ts" --redocly "$work/redocly-typegen.yaml" \
  >"$work/typegen.log" 2>&1; then
  types_ok=1
  echo "$(wc -l <"$work/schema.d.ts") lines in $work/schema.d.ts"
else
  cat "$work/typegen.log" >&2
  fail "c (openapi-typescript)"
fi

if [[ $types_ok -eq 1 ]]; then
  # The client is compiled where the types are: a tsconfig extending ours maps `ledger-openapi` to them, and the
  # compiled ESM finds its packages through a node_modules link beside it.
  cat >"$work/tsconfig.json" <<EOF
{
  "extends": "$here/tsconfig.json",
  "compilerOptions": {
    "rootDir": "$here",
    "outDir": "$work/out",
    "typeRoots": ["$here/node_modules/@types"],
    "paths": { "ledger-openapi": ["$work/schema.d.ts"] }
  },
  "files": ["$here/client.ts"]
}
EOF
  ln -s "$here/node_modules" "$work/node_modules"
  echo '{"type": "module"}' >"$work/out/package.json"

  # d. Strict type-check of the client against the generated types.
  step "d. tsc --noEmit (strict) of client.ts against the generated types"
  if (cd "$here" && "${npx[@]}" tsc --noEmit --pretty false -p "$work/tsconfig.json") >"$work/tsc.log" 2>&1; then
    echo "client.ts type-checks"
  else
    head -n 60 "$work/tsc.log"
    echo "tsc: $(grep -c 'error TS' "$work/tsc.log") error(s) (all in $work/tsc.log)"
    fail "d (tsc --noEmit)"
  fi

  # e. Compile (types were checked above, so the run still happens when only they failed) and run the walk.
  step "e. client.ts: a claim from draft to paid, every response validated against the document"
  if ! "${npx[@]}" tsc --noCheck -p "$work/tsconfig.json" >"$work/compile.log" 2>&1; then
    cat "$work/compile.log" >&2
    fail "e (compile client.ts)"
  elif ! LEDGER_URL="$url" LEDGER_DEMO_PASSWORD="$password" LEDGER_OPENAPI="$doc" \
      node "$work/out/client.js"; then
    fail "e (client run)"
  fi
fi

echo
if ((${#failed[@]})); then
  echo "run-contract: ${#failed[@]} step(s) failed: ${failed[*]}" >&2
  server_log_tail
  exit 1
fi
echo "run-contract: every step passed"
