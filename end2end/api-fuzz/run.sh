#!/usr/bin/env bash
# Fuzzes the public REST API with Schemathesis against a running server: every
# operation of the OpenAPI document it serves (/api/v1/openapi.json), called with an API
# key that has every scope (and those a key may not call, with a field worker's access
# token), must answer without a 5xx and, where the document describes the answer, as it
# says. `./fieldbook test` runs this (api_fuzz) against a debug server on a fresh
# database with the demo companies; by hand, with schemathesis on PATH (pip install -r
# end2end/api-fuzz/requirements.txt) and the demo loaded:
#
#   BASE_URL=http://127.0.0.1:3000 end2end/api-fuzz/run.sh [more `schemathesis run` options]
#
# e.g. --continue-on-failure (every failure of an operation, not only the first) or
# --include-path-regex '^/api/v1/jobs'. Settings (environment):
#   API_FUZZ_CHECKS        the checks (default: no 5xx, answers match their schema)
#   API_FUZZ_MAX_EXAMPLES  test cases per operation and phase (default 10: ~3 minutes)
#   API_FUZZ_SEED          Schemathesis/Hypothesis seed (default 1: the same cases each run)
#   API_FUZZ_REPORT_DIR    where the reports go (default target/api-fuzz, emptied first)
#   API_FUZZ_WORKSPACE, API_FUZZ_PASSWORD  the demo company and its logins' password
#   API_FUZZ_EMAIL         the admin who makes the key (default Alice)
#   API_FUZZ_WORKER_EMAIL  the field worker of the first pass (default Walter)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

BASE_URL=${BASE_URL:?set BASE_URL to the server to fuzz, e.g. http://127.0.0.1:3000}
BASE_URL=${BASE_URL%/}
CHECKS=${API_FUZZ_CHECKS:-not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance}
MAX_EXAMPLES=${API_FUZZ_MAX_EXAMPLES:-10}
SEED=${API_FUZZ_SEED:-1}
OUT=${API_FUZZ_REPORT_DIR:-$ROOT/target/api-fuzz}
# The demo company's admin (README.md, "Demo logins").
WORKSPACE=${API_FUZZ_WORKSPACE:-northwind}
EMAIL=${API_FUZZ_EMAIL:-alice@northwind.example}
WORKER_EMAIL=${API_FUZZ_WORKER_EMAIL:-walter@northwind.example}
PASSWORD=${API_FUZZ_PASSWORD:-demo-fieldbook-2026}
# Every scope there is (app/src/api_keys/types.rs, ApiScope::all; write includes read,
# reports are read only). The server refuses an unknown scope, so a renamed area fails
# here; a new area must be added.
SCOPES='"jobs:write","customers:write","time:write","reports:read","users:write","webhooks:write"'
# The server's per-address budget is 1 200 requests a minute (config/limits.rs,
# requests_per_ip_per_minute) and counts a key's requests too; 18 a second is at most
# 1 080 in any minute, which leaves room for the sign-in and the key. (The key's own
# budget is set to the most there is, 6 000.) A person's token also has the per-user
# budget, 600 a minute: 9 a second.
KEY_RATE=18/s
TOKEN_RATE=9/s
# What a key, which acts as an admin, is refused by design: notifications are for people
# only, and logging time (work logs) is for field workers. These are fuzzed again, as a
# field worker with an access token.
WORKER_PATHS='^/api/v1/(notifications|work-logs)'

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
# json_field KEY…: the value at that path of the JSON on stdin.
json_field() {
  python3 -c 'import functools, json, sys; print(functools.reduce(lambda v, k: v[k], sys.argv[1:], json.load(sys.stdin)))' "$@"
}

# signed_in EMAIL: an access token for that demo login.
signed_in() {
  local login answer
  login=$(python3 -c 'import json, sys; print(json.dumps(dict(zip(("workspace", "email", "password"), sys.argv[1:]))))' \
    "$WORKSPACE" "$1" "$PASSWORD")
  answer=$(post /api/v1/auth/login "$login") || return 1
  json_field access_token <<<"$answer"
}

# The key is made the way the API page makes one: its server function, called with an
# access token from the token endpoint. No Origin header: the CSRF check lets a request
# that carries no browser's headers through (it has no cookies to borrow), and JSON is
# the body server functions take.
log "signing in as $EMAIL ($WORKSPACE) and making an API key with every scope"
admin_token=$(signed_in "$EMAIL")
made=$(post /rpc/api_keys/create \
  "{\"form\":{\"name\":\"Schemathesis $(date -u +%FT%TZ)\",\"scopes\":[$SCOPES],\"expires_on\":\"\",\"requests_per_minute\":\"6000\"}}" \
  "$admin_token")
key=$(json_field secret <<<"$made")
# The admin's session is not needed any more: the key works on its own.
curl -sS -o /dev/null -X POST "$BASE_URL/api/v1/auth/logout" -H "Authorization: Bearer $admin_token" || true

# One webhook endpoint with one delivery (the demo has none), for the webhook operations
# to find. Its address is the discard port, where nothing listens: deliveries fail at
# once, leave no machine and cost no request from the server's budget.
hook=$(post /api/v1/webhooks \
  '{"url":"http://127.0.0.1:9/fieldbook-api-fuzz","description":"Schemathesis","events":["job.created"]}' "$key")
post "/api/v1/webhooks/$(json_field endpoint id <<<"$hook")/test" '' "$key" >/dev/null

rm -rf "$OUT"
mkdir -p "$OUT"

# config NAME BEARER: the pass's configuration, $OUT/NAME.toml.
config() {
  # No state carried between runs (Schemathesis' crash cache replays old failures first,
  # Hypothesis' example database replays old examples): the seed alone decides the cases.
  # The credential goes in as the document's `bearer` scheme, so Schemathesis also tries
  # each operation without it (401 expected).
  cat >"$OUT/$1.toml" <<'EOF'
[cache]
enabled = false

[generation]
database = "none"

[auth.openapi.bearer]
bearer = "${FUZZ_BEARER}"
EOF
  # Ids of records that exist: random UUIDs alone only ever find 404s and "choose a
  # customer". Each `{id}` after a listed collection (/api/v1/jobs/{id}) draws from what
  # that list shows this credential half the time, each later `{x_id}` after `/xs/` from
  # the `xs` of a few of those records (a job's tasks), and the body fields in BODY from
  # their lists; the other half is generated as usual.
  python3 - "$BASE_URL" "$2" >>"$OUT/$1.toml" <<'EOF'
import json, re, sys, urllib.request

base, bearer = sys.argv[1], sys.argv[2]

def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {bearer}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except Exception:
        return None

def ids(items):
    """The id of each record in a list (or of the one record each item wraps)."""
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            inner = [v["id"] for v in item.values() if isinstance(v, dict) and "id" in v]
            value = item.get("id", inner[0] if len(inner) == 1 else None)
            if isinstance(value, (str, int)):
                found.append(value)
    return found

def listed(answer, field=None):
    """The ids in an answer: in its `field`, or in its first list of records."""
    if not isinstance(answer, dict):
        return ids(answer)
    if field is not None:
        return ids(answer.get(field))
    return next((found for value in answer.values() if (found := ids(value))), [])

BODY = {"customer_id": "/api/v1/customers", "job_id": "/api/v1/jobs", "status_id": "/api/v1/job-statuses",
        "worker_id": "/api/v1/users", "ids[*]": "/api/v1/work-logs"}

paths = get("/api/v1/openapi.json")["paths"]
found, names, bindings = {}, {}, {}
body = {}
for field, source in BODY.items():
    if source not in found:
        found[source] = listed(get(source)) if "get" in paths.get(source, {}) else []
    if found[source]:
        body[f"body.{field}"] = names.setdefault(source, f"ids{len(names)}")
for path in paths:
    parameters = {}
    for index, param in enumerate(re.findall(r"\{([^}]+)\}", path)):
        head = path[: path.index("{" + param + "}")].rstrip("/")
        if index == 0:
            source = head
            if source not in found:
                found[source] = listed(get(head)) if "get" in paths.get(head, {}) else []
        else:
            parent, field = head.rsplit("/", 1)
            records = re.sub(r"/\{[^}]+\}$", "", parent)
            source = f"{parent}: {field}"
            if source not in found:
                found[source] = [i for record in found.get(records, [])[:5]
                                 for i in listed(get(f"{records}/{record}"), field)]
        if found[source]:
            parameters[f"path.{param}"] = names.setdefault(source, f"ids{len(names)}")
    if parameters:
        bindings[path] = parameters
for source, name in names.items():
    print(f"\n# {source}\n[dictionaries.{name}]\nvalues = {json.dumps(found[source][:20])}")
def drawn(parameters):
    return [f'"{p}" = {{ dictionary = "{d}", probability = 0.5 }}' for p, d in parameters.items()]
if body:
    print("\n[parameters]\n" + "\n".join(drawn(body)))
for path, parameters in bindings.items():
    print(f"\n[[operations]]\ninclude-path = {json.dumps(path)}\nparameters = {{ {', '.join(drawn(parameters))} }}")
EOF
}

# fuzz NAME BEARER RATE [schemathesis run options]: one pass; reports $OUT/NAME.txt, .xml.
fuzz() {
  local name=$1 bearer=$2 rate=$3
  shift 3
  config "$name" "$bearer" || return 1
  # One worker: two crash Python 3.11.7's parser (CPython gh-106905, fixed in 3.11.8),
  # and the rate is the bound anyway.
  (cd "$OUT" && FUZZ_BEARER=$bearer HYPOTHESIS_STORAGE_DIRECTORY="$OUT/hypothesis" \
    schemathesis --config-file "$OUT/$name.toml" run "$BASE_URL/api/v1/openapi.json" \
      --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
      --workers 1 --rate-limit "$rate" --request-timeout 30 \
      --report junit --report-junit-path "$OUT/$name.xml" "$@") 2>&1 | tee "$OUT/$name.txt"
}

status=0
# The field worker's pass first: the key's may change the worker's role (it is a
# person's record like any other), and an access token lasts 15 minutes. Only when the
# document has such operations (a filter that selects none is an error).
if curl -fsS "$BASE_URL/api/v1/openapi.json" | python3 -c 'import json, re, sys
sys.exit(not any(re.search(sys.argv[1], path) for path in json.load(sys.stdin)["paths"]))' "$WORKER_PATHS"; then
  log "pass 1: $WORKER_PATHS as $WORKER_EMAIL, a field worker; checks $CHECKS, $MAX_EXAMPLES examples, seed $SEED (report: ${OUT#"$ROOT"/}/worker.*)"
  worker_token=$(signed_in "$WORKER_EMAIL")
  fuzz worker "$worker_token" "$TOKEN_RATE" --include-path-regex "$WORKER_PATHS" "$@" || status=1
  curl -sS -o /dev/null -X POST "$BASE_URL/api/v1/auth/logout" -H "Authorization: Bearer $worker_token" || true
fi
log "pass 2: every operation with the API key; checks $CHECKS, $MAX_EXAMPLES examples, seed $SEED (report: ${OUT#"$ROOT"/}/api-key.*)"
fuzz api-key "$key" "$KEY_RATE" "$@" || status=1
exit "$status"
