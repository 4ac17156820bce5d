#!/usr/bin/env bash
# Benchmark of the monthly time report on a large data set (docs/PERFORMANCE.md).
#
#   bench/time.sh
#
# Recreates the database fieldbook_bench_time, starts the release server on
# 127.0.0.1:3200 against it, signs a company up through the app (Europe/Berlin), seeds
# 200 workers and 500 000 work logs over two years (bench/time-seed.sql), then measures
# with wrk over loopback, for last month: the report page for the whole company and for
# one customer, and the CSV export of both. It also records the server's memory around
# whole-company CSV downloads, to show the export streams. Results in target/bench-time/.
#
# It uses target/release/server as it is (built by ./fieldbook run or ./fieldbook test).
#
# Settings (environment):
#   BENCH_PORT=3200           port of the benchmarked server
#   BENCH_DURATION=15s        length of each measured wrk run (after a warm-up)
#   BENCH_WARMUP=3s           unmeasured wrk run before each measured one
#   BENCH_CONNECTIONS="1 4"   concurrent connections, one measured run per value
#   BENCH_REUSE=1             keep an already seeded fieldbook_bench_time (skips the seed)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export SQLX_OFFLINE=true
source scripts/tools.sh
source scripts/postgres.sh

PORT=${BENCH_PORT:-3200}
BASE="http://127.0.0.1:$PORT"
DURATION=${BENCH_DURATION:-15s}
WARMUP=${BENCH_WARMUP:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-1 4}
PAGE_TARGET_MS=100

SLUG=timebench
ADMIN_EMAIL=admin@timebench.example
PASSWORD=bench-Fieldbook-2026
OUT="$ROOT/target/bench-time"
SERVER_LOG="$OUT/server.log"

source bench/lib.sh

sign_up() {
  log "signing up the benchmark company '$SLUG' through the app"
  post_json /rpc/auth/sign_up "$(printf '{"form":{"company_name":"Time Benchmark Services","slug":"%s","timezone":"Europe/Berlin","admin_name":"Bench Admin","email":"%s","password":"%s"}}' \
    "$SLUG" "$ADMIN_EMAIL" "$PASSWORD")" "$OUT/sign-up.json"
  # The benchmark vouches for its admin's address (no verification mail to follow).
  bench_psql -c "update users set email_verified_at = now() where email = '$ADMIN_EMAIL'" > /dev/null
}

seeded() {
  local logs
  logs=$(bench_psql -c "select count(*) from work_logs" 2>/dev/null) || return 1
  [ "${logs:-0}" -ge 500000 ]
}

prepare_data() {
  if [ "${BENCH_REUSE:-}" = 1 ] && seeded; then
    log "BENCH_REUSE=1: keeping the seeded fieldbook_bench_time"
    start_server
    SEED_TIME="reused"
    return
  fi
  log "creating the database fieldbook_bench_time"
  BENCH_URL=$(fresh_database fieldbook_bench_time)
  log "starting the release server on $BASE (it migrates the database; log: $SERVER_LOG)"
  start_server
  sign_up
  log "seeding 200 workers, 2 000 jobs and 500 000 work logs"
  local started; started=$(date +%s.%N)
  psql "$BENCH_URL" -v ON_ERROR_STOP=1 -q -o /dev/null -v slug="$SLUG" -f bench/time-seed.sql
  SEED_TIME=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f s", b - a }')
  log "seeded (and vacuum-analyzed) in $SEED_TIME"
}

pick_targets() {
  COMPANY=$(PGOPTIONS="-c app.company_slug=$SLUG" bench_psql -c "select id from companies where slug = '$SLUG'")
  MONTH=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
  CUSTOMER=$(PGOPTIONS="-c app.company_id=$COMPANY" bench_psql -c \
    "select id from customers where company_id = '$COMPANY' order by name limit 1")
  MONTH_LOGS=$(PGOPTIONS="-c app.company_id=$COMPANY" bench_psql -c \
    "select count(*) from work_logs where company_id = '$COMPANY'
       and started_at >= ('$MONTH-01'::date::timestamp at time zone 'Europe/Berlin')
       and started_at < (('$MONTH-01'::date + interval '1 month')::timestamp at time zone 'Europe/Berlin')")
  CUSTOMER_LOGS=$(PGOPTIONS="-c app.company_id=$COMPANY" bench_psql -c \
    "select count(*) from work_logs where company_id = '$COMPANY' and customer_id = '$CUSTOMER'
       and started_at >= ('$MONTH-01'::date::timestamp at time zone 'Europe/Berlin')
       and started_at < (('$MONTH-01'::date + interval '1 month')::timestamp at time zone 'Europe/Berlin')")
  # name|URL|label|text the answer must contain
  TARGETS=(
    "page-all|$BASE/app/reports?month=$MONTH|report page, whole company ($MONTH_LOGS logs)|data-testid=\"report-totals\""
    "page-customer|$BASE/app/reports?month=$MONTH&customer=$CUSTOMER|report page, one customer ($CUSTOMER_LOGS logs)|Customer: Customer 00"
    "csv-all|$BASE/exports/time-report.csv?month=$MONTH|CSV, whole company ($MONTH_LOGS rows)|Date,Start,End"
    "csv-customer|$BASE/exports/time-report.csv?month=$MONTH&customer=$CUSTOMER|CSV, one customer ($CUSTOMER_LOGS rows)|Date,Start,End"
  )
}

check_target() {
  local name=$1 url=$2 token=$3 expected=$4 file="$OUT/answer-$1" code
  code=$(curl -sS -o "$file" -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
  if [ "$code" != 200 ] || ! grep -qF "$expected" "$file"; then
    log "$url answered $code without '$expected' (saved to $file)"
    return 1
  fi
}

declare -a RESULTS=()
PAGE_TARGET_MET=yes

measure() {
  local name=$1 url=$2 label=$3 expected=$4 token conns file verdict
  token=$(access_token)
  check_target "$name" "$url" "$token" "$expected"
  for conns in $CONNECTIONS; do
    file="$OUT/wrk-$name-c$conns.txt"
    log "wrk: $label, $conns connection(s), $WARMUP warm-up + $DURATION"
    wrk_measure "$url" "$conns" "$file" -H "Authorization: Bearer $token" -H "Accept-Encoding: gzip"
    verdict=
    if [ "$BAD" != 0 ]; then
      verdict="INVALID: failed requests"; ERRORS=yes
    elif [[ $name == page-* ]]; then
      if awk -v m="$P50" -v t="$PAGE_TARGET_MS" 'BEGIN { exit !(m < t) }'; then verdict="< ${PAGE_TARGET_MS} ms"; else
        verdict="OVER ${PAGE_TARGET_MS} ms"; PAGE_TARGET_MET=no; fi
    fi
    RESULTS+=("$(printf '%-46s %5s %9s %9s %7s %7s  %s' "$label" "$conns" "$P50 ms" "$P99 ms" "$RPS" "$BAD" "$verdict")")
  done
}

# Resident memory of the server (kB) now, and its high-water mark.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status"; }

# The CSV streams when the server's peak memory grows by far less than the file is large.
measure_memory() {
  local token size before_rss before_hwm after_hwm
  token=$(access_token)
  before_rss=$(rss_kb); before_hwm=$(hwm_kb)
  size=$(curl -sS -o "$OUT/month.csv" -w '%{size_download}' -H "Authorization: Bearer $token" \
    "$BASE/exports/time-report.csv?month=$MONTH")
  local pids=()
  for _ in 1 2 3 4; do
    curl -sS -o /dev/null -H "Authorization: Bearer $token" "$BASE/exports/time-report.csv?month=$MONTH" &
    pids+=($!)
  done
  # Not a bare `wait`: the server is a background job of this shell too.
  wait "${pids[@]}"
  after_hwm=$(hwm_kb)
  MEMORY_LINE="whole-company CSV: $((size / 1024)) KB per file; server RSS before $((before_rss / 1024)) MB, peak before $((before_hwm / 1024)) MB, peak after 1 + 4 parallel downloads $((after_hwm / 1024)) MB"
}

main() {
  mkdir -p "$OUT"
  rm -f "$OUT"/wrk-*.txt "$OUT"/answer-*
  ensure_wrk
  ensure_server_binary
  ensure_database
  BENCH_URL=$(url_for_db fieldbook_bench_time)
  SEED_TIME=
  ERRORS=no
  prepare_data
  pick_targets
  for target in "${TARGETS[@]}"; do
    IFS='|' read -r name url label expected <<<"$target"
    measure "$name" "$url" "$label" "$expected"
  done
  measure_memory
  stop_server

  {
    echo "Fieldbook time report benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "  machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "  server:  target/release/server built $(date -u -r "$ROOT/target/release/server" '+%Y-%m-%d %H:%M UTC'), source $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "  data:    200 workers, 50 customers, 500 000 logs over two years; month $MONTH; seed $SEED_TIME"
    echo "  runs:    $DURATION each after $WARMUP warm-up, loopback, Accept-Encoding: gzip"
    echo
    printf '%-46s %5s %9s %9s %7s %7s  %s\n' "target" "conns" "median" "p99" "req/s" "non-2xx" "page target"
    printf '%s\n' "${RESULTS[@]}"
    echo
    echo "$MEMORY_LINE"
    echo "Report pages median under ${PAGE_TARGET_MS} ms: $PAGE_TARGET_MET"
    [ "$ERRORS" = no ] || echo "Some requests FAILED (non-2xx or socket errors): these figures are not valid."
  } | tee "$OUT/summary.txt"
  [ "$ERRORS" = no ]
}

main "$@"
