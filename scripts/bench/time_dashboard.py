#!/usr/bin/python3
"""Times the dashboard (implementation trend over 12 and 36 month ends) against one-report baselines.

Called by scripts/bench.sh dashboard (see docs/performance.md) on the as-of benchmark's database (the generated
organisation plus 1,000,000 audit events). Runs, round-robin and --runs times each, after one untimed warm-up
of each (which also checks that each succeeds and keeps its output):
  dashboard-12:  GOVTRACK --db sqlite:DB report dashboard --months 12 --format json
  dashboard-36:  GOVTRACK --db sqlite:DB report dashboard --months 36 --format json
  as-of:         GOVTRACK --db sqlite:DB report follow-up --as-of 2025-06-30 --format json   (one rebuild)
  current:       GOVTRACK --db sqlite:DB report follow-up --format json                     (today's state)
all with GOVTRACK_FIXED_NOW=2026-01-05T12:00:00Z. Round-robin means drift in machine load affects all alike.
Prints median and min wall time and median CPU time (user + system) of each, the ratios of the medians, and
whether the aim (the 12-month dashboard under 1 s) is met. The warm-up outputs of both dashboards are
kept in --out-dir (dashboard-12.json, dashboard-36.json) with their SHA-256, so two builds can be compared
for identical figures. Checks that the database file is unchanged by the runs (SPEC 6: a read never writes).
Always exits 0 unless a command fails: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import time

AIM_SECONDS = 1.0
FIXED_NOW = "2026-01-05T12:00:00Z"


def cpu_of_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str], capture: str | None = None) -> tuple[float, float]:
    """Runs cmd (stdout to /dev/null or the file `capture`); returns (wall seconds, CPU seconds)."""
    env = dict(os.environ, GOVTRACK_FIXED_NOW=FIXED_NOW)
    cpu0 = cpu_of_children()
    out = open(capture, "wb") if capture else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        wall = time.perf_counter() - t0
    finally:
        if capture:
            out.close()
    if p.returncode != 0:
        sys.exit(f"time_dashboard.py: {' '.join(cmd)} failed (exit {p.returncode}): "
                 f"{p.stderr.decode(errors='replace').strip()}")
    return wall, cpu_of_children() - cpu0


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--govtrack", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    base = [args.govtrack, "--db", "sqlite:" + args.db]
    commands = {
        "dashboard --months 12": base + ["report", "dashboard", "--months", "12", "--format", "json"],
        "dashboard --months 36": base + ["report", "dashboard", "--months", "36", "--format", "json"],
        "follow-up --as-of 2025-06-30": base + ["report", "follow-up", "--as-of", "2025-06-30", "--format", "json"],
        "follow-up (current state)": base + ["report", "follow-up", "--format", "json"],
    }
    keep = {"dashboard --months 12": "dashboard-12.json", "dashboard --months 36": "dashboard-36.json"}

    def count(sql: str) -> str:
        return subprocess.run(["sqlite3", args.db, sql], capture_output=True, text=True).stdout.strip()

    before = file_digest(args.db)
    load = os.getloadavg()[0]
    print(f"dashboard benchmark: {count('SELECT COUNT(*) FROM audit_event')} events over "
          f"{count('SELECT COUNT(*) FROM action')} actions, {count('SELECT COUNT(*) FROM recommendation')} "
          f"recommendations; {args.runs} runs each after a warm-up; load average {load:.2f}")
    if load > 0.5:
        print("  warning: the machine is busy (load average above 0.5); wall times will be high")
    os.makedirs(args.out_dir, exist_ok=True)
    for label, cmd in commands.items():  # warm-up; keeps the dashboards' output
        run(cmd, os.path.join(args.out_dir, keep[label]) if label in keep else None)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(args.runs):
        for label, cmd in commands.items():
            times[label].append(run(cmd))
    med = {label: statistics.median(t[0] for t in ts) for label, ts in times.items()}
    for label, ts in times.items():
        print(f"  {label:<30} wall median {med[label]:7.3f} s (min {min(t[0] for t in ts):.3f} s), "
              f"cpu median {statistics.median(t[1] for t in ts):.3f} s")
    as_of, current = med["follow-up --as-of 2025-06-30"], med["follow-up (current state)"]
    for label in keep:
        print(f"  {label}: {med[label] / as_of:.2f}x one as-of report, {med[label] / current:.2f}x the current-state "
              f"report")
    for label, name in keep.items():
        path = os.path.join(args.out_dir, name)
        print(f"  output {path}: {os.path.getsize(path)} bytes, sha256 {file_digest(path)[:16]}")
    twelve = med["dashboard --months 12"]
    print(f"  aim (12-month dashboard under {AIM_SECONDS:g} s): {'met' if twelve < AIM_SECONDS else 'NOT met'}")
    print(f"  database file {'unchanged' if file_digest(args.db) == before else 'CHANGED by a read'}")


if __name__ == "__main__":
    main()
