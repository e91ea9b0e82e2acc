#!/usr/bin/python3
"""Times the organisation-wide follow-up report against the same aggregation as raw SQL.

Called by scripts/bench.sh (see docs/performance.md). Runs, alternately and --runs times each:
  report: GOVTRACK --db sqlite:DB report follow-up --as-of AS_OF --format json > /dev/null
  raw:    sqlite3 DB < scripts/bench/followup.sql > /dev/null
after one untimed warm-up of each (which also checks that both succeed and measures output size).
Prints the dataset sizes counted from the database, median and min of each, the ratio of the
medians (report / raw) and whether the aims (report < 0.5 s, within 2x of raw) are met.
Always exits 0 unless its own arguments are wrong: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import statistics
import subprocess

FIXED_NOW = ""  # set from --as-of in main()
import sys
import tempfile
import time

AIM_SECONDS = 0.5
AIM_RATIO = 2.0
TABLES = ["engagement", "recommendation", "action", "action_co_owner", "revised_target_date", "progress_update",
          "person", "org_unit"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(l for l in f if l.startswith("MemTotal")).split()[1])
            mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} x {cpu}{mem}, {platform.system()} {platform.release()}"


def cpu_of_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(cmd: list[str], stdin_path: str | None, capture: str | None) -> tuple[float, int, bytes, int, float]:
    """Runs cmd with stdout to /dev/null (or to the file `capture`); returns (wall seconds, exit code,
    stderr, stdout bytes or -1, CPU seconds user + system)."""
    cpu0 = cpu_of_children()
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    # govtrack reads --as-of dates before today from the audit trail; the generated organisation has no
    # trail, so "today" is pinned to the as-of date and the report is the current state on that day.
    env = dict(os.environ, GOVTRACK_FIXED_NOW=FIXED_NOW) if FIXED_NOW else None
    try:
        if capture:
            with open(capture, "wb") as out:
                t0 = time.perf_counter()
                p = subprocess.run(cmd, stdin=stdin, stdout=out, stderr=subprocess.PIPE, env=env)
                elapsed = time.perf_counter() - t0
                size = out.tell()
        else:
            t0 = time.perf_counter()
            p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            elapsed = time.perf_counter() - t0
            size = -1
    finally:
        if stdin_path:
            stdin.close()
    return elapsed, p.returncode, p.stderr, size, cpu_of_children() - cpu0


def fmt(seconds: float | None) -> str:
    return f"{'n/a':>10s}" if seconds is None else f"{seconds * 1000:7.0f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--govtrack", required=True)
    ap.add_argument("--sql", required=True, help="the raw query (scripts/bench/followup.sql)")
    ap.add_argument("--sqlite3", default="sqlite3")
    ap.add_argument("--as-of", default="2026-01-05")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--label", default="", help="seed/scale, echoed in the summary line")
    ap.add_argument("--no-check", action="store_true",
                    help="skip comparing the report's output with the raw query's (crosscheck.py)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        try:
            schema_version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        except sqlite3.Error:
            schema_version = "?"
    conn.close()
    db_size = os.path.getsize(args.db)
    print(f"machine:  {machine()}")
    print(f"sqlite3:  {subprocess.run([args.sqlite3, '--version'], capture_output=True, text=True).stdout.split()[0]}"
          f"   python: {platform.python_version()}")
    print(f"dataset:  {args.db} ({db_size / 1e6:.0f} MB, schema_version {schema_version}) {args.label}")
    print("          " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))

    global FIXED_NOW
    FIXED_NOW = f"{args.as_of}T12:00:00Z"
    report_cmd = [args.govtrack, "--db", f"sqlite:{args.db}", "report", "follow-up", "--as-of", args.as_of,
                  "--format", "json"]
    raw_cmd = [args.sqlite3, args.db]
    jobs = {"report": (report_cmd, None), "raw": (raw_cmd, args.sql)}
    print(f"report:   {' '.join(report_cmd)} > /dev/null")
    print(f"raw:      {' '.join(raw_cmd)} < {args.sql} > /dev/null")

    load = os.getloadavg()[0]
    print(f"load:     {load:.2f} (1-minute average at start)" +
          ("  WARNING: other work is running; these figures are not reliable" if load > 0.5 else ""))

    mtime_before = os.stat(args.db).st_mtime_ns
    ok, sizes, times, cpus = {}, {}, {"report": [], "raw": []}, {"report": [], "raw": []}
    tmpdir = tempfile.TemporaryDirectory(prefix="govtrack-bench-")
    outputs = {name: os.path.join(tmpdir.name, name + ".out") for name in jobs}
    for name, (cmd, stdin) in jobs.items():  # warm-up: checks the command works, keeps its output
        try:
            elapsed, rc, err, size, _ = run_once(cmd, stdin, capture=outputs[name])
        except OSError as e:
            rc, err, size = 127, str(e).encode(), 0
        ok[name] = rc == 0
        sizes[name] = size
        if rc != 0:
            msg = err.decode(errors="replace").strip().splitlines()
            print(f"{name}:   FAILED (exit {rc}): {msg[-1] if msg else ''} -- not timed")
    for i in range(args.runs):  # alternate the two so drift in machine load hits both alike
        for name, (cmd, stdin) in jobs.items():
            if ok[name]:
                wall, _, _, _, cpu = run_once(cmd, stdin, capture=None)
                times[name].append(wall)
                cpus[name].append(cpu)
        print(f"\r          run {i + 1}/{args.runs}", end="", file=sys.stderr, flush=True)
    print("\r", end="", file=sys.stderr)
    db_untouched = os.stat(args.db).st_mtime_ns == mtime_before

    stats = {}
    print(f"\n{'wall time':10s}{'median':>10s} {'min':>10s} {'max':>10s} {'cpu median':>11s}   output"
          f"   ({args.runs} runs each after 1 warm-up; cpu = user + system)")
    for name in jobs:
        t = times[name]
        med = statistics.median(t) if t else None
        stats[name] = med
        out = f"{sizes[name] / 1e6:6.1f} MB" if ok[name] else "   -   "
        cpu = statistics.median(cpus[name]) if cpus[name] else None
        print(f"{name:10s}{fmt(med)} {fmt(min(t) if t else None)} {fmt(max(t) if t else None)}  {fmt(cpu)}   {out}")
        stats[name + "_cpu"] = cpu
    report, raw = stats["report"], stats["raw"]
    ratio = report / raw if report is not None and raw else None
    cpu_ratio = stats["report_cpu"] / stats["raw_cpu"] if stats["report_cpu"] and stats["raw_cpu"] else None
    print(f"ratio     report/raw (medians) = {'n/a' if ratio is None else f'{ratio:.2f}x'} wall, "
          f"{'n/a' if cpu_ratio is None else f'{cpu_ratio:.2f}x'} cpu")
    if report is None:
        print(f"aims:     report < {AIM_SECONDS} s: PENDING (report did not run); within {AIM_RATIO:g}x of raw: PENDING")
    else:
        print(f"aims:     report < {AIM_SECONDS} s: {'met' if report < AIM_SECONDS else 'NOT met'}; "
              f"within {AIM_RATIO:g}x of raw: {'met' if ratio is not None and ratio <= AIM_RATIO else 'NOT met'}")
    print(f"reads:    database file {'unchanged' if db_untouched else 'MODIFIED'} by the runs (SPEC 6: a read never writes)")
    if ok["report"] and ok["raw"] and not args.no_check:
        sys.dont_write_bytecode = True  # no __pycache__ in scripts/bench
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import crosscheck
        try:
            diffs, n_recs, n_actions = crosscheck.compare(outputs["report"], outputs["raw"])
        except (ValueError, KeyError, TypeError) as e:
            diffs, n_recs, n_actions = [f"could not compare the outputs: {e}"], 0, 0
        if diffs:
            print("check:    report and raw SQL DIFFER (the ratio compares unequal work):")
            for d in diffs:
                print("            " + d)
        else:
            print(f"check:    report and raw SQL agree on {n_recs:,} recommendations, {n_actions:,} actions and totals")
    tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
