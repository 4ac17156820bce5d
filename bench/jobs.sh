#!/usr/bin/env bash
# Benchmark of the server-rendered jobs pages on a large data set (docs/PERFORMANCE.md).
#
#   bench/jobs.sh
#
# Recreates the database fieldbook_bench, starts the release server on 127.0.0.1:3200
# against it, signs a company up through the app, seeds it with 100 000 jobs (and 50
# other companies with 2 000 each), then measures three pages with wrk over loopback:
# the job list filtered by status, the job list searched by title, and a job's detail
# page. Prints median, p99 and requests per second, writes EXPLAIN (ANALYZE, BUFFERS)
# of the queries behind them, and stops the server. Everything lands in target/bench/.
#
# It uses target/release/server as it is (built by ./fieldbook run or ./fieldbook test)
# and builds it only when it is missing.
#
# Settings (environment):
#   BENCH_PORT=3200               port of the benchmarked server
#   BENCH_DURATION=15s            length of each measured wrk run (after a warm-up)
#   BENCH_WARMUP=3s               unmeasured wrk run before each measured one
#   BENCH_CONNECTIONS="1 8"       concurrent connections, one measured run per value
#   BENCH_JOBS=100000             jobs of the benchmarked company
#   BENCH_OTHER_COMPANIES=50      other companies …
#   BENCH_OTHER_JOBS=2000         … and their jobs each
#   BENCH_STATUS="In progress"    status the list is filtered by
#   BENCH_SEARCH=chimney          search term (in ~1 % of the titles)
#   BENCH_ACCEPT_ENCODING=gzip    sent like a browser would ("" for uncompressed pages)
#   BENCH_REUSE=1                 keep an already seeded fieldbook_bench (skips the seed)
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
CONNECTIONS=${BENCH_CONNECTIONS:-1 8}
BIG_JOBS=${BENCH_JOBS:-100000}
OTHER_COMPANIES=${BENCH_OTHER_COMPANIES:-50}
OTHER_JOBS=${BENCH_OTHER_JOBS:-2000}
STATUS_NAME=${BENCH_STATUS:-In progress}
SEARCH=${BENCH_SEARCH:-chimney}
ACCEPT_ENCODING=${BENCH_ACCEPT_ENCODING-gzip}
TARGET_MS=20

SLUG=bench
ADMIN_EMAIL=admin@bench.example
PASSWORD=bench-Fieldbook-2026
OUT="$ROOT/target/bench"
SERVER_LOG="$OUT/server.log"

source bench/lib.sh

# One value from the big company's rows: the session acts for it, as the app does
# (row-level security is forced on every tenant table).
tenant_value() {
  PGOPTIONS="-c app.company_id=$COMPANY" bench_psql -c "$1"
}

sign_up() {
  log "signing up the benchmark company '$SLUG' through the app"
  post_json /rpc/auth/sign_up "$(printf '{"form":{"company_name":"Benchmark Services","slug":"%s","timezone":"Europe/London","admin_name":"Bench Admin","email":"%s","password":"%s"}}' \
    "$SLUG" "$ADMIN_EMAIL" "$PASSWORD")" "$OUT/sign-up.json"
  # The benchmark vouches for its admin's address (no verification mail to follow).
  bench_psql -c "update users set email_verified_at = now() where email = '$ADMIN_EMAIL'" > /dev/null
}

# Whether fieldbook_bench already holds the signed-up company and jobs.
seeded() {
  local companies jobs
  companies=$(PGOPTIONS="-c app.company_slug=$SLUG" bench_psql -c \
    "select count(*) from companies where slug = '$SLUG'" 2>/dev/null) || return 1
  jobs=$(bench_psql -c "select count(*) from jobs" 2>/dev/null) || return 1
  [ "$companies" = 1 ] && [ "${jobs:-0}" -gt 0 ]
}

prepare_data() {
  if [ "${BENCH_REUSE:-}" = 1 ] && seeded; then
    log "BENCH_REUSE=1: keeping the seeded fieldbook_bench"
    start_server
    SEED_TIME="reused"
    return
  fi
  log "creating the database fieldbook_bench"
  BENCH_URL=$(fresh_database fieldbook_bench)
  log "starting the release server on $BASE (it migrates the database; log: target/bench/server.log)"
  start_server
  sign_up
  log "seeding: $BIG_JOBS jobs for '$SLUG', $OTHER_COMPANIES other companies with $OTHER_JOBS jobs each"
  local started; started=$(date +%s.%N)
  psql "$BENCH_URL" -v ON_ERROR_STOP=1 -q -o /dev/null \
    -v big_slug="$SLUG" -v big_jobs="$BIG_JOBS" -v other_companies="$OTHER_COMPANIES" \
    -v other_jobs="$OTHER_JOBS" -f bench/seed.sql
  SEED_TIME=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f s", b - a }')
  log "seeded (and vacuum-analyzed) in $SEED_TIME"
}

# Picks the benchmarked status, search term and job; checks each page renders what it should.
pick_targets() {
  COMPANY=$(PGOPTIONS="-c app.company_slug=$SLUG" bench_psql -c "select id from companies where slug = '$SLUG'")
  STATUS_ID=$(tenant_value "select id from job_statuses where company_id = '$COMPANY' and name = '${STATUS_NAME//\'/\'\'}'")
  [ -n "$STATUS_ID" ] || { log "no status named '$STATUS_NAME'"; return 1; }
  WORD="$(tr '[:upper:]' '[:lower:]' <<<"$SEARCH")"
  PATTERN="%$WORD%"
  STATUS_COUNT=$(tenant_value "select count(*) from jobs where company_id = '$COMPANY' and deleted_at is null
                                and not is_archived and status_id = '$STATUS_ID'")
  SEARCH_COUNT=$(tenant_value "select count(*) from jobs where company_id = '$COMPANY' and deleted_at is null
                                and not is_archived and lower(title) like '${PATTERN//\'/\'\'}'")
  # The newest unarchived job with a checklist of at least three tasks and a note.
  JOB_ID=$(tenant_value "select j.id from jobs j
     where j.company_id = '$COMPANY' and j.deleted_at is null and not j.is_archived
       and (select count(*) from job_tasks t where t.company_id = j.company_id and t.job_id = j.id) >= 3
       and exists (select 1 from job_notes n where n.company_id = j.company_id and n.job_id = j.id)
     order by j.created_at desc limit 1")
  JOB_TITLE=$(tenant_value "select title from jobs where company_id = '$COMPANY' and id = '$JOB_ID'")
  SEARCH_Q=$(url_encode "$SEARCH")
  # name|URL|label|list rows the page must show
  PAGES=(
    "list-status|$BASE/app/jobs?status=$STATUS_ID|list ?status=$STATUS_NAME ($STATUS_COUNT jobs)|$((STATUS_COUNT < 50 ? STATUS_COUNT : 50))"
    "list-search|$BASE/app/jobs?q=$SEARCH_Q|list ?q=$SEARCH ($SEARCH_COUNT jobs)|$((SEARCH_COUNT < 50 ? SEARCH_COUNT : 50))"
    "detail|$BASE/app/jobs/$JOB_ID|detail /app/jobs/:id|"
  )
}

# Fetches a page once and checks it is the real thing: 200, a full page of rows on a
# list (search results count too), the job's title and tasks on the detail page.
check_page() {
  local name=$1 url=$2 token=$3 expected=$4 file="$OUT/page-$1.html" code rows
  code=$(curl -sS -o "$file" -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
  if [ "$code" != 200 ]; then
    log "$url answered $code (saved to target/bench/page-$name.html)"
    return 1
  fi
  case "$name" in
    list-*)
      rows=$(grep -o 'job-table-row' "$file" | wc -l || true)
      if [ "$rows" != "$expected" ]; then
        log "$url shows $rows job rows, not $expected (saved to target/bench/page-$name.html)"
        return 1
      fi ;;
    detail)
      if ! grep -qF "$JOB_TITLE" "$file" || ! grep -qF 'data-testid="job-title"' "$file" \
        || ! grep -qF 'data-testid="task-list"' "$file"; then
        log "$url does not show the job with its tasks (saved to target/bench/page-$name.html)"
        return 1
      fi ;;
  esac
}

declare -a RESULTS=()
LIST_TARGET_MET=yes

measure() {
  local name=$1 url=$2 label=$3 expected=$4 token conns file verdict
  token=$(access_token)
  check_page "$name" "$url" "$token" "$expected"
  local headers=(-H "Authorization: Bearer $token")
  [ -z "$ACCEPT_ENCODING" ] || headers+=(-H "Accept-Encoding: $ACCEPT_ENCODING")
  for conns in $CONNECTIONS; do
    file="$OUT/wrk-$name-c$conns.txt"
    log "wrk: $label, $conns connection(s), $WARMUP warm-up + $DURATION"
    wrk_measure "$url" "$conns" "$file" "${headers[@]}"
    verdict=
    if [ "$BAD" != 0 ]; then
      verdict="INVALID: failed requests"; ERRORS=yes
    elif [[ $name == list-* ]]; then
      if awk -v m="$P50" -v t="$TARGET_MS" 'BEGIN { exit !(m < t) }'; then verdict="< ${TARGET_MS} ms"; else
        verdict="OVER ${TARGET_MS} ms"; LIST_TARGET_MET=no; fi
    fi
    RESULTS+=("$(printf '%-40s %5s %9s %9s %8s %7s  %s' "$label" "$conns" "$P50 ms" "$P99 ms" "$RPS" "$BAD" "$verdict")")
    printf '| %s | %s | %s ms | %s ms | %s | %s |\n' "$label" "$conns" "$P50" "$P99" "$RPS" "$BAD" >>"$OUT/results.md"
  done
}

# One line per plan in an explain-*.txt file: label, execution ms, shared buffers
# touched by the whole query (hit + read), the indexes it reads jobs through, and
# whether it scans jobs sequentially. $2 labels a single-plan file.
plan_lines() {
  awk -v fixed="$2" '
    function flush() {
      if (started) printf "%s\t%.1f\t%d\t%s\t%s\n", label, ms, (buf < 0 ? 0 : buf), (idx == "" ? "-" : idx), seq
      started = 0
    }
    function add(name) { if (index("," idx ",", "," name ",") == 0) idx = idx (idx == "" ? "" : ",") name }
    /^-- / && !/^-- as fieldbook_app/ { pending = substr($0, 4) }
    /QUERY PLAN/ { flush(); started = 1; label = (fixed != "" ? fixed : pending); ms = 0; buf = -1; idx = ""; seq = "no" }
    started && buf < 0 && /Buffers: shared/ {
      buf = 0; n = split($0, f, /[ =]+/)
      for (i = 1; i < n; i++) if (f[i] == "hit" || f[i] == "read") buf += f[i + 1]
    }
    started && /Seq Scan on jobs / { seq = "YES" }
    started && match($0, /Scan using [a-z_]+ on jobs /) { split(substr($0, RSTART, RLENGTH), w, " "); add(w[3]) }
    started && match($0, /Bitmap Index Scan on jobs_[a-z_]+/) { split(substr($0, RSTART, RLENGTH), w, " "); add(w[5]) }
    started && /Execution Time:/ { ms = $3 }
    END { flush() }
  ' "$1"
}

explain() {
  log "EXPLAIN (ANALYZE, BUFFERS) as fieldbook_app → target/bench/explain-*.txt"
  bench_psql -v company="$COMPANY" -v status="$STATUS_ID" -v pattern="$PATTERN" -v word="$WORD" -v job="$JOB_ID" \
    -v outdir="$OUT" -f bench/explain.sql
  declare -g -a PLANS=()
  local label ms buffers idx seq
  while IFS=$'\t' read -r label ms buffers idx seq; do
    [ "$seq" = no ] || PLAN_SEQ=yes
    PLANS+=("$(printf '%-62s %7s ms %7s buffers  seq scan on jobs: %-3s  jobs via %s' "$label" "$ms" "$buffers" "$seq" "$idx")")
  done < <(plan_lines "$OUT/explain-list-status.txt" "list ?status=$STATUS_NAME"
           plan_lines "$OUT/explain-list-search.txt" "list ?q=$SEARCH"
           plan_lines "$OUT/explain-detail.txt" "" | sed 's/^/detail: /')
}

main() {
  mkdir -p "$OUT"
  rm -f "$OUT"/wrk-*.txt "$OUT"/explain-*.txt "$OUT"/page-*.html "$OUT/results.md"
  ensure_wrk
  ensure_server_binary
  ensure_database
  BENCH_URL=$(url_for_db fieldbook_bench)
  SEED_TIME=
  PLAN_SEQ=no
  ERRORS=no
  prepare_data
  pick_targets
  explain
  for page in "${PAGES[@]}"; do
    IFS='|' read -r name url label expected <<<"$page"
    measure "$name" "$url" "$label" "$expected"
  done
  stop_server

  local summary="$OUT/summary.txt"
  {
    echo "Fieldbook jobs pages benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "  machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "  server:  target/release/server built $(date -u -r "$ROOT/target/release/server" '+%Y-%m-%d %H:%M UTC'), source $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "  $(psql "$BENCH_URL" -qAt -c 'select version()' | cut -d, -f1); $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
    echo "  data:    $BIG_JOBS jobs in '$SLUG' + $OTHER_COMPANIES companies × $OTHER_JOBS; seed $SEED_TIME"
    echo "  runs:    $DURATION each after $WARMUP warm-up, loopback, Accept-Encoding: ${ACCEPT_ENCODING:-none}"
    echo
    printf '%-40s %5s %9s %9s %8s %7s  %s\n' "page" "conns" "median" "p99" "req/s" "non-2xx" "list target"
    printf '%s\n' "${RESULTS[@]}"
    echo
    echo "EXPLAIN ANALYZE (prepared, as fieldbook_app; files in target/bench/):"
    printf '  %s\n' "${PLANS[@]}"
    echo
    echo "List pages median under ${TARGET_MS} ms: $LIST_TARGET_MET; sequential scan on jobs: $PLAN_SEQ"
    [ "$ERRORS" = no ] || echo "Some requests FAILED (non-2xx or socket errors): these figures are not valid."
  } | tee "$summary"
  log "summary: target/bench/summary.txt; wrk output: target/bench/wrk-*.txt; table rows: target/bench/results.md"
  [ "$ERRORS" = no ]
}

main "$@"
