#!/usr/bin/env bash
# Benchmarks (docs/performance.md).
#
#   scripts/bench.sh report [--seed N] [--scale F] [--runs N]
#
# report: generates a synthetic organisation into var/bench/org.db (2,000 engagements, 16,000
#   recommendations, 40,000 actions, 400,000 progress updates at --scale 1; reused while seed, scale,
#   generator and schema are unchanged), then times `govtrack report follow-up --as-of 2026-01-05
#   --format json` against the same aggregation as one raw SQL query (scripts/bench/followup.sql)
#   run by the sqlite3 CLI on the same file, and prints both medians and their ratio.
#   Aims: report under 0.5 s, and within 2x of the raw query. Exits 0 whether or not they are met.
#
#   scripts/bench.sh as-of [--seed N] [--scale F] [--runs N]
#
# as-of: the same organisation plus an audit trail of 1,000,000 hash-chained events over its 40,000
#   actions (scripts/bench/generate_events.py, into var/bench/events.db), then times `govtrack report
#   follow-up --as-of 2024-01-05` (two years back, rebuilt from the events) against the current-state
#   report (--as-of 2026-01-05 = today, GOVTRACK_FIXED_NOW) and prints both medians and their ratio.
#   Aim: the as-of report under 1 s.
#
#   scripts/bench.sh dashboard [--seed N] [--scale F] [--runs N]
#
# dashboard: on the as-of benchmark's database (generated once and reused by both), times `govtrack report
#   dashboard --months 12` and `--months 36` (the web dashboard's implementation trend, rebuilt from the audit
#   trail at each month end; scripts/bench/time_dashboard.py) round-robin with two baselines: one as-of report
#   (`report follow-up --as-of 2025-06-30`) and the current-state report, and prints medians and ratios.
#   Aim: the 12-month dashboard under 1 s. Keeps both dashboards' JSON in var/bench/ to compare builds.
#
#   scripts/bench.sh remind [--seed N] [--scale F] [--runs N]
#
# remind: 1,000,000 open actions across 50,000 owners (scripts/bench/generate_remind.py, into
#   var/bench/remind.db), then times `govtrack remind --dry-run --at 2026-03-30T08:00` (one sweep that
#   computes every reminder due and builds the digests, writing nothing) and reports its peak memory
#   (maximum resident set size). Aims: under 2 s and under 500 MB.
#
#   scripts/bench.sh signin [--runs N]
#
# signin: serves a throwaway database and times POST /api/v1/session (one Argon2id verification with the
#   default parameters, t=3, 64 MiB, 4 lanes) against an authenticated GET /api/v1/me, printing both
#   medians and their ratio. What it shows: the cost of a sign-in, and that a request with a session
#   costs no password hashing.
#
# Environment: GOVTRACK_BIN (default build/bin/govtrack; if that is missing a Release build is made
#   in build/), SQLITE3 (default sqlite3), PYTHON (default /usr/bin/python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-/usr/bin/python3}"
SQLITE3="${SQLITE3:-sqlite3}"
BENCH_DIR="$ROOT/scripts/bench"
VAR_DIR="$ROOT/var/bench"
AS_OF=2026-01-05

usage() {
    sed -n '2,/^set /{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
die() { echo "bench.sh: $*" >&2; exit 2; }

[[ $# -ge 1 ]] || usage
command="$1"; shift
[[ "$command" == report || "$command" == as-of || "$command" == dashboard || "$command" == remind ||
   "$command" == signin ]] || { echo "bench.sh: unknown benchmark '$command'" >&2; usage; }

seed=1 scale=1 runs=7
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seed)  [[ $# -ge 2 ]] || die "--seed needs a value";  seed="$2";  shift 2 ;;
        --scale) [[ $# -ge 2 ]] || die "--scale needs a value"; scale="$2"; shift 2 ;;
        --runs)  [[ $# -ge 2 ]] || die "--runs needs a value";  runs="$2";  shift 2 ;;
        -h|--help) usage ;;
        *) die "unknown option '$1'" ;;
    esac
done
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, not '$seed'"
if [[ ! "$scale" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ || "$scale" =~ ^0*\.?0*$ ]]; then
    die "--scale must be a positive number, not '$scale'"
fi
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
command -v "$SQLITE3" >/dev/null || die "the sqlite3 CLI is needed (apt-get install sqlite3)"
[[ -x "$PYTHON" ]] || die "$PYTHON not found (set PYTHON to a Python 3 with the sqlite3 module)"

# -- the binary: build Release if the default one is missing --
if [[ -n "${GOVTRACK_BIN:-}" ]]; then
    [[ -x "$GOVTRACK_BIN" ]] || die "GOVTRACK_BIN=$GOVTRACK_BIN is not an executable"
else
    GOVTRACK_BIN="$ROOT/build/bin/govtrack"
    if [[ ! -x "$GOVTRACK_BIN" ]]; then
        echo "bench.sh: $GOVTRACK_BIN missing; building Release" >&2
        cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >&2
        cmake --build build -j2 >&2
    fi
fi
GOVTRACK_BIN="$(cd "$(dirname "$GOVTRACK_BIN")" && pwd)/$(basename "$GOVTRACK_BIN")"
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$(dirname "$GOVTRACK_BIN")/../CMakeCache.txt" 2>/dev/null || true)"
if [[ -n "$build_type" && "$build_type" != Release ]]; then
    echo "bench.sh: note: $GOVTRACK_BIN is a $build_type build; figures for docs/performance.md use Release" >&2
fi

if [[ "$command" == signin ]]; then
    "$PYTHON" "$BENCH_DIR/signin.py" --govtrack "$GOVTRACK_BIN" --runs "$runs"
    exit 0
fi

if [[ "$command" == remind ]]; then
    mkdir -p "$VAR_DIR"
    rdb="var/bench/remind.db"
    rmeta="$VAR_DIR/remind.meta"
    rwant="seed=$seed scale=$scale generator=$(cat "$BENCH_DIR/generate_remind.py" schema/sqlite/*.sql | sha256sum | cut -c1-16)"
    if [[ -f "$rdb" && -f "$rmeta" && "$(cat "$rmeta")" == "$rwant" ]]; then
        echo "bench.sh: reusing $rdb ($rwant)" >&2
    else
        echo "bench.sh: generating $rdb ($rwant)" >&2
        rm -f "$rmeta" "$rdb" "$rdb-wal" "$rdb-shm"
        "$PYTHON" "$BENCH_DIR/generate_remind.py" --db "$rdb" --seed "$seed" --scale "$scale" --govtrack "$GOVTRACK_BIN"
        echo "$rwant" > "$rmeta"
    fi
    [[ -x /usr/bin/time ]] || die "GNU time is needed for the peak memory (apt-get install time)"
    GOVTRACK_BIN="$GOVTRACK_BIN" REMIND_DB="$rdb" RUNS="$runs" OUT="$VAR_DIR/remind-dry-run.txt" "$PYTHON" - <<'PY'
import os, statistics, subprocess
binary, db, runs, out = os.environ["GOVTRACK_BIN"], os.environ["REMIND_DB"], int(os.environ["RUNS"]), os.environ["OUT"]
actions = subprocess.run(["sqlite3", db, "SELECT COUNT(*) FROM action"], capture_output=True, text=True).stdout.strip()
owners = subprocess.run(["sqlite3", db, "SELECT COUNT(DISTINCT lead_owner_id) FROM action"], capture_output=True,
                        text=True).stdout.strip()
print(f"remind benchmark: {actions} open actions, {owners} owners, {runs} runs each")
# The first sweep on a fresh database also catches up the last 3 days (govtrack.reminders.catch_up_days, default);
# a day in steady state has those recorded already, which catch_up_days = 0 reproduces.
for label, catch_up in (("first sweep, catch-up 3 days", 3), ("steady state, one day", 0)):
    config = out + f".catch{catch_up}.properties"
    with open(config, "w") as f:
        f.write(f"govtrack.reminders.catch_up_days = {catch_up}\n")
    times, peaks = [], []
    for _ in range(runs):
        # GNU time: wall seconds and maximum resident set size (KB) of the govtrack process alone.
        with open(out, "w") as f:
            p = subprocess.run(["/usr/bin/time", "-f", "%e %U %M", binary, "--db", "sqlite:" + db, "--config", config,
                                "remind", "--dry-run", "--at", "2026-03-30T08:00"], stdout=f, stderr=subprocess.PIPE,
                               text=True, check=True)
        wall, user, peak_kb = p.stderr.strip().splitlines()[-1].split()
        times.append((float(wall), float(user)))
        peaks.append(int(peak_kb) / 1024)
    with open(out, "rb") as f:
        f.seek(max(0, os.path.getsize(out) - 400))
        summary = f.read().decode(errors="replace").strip().splitlines()[-1]
    size = os.path.getsize(out) / 1e6
    med = statistics.median(t[0] for t in times)
    cpu = statistics.median(t[1] for t in times)
    peak = max(peaks)
    print(f"  {label}: {summary}")
    print(f"    wall median {med:.2f} s (min {min(t[0] for t in times):.2f} s), user cpu {cpu:.2f} s, "
          f"peak RSS {peak:.0f} MB, {size:.0f} MB printed; aims: under 2 s {'met' if med < 2.0 else 'NOT met'}, "
          f"under 500 MB {'met' if peak < 500 else 'NOT met'}")
PY
    exit 0
fi

# -- the dataset: regenerate when seed, scale, generator or schema changed --
mkdir -p "$VAR_DIR"
db="var/bench/org.db"  # relative to the repository root, as in docs/performance.md
meta="$VAR_DIR/org.meta"
want="seed=$seed scale=$scale as_of=$AS_OF generator=$(cat "$BENCH_DIR/generate_org.py" schema/sqlite/*.sql | sha256sum | cut -c1-16)"
if [[ -f "$db" && -f "$meta" && "$(cat "$meta")" == "$want" ]]; then
    echo "bench.sh: reusing $db ($want)" >&2
else
    echo "bench.sh: generating $db ($want)" >&2
    rm -f "$meta"
    "$PYTHON" "$BENCH_DIR/generate_org.py" --db "$db" --seed "$seed" --scale "$scale" --as-of "$AS_OF" \
        --govtrack "$GOVTRACK_BIN"
    echo "$want" > "$meta"
fi

if [[ "$command" == as-of || "$command" == dashboard ]]; then
    events_db="var/bench/events.db"
    events_meta="$VAR_DIR/events.meta"
    events_want="$want events=$(sha256sum "$BENCH_DIR/generate_events.py" | cut -c1-16)"
    if [[ -f "$events_db" && -f "$events_meta" && "$(cat "$events_meta")" == "$events_want" ]]; then
        echo "bench.sh: reusing $events_db" >&2
    else
        echo "bench.sh: generating $events_db (1,000,000 events)" >&2
        rm -f "$events_meta" "$events_db" "$events_db-wal" "$events_db-shm"
        "$SQLITE3" "$db" ".backup '$events_db'"
        "$PYTHON" "$BENCH_DIR/generate_events.py" --db "$events_db" --seed "$seed" --until 2026-01-04
        echo "$events_want" > "$events_meta"
    fi
    if [[ "$command" == dashboard ]]; then
        "$PYTHON" "$BENCH_DIR/time_dashboard.py" --db "$events_db" --govtrack "$GOVTRACK_BIN" --runs "$runs" \
            --out-dir "$VAR_DIR"
        exit 0
    fi
    GOVTRACK_BIN="$GOVTRACK_BIN" EVENTS_DB="$events_db" RUNS="$runs" "$PYTHON" - <<'PY'
import os, statistics, subprocess, time
binary, db, runs = os.environ["GOVTRACK_BIN"], os.environ["EVENTS_DB"], int(os.environ["RUNS"])
env = dict(os.environ, GOVTRACK_FIXED_NOW="2026-01-05T12:00:00Z")
def median(as_of):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([binary, "--db", "sqlite:" + db, "report", "follow-up", "--as-of", as_of,
                              "--format", "json"], env=env, capture_output=True, check=True).stdout
        times.append(time.perf_counter() - t)
    return statistics.median(times), len(out)
events = subprocess.run(["sqlite3", db, "SELECT COUNT(*) FROM audit_event"], capture_output=True, text=True).stdout.strip()
past, past_bytes = median("2024-01-05")
now, now_bytes = median("2026-01-05")
print(f"as-of benchmark: {events} events, {runs} runs each")
print(f"  report follow-up --as-of 2024-01-05 (rebuilt from events): median {past:.3f} s ({past_bytes} bytes)")
print(f"  report follow-up --as-of 2026-01-05 (current state):       median {now:.3f} s ({now_bytes} bytes)")
print(f"  ratio as-of / current: {past / now:.2f}x; aim under 1 s: {'met' if past < 1.0 else 'NOT met'}")
PY
    exit 0
fi

# -- the timings --
"$PYTHON" "$BENCH_DIR/time_report.py" --db "$db" --govtrack "$GOVTRACK_BIN" --sql scripts/bench/followup.sql \
    --sqlite3 "$SQLITE3" --as-of "$AS_OF" --runs "$runs" --label "(seed $seed, scale $scale)" || true
exit 0
