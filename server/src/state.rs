use crate::auth::tokens::JwtKeys;
use crate::config::Settings;
use crate::db::AppPool;
use crate::limits::budget::RequestBudget;
use crate::notify::live::LiveHub;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: AppPool,
    pub settings: Arc<Settings>,
    pub keys: Arc<JwtKeys>,
    pub leptos_options: LeptosOptions,
    /// Live notifications and the outbox wake-up of this process.
    pub live: LiveHub,
    /// This process's count of requests per client and user.
    pub budget: RequestBudget,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
