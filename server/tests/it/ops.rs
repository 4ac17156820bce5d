//! Health, readiness, security headers, request ids.

use crate::common::*;
use reqwest::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn health_and_ready_answer(db: PgPool) {
    let app = spawn_app(db).await;
    let health = api_client().get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = api_client().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["database"], "ok");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_security_headers_and_a_request_id(db: PgPool) {
    let app = spawn_app(db).await;
    for path in ["/health", "/signup", "/rpc/auth/session"] {
        let response = if path.starts_with("/rpc") {
            api_client().post(app.url(path)).json(&serde_json::json!({})).send().await.unwrap()
        } else {
            api_client().get(app.url(path)).send().await.unwrap()
        };
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_get_a_csp_whose_nonce_matches_their_inline_scripts(db: PgPool) {
    let app = spawn_app(db).await;
    let response = api_client().get(app.url("/login")).send().await.unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_string();
    assert!(csp.contains("'wasm-unsafe-eval'"));
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")),
        "hydration script carries the nonce"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_pages_and_server_functions_answer_404(db: PgPool) {
    let app = spawn_app(db).await;
    assert_eq!(api_client().get(app.url("/nope/login")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(api_client().get(app.url("/app/nothing-here")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let rpc = api_client().post(app.url("/rpc/nothing/here")).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(rpc.status(), StatusCode::NOT_FOUND);
}

#[test]
fn production_refuses_a_missing_or_default_secret() {
    let run = |vars: &[(&str, &str)]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(vars.iter().copied())
            .output()
            .unwrap()
    };
    let base = [
        ("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"),
        ("APP_ENV", "production"),
        ("BASE_URL", "https://fieldbook.example"),
    ];
    let missing = run(&base);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("JWT_SECRET is required"));
    let mut with_default = base.to_vec();
    with_default.push(("JWT_SECRET", "fieldbook-development-secret-do-not-use-in-production"));
    let default = run(&with_default);
    assert_eq!(default.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&default.stderr).contains("default secret is refused"));
}
