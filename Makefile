# simrun — the two entry points of the README, and a few conveniences.
# Every target first installs what a fresh machine lacks (scripts/ensure-dependencies.sh).

FLAGSHIP ?= scenarios/growth-1k-to-100k.yaml

.PHONY: flagship test bench bench-system validate deps

deps:
	@scripts/ensure-dependencies.sh

## Build in release mode, run the flagship scenario, write its report into reports/<name>/.
## A failed KPI (exit code 1) is a finding, not a build failure: the report is written either way.
flagship: deps
	swift build -c release --product simrun
	.build/release/simrun run $(FLAGSHIP) || [ $$? -eq 1 ]

## The whole test suite (debug build), then every shipped scenario must validate.
test: deps
	swift build --build-tests
	swift test --skip-build
	.build/debug/simrun validate scenarios/*.yaml

## Release-mode benchmark against the C reference in bench/des_ref.c (see docs/performance.md).
bench: deps
	swift build -c release --product simrun
	.build/release/simrun bench

## Release-mode benchmark of the task system: steady-100k, the flagship and baseline-1k, each in
## C-reference events per simulated request (docs/performance.md). Takes a while.
bench-system: deps
	swift build -c release --product simrun
	scripts/bench-system.py

validate: deps
	swift build --product simrun
	.build/debug/simrun validate scenarios/*.yaml
