#!/usr/bin/env bash
# Fuzzes the public REST API with Schemathesis against a running server: every
# operation of the OpenAPI document it serves (/api/v1/openapi.json), called with an API
# key that has every scope, must answer without a 5xx and, where the document describes
# the answer, as it says. `./fieldbook test` runs this (api_fuzz) against a debug server
# on a fresh database with the demo companies; by hand, with schemathesis on PATH
# (pip install -r end2end/api-fuzz/requirements.txt) and the demo loaded:
#
#   BASE_URL=http://127.0.0.1:3000 end2end/api-fuzz/run.sh [more `schemathesis run` options]
#
# e.g. --continue-on-failure (every failure of an operation, not only the first) or
# --include-path-regex '^/api/v1/jobs'. Settings (environment):
#   API_FUZZ_CHECKS        the checks (default: no 5xx, answers match their schema)
#   API_FUZZ_MAX_EXAMPLES  test cases per operation and phase (default 50: ~3 minutes)
#   API_FUZZ_SEED          Schemathesis/Hypothesis seed (default 1: the same cases each run)
#   API_FUZZ_REPORT_DIR    where the reports go (default target/api-fuzz, emptied first)
#   API_FUZZ_WORKSPACE, API_FUZZ_EMAIL, API_FUZZ_PASSWORD   the admin who makes the key
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

BASE_URL=${BASE_URL:?set BASE_URL to the server to fuzz, e.g. http://127.0.0.1:3000}
BASE_URL=${BASE_URL%/}
CHECKS=${API_FUZZ_CHECKS:-not_a_server_error,response_schema_conformance}
MAX_EXAMPLES=${API_FUZZ_MAX_EXAMPLES:-50}
SEED=${API_FUZZ_SEED:-1}
OUT=${API_FUZZ_REPORT_DIR:-$ROOT/target/api-fuzz}
# The demo company's admin (README.md, "Demo logins").
WORKSPACE=${API_FUZZ_WORKSPACE:-northwind}
EMAIL=${API_FUZZ_EMAIL:-alice@northwind.example}
PASSWORD=${API_FUZZ_PASSWORD:-demo-fieldbook-2026}
# Every scope there is (app/src/api_keys/types.rs, ApiScope::all; write includes read,
# reports are read only). The server refuses an unknown scope, so a renamed area fails
# here; a new area must be added.
SCOPES='"jobs:write","customers:write","time:write","reports:read","users:write","webhooks:write"'
# The server's per-address budget is 1 200 requests a minute (config/limits.rs,
# requests_per_ip_per_minute) and counts a key's requests too; 18 a second is at most
# 1 080 in any minute, which leaves room for the sign-in and the key. (The key's own
# budget is set to the most there is, 6 000.)
RATE=18/s

log() { printf '\033[1;34m[api-fuzz]\033[0m %s\n' "$*" >&2; }
command -v schemathesis >/dev/null || { log "schemathesis is not on PATH (pip install -r end2end/api-fuzz/requirements.txt)"; exit 1; }

# post PATH BODY [BEARER]: the JSON answer on stdout; fails, showing it, on any non-2xx.
post() {
  local answer status
  local -a auth=()
  [ -z "${3:-}" ] || auth=(-H "Authorization: Bearer $3")
  answer=$(curl -sS -X POST "$BASE_URL$1" -H 'Content-Type: application/json' "${auth[@]}" \
    --data-binary "$2" -w '\n%{http_code}') || return 1
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  if [ "${status:0:1}" != 2 ]; then
    log "POST $1 answered $status: $answer"
    return 1
  fi
  printf '%s' "$answer"
}
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# The key is made the way the API page makes one: its server function, called with an
# access token from the token endpoint. No Origin header: the CSRF check lets a request
# that carries no browser's headers through (it has no cookies to borrow), and JSON is
# the body server functions take.
log "signing in as $EMAIL ($WORKSPACE) and making an API key with every scope"
login=$(python3 -c 'import json, sys; print(json.dumps(dict(zip(("workspace", "email", "password"), sys.argv[1:]))))' \
  "$WORKSPACE" "$EMAIL" "$PASSWORD")
token=$(post /api/v1/auth/login "$login" | json_field access_token)
made=$(post /rpc/api_keys/create \
  "{\"form\":{\"name\":\"Schemathesis $(date -u +%FT%TZ)\",\"scopes\":[$SCOPES],\"expires_on\":\"\",\"requests_per_minute\":\"6000\"}}" \
  "$token")
export FIELDBOOK_API_KEY
FIELDBOOK_API_KEY=$(json_field secret <<<"$made")
# The session is not needed any more; the key works on its own.
curl -sS -o /dev/null -X POST "$BASE_URL/api/v1/auth/logout" -H "Authorization: Bearer $token" || true

rm -rf "$OUT"
mkdir -p "$OUT"
# No state carried between runs (Schemathesis' crash cache replays old failures first,
# Hypothesis' example database replays old examples): the seed alone decides the cases.
# The key goes in as the document's `bearer` scheme, so Schemathesis also tries each
# operation without it (401 expected).
cat >"$OUT/schemathesis.toml" <<'EOF'
[cache]
enabled = false

[generation]
database = "none"

[auth.openapi.bearer]
bearer = "${FIELDBOOK_API_KEY}"
EOF

log "Schemathesis on $BASE_URL/api/v1/openapi.json: checks $CHECKS, $MAX_EXAMPLES examples, seed $SEED (report: ${OUT#"$ROOT"/})"
status=0
# One worker: two crash Python 3.11.7's parser (CPython gh-106905, fixed in 3.11.8), and
# the rate above is the bound anyway.
(cd "$OUT" && HYPOTHESIS_STORAGE_DIRECTORY="$OUT/hypothesis" \
  schemathesis --config-file "$OUT/schemathesis.toml" run "$BASE_URL/api/v1/openapi.json" \
    --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
    --workers 1 --rate-limit "$RATE" --request-timeout 30 \
    --report junit --report-junit-path "$OUT/junit.xml" "$@") 2>&1 | tee "$OUT/schemathesis.txt" || status=$?
exit "$status"
