//! The HTTP surface besides the Leptos pages: health checks, the token
//! endpoints for API clients, and the middleware every response passes.

pub mod api;
mod api_auth;
mod audit;
pub mod authenticate;
pub mod budget;
pub mod client_ip;
pub mod csrf;
mod exports;
pub mod form_actions;
pub mod form_posts;
mod health;
pub mod input_guard;
pub mod live;
pub mod metrics;
mod offline;
pub mod problem;
mod rpc_status;
mod security;
pub mod serve;

pub use rpc_status::rpc_error_status;
pub use security::{page_csp, panic_response, refuse_password_in_url, security_headers, static_asset, StaticAsset};

use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(metrics::router())
        .merge(api_auth::router())
        .merge(api::router())
        .merge(form_posts::router())
        .merge(offline::router())
        .merge(exports::router())
        .merge(audit::router())
        .merge(live::router())
}
