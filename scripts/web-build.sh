#!/usr/bin/env bash
# Builds the web UI's front-end assets: installs the npm dependencies pinned in package-lock.json
# (`npm ci`, into ./node_modules, never inside webroot/) and copies the charting library's built,
# self-contained file into webroot/vendor/ (gitignored). Nothing is loaded from the internet at run time.
# Usage: scripts/web-build.sh            (needs node and npm: scripts/install-deps.sh installs them)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null 2>&1 || { echo "web-build: npm is missing; run scripts/install-deps.sh" >&2; exit 1; }
# npm ci is skipped when node_modules was installed from this very lock file (stamp written after it).
stamp=node_modules/.govtrack-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

mkdir -p webroot/vendor
install -m 0644 node_modules/chart.js/dist/chart.umd.min.js webroot/vendor/chart.umd.min.js
install -m 0644 node_modules/chart.js/LICENSE.md webroot/vendor/chart.js-LICENSE.md
echo "web-build: webroot/vendor/chart.umd.min.js (chart.js $(node -p "require('./node_modules/chart.js/package.json').version"))"
