#!/usr/bin/env bash
# The local development mail sink: maildev (installed by scripts/tools.sh) on 127.0.0.1,
# keeping every message in memory and relaying none. `./fieldbook run` uses it when
# SMTP_URL is not set; `./fieldbook test` always does. Its state (pid, config, log, raw
# messages) lives in .fieldbook/ (git-ignored). Sourced by ./fieldbook, after tools.sh.

MAIL_SMTP_PORT=${FIELDBOOK_MAIL_SMTP_PORT:-54325}
MAIL_WEB_PORT=${FIELDBOOK_MAIL_WEB_PORT:-54380}
MAIL_SINK_URL="http://127.0.0.1:$MAIL_WEB_PORT"
MAIL_SINK_DIR="$ROOT/.fieldbook/maildev"
MAIL_SINK_PIDFILE="$MAIL_SINK_DIR/maildev.pid"
MAIL_SINK_LOG="$ROOT/.fieldbook/maildev.log"
MAIL_SINK_STARTED=0   # 1 once this invocation has started the sink

# The pid of the sink this clone started, if it is still running.
mail_sink_pid() {
  local pid
  pid=$(cat "$MAIL_SINK_PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && mail_sink_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q maildev \
    && echo "$pid"
}

# A process that has exited but not been reaped yet (state Z) counts as gone.
mail_sink_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "${state:0:1}" != Z ]
}

mail_sink_answers() {
  curl -fsS --max-time 2 "$MAIL_SINK_URL/api/healthz" >/dev/null 2>&1 \
    && (exec 3<>"/dev/tcp/127.0.0.1/$MAIL_SMTP_PORT") 2>/dev/null
}

# Starts the sink unless one already answers on its ports, and waits until it does.
mail_sink_start() {
  if mail_sink_answers; then
    mail_sink_pid >/dev/null || log "a mail sink already answers at $MAIL_SINK_URL (not started by this clone); using it"
    return 0
  fi
  ensure_maildev
  local bin="$TOOLS_DIR/maildev-$MAILDEV_VERSION/node_modules/.bin/maildev"
  mkdir -p "$MAIL_SINK_DIR"
  # maildev keeps its inbox in memory but also writes each raw message under
  # $TMPDIR/maildev; that goes here, emptied because a new sink starts with an empty inbox.
  rm -rf "$MAIL_SINK_DIR/tmp" && mkdir -p "$MAIL_SINK_DIR/tmp"
  # An explicit config file keeps maildev from loading a .maildevrc.json or
  # maildev.config.* found in a parent directory.
  printf '{ "smtp": %s, "ip": "127.0.0.1", "web": %s, "webIp": "127.0.0.1" }\n' \
    "$MAIL_SMTP_PORT" "$MAIL_WEB_PORT" >"$MAIL_SINK_DIR/maildevrc.json"
  # MAILDEV_* variables would override the flags (a mail directory, a relay, auth): drop them.
  local -a unset_env=()
  local name
  for name in "${!MAILDEV_@}"; do unset_env+=(-u "$name"); done
  log "starting the mail sink (maildev $MAILDEV_VERSION): SMTP 127.0.0.1:$MAIL_SMTP_PORT, inbox $MAIL_SINK_URL (log: .fieldbook/maildev.log)"
  rm -f "$MAIL_SINK_PIDFILE"
  echo "── $(date -Is) starting maildev" >>"$MAIL_SINK_LOG"
  local log_from
  log_from=$(stat -c %s "$MAIL_SINK_LOG")
  # Its own session (setsid), so Ctrl-C on `./fieldbook run` leaves it running, like
  # PostgreSQL. No --outgoing-*/--auto-relay and no --mail-directory: nothing is relayed
  # and the inbox is in memory. STARTTLS is hidden: its self-signed certificate would
  # only fail a client that tries TLS opportunistically.
  (cd "$MAIL_SINK_DIR" && exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' mailsink "$MAIL_SINK_PIDFILE" \
    env "${unset_env[@]}" TMPDIR="$MAIL_SINK_DIR/tmp" "$bin" --config "$MAIL_SINK_DIR/maildevrc.json" \
    --smtp "$MAIL_SMTP_PORT" --ip 127.0.0.1 --web "$MAIL_WEB_PORT" --web-ip 127.0.0.1 \
    --hide-extensions STARTTLS </dev/null >>"$MAIL_SINK_LOG" 2>&1) &
  local pid
  for _ in $(seq 1 100); do
    if mail_sink_answers; then MAIL_SINK_STARTED=1; return 0; fi
    pid=$(cat "$MAIL_SINK_PIDFILE" 2>/dev/null || true)
    if [ -n "$pid" ] && ! mail_sink_alive "$pid"; then break; fi
    sleep 0.2
  done
  log "the mail sink did not start:"; tail -c +"$((log_from + 1))" "$MAIL_SINK_LOG" | tail -n 20 >&2
  mail_sink_stop
  return 1
}

mail_sink_stop() {
  local pid
  if pid=$(mail_sink_pid); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do mail_sink_alive "$pid" || break; sleep 0.1; done
    if mail_sink_alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true   # reaps it when this shell started it
  fi
  rm -f "$MAIL_SINK_PIDFILE"
  MAIL_SINK_STARTED=0
}

# `./fieldbook run`: without SMTP_URL, the server's mail goes to the sink.
mail_for_dev_server() {
  if [ -n "${SMTP_URL:-}" ]; then
    MAIL_NOTICE="Mail: sent through the SMTP_URL from the environment"
    return 0
  fi
  mail_sink_start
  export SMTP_URL="smtp://127.0.0.1:$MAIL_SMTP_PORT"
  MAIL_NOTICE="Mail: outgoing mail goes to the local inbox at $MAIL_SINK_URL"
}

# `./fieldbook test`: always the sink, for the servers, the integration tests and Playwright.
mail_for_tests() {
  [ -z "${SMTP_URL:-}" ] || log "ignoring SMTP_URL: the tests send mail to the local sink"
  mail_sink_start
  export SMTP_URL="smtp://127.0.0.1:$MAIL_SMTP_PORT"
  export MAIL_SINK_SMTP="127.0.0.1:$MAIL_SMTP_PORT"
  export MAIL_SINK_API="$MAIL_SINK_URL"
}

cmd_mail() {
  case "${1:-status}" in
    start) mail_sink_start; echo "inbox $MAIL_SINK_URL, SMTP_URL=smtp://127.0.0.1:$MAIL_SMTP_PORT" ;;
    stop) mail_sink_stop ;;
    status) if mail_sink_answers; then echo "running: inbox $MAIL_SINK_URL, SMTP 127.0.0.1:$MAIL_SMTP_PORT"; else echo "stopped"; fi ;;
    *) echo "usage: ./fieldbook mail start|stop|status" >&2; return 2 ;;
  esac
}
