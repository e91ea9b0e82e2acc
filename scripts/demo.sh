#!/usr/bin/env bash
# The main job, end to end: install what is missing, build (Release), load the worked example into the
# embedded SQLite database var/govtrack.db, print its follow-up report, then serve the web UI and API
# on 127.0.0.1.
# Usage: scripts/demo.sh [--no-serve] [--port N]
set -euo pipefail
cd "$(dirname "$0")/.."

serve=1
port=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --no-serve) serve=0 ;;
    --port) port="$2"; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (expected --no-serve, --port N)" >&2; exit 2 ;;
  esac
  shift
done

scripts/install-deps.sh
scripts/web-build.sh      # the web UI's charting library into webroot/vendor/
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGOVTRACK_BUILD_TESTS=OFF >/dev/null
cmake --build build --target govtrack -j"$(nproc)"

bin=build/bin/govtrack
db=sqlite:var/govtrack.db
mkdir -p var
"$bin" --db "$db" migrate
"$bin" --db "$db" import docs/examples/performance-management-2024-25.json
echo
"$bin" --db "$db" report follow-up --engagement IA-2024-25-PM --format table
echo

if [ "$serve" -eq 1 ]; then
  echo "Open http://127.0.0.1:$port/ (the web UI opens on its sign-in page when sign-in is enabled;"
  echo "API: http://127.0.0.1:$port/api/v1/engagements). Ctrl-C stops."
  exec "$bin" --db "$db" serve --port "$port"
fi
