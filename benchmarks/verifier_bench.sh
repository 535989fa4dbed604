#!/usr/bin/env bash
# The auditors' verifier's throughput: how fast `ledger-verifier` checks what
# the ledger proves (docs/auditing.md), on a simulated history.
#
#   benchmarks/verifier_bench.sh [CLAIMS]
#
# Builds a history with `ledger simulate` (one month, 60 practices) in a
# temporary directory, gives it a signing key as `ledger serve` would, saves
# `ledger prove --claim` for CLAIMS claims (default 200), then times
# `ledger-verifier claim` over every saved proof (each event's hash recomputed,
# its inclusion proof and the head's signature checked). Prints the checks and
# the events checked per second; each check is one process, as an auditor runs
# it, so the figures include its start; with valgrind installed, also the
# instructions of one check (callgrind).
# Run it alone on the machine. KEEP=1 keeps the temporary directory.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
ledger="${LEDGER:-$root/build/tools/ledger}"
verifier="${VERIFIER:-$root/build/tools/ledger-verifier}"
claims="${1:-200}"
for tool in "$ledger" "$verifier"; do
  [[ -x "$tool" ]] || { echo "no $tool: build it first (make build)" >&2; exit 2; }
done

work="$(mktemp -d)"
cleanup() { if [[ "${KEEP:-}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
data="$work/data"

echo "simulating a month of 60 practices in $data ..."
"$ledger" simulate --data "$data" --seed 7 --months 1 --practices-limit 60 >/dev/null
# The key file as `ledger serve` writes it at its first start (docs/auditing.md).
(umask 077 && printf 'ed25519-seed %s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$data/signing.key")
"$ledger" key show --data "$data" >"$work/key.json"

mapfile -t ids < <("$ledger" replay --data "$data" --type ClaimSubmitted |
  sed -n 's/.*"stream":"claim-\([^"]*\)".*/\1/p' | sort -u | head -n "$claims")
(( ${#ids[@]} > 0 )) || { echo "the history has no submitted claim" >&2; exit 1; }
mkdir -p "$work/proofs"
for id in "${ids[@]}"; do "$ledger" prove --data "$data" --claim "$id" >"$work/proofs/$id.json"; done
head_size=$(sed -n 's/.*"size":\([0-9]*\).*/\1/p' "$work/proofs/${ids[0]}.json" | head -n 1)
events=$(cat "$work/proofs"/*.json | grep -o '"payload_hex"' | wc -l)

start=$(date +%s.%N)
for id in "${ids[@]}"; do
  "$verifier" claim --key "$work/key.json" --proof "$work/proofs/$id.json" >/dev/null
done
end=$(date +%s.%N)
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')

echo "log: $head_size events; the claim proofs of ${#ids[@]} claims, $events events"
printf '| check | checks | events | seconds | checks/s | events/s |\n|---|---:|---:|---:|---:|---:|\n'
printf '| claim: each event hashed, its inclusion proof and the head signature checked | %d | %d | %.2f | %.0f | %.0f |\n' \
  "${#ids[@]}" "$events" "$seconds" "$(awk -v n="${#ids[@]}" -v s="$seconds" 'BEGIN { print n / s }')" \
  "$(awk -v n="$events" -v s="$seconds" 'BEGIN { print n / s }')"
if command -v valgrind >/dev/null; then
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$verifier" claim --key "$work/key.json" --proof "$work/proofs/${ids[0]}.json" >/dev/null 2>"$work/callgrind.err"
  per_event=$(grep -o '"payload_hex"' "$work/proofs/${ids[0]}.json" | wc -l)
  total=$(sed -n 's/^summary: //p' "$work/callgrind.out")
  echo "callgrind: one claim check of $per_event events is $total instructions, the process's start included"
fi
