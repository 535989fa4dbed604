#!/usr/bin/env bash
# national_bench.sh [DATA_DIR]: a national year of claims, generated with the
# one documented command (`ledger simulate --months 12`, every practice in
# England), then its store size and open time, the rebuild of every projection,
# every report for one commissioner and for all of them, and claim lookups
# (benchmarks/projections_bench --national on the generated store).
#
# DATA_DIR (default /var/tmp/ledger-national) keeps the year: a second run
# reuses it and skips the generation. Run it alone on the machine: no build
# or test beside it. LEDGER and BENCH point at other builds of the binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/var/tmp/ledger-national}
ledger=${LEDGER:-build/tools/ledger}
bench=${BENCH:-build/benchmarks/projections_bench}
for binary in "$ledger" "$bench"; do
  [ -x "$binary" ] || { echo "national_bench: $binary is missing: build first (make build)" >&2; exit 1; }
done
echo "national_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$data/events/CURRENT" ]; then
  echo "generating a national year into $data ..."
  /usr/bin/time -f "generation: %e s wall, %U s user, %S s system, %M KB peak" \
    "$ledger" simulate --data "$data" --months 12
else
  echo "reusing the year in $data (remove it to generate again)"
fi
"$bench" --log "$data/events" --events 1 --national
