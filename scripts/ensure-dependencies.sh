#!/usr/bin/env bash
# Installs what a fresh Debian machine with the Swift toolchain lacks: GSL's and SQLite's headers
# and libraries (libgsl-dev, libsqlite3-dev) and pkg-config, which SwiftPM uses to find them.
# With --browser, also Debian's chromium, which the report.html browser test drives headless
# (BrowserReportTests; .ci/run passes --browser, so CI always runs that test).
# Idempotent.
set -euo pipefail
missing=()
dpkg -s libgsl-dev >/dev/null 2>&1 || missing+=(libgsl-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [[ "${1:-}" == "--browser" ]]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
