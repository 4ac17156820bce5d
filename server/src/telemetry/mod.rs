//! Logs and metrics.

pub mod metrics;

use crate::config::{Environment, Settings};
use tracing_subscriber::EnvFilter;

/// Logs to stdout: human-readable in development, JSON elsewhere. `RUST_LOG` overrides the levels.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = if settings.environment == Environment::Development {
        builder.try_init()
    } else {
        builder.json().flatten_event(true).try_init()
    };
}
