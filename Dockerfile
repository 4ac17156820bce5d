# Multi-stage build: cargo-leptos builds the server and the WASM bundle, Workbox the
# service worker; the runtime image holds only the binary and the site files.
FROM rust:1.95-bookworm AS build
RUN rustup target add wasm32-unknown-unknown \
 && apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/tools.sh scripts/tools.sh
COPY Cargo.toml Cargo.toml
# The pinned tools (cargo-leptos, wasm-bindgen-cli, binaryen's wasm-opt), cached as a layer.
ENV FIELDBOOK_TOOLS_DIR=/tools
RUN bash scripts/tools.sh
ENV PATH=/tools/bin:$PATH
COPY . .
ENV SQLX_OFFLINE=true LEPTOS_OUTPUT_NAME=fieldbook
RUN cargo leptos build --release \
 && (cd pwa && npm ci --no-audit --no-fund) && node pwa/build.mjs target/site target/release

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /app fieldbook
WORKDIR /app
COPY --from=build /src/target/release/server /app/server
# The bundle's hashed file names, read beside the binary.
COPY --from=build /src/target/release/hash.txt /app/hash.txt
COPY --from=build /src/target/site /app/site
ENV APP_ENV=production \
    LEPTOS_SITE_ROOT=/app/site \
    LISTEN_ADDR=0.0.0.0:3000
USER fieldbook
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:3000/ready || exit 1
CMD ["/app/server"]
