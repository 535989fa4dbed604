#!/usr/bin/env bash
# Copies the portal's static assets into OUT_DIR/static/:
#   nhsuk/      NHS.UK frontend CSS and JS (from node_modules/nhsuk-frontend), icons, manifest
#   vendor/     Chart.js (UMD build)
#   app.css, app.js   our own small additions (portal/static/)
#   VERSION     a short content hash of everything above, for cache-busting URLs (?v=...)
# Usage: build-assets.sh SRC_PORTAL_DIR OUT_DIR
# Idempotent: files are rewritten only when their content changes. Nothing is fetched from the network;
# the npm packages must already be installed (scripts/install-deps runs `npm ci` in portal/).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 SRC_PORTAL_DIR OUT_DIR" >&2
  exit 2
fi
src="$(cd "$1" && pwd)"
out="$2/static"
nhsuk="$src/node_modules/nhsuk-frontend/dist/nhsuk"
chart="$src/node_modules/chart.js/dist"

if [[ ! -d "$nhsuk" || ! -d "$chart" ]]; then
  echo "build-assets: npm packages missing in $src/node_modules (run scripts/install-deps or npm ci in portal/)" >&2
  exit 1
fi

mkdir -p "$out/nhsuk/images" "$out/vendor"

# put SRC DEST: copy only when the content differs, so timestamps stay put and re-runs are cheap.
put() {
  if ! cmp -s "$1" "$2"; then
    cp "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
  fi
}

# The stylesheet, rewritten for our server:
# - the @font-face rules load Frutiger from assets.nhs.uk; the CSP (default-src 'self') and the rule that nothing
#   is fetched at run time forbid that, so they are dropped and text falls back to Arial, the NHS fallback font;
# - icon URLs point at /assets/images/, which we serve at /static/nhsuk/images/.
css_tmp="$(mktemp)"
trap 'rm -f "$css_tmp"' EXIT
sed -e 's#@font-face{font-family:Frutiger W01;[^}]*}##g' \
    -e 's#url(/assets/images/#url(/static/nhsuk/images/#g' \
    -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
    "$nhsuk/nhsuk-frontend.min.css" > "$css_tmp"
if grep -q 'https\?://' "$css_tmp"; then
  echo "build-assets: the NHS.UK frontend stylesheet still refers to a remote URL:" >&2
  grep -o 'url(https\?://[^)]*)' "$css_tmp" | sort -u >&2
  exit 1
fi
put "$css_tmp" "$out/nhsuk/nhsuk-frontend.min.css"

put "$nhsuk/nhsuk-frontend.min.js" "$out/nhsuk/nhsuk-frontend.min.js"
put "$nhsuk/nhsuk-frontend.min.js.map" "$out/nhsuk/nhsuk-frontend.min.js.map"
put "$nhsuk/assets/manifest.json" "$out/nhsuk/manifest.json"
for f in "$nhsuk"/assets/images/*; do
  put "$f" "$out/nhsuk/images/$(basename "$f")"
done

put "$chart/chart.umd.min.js" "$out/vendor/chart.umd.min.js"

for f in "$src"/static/*; do
  [[ -f "$f" ]] && put "$f" "$out/$(basename "$f")"
done

# Content hash of every served file: the layout appends ?v=<VERSION> to asset URLs.
version_tmp="$(mktemp)"
(cd "$out" && find . -type f ! -name VERSION ! -name '*.tmp.*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum \
  | sha256sum | cut -c1-12) > "$version_tmp"
put "$version_tmp" "$out/VERSION"
rm -f "$version_tmp"
