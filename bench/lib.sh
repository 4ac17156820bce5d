# Shared by the benchmarks (bench/*.sh): the owner's psql, the release server on the
# benchmark database, JSON posts, an API token, and unit conversions. Expects ROOT, BASE,
# PORT, OUT, SERVER_LOG, BENCH_URL, SLUG, ADMIN_EMAIL and PASSWORD to be set.

SERVER_PID=

# psql as the owner on the benchmark database; extra psql arguments follow.
bench_psql() {
  psql "$BENCH_URL" -v ON_ERROR_STOP=1 -qAt "$@"
}

start_server() {
  if curl -fsS "$BASE/ready" >/dev/null 2>&1; then
    log "something already answers on $BASE; set BENCH_PORT to a free port"
    return 1
  fi
  : >"$SERVER_LOG"
  # APP_DATABASE_URL emptied: the server derives the fieldbook_app connection from DATABASE_URL.
  DATABASE_URL="$BENCH_URL" APP_DATABASE_URL='' APP_ENV=development RUN_MIGRATIONS=true \
    LISTEN_ADDR="127.0.0.1:$PORT" BASE_URL="$BASE" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    "$ROOT/target/release/server" >>"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    if curl -fsS "$BASE/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  log "the server did not become ready (log: $SERVER_LOG):"
  tail -n 30 "$SERVER_LOG" >&2
  return 1
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

# POSTs JSON $2 to path $1; the body goes to $3; fails unless the answer is 200.
post_json() {
  local code
  code=$(curl -sS -o "$3" -w '%{http_code}' -H 'content-type: application/json' -d "$2" "$BASE$1")
  if [ "$code" != 200 ]; then
    log "POST $1 answered $code: $(head -c 400 "$3")"
    return 1
  fi
}

# Percent-encodes a query value (byte by byte, so UTF-8 survives).
url_encode() {
  local LC_ALL=C s=$1 out= c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in [a-zA-Z0-9.~_-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}

# wrk's latency ("850.12us", "12.40ms", "1.02s") in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.1f", n }'
}

# An access token for the admin (valid 15 minutes); pages accept it as a Bearer header.
access_token() {
  post_json /api/v1/auth/login "$(printf '{"workspace":"%s","email":"%s","password":"%s"}' \
    "$SLUG" "$ADMIN_EMAIL" "$PASSWORD")" "$OUT/login.json" || return 1
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$OUT/login.json"
}

# Runs wrk on URL $1 with $2 connections: a warm-up, then a measured run whose output
# goes to file $3. Further arguments (headers) go to wrk. Sets P50 and P99 (ms), RPS, and
# BAD (non-2xx answers, "+socket errors" if any).
wrk_measure() {
  local url=$1 conns=$2 file=$3
  shift 3
  local threads=$((conns < 2 ? conns : 2))
  wrk -t"$threads" -c"$conns" -d"$WARMUP" "$@" "$url" >/dev/null
  wrk -t"$threads" -c"$conns" -d"$DURATION" --timeout 10s --latency "$@" "$url" >"$file"
  P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
  P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
  RPS=$(awk '$1 == "Requests/sec:" { printf "%.1f", $2 }' "$file")
  BAD=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
  BAD=${BAD:-0}
  if grep -q 'Socket errors' "$file"; then BAD="$BAD+socket errors"; fi
}

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 || apt_install wrk
}

ensure_server_binary() {
  if [ ! -x "$ROOT/target/release/server" ]; then
    ensure_build_tools
    log "target/release/server is missing: building it (release: server + WASM bundle)"
    cargo leptos build --release
  fi
  local newer
  newer=$(find server app frontend migrations Cargo.toml Cargo.lock -newer "$ROOT/target/release/server" -type f 2>/dev/null | head -n1)
  if [ -n "$newer" ]; then
    log "warning: target/release/server is older than $newer; the figures are for that older build"
  fi
}
