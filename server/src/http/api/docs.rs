//! `/api/docs`: interactive API docs (Swagger UI, vendored in the binary from the npm
//! package swagger-ui-dist 5.35.0 — see server/assets/api-docs/LICENSE; no CDN).

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};

const BUNDLE: &[u8] = include_bytes!("../../../assets/api-docs/swagger-ui-bundle.js");
const STYLE: &[u8] = include_bytes!("../../../assets/api-docs/swagger-ui.css");
/// The version is in the asset paths, so they can be cached for good.
const BUNDLE_PATH: &str = "/api/docs/swagger-ui-5.35.0.js";
const STYLE_PATH: &str = "/api/docs/swagger-ui-5.35.0.css";
const INIT_PATH: &str = "/api/docs/start.js";

/// Swagger UI sets inline styles; nothing else is loosened.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                        connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const FOREVER: &str = "public, max-age=31536000, immutable";

const PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fieldbook API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui-5.35.0.css">
</head>
<body>
<main id="api-docs"><noscript>The interactive reference needs JavaScript; the document itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript></main>
<script src="/api/docs/swagger-ui-5.35.0.js"></script>
<script src="/api/docs/start.js"></script>
</body>
</html>
"##;

const START: &str = r##"window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#api-docs",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false
  });
});
"##;

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/api/docs", get(page))
        .route(BUNDLE_PATH, get(|| async { asset("text/javascript; charset=utf-8", BUNDLE) }))
        .route(STYLE_PATH, get(|| async { asset("text/css; charset=utf-8", STYLE) }))
        .route(INIT_PATH, get(|| async { ([(CONTENT_TYPE, "text/javascript; charset=utf-8")], START).into_response() }))
}

async fn page() -> Response {
    ([(CONTENT_TYPE, "text/html; charset=utf-8"), (CONTENT_SECURITY_POLICY, DOCS_CSP)], PAGE).into_response()
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    ([(CONTENT_TYPE, content_type), (CACHE_CONTROL, FOREVER)], body).into_response()
}
