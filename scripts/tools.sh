#!/usr/bin/env bash
# Installs the pinned build tools outside the clone (so every clone on this
# machine reuses them), each checked by its exact version.
# Sourced by ./fieldbook; exports PATH with the tools first.
#
# The one place the tools' versions are written. Crates are pinned in Cargo.toml /
# Cargo.lock, npm packages in the package-lock.json next to their package.json
# (end2end/, pwa/); the wasm-bindgen CLI is read from the crate's `=` pin, which it
# must equal.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' \
  "$(dirname "${BASH_SOURCE[0]}")/../Cargo.toml")
[ -n "$WASM_BINDGEN_VERSION" ] || { echo 'Cargo.toml must pin wasm-bindgen = "=x.y.z"' >&2; exit 1; }
BINARYEN_VERSION=132.0.0       # Debian's binaryen 108 builds a WASM that never hydrates
MAILDEV_VERSION=3.0.0          # the local mail sink (scripts/mailsink.sh)
# maildev's newest mailparser (3.14.2) pins @zone-eu/mailsplit 5.4.30, which this
# machine's npm registry lacks; 3.9.31 (within maildev's ^3.9.14) pins 5.4.19.
MAILDEV_MAILPARSER_VERSION=3.9.31
TOOLS_DIR=${FIELDBOOK_TOOLS_DIR:-$HOME/.cache/fieldbook/tools}

log() { printf '\033[1;34m[fieldbook]\033[0m %s\n' "$*" >&2; }

# as_root CMD…: run CMD as root, through sudo when we are not root.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  log "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null \
    || { as_root apt-get update >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null; }
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  local root="$TOOLS_DIR/cargo-leptos-$CARGO_LEPTOS_VERSION"
  if [ "$("$root/bin/cargo-leptos" --version 2>/dev/null)" = "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then return; fi
  log "building cargo-leptos $CARGO_LEPTOS_VERSION (one-off, ~11 minutes on 2 cores)"
  local src
  src=$(mktemp -d)
  cargo info "cargo-leptos@$CARGO_LEPTOS_VERSION" >/dev/null 2>&1 || true
  local crate
  crate=$(ls "$HOME"/.cargo/registry/cache/*/cargo-leptos-$CARGO_LEPTOS_VERSION.crate | head -n1)
  tar xzf "$crate" -C "$src"
  # cargo-util-schemas 0.14.2+ needs rustc 1.96; 0.14.1 builds on 1.95.
  (cd "$src/cargo-leptos-$CARGO_LEPTOS_VERSION" \
    && cargo update -p cargo-util-schemas --precise 0.14.1 \
    && CARGO_TARGET_DIR="$src/target" cargo install --path . --locked --features no_downloads --root "$root")
  rm -rf "$src"
}

ensure_wasm_bindgen() {
  local root="$TOOLS_DIR/wasm-bindgen-$WASM_BINDGEN_VERSION"
  if [ "$("$root/bin/wasm-bindgen" --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then return; fi
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (one-off, ~2 minutes)"
  # Not --locked: its lockfile names a webpki-roots the registry does not hold.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$root"
}

ensure_wasm_opt() {
  local dir="$TOOLS_DIR/binaryen-$BINARYEN_VERSION"
  if "$dir/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then return; fi
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  mkdir -p "$dir"
  (cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION" >/dev/null)
}

# The development mail sink: maildev from npm, in its own folder of the tools cache.
ensure_maildev() {
  local dir="$TOOLS_DIR/maildev-$MAILDEV_VERSION"
  if [ "$("$dir/node_modules/.bin/maildev" --version 2>/dev/null)" = "$MAILDEV_VERSION" ]; then return; fi
  log "installing maildev $MAILDEV_VERSION (local mail sink) from npm"
  mkdir -p "$dir"
  # A package.json of our own: npm applies `overrides` only from the top-level one.
  printf '{\n  "name": "fieldbook-maildev",\n  "private": true,\n  "overrides": { "mailparser": "%s" }\n}\n' \
    "$MAILDEV_MAILPARSER_VERSION" >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact "maildev@$MAILDEV_VERSION" >/dev/null)
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql postgresql-contrib
  fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

# The PDF export's tests read the text back out with pdftotext.
ensure_pdftotext() {
  command -v pdftotext >/dev/null || apt_install poppler-utils
}

ensure_build_tools() {
  mkdir -p "$TOOLS_DIR"
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_wasm_opt
  ensure_cargo_leptos
  export PATH="$TOOLS_DIR/cargo-leptos-$CARGO_LEPTOS_VERSION/bin:$TOOLS_DIR/wasm-bindgen-$WASM_BINDGEN_VERSION/bin:$TOOLS_DIR/binaryen-$BINARYEN_VERSION/node_modules/.bin:$PATH"
}

# Run as a script (the Docker image): also link the tools into $TOOLS_DIR/bin, so the
# image's PATH names no version.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_build_tools
  mkdir -p "$TOOLS_DIR/bin"
  for tool in cargo-leptos wasm-bindgen wasm-opt; do
    ln -sfn "$(command -v "$tool")" "$TOOLS_DIR/bin/$tool"
  done
  log "tools ready in $TOOLS_DIR"
fi
