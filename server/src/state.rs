use crate::auth::tokens::JwtKeys;
use crate::config::Settings;
use crate::db::AppPool;
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
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
