#!/usr/bin/env bash
# Checks that every portal template renders the same with kainjow mustache (the server's library) as with the npm
# mustache package the previews use, up to whitespace, HTML-escaping spelling and JSON number spelling.
# Usage: portal/scripts/kainjow-check.sh   (needs g++, libkainjow-mustache-dev, Boost.JSON headers and npm packages)
set -euo pipefail
portal="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kainjow-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

node "$portal/scripts/preview.mjs" --render >/dev/null
g++ -std=c++20 -O0 -o "$work/render" "$portal/scripts/kainjow-render.cc"
"$work/render" "$portal" "$work/out"

# Normalise: collapse whitespace, one tag a line, the escapes mustache.js spells differently, and Boost.JSON's
# exponent form of numbers inside the chart data block.
norm() {
  tr -s ' \n\t' ' ' <"$1" | sed -e 's/> </>\n</g' -e 's/&#x2F;/\//g' -e "s/&#39;/\&apos;/g" -e 's/&#x3D;/=/g' \
    -e 's/&#x60;/`/g' -e '/id="chart-data"/d'
}
status=0
count=0
for f in "$work"/out/*.html; do
  name="$(basename "$f")"
  count=$((count + 1))
  if ! diff -q <(norm "$f") <(norm "$portal/preview/out/$name") >/dev/null; then
    echo "kainjow-check: $name renders differently:" >&2
    diff <(norm "$f") <(norm "$portal/preview/out/$name") | head -20 >&2
    status=1
  fi
done
echo "kainjow-check: $count pages compared, $([[ $status -eq 0 ]] && echo 'all identical' || echo 'differences found')"
exit $status
