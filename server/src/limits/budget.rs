//! The general request budget: requests per client address and per signed-in user
//! per minute, counted in memory by each server process (a flood is refused before it
//! reaches the database; the limits that must hold across processes live in
//! [`super::store`]). Static assets and health checks are free.

use crate::auth::CurrentUser;
use crate::http::client_ip::{limited_network, ClientIp};
use crate::http::problem::error_response;
use crate::state::AppState;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Subject {
    Ip(std::net::IpAddr),
    User(uuid::Uuid),
}

/// Fixed one-minute windows per subject.
#[derive(Clone, Default)]
pub struct RequestBudget {
    windows: Arc<Mutex<Windows>>,
}

#[derive(Default)]
struct Windows {
    counts: HashMap<Subject, (Instant, u32)>,
    last_pruned: Option<Instant>,
}

impl RequestBudget {
    /// Counts a request; the seconds until the window ends when over `max`.
    fn take(&self, subject: Subject, max: u32, now: Instant) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Forget finished windows once a window, so the map holds only recent clients.
        if windows.last_pruned.is_none_or(|at| now.duration_since(at) >= WINDOW) {
            windows.counts.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
            windows.last_pruned = Some(now);
        }
        let entry = windows.counts.entry(subject).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        if entry.1 > max {
            Err((WINDOW.saturating_sub(now.duration_since(entry.0))).as_secs().max(1))
        } else {
            Ok(())
        }
    }
}

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

/// The per-user budget: after authentication, which knows the user.
pub async fn per_user(State(state): State<AppState>, request: Request, next: Next) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_its_maximum_then_refuses_until_it_ends() {
        let budget = RequestBudget::default();
        let subject = Subject::Ip("203.0.113.9".parse().unwrap());
        let start = Instant::now();
        for _ in 0..3 {
            assert!(budget.take(subject, 3, start).is_ok());
        }
        assert!(budget.take(subject, 3, start).is_err());
        assert!(budget.take(subject, 3, start + WINDOW).is_ok(), "a new window starts afresh");
    }
}
