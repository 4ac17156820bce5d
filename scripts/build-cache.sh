#!/usr/bin/env bash
# A build cache outside the clone, as hosted CI keeps one: the clone's `target/` is a
# link to a directory keyed by Cargo.lock and the Rust toolchain, so a new clone on this
# machine reuses the compiled dependencies (clippy, tests, WASM) and compiles only
# Fieldbook's own crates. Sourced by ./fieldbook.
#
#   FIELDBOOK_BUILD_CACHE=off   keep a plain target/ in the clone
#   FIELDBOOK_BUILD_CACHE_DIR   where the keyed directories live (default: beside the tools)
#
# A clone whose target/ is already a real directory keeps it. Only the newest two keys
# are kept. When another clone used the directory last, that clone's compiled Fieldbook
# crates are removed first: each clone's are distinct (cargo hashes the source path),
# and a few GB each would otherwise pile up.

BUILD_CACHE_DIR=${FIELDBOOK_BUILD_CACHE_DIR:-$(dirname "$TOOLS_DIR")/build}
BUILD_CACHE_KEEP=2

# The registry packages of Cargo.lock (not Fieldbook's own crates, whose entries change
# with any new dependency edge between them) and the compiler.
build_cache_key() {
  { awk 'BEGIN { RS = "" } /\nsource = / { print; print "" }' "$ROOT/Cargo.lock"; rustc -vV; } | sha256sum | cut -c1-16
}

use_build_cache() {
  [ "${FIELDBOOK_BUILD_CACHE:-on}" != off ] || return 0
  [ -z "${CARGO_TARGET_DIR:-}" ] || return 0
  if [ -e "$ROOT/target" ] && [ ! -L "$ROOT/target" ]; then return 0; fi
  local key dir
  key=$(build_cache_key)
  dir="$BUILD_CACHE_DIR/$key"
  mkdir -p "$dir"
  touch "$dir"
  if [ "$(readlink "$ROOT/target" 2>/dev/null)" != "$dir" ]; then
    log "compiled dependencies: $dir (build cache for this Cargo.lock and toolchain)"
    ln -sfn "$dir" "$ROOT/target"
  fi
  if [ "$(cat "$dir/.fieldbook-clone" 2>/dev/null)" != "$ROOT" ]; then
    if [ -f "$dir/.fieldbook-clone" ]; then
      (cd "$ROOT" && cargo clean -p server -p app -p frontend >/dev/null 2>&1) || true
      # cargo-leptos builds the WASM in target/front (debug and wasm-release).
      local profile
      for profile in dev wasm-release; do
        (cd "$ROOT" && CARGO_TARGET_DIR="$dir/front" cargo clean -p app -p frontend \
          --target wasm32-unknown-unknown --profile "$profile" >/dev/null 2>&1) || true
      done
    fi
    echo "$ROOT" >"$dir/.fieldbook-clone"
  fi
  prune_build_caches
}

# Removes all but the newest $BUILD_CACHE_KEEP keyed directories.
prune_build_caches() {
  local old
  for old in $(ls -1dt "$BUILD_CACHE_DIR"/*/ 2>/dev/null | tail -n +$((BUILD_CACHE_KEEP + 1))); do
    log "removing an old build cache: $old"
    rm -rf "$old"
  done
}
