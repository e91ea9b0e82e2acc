#!/usr/bin/env bash
# Runs Debian's sqlmap against a live `govtrack serve` (docs/security.md): builds govtrack, loads the
# worked example into a temporary SQLite database, creates a viewer token, and tests every query and path
# parameter of the read API. Fails if sqlmap reports an injectable parameter.
# Not part of scripts/test.sh (sqlmap takes minutes). Usage: scripts/sqlmap.sh [--level N]
set -euo pipefail
cd "$(dirname "$0")/.."

level=2
[ "${1:-}" = "--level" ] && level="$2"

if ! command -v sqlmap >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y sqlmap >/dev/null
fi
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGOVTRACK_BUILD_TESTS=OFF >/dev/null
cmake --build build --target govtrack -j"$(nproc)" >/dev/null

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
bin=build/bin/govtrack
db="sqlite:$work/govtrack.db"
"$bin" --db "$db" import docs/examples/performance-management-2024-25.json >/dev/null
"$bin" --db "$db" user add scanner --role viewer >/dev/null
token=$("$bin" --db "$db" token create scanner --name sqlmap --scope viewer | grep '^gt_')
"$bin" --db "$db" serve --port 0 > "$work/serve.out" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q 'http://' "$work/serve.out" && break; sleep 0.1; done
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
base="http://127.0.0.1:$port"

targets=(
  "$base/api/v1/actions?owner=Chief%20Data%20Officer&status=in_progress&overdue=true&priority=high&engagement=IA-2024-25-PM&page=1&per_page=10"
  "$base/api/v1/recommendations?engagement=IA-2024-25-PM&priority=medium&status=not_implemented"
  "$base/api/v1/reports/follow-up?engagement=IA-2024-25-PM&as_of=2026-01-05&format=json"
  "$base/api/v1/revision-requests?status=pending&group=Executive%20Team"
  "$base/api/v1/engagements/IA-2024-25-PM*"
  "$base/api/v1/actions/x*"
  "$base/api/v1/groups/Executive%20Team*/meeting-pack"
)
found=0
for url in "${targets[@]}"; do
  echo "sqlmap: $url"
  out=$(sqlmap -u "$url" --headers="Authorization: Bearer $token" --batch --level="$level" --risk=1 \
        --flush-session --output-dir="$work/sqlmap" --disable-coloring 2>&1 || true)
  if grep -qiE "is vulnerable|identified the following injection point|appears to be .*injectable" <<<"$out" &&
     ! grep -qi "do not appear to be injectable" <<<"$out"; then
    echo "$out" | grep -iE "injectable|injection point|Parameter:" | head -20
    found=1
  else
    grep -iE "do not appear to be injectable|not injectable" <<<"$out" | tail -1 || true
  fi
done
if [ "$found" -ne 0 ]; then
  echo "sqlmap.sh: sqlmap reports an injectable parameter" >&2
  exit 1
fi
echo "sqlmap.sh: no injectable parameter found in ${#targets[@]} URLs"
