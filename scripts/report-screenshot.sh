#!/usr/bin/env bash
# Screenshots the top of a run's report.html (verdict, question, configuration and the first
# charts, two to a row) with headless Chromium, network refused, into docs/report-screenshot.png
# (the README's picture). Usage: scripts/report-screenshot.sh [RUN_FOLDER] [OUTPUT.png]
# Default: the flagship's folder, reports/growth-1k-to-100k (written by `make flagship`).
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${1:-reports/growth-1k-to-100k}"
output="${2:-docs/report-screenshot.png}"
page="$(cd "$folder" && pwd)/report.html"
[[ -f "$page" ]] || { echo "no report.html in $folder: run the scenario first (make flagship)" >&2; exit 2; }
command -v chromium >/dev/null 2>&1 || { echo "chromium is not installed: scripts/ensure-dependencies.sh --browser" >&2; exit 2; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check --disable-extensions \
  --disable-background-networking --proxy-server=127.0.0.1:9 '--host-resolver-rules=MAP * ~NOTFOUND' \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1600,1500 \
  --screenshot="$PWD/$output" "file://$page" 2>/dev/null
echo "wrote $output"
