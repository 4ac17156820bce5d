//! Authentication: passwords, tokens, sessions, throttling, and the identity a
//! request's credentials resolve to (the middleware is `crate::http::authenticate`).

mod backend;
pub(crate) mod client;
pub mod cookies;
mod identity;
pub mod password;
pub(crate) mod service;
pub mod tokens;

pub use backend::{client_info, request_user};
pub use client::ClientInfo;
pub use identity::{ApiKeyGrant, CurrentUser};
pub use service::{log_in, refresh, IssuedTokens, RefreshOutcome};

/// Refresh tokens live this long without use.
pub const REFRESH_TTL: chrono::Duration = chrono::Duration::days(30);
