#!/usr/bin/env bash
# The main job, end to end: install what is missing, build (Release), load the worked example into the
# embedded SQLite database var/govtrack.db, print its follow-up report, load the risk registers of the
# example and print the risk report (heat map, escalations due), then serve the web UI and API on 127.0.0.1.
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
"$bin" --db "$db" import docs/examples/risk-registers-2025-26.csv
echo
"$bin" --db "$db" report risks --format table
echo

# Demo accounts, one per role (docs/security.md). Each run prints fresh one-time passwords: a new account gets
# one from `user add`, an existing one from `user reset-password`.
account() {
  local name="$1"; shift
  local out
  if ! out=$("$bin" --db "$db" user add "$name" "$@" 2>/dev/null); then
    out=$("$bin" --db "$db" user reset-password "$name")
  fi
  printf '  %-20s %-43s %s\n' "$name" "$label" "$(printf '%s\n' "$out" | sed -n 's/^one-time password[^:]*: //p')"
}
echo "Sign in at the web UI with one of these demo accounts (passwords shown once; 'govtrack user reset-password NAME' issues a new one):"
label="admin (users, roles)";                        account admin --admin
label="secretariat; secretary of BPRG";              account governance.officer --person "Governance Officer" --role secretariat
label="auditor";                                     account audit.manager --person "Internal Audit Manager" --role auditor
label="action owner of IA-2024-25-PM 1.1";           account odsc.lead --person "Organisational Design and Strategic Capability Lead"
label="viewer (audit committee chair)";              account ned --person "Non-Executive Member" --role viewer
label="secretary of the Executive Team (decides)";   account head.governance --person "Head of Governance"
echo

if [ "$serve" -eq 1 ]; then
  echo "Open http://127.0.0.1:$port/ and sign in (API: http://127.0.0.1:$port/api/v1/, docs/security.md). Ctrl-C stops."
  exec "$bin" --db "$db" serve --port "$port"
fi
