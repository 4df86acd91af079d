#!/usr/bin/env python3
"""Two or more simrun builds back to back on one scenario, in C-reference events per request.

For each round and each binary: the C reference (`bench/des_ref.c mm1 3000000 1`, cc -O2,
9 M events), then `BINARY run SCENARIO --threads 1 --replications 1`, then the C reference
again; the CPU of the run (wait4: user + system) per simulated request, divided by the mean
CPU of the two reference runs per event. Binaries alternate within each round, so all see the
same load; the median over rounds is printed last. Requests are `api.requests` scaled to the
whole run, as scripts/bench-system.py counts them (exact for a steady load).

Usage: scripts/bench-ab.py SCENARIO ROUNDS BINARY... (docs/performance.md, issue 12's steps)
"""
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE_SOURCE = os.path.join(ROOT, "bench", "des_ref.c")
REFERENCE = os.path.join(ROOT, ".build", "des_ref")
REFERENCE_EVENTS = 9_000_000
_spec = importlib.util.spec_from_file_location("bench_system", os.path.join(ROOT, "scripts", "bench-system.py"))
bench_system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_system)


def cpu_of(command):
    """(CPU seconds, exit status) of `command`, from this child's own rusage."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, wait_status, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(wait_status)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    scenario, rounds, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    os.makedirs(os.path.dirname(REFERENCE), exist_ok=True)
    subprocess.run(["cc", "-O2", "-o", REFERENCE, REFERENCE_SOURCE, "-lm"], check=True)
    results = {binary: [] for binary in binaries}
    with tempfile.TemporaryDirectory(prefix="bench-ab-") as scratch:
        for round_number in range(rounds):
            for index, binary in enumerate(binaries):
                before = cpu_of([REFERENCE, "mm1", "3000000", "1"])[0]
                out = os.path.join(scratch, f"{round_number}-{index}")
                cpu, status = cpu_of([binary, "run", scenario, "--threads", "1", "--replications", "1",
                                      "--out", out])
                after = cpu_of([REFERENCE, "mm1", "3000000", "1"])[0]
                if status not in (0, 1):
                    sys.exit(f"{binary} run {scenario} exited with {status}")
                with open(os.path.join(out, "summary.json")) as handle:
                    summary = json.load(handle)
                requests = bench_system.simulated_requests(summary)
                events = cpu / requests / ((before + after) / 2) * REFERENCE_EVENTS
                results[binary].append(events)
                print(f"round {round_number} {binary}: CPU {cpu:.2f} s, reference {before:.3f}/{after:.3f} s, "
                      f"{requests:,.0f} requests: {events:,.0f} C-reference events per request", flush=True)
    for binary in binaries:
        figures = ", ".join(f"{value:,.0f}" for value in results[binary])
        print(f"{binary}: median {statistics.median(results[binary]):,.0f} ({figures})")


if __name__ == "__main__":
    main()
