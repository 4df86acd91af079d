#!/usr/bin/env python3
"""The task system's speed at the seed's tiers, in units of the C reference loop.

Runs `bench/des_ref.c mm1 3000000 1` (compiled with cc -O2) before and after each scenario as the
machine-speed yardstick, then each scenario with the release build of simrun on one thread, and
prints, per scenario: wall time, CPU time (user + system of the child), peak memory (maxrss),
simulated requests and requests per CPU-second, and the CPU of one simulated request expressed
in C-reference events (request CPU seconds / reference CPU seconds x 9,000,000 events).

Usage: scripts/bench-system.py [--scenarios FILE...] [--rounds N]   (make bench-system)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMRUN = os.path.join(ROOT, ".build", "release", "simrun")
REFERENCE_SOURCE = os.path.join(ROOT, "bench", "des_ref.c")
REFERENCE = os.path.join(ROOT, ".build", "des_ref")
REFERENCE_EVENTS = 9_000_000  # mm1 3000000: an arrival, a start and a departure per customer
DEFAULT_SCENARIOS = ["scenarios/steady-100k.yaml", "scenarios/growth-1k-to-100k.yaml",
                     "scenarios/baseline-1k.yaml"]


def measured(command):
    """Runs `command`; returns (wall seconds, CPU seconds, peak RSS in MiB, exit status), read
    from this child's own rusage (wait4), not the running total of all children."""
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, wait_status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(wait_status)
    wall = time.monotonic() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, child.returncode


def simulated_requests(summary):
    """The requests a run simulated: `api.requests` (counted after the warm-up, a mean per
    replication) over all replications, scaled to the whole run (exact for a steady load)."""
    simulated, warmup = summary["simulated_seconds"], summary["warmup_seconds"]
    return summary["metrics"]["api.requests"]["mean"] * summary["replications"] * simulated / (simulated - warmup)


def reference_cpu(rounds):
    samples = [measured([REFERENCE, "mm1", "3000000", "1"])[1] for _ in range(rounds)]
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="+", default=DEFAULT_SCENARIOS)
    parser.add_argument("--rounds", type=int, default=3, help="reference runs before and after each scenario")
    arguments = parser.parse_args()
    if not os.path.exists(SIMRUN):
        sys.exit("no release build: run `swift build -c release --product simrun` first (make bench-system does)")
    os.makedirs(os.path.dirname(REFERENCE), exist_ok=True)
    subprocess.run(["cc", "-O2", "-o", REFERENCE, REFERENCE_SOURCE, "-lm"], check=True)

    rows = []
    for scenario in arguments.scenarios:
        name = os.path.splitext(os.path.basename(scenario))[0]
        out = os.path.join(ROOT, ".build", "bench-system", name)
        before = reference_cpu(arguments.rounds)
        wall, cpu, rss, status = measured([SIMRUN, "run", scenario, "--threads", "1", "--out", out])
        after = reference_cpu(arguments.rounds)
        if status not in (0, 1):
            sys.exit(f"simrun run {scenario} exited with {status}")
        with open(os.path.join(out, "summary.json")) as handle:
            summary = json.load(handle)
        requests = simulated_requests(summary)
        yardstick = statistics.median([before, after])
        per_request_events = cpu / requests / yardstick * REFERENCE_EVENTS
        rows.append((name, summary["replications"], wall, cpu, rss, requests, requests / cpu,
                     per_request_events, REFERENCE_EVENTS / yardstick / 1e6))

    print("| scenario | replications | wall s | CPU s | peak MiB | simulated requests (est.) | requests per CPU-s | C-reference events per request | C reference M events/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, reps, wall, cpu, rss, requests, rate, events, c_rate in rows:
        print(f"| {name} | {reps} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {requests:,.0f} | {rate:,.0f} | {events:,.0f} | {c_rate:.1f} |")


if __name__ == "__main__":
    main()
