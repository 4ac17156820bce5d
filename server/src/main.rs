//! Fieldbook's server binary: load settings, install tracing, build, serve.
//! `server seed-demo` loads the demo companies instead, prints their logins and exits.

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
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve(settings).await,
        Some("seed-demo") => seed_demo(settings).await,
        Some(other) => {
            eprintln!("fieldbook: unknown command '{other}' (expected: serve, seed-demo)");
            std::process::exit(2);
        }
    }
}

async fn serve(settings: Settings) {
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

async fn seed_demo(settings: Settings) {
    let result = async {
        let state = Application::task_state(settings).await?;
        server::demo::seed(&state).await
    }
    .await;
    match result {
        Ok(logins) => {
            println!("Demo data loaded. Every demo login uses the password: {}", server::demo::DEMO_PASSWORD);
            let mut company = String::new();
            for login in logins {
                if login.company != company {
                    company = login.company.clone();
                    println!("\n  {}  ({})", login.company, login.login_url);
                }
                println!("    {:<13} {:<16} {}", login.role.label(), login.name, login.email);
            }
        }
        Err(error) => {
            eprintln!("fieldbook: demo data not loaded: {error:#}");
            std::process::exit(1);
        }
    }
}
