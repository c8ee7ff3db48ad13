#!/usr/bin/env bash
# Rebuilds the console from console/web and fails if the committed build in
# console/dist differs from it. Also runs the unit tests (vitest) and, with
# --browser, the browser test (installing Debian's Chromium when missing).
#
#   console/check-build.sh             # unit tests, rebuild, staleness check
#   console/check-build.sh --browser   # ... and the browser test
set -euo pipefail
cd "$(dirname "$0")"
browser=0
[[ "${1:-}" == "--browser" ]] && browser=1

command -v npm >/dev/null || { echo "check-build: Node.js 20+ and npm are required" >&2; exit 1; }
(cd web && npm ci --no-audit --no-fund && npm test && npm run build)

# The build must match what is committed, with no file missing or extra.
if ! git diff --quiet -- dist || [[ -n "$(git ls-files --others --exclude-standard -- dist)" ]]; then
  echo "check-build: console/dist is stale; run console/check-build.sh and commit console/dist" >&2
  git status --short -- dist >&2
  exit 1
fi
echo "check-build: console/dist is up to date"

if [[ $browser == 1 ]]; then
  if [[ ! -x /usr/bin/chromium ]]; then
    echo "check-build: installing chromium" >&2
    sudo_cmd=""
    [[ $(id -u) == 0 ]] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium
  fi
  cd .. && go test ./console -run TestBrowser -browser -count=1 -v
fi
