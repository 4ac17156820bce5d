//! Health, readiness, security headers, request ids.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
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

/// Every page — public, signed in with data loading, not found — carries a CSP whose
/// nonce is on each of its inline scripts, also when many render at once (a page
/// without its policy blocks its own scripts and never hydrates).
#[sqlx::test(migrations = "../migrations")]
async fn pages_get_a_csp_whose_nonce_matches_their_inline_scripts(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("nonce-co", "admin@nonce.test").await;
    let customer = app
        .rpc_ok(
            &admin.client,
            "customers/create",
            json!({ "form": { "name": "Cafe", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let statuses = app.rpc_ok(&admin.client, "statuses/list", json!({})).await;
    let form = json!({ "form": { "customer_id": customer["id"], "title": "Pump", "description": "", "scheduled_date": "",
                                 "scheduled_time": "", "worker_id": "", "status_id": statuses[0]["id"], "tasks": ["Fit"] } });
    let job = app.rpc_ok(&admin.client, "jobs/create", form).await["id"].as_str().unwrap().to_string();
    let job_page = format!("/app/jobs/{job}");
    // The job page holds the actions a phone may queue offline: rendered on many threads at once.
    let pages = [
        "/login",
        "/app/dashboard",
        "/app/jobs",
        job_page.as_str(),
        "/app/customers",
        "/app/logs",
        "/app/nothing-here",
    ];
    let requests = (0..5).flat_map(|_| pages).map(|path| {
        let (client, url) = (admin.client.clone(), app.url(path));
        async move { (path, client.get(url).send().await.unwrap()) }
    });
    for (path, response) in futures_util::future::join_all(requests).await {
        let expected = if path == "/app/nothing-here" { 404 } else { 200 };
        assert_eq!(response.status().as_u16(), expected, "{path}");
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
        let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_else(|| {
            panic!("{path}: the page's policy has no nonce: {csp}");
        });
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}");
        let nonce = nonce.to_string();
        let html = response.text().await.unwrap();
        // Sign-in is sent without the WASM (`routes::sent_without_wasm`): no loader, but its
        // inline scripts carry the nonce all the same (below).
        if !app::routes::sent_without_wasm(path) {
            assert!(html.contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")), "{path}: hydration script");
        }
        // Scripts loaded from our own origin (`src=`) need no nonce; every inline one does.
        let inline_tags: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .filter(|tag| !tag.contains(" src="))
            .collect();
        assert!(!inline_tags.is_empty(), "{path}: hydration scripts are inline");
        for tag in inline_tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: inline script without the nonce: <script{tag}>"
            );
        }
    }
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

/// The sum of a Prometheus counter's samples whose labels include every one of `labels`.
fn sample_sum(text: &str, metric: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|line| line.starts_with(&format!("{metric}{{")) && labels.iter().all(|l| line.contains(l)))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_count_requests_by_route_and_status_and_refused_logins(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "admin@acme.test").await;
    let scrape = || async { api_client().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap() };
    // Tests share the process's recorder: compare before and after.
    let before = scrape().await;
    for _ in 0..3 {
        assert_eq!(api_client().get(app.url("/ready")).send().await.unwrap().status(), StatusCode::OK);
    }
    let wrong = app.log_in("acme", "admin@acme.test", "not-the-password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let after = scrape().await;

    let ready = ["route=\"/ready\"", "status=\"200\"", "method=\"GET\""];
    let requests = "fieldbook_http_requests_total";
    assert!(
        sample_sum(&after, requests, &ready) - sample_sum(&before, requests, &ready) >= 3.0,
        "three readiness checks counted:\n{after}"
    );
    let login = ["route=\"/rpc/auth/log_in\"", "status=\"401\""];
    assert!(sample_sum(&after, requests, &login) > sample_sum(&before, requests, &login), "{after}");
    let latency = "fieldbook_http_request_duration_seconds_count";
    assert!(sample_sum(&after, latency, &ready) - sample_sum(&before, latency, &ready) >= 3.0, "{after}");
    let refused = ["reason=\"credentials\""];
    let refused_logins = "fieldbook_logins_refused_total";
    assert!(sample_sum(&after, refused_logins, &refused) > sample_sum(&before, refused_logins, &refused), "{after}");
    for gauge in
        ["fieldbook_db_pool_connections{", "fieldbook_outbox_pending ", "fieldbook_outbox_oldest_pending_seconds "]
    {
        assert!(after.contains(gauge), "{gauge} in\n{after}");
    }
    // Raw paths never become labels: an id in the URL is the route's `{id}`.
    assert!(!after.contains("route=\"/app/jobs/0"), "{after}");
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_need_the_configured_token(db: PgPool) {
    let token = "a-metrics-token-of-enough-length";
    let app = spawn_app_with(db, |settings| settings.metrics_token = Some(token.to_string().into())).await;
    let without = api_client().get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(without.status(), StatusCode::NOT_FOUND);
    let wrong =
        api_client().get(app.url("/metrics")).bearer_auth("a-metrics-token-of-enough-lengtX").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let with = api_client().get(app.url("/metrics")).bearer_auth(token).send().await.unwrap();
    assert_eq!(with.status(), StatusCode::OK);
    assert!(with.text().await.unwrap().contains("fieldbook_db_pool_connections"));
}
