#!/usr/bin/env bash
# What a phone downloads before Fieldbook answers, and Lighthouse's view of it
# (docs/PERFORMANCE.md, "The browser bundle").
#
#   bench/bundle.sh
#
# Recreates the database fieldbook_bundle with the demo companies, starts the release
# server on 127.0.0.1:3210 (target/release/server and target/site as built by
# ./fieldbook run or ./fieldbook test), then:
#   1. bench/bundle.mjs: per route (sign-in page, a worker's My jobs, the admin's
#      dashboard) the JS + WASM + CSS fetched before the page was interactive (hydrated;
#      loaded, for a page sent without the WASM) — raw, gzip, brotli;
#   2. Lighthouse (npm, pinned in bench/lighthouse/package-lock.json; installed on first
#      use), mobile, driving Debian's Chromium: performance and accessibility scores on
#      the sign-in page, a worker's My jobs, the admin's job list and a customer's jobs
#      (signed in with a cookie).
# Output also lands in target/bench/bundle.txt and target/bench/lighthouse-*.json.
#
# Settings (environment):
#   BENCH_PORT=3210           port of the benchmarked server
#   BENCH_LIGHTHOUSE=0        skip Lighthouse
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export SQLX_OFFLINE=true
source scripts/tools.sh
source scripts/postgres.sh

PORT=${BENCH_PORT:-3210}
BASE="http://127.0.0.1:$PORT"
OUT="$ROOT/target/bench"
SERVER_LOG="$OUT/bundle-server.log"
SLUG=northwind
ADMIN_EMAIL=alice@northwind.example
PASSWORD=demo-fieldbook-2026
mkdir -p "$OUT"

[ -x target/release/server ] && [ -f target/release/hash.txt ] && [ -f target/site/sw.js ] || {
  log "no release build with its service worker: building it (./fieldbook run does the same)"
  ensure_build_tools
  cargo leptos build --release --split
  (cd pwa && { [ -d node_modules/workbox-build ] || npm ci --no-audit --no-fund --loglevel=error; }) && node pwa/build.mjs target/site target/release
}
ensure_database
ensure_chromium
BENCH_URL=$(fresh_database fieldbook_bundle)
source bench/lib.sh
DATABASE_URL="$BENCH_URL" APP_DATABASE_URL='' BASE_URL="$BASE" LEPTOS_SITE_ROOT="$ROOT/target/site" \
  target/release/server seed-demo >"$OUT/bundle-seed.log" 2>&1
start_server

# bundle.mjs drives Chromium with the browser tests' Playwright (pinned in end2end/).
if [ ! -d end2end/node_modules/@playwright/test ]; then
  log "installing Playwright (pinned, end2end/; Debian's Chromium, no browser download)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
node bench/bundle.mjs "$BASE" "$ROOT/target/site" | tee "$OUT/bundle.txt"

if [ "${BENCH_LIGHTHOUSE:-1}" = 1 ]; then
  if [ ! -d bench/lighthouse/node_modules/lighthouse ]; then
    log "installing Lighthouse (pinned, bench/lighthouse)"
    (cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  # A demo login's session cookie, for the signed-in pages.
  session_cookie() {
    curl -fsS -o /dev/null -c - -H "Origin: $BASE" -H 'Content-Type: application/json' \
      -d '{"form":{"workspace":"northwind","email":"'"$1"'","password":"'"$PASSWORD"'"}}' \
      "$BASE/rpc/auth/log_in" |
      # curl marks HttpOnly cookies (all of ours) with a "#HttpOnly_" prefix, not a comment.
      awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }'
  }
  as() { printf -- '--extra-headers={"Cookie": "%s"}' "$(session_cookie "$1")"; }
  lighthouse() {
    local name=$1 url=$2; shift 2
    CHROME_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} bench/lighthouse/node_modules/.bin/lighthouse "$url" \
      --quiet --output=json --output-path="$OUT/lighthouse-$name.json" --form-factor=mobile \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking" "$@" || return 1
    node -e '
      const r = require(process.argv[1]);
      const score = (c) => Math.round((r.categories[c]?.score ?? 0) * 100);
      const audit = (a) => r.audits[a]?.displayValue ?? "";
      // A signed-in page that sent Lighthouse to the sign-in page measured the wrong page.
      if (r.finalDisplayedUrl !== r.requestedUrl) {
        console.error(`${process.argv[2]}: redirected to ${r.finalDisplayedUrl}; not measured`);
        process.exit(1);
      }
      console.log(`${process.argv[2].padEnd(10)} performance ${score("performance")}  accessibility ${score("accessibility")}  FCP ${audit("first-contentful-paint")}  LCP ${audit("largest-contentful-paint")}  TBT ${audit("total-blocking-time")}  transferred ${audit("total-byte-weight")}`);
    ' "$OUT/lighthouse-$name.json" "$name"
  }
  {
    echo "Lighthouse (mobile emulation: slow 4G, 4x CPU slowdown):"
    lighthouse sign-in "$BASE/northwind/login"
    lighthouse my-jobs "$BASE/app/my-jobs" "$(as walter@northwind.example)"
    lighthouse admin-jobs "$BASE/app/jobs" "$(as alice@northwind.example)"
    lighthouse portal "$BASE/app/portal" "$(as carla@harbourcafe.example)"
  } | tee -a "$OUT/bundle.txt"
fi
