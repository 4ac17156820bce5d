//! Spends the general request budget (`crate::limits::budget`) per client address and
//! per signed-in user. Static assets and health checks are free.

use crate::auth::CurrentUser;
use crate::http::problem::error_response;
use crate::limits::budget::Subject;
use crate::net::{limited_network, ClientIp};
use crate::state::AppState;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use std::time::Instant;

fn is_free(path: &str) -> bool {
    crate::http::static_asset(path).is_some() || matches!(path, "/health" | "/ready")
}

/// The per-address budget: before authentication, so a flood is refused before it
/// costs a session lookup.
pub async fn per_address(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_free(request.uri().path()) {
        if let Some(ClientIp(ip)) = request.extensions().get::<ClientIp>() {
            let max = state.settings.limits.requests_per_ip_per_minute;
            if let Err(retry_after_secs) = state.budget.take(Subject::Ip(limited_network(*ip)), max, Instant::now()) {
                return error_response(request.uri().path(), None, AppError::TooManyRequests { retry_after_secs });
            }
        }
    }
    next.run(request).await
}

/// The per-user budget: after authentication, which knows the user. An API key has
/// a budget of its own, and its answers say where it stands (`RateLimit-*`).
pub async fn per_user(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(grant) = request.extensions().get::<CurrentUser>().and_then(|u| u.api_key()) {
        let standing = state.budget.count(Subject::ApiKey(grant.id), grant.requests_per_minute, Instant::now());
        let limit = grant.requests_per_minute;
        let mut response = if standing.allowed {
            next.run(request).await
        } else {
            let retry_after_secs = standing.reset_secs;
            error_response(request.uri().path(), None, AppError::TooManyRequests { retry_after_secs })
        };
        let headers = response.headers_mut();
        headers.insert("ratelimit-limit", HeaderValue::from(limit));
        headers.insert("ratelimit-remaining", HeaderValue::from(standing.remaining));
        headers.insert("ratelimit-reset", HeaderValue::from(standing.reset_secs));
        headers.insert("ratelimit-policy", HeaderValue::from_str(&format!("{limit};w=60")).expect("digits"));
        return response;
    }
    if !is_free(request.uri().path()) {
        if let Some(user) = request.extensions().get::<CurrentUser>() {
            let max = state.settings.limits.requests_per_user_per_minute;
            if let Err(retry_after_secs) = state.budget.take(Subject::User(user.user_id()), max, Instant::now()) {
                return error_response(request.uri().path(), None, AppError::TooManyRequests { retry_after_secs });
            }
        }
    }
    next.run(request).await
}
