#!/usr/bin/env bash
# Fuzzes the scenario loader (parsing and validation, not the simulation) with libFuzzer for
# SECONDS (default 60), starting from the seed corpus in Tests/Fuzz/corpus/ and scenarios/.
# Exits 1 on any crash, hang (one input over FUZZ_TIMEOUT seconds) or memory blow-up (over
# FUZZ_RSS_MB), after printing the input (base64) and how to replay it. See docs/fuzzing.md.
#
#   scripts/fuzz.sh            # about a minute, as CI runs it
#   scripts/fuzz.sh 3600       # an hour
#   FUZZ_ARGS='-jobs=2 -workers=2' scripts/fuzz.sh 600    # extra libFuzzer flags
#
# The repository's corpus is read, never written: new inputs go to a temporary folder (kept with
# FUZZ_KEEP_CORPUS=DIR, which then receives them). Findings are kept in .build-fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
timeout_per_input=${FUZZ_TIMEOUT:-10}
rss_limit_mb=${FUZZ_RSS_MB:-2048}
max_len=${FUZZ_MAX_LEN:-8192}
scratch=.build-fuzz
findings=$scratch/findings

[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2; }

# MARK: Build
# A release build with libFuzzer's coverage and AddressSanitizer in every Swift and C target
# (Yams' libyaml included), in its own scratch folder so that `swift build` is not disturbed.
scripts/ensure-dependencies.sh
echo "fuzz: building ScenarioFuzzer in $scratch (release, -sanitize=fuzzer,address)" >&2
swift build -c release --scratch-path "$scratch" --product ScenarioFuzzer \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSIMRUN_FUZZING \
  -Xcc -fsanitize=fuzzer-no-link,address
fuzzer=$scratch/release/ScenarioFuzzer

# MARK: Run
work=$(mktemp -d "${TMPDIR:-/tmp}/simrun-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$findings"
rm -f "$findings"/{crash,timeout,oom,leak,slow-unit}-*

log=$scratch/fuzz.log
echo "fuzz: ${seconds}s, ${timeout_per_input}s per input, ${rss_limit_mb} MB, inputs up to ${max_len} bytes; log: $log" >&2
status=0
# Swift's own backtracer would catch a trap first, and its memory reader trips AddressSanitizer
# ("unknown-crash … memserver_read"), hiding the trap: leave the signal to libFuzzer.
export SWIFT_BACKTRACE=enable=no
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
"$fuzzer" "$work/corpus" Tests/Fuzz/corpus scenarios \
  -dict=Tests/Fuzz/scenario.dict \
  -max_total_time="$seconds" \
  -timeout="$timeout_per_input" \
  -rss_limit_mb="$rss_limit_mb" \
  -malloc_limit_mb="$rss_limit_mb" \
  -max_len="$max_len" \
  -artifact_prefix="$findings/" \
  -print_funcs=0 \
  -print_final_stats=1 \
  ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
# libFuzzer's progress lines, then its report (a finding's stack trace) or its final statistics;
# the whole log stays in $log.
grep -E '^#[0-9]+[[:space:]]+(INITED|pulse|DONE)' "$log" >&2 || true
grep -nE 'Fatal error|^==[0-9]+==|^(ALARM|INFO: fuzzed|Done [0-9]+ runs|SUMMARY|stat::)' "$log" | head -1 | cut -d: -f1 |
  { read -r first && tail -n +"$first" "$log" | grep -vE '^"|^#[0-9]+.*(NEW|REDUCE)' | head -200 >&2; } || true

if [[ -n ${FUZZ_KEEP_CORPUS:-} ]]; then
  mkdir -p "$FUZZ_KEEP_CORPUS"
  cp -n "$work/corpus"/* "$FUZZ_KEEP_CORPUS"/ 2>/dev/null || true
fi

# MARK: Findings
shopt -s nullglob
artifacts=("$findings"/{crash,timeout,oom,leak}-*)
if ((status != 0 || ${#artifacts[@]})); then
  echo >&2
  echo "fuzz: FAILED (libFuzzer exit $status); ${#artifacts[@]} finding(s) in $findings/; full log: $log" >&2
  for artifact in "${artifacts[@]}"; do
    echo "--- $artifact ($(wc -c <"$artifact") bytes); recreate with: echo '...' | base64 -d > input.yaml" >&2
    base64 -w 76 "$artifact" >&2
  done
  echo "replay one: $fuzzer FILE   (or, with Swift's own stack trace: swift run ScenarioFuzzer FILE)" >&2
  exit 1
fi
echo "fuzz: no crash, hang or memory blow-up in ${seconds}s" >&2
