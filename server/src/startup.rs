//! Builds the application: migrations, pool, routes, middleware, listener.
//! Tests build the same application on port 0.

use crate::auth::tokens::JwtKeys;
use crate::config::{Environment, Settings};
use crate::db::{self, AppPool};
use crate::notify::live::LiveHub;
use crate::state::AppState;
use anyhow::Context;
use app::backend::SharedBackend;
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos::nonce::Nonce;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

/// Request bodies larger than this are refused before they are read.
const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

pub struct Application {
    listener: TcpListener,
    state: AppState,
    router: Router,
    address: SocketAddr,
}

impl Application {
    /// Migrates (as the owner, unless disabled), connects as `fieldbook_app`, and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        if settings.run_migrations {
            db::migrate(&settings).await?;
            tracing::info!("migrations applied");
        }
        let pool = AppPool::connect(&settings).await?;
        Self::build_with_pool(settings, pool).await
    }

    pub async fn build_with_pool(settings: Settings, pool: AppPool) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.listen_addr)
            .await
            .with_context(|| format!("binding {}", settings.listen_addr))?;
        Self::build_with_listener(settings, pool, listener)
    }

    /// On a listener bound already (tests bind port 0 first, to know their `BASE_URL`).
    pub fn build_with_listener(settings: Settings, pool: AppPool, listener: TcpListener) -> anyhow::Result<Self> {
        let address = listener.local_addr()?;
        crate::notify::mailer::check_settings(&settings.mail)?;
        let leptos_options = leptos_options(&settings, address);
        let state = AppState {
            pool: pool.clone(),
            keys: Arc::new(JwtKeys::new(&settings.jwt_secret)),
            settings: Arc::new(settings),
            leptos_options,
            live: LiveHub::new(),
            budget: Default::default(),
        };
        crate::telemetry::metrics::handle();
        let router = router(state.clone());
        Ok(Self { listener, state, router, address })
    }

    /// The state without a listener, for one-off tasks such as loading demo data.
    pub async fn task_state(settings: Settings) -> anyhow::Result<AppState> {
        if settings.run_migrations {
            db::migrate(&settings).await?;
        }
        let pool = AppPool::connect(&settings).await?;
        let leptos_options = leptos_options(&settings, settings.listen_addr);
        Ok(AppState {
            pool,
            keys: Arc::new(JwtKeys::new(&settings.jwt_secret)),
            settings: Arc::new(settings),
            leptos_options,
            live: LiveHub::new(),
            budget: Default::default(),
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until SIGINT/SIGTERM, then ends live streams, finishes in-flight
    /// requests and the email being sent, and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!("Fieldbook listening on http://{}", self.address);
        let state = self.state;
        crate::time::approvals::spawn_auto_approval(state.pool.clone());
        crate::maintenance::spawn(state.pool.clone());
        let listener_task = state.live.spawn_listener(&state.pool);
        let delivery = spawn_delivery(&state);
        let webhooks = state.settings.webhooks.deliver.then(|| {
            let loop_ = crate::webhooks::delivery::Delivery::new(
                state.pool.clone(),
                state.settings.webhooks,
                state.settings.base_url.clone(),
            );
            tokio::spawn(crate::db::due_queue::run(loop_, state.live.webhook_wake.clone(), state.live.stopped()))
        });
        let live = state.live.clone();
        let served = crate::http::serve::serve(self.listener, self.router, connection_limits(&state), async move {
            shutdown_signal().await;
            // Open event streams would otherwise hold graceful shutdown forever.
            live.shut_down();
        })
        .await;
        state.live.shut_down();
        if let Some(delivery) = delivery {
            if tokio::time::timeout(Duration::from_secs(35), delivery).await.is_err() {
                tracing::warn!("outbox delivery did not stop in time");
            }
        }
        if let Some(webhooks) = webhooks {
            if tokio::time::timeout(Duration::from_secs(15), webhooks).await.is_err() {
                tracing::warn!("webhook delivery did not stop in time");
            }
        }
        listener_task.abort();
        served
    }
}

fn connection_limits(state: &AppState) -> crate::http::serve::ConnectionLimits {
    crate::http::serve::ConnectionLimits::new(state.settings.max_connections, state.settings.trusted_proxies.clone())
}

/// Starts this process's outbox delivery loop, if it is configured to send mail.
fn spawn_delivery(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let mail = &state.settings.mail;
    if !mail.deliver {
        tracing::warn!("no SMTP_URL: emails wait in the outbox unsent");
        return None;
    }
    match crate::notify::mailer::Mailer::from_settings(mail) {
        Ok(Some(mailer)) => {
            let delivery = crate::notify::outbox::Delivery::new(state.pool.clone(), Arc::new(mailer), mail.delivery);
            Some(tokio::spawn(crate::db::due_queue::run(
                delivery,
                state.live.outbox_wake.clone(),
                state.live.stopped(),
            )))
        }
        Ok(None) => None,
        Err(error) => {
            tracing::error!(error = %error, "cannot send email");
            None
        }
    }
}

fn leptos_options(settings: &Settings, address: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("fieldbook")
        // A release build (pwa/build.mjs after cargo-leptos) names the bundle after its content
        // and leaves the names in hash.txt beside the server binary; test builds have none.
        .hash_files(bundle_names_are_hashed())
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir("pkg")
        .site_addr(address)
        .env(if settings.environment == Environment::Development { Env::DEV } else { Env::PROD })
        .build()
}

fn bundle_names_are_hashed() -> bool {
    std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists())).unwrap_or(false)
}

/// Per-request context for pages and server functions: the backend, and the nonce
/// the security headers put in the page's CSP (it replaces the one Leptos made).
fn request_context(backend: SharedBackend) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(backend.clone());
        let nonce = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned());
        if let Some(nonce) = nonce {
            provide_context(nonce);
        }
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let backend: SharedBackend = Arc::new(state.clone());
    let context = request_context(backend);
    let options = state.leptos_options.clone();
    let hsts = state.settings.environment == Environment::Production;

    let routes = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .merge(crate::http::router())
        .route_layer(middleware::from_fn(crate::http::metrics::label_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell));
    with_middleware(routes, state, hsts)
}

/// Wraps routes in the middleware every request passes, innermost first: body limit,
/// error statuses, hostile-input guard, per-user budget, forms posted without
/// JavaScript, authentication, form-post fallback, same-origin check, per-address budget, password-in-URL refusal, client
/// address; then the panic catcher, timeout, compression, security and cache headers,
/// request ids and tracing. Public so tests can put routes of their own behind the same stack.
pub fn with_middleware(routes: Router<AppState>, state: AppState, hsts: bool) -> Router {
    routes
        // Room for a too-long field to reach validation and get a field-named error.
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(middleware::from_fn(crate::http::rpc_error_status))
        .layer(middleware::from_fn(|request, next| {
            crate::http::input_guard::reject_hostile_json(request, next, MAX_REQUEST_BYTES)
        }))
        .layer(middleware::from_fn_with_state(state.clone(), crate::http::budget::per_user))
        .layer(middleware::from_fn_with_state(state.clone(), crate::http::form_actions::run_form_posts))
        .layer(middleware::from_fn_with_state(state.clone(), crate::http::authenticate::authenticate))
        .layer(middleware::from_fn(crate::http::form_posts::redirect_unhandled_form_posts))
        .layer(middleware::from_fn_with_state(state.clone(), crate::http::csrf::require_same_origin))
        .layer(middleware::from_fn_with_state(state.clone(), crate::http::budget::per_address))
        .layer(middleware::from_fn(crate::http::refuse_password_in_url))
        .layer(middleware::from_fn_with_state(state.clone(), crate::http::client_ip::resolve_client_ip))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request| {
                            let request_id =
                                request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
                            tracing::info_span!(
                                "request",
                                method = %request.method(),
                                path = %request.uri().path(),
                                request_id = %request_id,
                                user_id = tracing::field::Empty,
                            )
                        })
                        // Each request's status and latency, at info.
                        .on_response(
                            DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Millis),
                        ),
                )
                .layer(middleware::from_fn(crate::http::metrics::record_request))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(middleware::from_fn(move |request, next| crate::http::security_headers(request, next, hsts)))
                .layer(CompressionLayer::new())
                .layer(TimeoutLayer::with_status_code(http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
                // A panic becomes a logged 500 on this request; the connection lives on.
                .layer(CatchPanicLayer::custom(crate::http::panic_response)),
        )
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
