//! Fieldbook's server binary: load settings, install tracing, build, serve.

use server::{config::Settings, startup::Application, telemetry};

#[tokio::main]
async fn main() {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("fieldbook: configuration error: {error}");
            std::process::exit(2);
        }
    };
    telemetry::init(&settings);
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "failed to start");
            std::process::exit(1);
        }
    };
    if let Err(error) = app.run_until_stopped().await {
        tracing::error!(error = %error, "server stopped with an error");
        std::process::exit(1);
    }
}
