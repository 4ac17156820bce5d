//! Security headers on every response. Pages get a CSP whose script nonce
//! matches the one Leptos puts on its inline hydration scripts: the nonce is minted
//! here, before the request reaches Leptos, and handed to the page through the
//! request's extensions (see `startup::request_context`). Setting the header from
//! inside the render through `ResponseOptions` instead lost it now and then, and a
//! page without its policy gets the default one, which blocks its own scripts.

use app::error::AppError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::{HeaderName, HeaderValue, StatusCode};
use std::any::Any;

/// Pages, server-function answers, the API, share pages and exports are personal:
/// no shared proxy may keep them and the back button must not show them after sign-out.
const PERSONAL_CACHE: &str = "no-store";
/// The site's own files without a content hash in their name (icons, the manifest,
/// the service worker): kept, but checked with the server before each use, so a new
/// deployment is picked up at once.
const PLAIN_ASSET_CACHE: &str = "no-cache";
/// Files whose name changes with their content (the WASM, JS and CSS bundle, the
/// versioned Workbox runtime): a year, never revalidated.
const HASHED_ASSET_CACHE: &str = "public, max-age=31536000, immutable";

/// A file of the built site, by how it may be cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticAsset {
    Hashed,
    Plain,
}

/// Whether `path` is one of the site's own files, and which kind.
pub fn static_asset(path: &str) -> Option<StaticAsset> {
    let name = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/workbox-v") {
        return Some(StaticAsset::Hashed);
    }
    if path.starts_with("/pkg/") {
        return Some(if has_content_hash(name) { StaticAsset::Hashed } else { StaticAsset::Plain });
    }
    let top_level = path.matches('/').count() == 1;
    let site_file =
        [".svg", ".png", ".ico", ".webmanifest", ".txt", ".js", ".css", ".html"].iter().any(|ext| name.ends_with(ext));
    (top_level && site_file).then_some(StaticAsset::Plain)
}

/// `fieldbook.3f9a…c1.wasm`: a dot-separated part of 16 or more URL-safe characters.
fn has_content_hash(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|part| part.len() >= 16 && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

/// Query strings carrying a password — a sign-in form submitted as GET before the
/// page's script loaded — are never processed: the browser is sent to the same page
/// without them (and the request log records only paths).
pub async fn refuse_password_in_url(request: Request, next: Next) -> Response {
    let carries_password = request.uri().query().is_some_and(|query| {
        query
            .split('&')
            .any(|pair| pair.split('=').next().unwrap_or_default().to_ascii_lowercase().contains("password"))
    });
    if !carries_password {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a password in the query string");
    // A path on this site only: `//host/…` would send the browser elsewhere.
    let path = format!("/{}", request.uri().path().trim_start_matches(['/', '\\']));
    let target = HeaderValue::from_str(&path).unwrap_or_else(|_| HeaderValue::from_static("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, target);
    response
}

/// What a request that panicked is answered with: a logged 500 in the usual error shape.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request panicked");
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(AppError::Internal)).into_response()
}

/// For responses that are not pages: nothing may load, nothing may frame.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The service worker's own policy (a worker script's CSP governs the worker): it
/// loads the Workbox runtime and the queue from our origin and fetches only from it.
const SERVICE_WORKER_CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'";

/// The policy of an HTML page: our own origin, plus the page's inline scripts by nonce
/// and WebAssembly compilation.
pub fn page_csp(nonce: &str) -> HeaderValue {
    let reload = dev_reload_source();
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'{reload}; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ))
    .expect("a nonce is base64url")
}

/// Under `cargo leptos watch` (`./fieldbook dev`, which sets LEPTOS_WATCH) the page's
/// reload script listens on the watcher's WebSocket port; nowhere else is it allowed.
fn dev_reload_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        if std::env::var_os("LEPTOS_WATCH").is_none() {
            return String::new();
        }
        let port = std::env::var("LEPTOS_RELOAD_PORT").ok().and_then(|p| p.parse::<u16>().ok()).unwrap_or(3001);
        format!(" ws://*:{port}")
    })
}

pub async fn security_headers(mut request: Request, next: Next, hsts: bool) -> Response {
    let asset = static_asset(request.uri().path());
    let is_service_worker = request.uri().path() == "/sw.js";
    let nonce = leptos::nonce::Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let cache = match asset {
        Some(StaticAsset::Hashed) if response.status().is_success() => HASHED_ASSET_CACHE,
        Some(StaticAsset::Plain) if response.status().is_success() => PLAIN_ASSET_CACHE,
        _ => PERSONAL_CACHE,
    };
    let headers = response.headers_mut();
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        let policy = if is_page {
            page_csp(&nonce)
        } else if is_service_worker {
            HeaderValue::from_static(SERVICE_WORKER_CSP)
        } else {
            HeaderValue::from_static(DEFAULT_CSP)
        };
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    if hsts {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}
