#!/usr/bin/env python3
"""The least CPU a scenario's simulated request can cost while its processes are Swift tasks.

1. Runs SCENARIO once (release build, one replication, one thread) with the suspension census
   on (`SIMRUN_SUSPENSION_CENSUS=1`: every process suspension and every state-machine step, by
   the source line that asked for it), and its simulated requests as scripts/bench-system.py
   counts them.
2. Runs `simrun bench --processes-only`: what one process suspension and one state-machine step
   cost, everything they cause included, in events of the C reference's M/M/1 loop (the unit of
   make bench-system), measured on the C reference's own closed model with 10,000 users, whose
   per-customer work is next to nothing.
3. Prints the waits per request and their cost: the floor a request cannot go below however
   cheap the model's own work (caches, stores, routing, metrics) became, and, for comparison,
   the floor if every suspension were a state-machine step instead.

Usage: scripts/suspension-floor.py SCENARIO [--param KEY=VALUE ...] [--rounds N]
"""
import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("bench_system", os.path.join(ROOT, "scripts", "bench-system.py"))
bench_system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_system)

WAIT_COSTS = re.compile(r"a process's suspension ([0-9]+(?:\.[0-9]+)?), a state machine's step ([0-9]+(?:\.[0-9]+)?)")


def census(scenario, parameters, out):
    """(suspensions, steps, simulated requests) of one census run of `scenario`."""
    command = [bench_system.SIMRUN, "run", scenario, "--threads", "1", "--replications", "1", "--out", out, "--quiet"]
    for parameter in parameters:
        command += ["--param", parameter]
    run = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, SIMRUN_SUSPENSION_CENSUS="1"))
    if run.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} exited with {run.returncode}:\n{run.stderr}")
    suspensions = steps = 0
    for line in run.stderr.splitlines():
        count, _, site = line.partition("\t")
        if not count.isdigit() or not site:
            continue
        if site.startswith("step "):
            steps += int(count)
        elif site.startswith(("sleep ", "park ")):
            suspensions += int(count)
    with open(os.path.join(out, "summary.json")) as handle:
        requests = bench_system.simulated_requests(json.load(handle))
    return suspensions, steps, requests


def wait_costs(rounds):
    """(a suspension, a step) in C-reference M/M/1 events, from `simrun bench --processes-only`."""
    output = subprocess.run([bench_system.SIMRUN, "bench", "--processes-only", "--rounds", str(rounds)], cwd=ROOT,
                            check=True, stdout=subprocess.PIPE, text=True).stdout
    match = WAIT_COSTS.search(output)
    if not match:
        sys.exit(f"simrun bench printed no wait costs:\n{output}")
    return float(match.group(1)), float(match.group(2)), output


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("--param", action="append", default=[], help="passed to simrun run (repeatable)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of simrun bench --processes-only")
    arguments = parser.parse_args()
    if not os.path.exists(bench_system.SIMRUN):
        sys.exit("no release build: run `swift build -c release --product simrun` first")
    name = os.path.splitext(os.path.basename(arguments.scenario))[0]
    out = os.path.join(ROOT, ".build", "suspension-floor", name)
    suspensions, steps, requests = census(arguments.scenario, arguments.param, out)
    suspension_cost, step_cost, bench_output = wait_costs(arguments.rounds)
    per_request = suspensions / requests, steps / requests
    floor = per_request[0] * suspension_cost + per_request[1] * step_cost
    all_steps = (per_request[0] + per_request[1]) * step_cost
    print(bench_output)
    print("| scenario | simulated requests | suspensions per request | steps per request "
          "| floor as written (C-reference events per request) | floor with every wait a step |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| {name} | {requests:,.0f} | {per_request[0]:.2f} | {per_request[1]:.2f} | {floor:,.0f} | {all_steps:,.0f} |")


if __name__ == "__main__":
    main()
