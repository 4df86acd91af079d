#!/usr/bin/env python3
"""Scaling and memory curves of one task-system scenario (issue 12, docs/performance.md).

Runs the release build of simrun on one scenario (default `scenarios/steady-100k.yaml`) once per
point, one after another, each between runs of the C reference loop (`bench/des_ref.c mm1
3000000 1`, as scripts/bench-system.py), and prints a markdown table: the point's settings, wall
and CPU time, peak RSS of the run's own process (wait4), simulated requests, requests per
CPU-second and C-reference events per simulated request. With `--svg FILE`, also a chart of CPU
seconds (in C-reference units: seconds the reference would take for as many events) against
simulated requests.

Points:
  --users N,N,...        registered users (concurrent users are a tenth, as in steady-100k),
                         at the scenario's own duration unless --durations is given too
  --durations D,D,...    simulated durations (simrun's spelling: 5m, 20m, 1h); warm-up stays
                         --warmup

Usage:
  scripts/bench-scaling.py --users 1000,3000,10000,30000,100000 --durations 5m --warmup 1m --svg docs/scaling.svg
  scripts/bench-scaling.py --users 100000 --durations 5m,20m --warmup 1m
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("bench_system", os.path.join(ROOT, "scripts", "bench-system.py"))
bench_system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_system)


def run_point(simrun, scenario, users, duration, warmup, rounds, out):
    """One run of `scenario` with the point's settings; returns the table row as a dict."""
    command = [simrun, "run", scenario, "--threads", "1", "--replications", "1", "--out", out, "--quiet"]
    if users is not None:
        command += ["--param", f"users.registered={users}", "--param", f"users.concurrent={max(1, users // 10)}"]
    if duration is not None:
        command += ["--param", f"duration={duration}"]
    if warmup is not None:
        command += ["--param", f"warmup={warmup}"]
    before = bench_system.reference_cpu(rounds)
    wall, cpu, rss, status = bench_system.measured(command)
    after = bench_system.reference_cpu(rounds)
    if status not in (0, 1):
        sys.exit(f"{' '.join(command)} exited with {status}")
    with open(os.path.join(out, "summary.json")) as handle:
        summary = json.load(handle)
    simulated = summary["simulated_seconds"]
    requests = bench_system.simulated_requests(summary)  # one replication
    yardstick = statistics.median([before, after])
    return {
        "users": users, "duration": duration or f"{simulated:g}s", "simulated": simulated, "wall": wall, "cpu": cpu,
        "rss": rss, "requests": requests, "rate": requests / cpu,
        "events": cpu / requests / yardstick * bench_system.REFERENCE_EVENTS,
        "reference_seconds": cpu / yardstick,  # CPU in C-reference runs (9 M events each)
        "c_rate": bench_system.REFERENCE_EVENTS / yardstick / 1e6,
    }


def svg_chart(rows, path):
    """CPU (C-reference runs) against simulated requests, with a line through the origin and
    the largest point (linear scaling would put every point on it)."""
    width, height, margin = 640, 400, 60
    max_x = max(row["requests"] for row in rows) * 1.05
    max_y = max(row["reference_seconds"] for row in rows) * 1.1

    def x(value):
        return margin + value / max_x * (width - 2 * margin)

    def y(value):
        return height - margin - value / max_y * (height - 2 * margin)

    last = max(rows, key=lambda row: row["requests"])
    slope = last["reference_seconds"] / last["requests"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" y2="{height - margin}" stroke="black"/>',
             f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="black"/>',
             f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(max_x)}" y2="{y(slope * max_x)}" stroke="#999" stroke-dasharray="4 4"/>',
             f'<text x="{width / 2}" y="{height - 20}" text-anchor="middle">simulated requests (millions)</text>',
             f'<text x="18" y="{height / 2}" text-anchor="middle" transform="rotate(-90 18 {height / 2})">'
             f'CPU in C-reference runs (9 M events each)</text>']
    for step in range(6):
        value = max_x * step / 5
        parts.append(f'<text x="{x(value)}" y="{height - margin + 16}" text-anchor="middle">{value / 1e6:.1f}</text>')
        level = max_y * step / 5
        parts.append(f'<text x="{margin - 6}" y="{y(level) + 4}" text-anchor="end">{level:.0f}</text>')
    for row in rows:
        label = f'{row["users"]:,} users' if row["users"] else row["duration"]
        parts.append(f'<circle cx="{x(row["requests"]):.1f}" cy="{y(row["reference_seconds"]):.1f}" r="4" fill="#1f77b4"/>')
        parts.append(f'<text x="{x(row["requests"]) + 6:.1f}" y="{y(row["reference_seconds"]) - 6:.1f}">{label}</text>')
    parts.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(parts) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="scenarios/steady-100k.yaml")
    parser.add_argument("--simrun", default=bench_system.SIMRUN)
    parser.add_argument("--users", default=None, help="registered users per point, comma-separated")
    parser.add_argument("--durations", default=None, help="simulated durations per point, comma-separated")
    parser.add_argument("--warmup", default=None)
    parser.add_argument("--rounds", type=int, default=1, help="reference runs before and after each point")
    parser.add_argument("--svg", default=None)
    arguments = parser.parse_args()
    if not os.path.exists(arguments.simrun):
        sys.exit(f"no simrun at {arguments.simrun}: build it first (swift build -c release --product simrun)")
    os.makedirs(os.path.dirname(bench_system.REFERENCE), exist_ok=True)
    subprocess.run(["cc", "-O2", "-o", bench_system.REFERENCE, bench_system.REFERENCE_SOURCE, "-lm"], check=True)

    users = [int(value) for value in arguments.users.split(",")] if arguments.users else [None]
    durations = arguments.durations.split(",") if arguments.durations else [None]
    rows = []
    for count in users:
        for duration in durations:
            out = os.path.join(ROOT, ".build", "bench-scaling", f"{count}-{duration}")
            row = run_point(arguments.simrun, arguments.scenario, count, duration, arguments.warmup,
                            arguments.rounds, out)
            rows.append(row)
            print(f"# {row['users']} users, {row['duration']}: wall {row['wall']:.1f} s, CPU {row['cpu']:.1f} s, "
                  f"{row['rss']:.0f} MiB, {row['requests']:,.0f} requests", file=sys.stderr, flush=True)

    print("| registered users | simulated | wall s | CPU s | peak MiB | simulated requests | requests per CPU-s | "
          "C-reference events per request | CPU in C-reference runs | C reference M events/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['users'] or '(file)'} | {row['duration']} | {row['wall']:.1f} | {row['cpu']:.1f} | {row['rss']:.0f} | "
              f"{row['requests']:,.0f} | {row['rate']:,.0f} | {row['events']:,.0f} | {row['reference_seconds']:.0f} | "
              f"{row['c_rate']:.1f} |")
    if arguments.svg:
        svg_chart(rows, arguments.svg)


if __name__ == "__main__":
    main()
