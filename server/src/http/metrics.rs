//! Prometheus metrics at `/metrics` (recorded through `crate::telemetry::metrics`):
//! requests by route and status with their latency, the database pool, the outbox
//! backlog, live streams, refused sign-ins.
//!
//! Not public in production: with `METRICS_TOKEN` set the scrape must send it as a
//! bearer token; without one, production answers 404 and development serves it openly.

use crate::config::Environment;
use crate::state::AppState;
use crate::telemetry::metrics;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::time::Instant;

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

/// The route a request matched, left in the response for [`record_request`].
#[derive(Clone)]
struct RouteLabel(String);

/// Applied to the routes (`route_layer`), where the matched route is known: labels by
/// the route's pattern (`/app/jobs/{id}`), never by the raw path.
pub async fn label_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|path| path.as_str().to_owned());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// Outermost: counts every request and times it, by method, route and final status.
/// Requests no route matched (static files, unknown paths) share the label `other`.
pub async fn record_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let route = response.extensions().get::<RouteLabel>().map(|r| r.0.clone()).unwrap_or_else(|| "other".into());
    metrics::http_request(method, route, response.status().as_u16(), started.elapsed());
    response
}

/// Whether this scrape may read the metrics.
fn allowed(environment: Environment, token: Option<&str>, headers: &HeaderMap) -> bool {
    match token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .is_some_and(|sent| constant_time_eq(sent.as_bytes(), token.as_bytes())),
        None => environment == Environment::Development,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    use secrecy::ExposeSecret;
    let token = state.settings.metrics_token.as_ref().map(|t| t.expose_secret());
    if !allowed(state.settings.environment, token, &headers) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let pool = state.pool.untenanted();
    let idle = pool.num_idle() as f64;
    metrics::pool_connections(idle, f64::from(pool.size()) - idle);
    match sqlx::query_as::<_, (i64, f64)>("select pending, oldest_age_seconds from outbox_backlog()")
        .fetch_one(pool)
        .await
    {
        Ok((pending, oldest)) => {
            metrics::outbox_backlog(pending as f64, oldest);
        }
        Err(error) => tracing::warn!(error = %error, "reading the outbox backlog for /metrics"),
    }
    let handle = metrics::handle();
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn production_serves_metrics_only_to_the_token() {
        let none = HeaderMap::new();
        assert!(!allowed(Environment::Production, None, &none), "no token configured: closed");
        assert!(!allowed(Environment::Production, Some("s3cret-token"), &none));
        assert!(!allowed(Environment::Production, Some("s3cret-token"), &bearer("Bearer s3cret-tokem")));
        assert!(!allowed(Environment::Production, Some("s3cret-token"), &bearer("s3cret-token")));
        assert!(allowed(Environment::Production, Some("s3cret-token"), &bearer("Bearer s3cret-token")));
        assert!(allowed(Environment::Development, None, &none), "development without a token: open");
        assert!(!allowed(Environment::Development, Some("t"), &none), "a configured token is always required");
    }
}
