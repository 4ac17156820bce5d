//! Safe on the open internet: escaping, cross-site request forgery, throttles under
//! bursts, hostile input, what share links carry, resource limits, caching and
//! pooled connections. docs/SECURITY.md maps each defence to its test here.

use crate::common::*;
use crate::hostile_rows::ROWS;
use futures_util::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::time::Duration;

const HOSTILE_NAME: &str = "Evil</title><h1 id=pwned>Phish</h1><script>alert(1)</script>";

async fn customer(app: &TestApp, admin: &Client, name: &str) -> String {
    let customer = app
        .rpc_ok(admin, "customers/create", json!({ "form": { "name": name, "email": "", "phone": "", "address": "" } }))
        .await;
    customer["id"].as_str().unwrap().to_string()
}

async fn status_id(app: &TestApp, admin: &Client, name: &str) -> String {
    let statuses = app.rpc_ok(admin, "statuses/list", json!({})).await;
    statuses.as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()["id"].as_str().unwrap().to_string()
}

async fn job(app: &TestApp, admin: &Client, customer_id: &str, worker_id: &str, title: &str) -> String {
    let status = status_id(app, admin, "Scheduled").await;
    let job = app
        .rpc_ok(
            admin,
            "jobs/create",
            json!({ "form": {
                "customer_id": customer_id, "title": title, "description": "</script><script>alert(2)</script>",
                "scheduled_date": "", "scheduled_time": "", "worker_id": worker_id, "status_id": status, "tasks": [title],
            } }),
        )
        .await;
    job["id"].as_str().unwrap().to_string()
}

/// No markup of ours survived unescaped anywhere in the page: head, body or hydration data.
fn assert_escaped(page: &str, what: &str) {
    for raw in ["<h1 id=pwned>", "<script>alert(", "</title><h1"] {
        assert!(!page.contains(raw), "{what}: found raw {raw:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn hostile_names_and_titles_render_escaped_on_public_and_signed_in_pages(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = browser();
    let mut form = signup_form("evil", "ada@evil.test");
    form["company_name"] = json!("Evil Co</title><h1 id=pwned>Phish</h1>");
    app.rpc_ok(&admin, "auth/sign_up", json!({ "form": form })).await;
    sqlx::query("update users set email_verified_at = now()").execute(&app.db).await.unwrap();
    let customer_id = customer(&app, &admin, HOSTILE_NAME).await;
    let worker_id = app.create_user(&admin, HOSTILE_NAME, "walt@evil.test", "WORKER").await;
    let customer_login = app.create_user(&admin, "Carla", "carla@evil.test", "CUSTOMER").await;
    app.rpc_ok(&admin, "users/link_customer", json!({ "user_id": customer_login, "customer_id": customer_id })).await;
    let job_id = job(&app, &admin, &customer_id, &worker_id, HOSTILE_NAME).await;
    app.rpc_ok(
        &admin,
        "jobs/add_note",
        json!({ "job_id": job_id, "form": { "body": HOSTILE_NAME, "visibility": "CUSTOMER" } }),
    )
    .await;
    let link = app.rpc_ok(&admin, "jobs/create_share_link", json!({ "job_id": job_id, "days": "" })).await;
    let share_path = link["url"].as_str().unwrap().split_once("/share/").map(|(_, t)| format!("/share/{t}")).unwrap();

    app.rpc_ok(
        &admin,
        "users/invite",
        json!({ "form": { "email": "inv@evil.test", "role": "WORKER", "customer_id": "" } }),
    )
    .await;
    let invitation = crate::notifications::mailed_link(&app.db, "inv@evil.test", "/invitation").await;
    let invitation_path = format!("/invitation{}", invitation.split_once("/invitation").unwrap().1);

    let anonymous = browser();
    for path in ["/evil/login", share_path.as_str(), invitation_path.as_str()] {
        let page = anonymous.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("&lt;/title&gt;"), "{path}: the title is there, escaped");
        assert_escaped(&page, path);
    }
    let worker = app.log_in_browser("evil", "walt@evil.test").await;
    let carla = app.log_in_browser("evil", "carla@evil.test").await;
    let job_page = format!("/app/jobs/{job_id}");
    for (who, client, paths) in [
        ("admin", &admin, vec![job_page.as_str(), "/app/jobs", "/app/customers", "/app/users", "/app/dashboard"]),
        ("worker", &worker, vec![job_page.as_str(), "/app/my-jobs"]),
        ("customer", &carla, vec![job_page.as_str(), "/app/portal"]),
    ] {
        for path in paths {
            let response = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{who} {path}");
            let page = response.text().await.unwrap();
            assert!(page.contains("Phish"), "{who} {path}: the hostile text is shown, as text");
            assert_escaped(&page, &format!("{who} {path}"));
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_share_link_carries_only_what_its_page_shows(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let customer = app
        .rpc_ok(
            &admin,
            "customers/create",
            json!({ "form": { "name": "Harbour Café", "email": "owner@harbour.test", "phone": "+49 30 1234567",
                              "address": "1 Quay Street" } }),
        )
        .await;
    let job_id = job(&app, &admin, customer["id"].as_str().unwrap(), "", "Fix the sink").await;
    let link = app.rpc_ok(&admin, "jobs/create_share_link", json!({ "job_id": job_id, "days": "" })).await;
    let token = link["url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let stranger = browser();
    let data = app.rpc_ok(&stranger, "share/view", json!({ "token": token })).await;
    let page = stranger.get(app.url(&format!("/share/{token}"))).send().await.unwrap().text().await.unwrap();
    for (what, text) in [("share JSON", data.to_string()), ("share page", page)] {
        assert!(text.contains("Harbour Café") && text.contains("Fix the sink"), "{what} shows the job");
        for secret in ["owner@harbour.test", "1234567", "Quay Street", &job_id] {
            assert!(!text.contains(secret), "{what} leaks {secret}");
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_site_requests_are_refused_on_every_server_function_and_same_origin_ones_pass(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let customers_before = app.count("select count(*) from customers").await;

    // The attack from the report: JSON smuggled in a text/plain form field.
    let smuggled = admin
        .post(app.url("/rpc/customers/create"))
        .header("content-type", "text/plain")
        .header("origin", &app.base)
        .body(r#"{"form":{"name":"Forged","email":"","phone":"","address":"","x":"="}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(smuggled.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Every server function, from a foreign origin, or cross-site without Origin.
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    paths.sort();
    assert!(paths.len() >= 90, "found {} server functions", paths.len());
    for path in &paths {
        for (header, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
            let response = admin.post(app.url(path)).header(header, value).json(&json!({})).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} with {header}: {value}");
        }
    }
    // Sign-in (login CSRF) and the API's token sign-in as well.
    for path in ["/rpc/auth/log_in", "/api/v1/auth/login"] {
        let response = browser()
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .json(&json!({ "form": { "workspace": "acme", "email": "ada@acme.test", "password": PASSWORD },
                           "workspace": "acme", "email": "ada@acme.test", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let form_login = browser()
        .post(app.url("/acme/login"))
        .header("origin", "https://evil.example")
        .form(&[("email", "ada@acme.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(form_login.status(), StatusCode::FORBIDDEN, "the pre-hydration form post too");
    assert_eq!(app.count("select count(*) from customers").await, customers_before, "nothing was created");
    assert_eq!(app.count("select count(*) from sessions").await, 1, "nobody was signed in");

    // Our own pages: same origin, or same-origin fetch metadata.
    for (header, value) in [("origin", app.base.as_str()), ("sec-fetch-site", "same-origin")] {
        let response = admin
            .post(app.url("/rpc/customers/create"))
            .header(header, value)
            .json(&json!({ "form": { "name": format!("Fine {value}"), "email": "", "phone": "", "address": "" } }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{header}: {value}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_forms_work_before_the_script_loads_and_passwords_never_reach_a_url(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@acme.test").await;
    let no_redirects =
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();

    let wrong = no_redirects
        .post(app.url("/acme/login"))
        .header("origin", &app.base)
        .form(&[("email", "ada@acme.test"), ("password", "wrong password!")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::SEE_OTHER);
    let back = wrong.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with("/acme/login?error=credentials"), "{back}");
    assert!(!back.contains("wrong"), "the password is not in the redirect");

    let right = no_redirects
        .post(app.url("/acme/login?next=/app/jobs"))
        .header("origin", &app.base)
        .form(&[("email", "ada@acme.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert_eq!(right.headers()["location"], "/app/jobs");
    assert_eq!(app.rpc_ok(&no_redirects, "auth/session", json!({})).await["email"], "ada@acme.test");

    // A GET carrying a password (a form submitted the old way) is not processed.
    let leaked = no_redirects.get(app.url("/acme/login?email=a%40b.c&password=secret")).send().await.unwrap();
    assert_eq!(leaked.status(), StatusCode::SEE_OTHER);
    assert_eq!(leaked.headers()["location"], "/acme/login");
    let elsewhere = no_redirects.get(app.url("//evil.example/x?password=secret")).send().await.unwrap();
    assert_eq!(elsewhere.headers()["location"], "/evil.example/x", "never a redirect off the site");

    // Any other page's form posted before its script loaded goes back to the page, unprocessed.
    let page_post = no_redirects
        .post(app.url("/app/customers?q=x"))
        .header("origin", &app.base)
        .form(&[("name", "Should not be created")])
        .send()
        .await
        .unwrap();
    assert_eq!(page_post.status(), StatusCode::SEE_OTHER);
    assert_eq!(page_post.headers()["location"], "/app/customers?q=x");
    assert_eq!(app.count("select count(*) from customers").await, 0);

    // Every form of the sign-in page declares POST.
    let page = browser().get(app.url("/acme/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<form method="post""#), "the sign-in form posts");
}

/// For tests sending hundreds of requests in a few seconds, where the general request
/// budget is not what is tested.
async fn spawn_app_without_request_budget(db: PgPool) -> TestApp {
    spawn_app_with(db, |s| {
        s.limits.requests_per_ip_per_minute = 100_000;
        s.limits.requests_per_user_per_minute = 100_000;
    })
    .await
}

/// Fires `n` requests at once; returns the status of each.
async fn burst(n: usize, request: impl Fn(usize) -> reqwest::RequestBuilder) -> Vec<StatusCode> {
    join_all((0..n).map(|i| {
        let request = request(i);
        async move { request.send().await.expect("answered").status() }
    }))
    .await
}

fn tally(statuses: &[StatusCode]) -> (usize, usize, usize) {
    let count = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
    (
        count(StatusCode::UNAUTHORIZED),
        count(StatusCode::TOO_MANY_REQUESTS),
        statuses.iter().filter(|s| s.is_server_error()).count(),
    )
}

#[sqlx::test(migrations = "../migrations")]
async fn a_burst_of_wrong_passwords_is_evaluated_exactly_up_to_the_limit(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@acme.test").await;
    let login = |_| {
        browser()
            .post(app.url("/rpc/auth/log_in"))
            .json(&json!({ "form": { "workspace": "acme", "email": "ada@acme.test", "password": "not the password" } }))
    };
    let statuses = burst(50, login).await;
    assert_eq!(tally(&statuses), (5, 45, 0), "5 evaluated (401), the rest 429, no 5xx: {statuses:?}");
    let response = app.log_in("acme", "ada@acme.test", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits out the window");
    assert!(response.headers().contains_key("retry-after"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_burst_from_one_address_across_accounts_stops_at_the_address_limit(db: PgPool) {
    let app = spawn_app_with(db, |s| s.limits.login_per_ip.max = 20).await;
    app.sign_up("acme", "ada@acme.test").await;
    let login = |i| {
        browser().post(app.url("/rpc/auth/log_in")).json(
            &json!({ "form": { "workspace": "acme", "email": format!("nobody{i}@acme.test"), "password": "guess" } }),
        )
    };
    let statuses = burst(50, login).await;
    assert_eq!(tally(&statuses), (20, 30, 0), "{statuses:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn bursts_of_sign_ups_resets_and_password_changes_stop_at_their_limits(db: PgPool) {
    let app = spawn_app(db).await;
    let signed = app.sign_up("acme", "ada@acme.test").await;

    // One stranger's address named in 50 parallel sign-ups: at most 5 mails to it.
    let sign_up = |i| {
        let mut form = signup_form(&format!("co{i}"), "stranger@example.com");
        form["company_name"] = json!(format!("Company {i}"));
        browser().post(app.url("/rpc/auth/sign_up")).json(&json!({ "form": form }))
    };
    let statuses = burst(50, sign_up).await;
    let created = statuses.iter().filter(|s| s.is_success()).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((created, refused), (5, 45), "{statuses:?}");
    assert!(statuses.iter().all(|s| !s.is_server_error()));

    let reset = |_| {
        browser()
            .post(app.url("/rpc/auth/request_password_reset"))
            .json(&json!({ "form": { "workspace": "acme", "email": "ada@acme.test" } }))
    };
    let statuses = burst(50, reset).await;
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(refused, 47, "three reset mails per account and hour: {statuses:?}");
    assert_eq!(app.count("select count(*) from account_tokens where purpose = 'RESET_PASSWORD'").await, 3);

    let change = |_| {
        signed
            .client
            .post(app.url("/rpc/account/change_password"))
            .json(&json!({ "form": { "current_password": "not it at all", "new_password": "a brand new passphrase" } }))
    };
    let statuses = burst(30, change).await;
    let evaluated = statuses.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((evaluated, refused), (5, 25), "{statuses:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_client_address_comes_from_forwarded_for_only_behind_a_trusted_proxy(db: PgPool) {
    let app = spawn_app_with(db, |s| {
        s.limits.login_per_ip.max = 3;
        s.trusted_proxies = server::net::parse_ranges("127.0.0.1/32").unwrap();
    })
    .await;
    app.sign_up("acme", "ada@acme.test").await;
    let attempt = |client_ip: &str, email: &str| {
        browser()
            .post(app.url("/rpc/auth/log_in"))
            .header("x-forwarded-for", client_ip)
            .json(&json!({ "form": { "workspace": "acme", "email": email, "password": "guess" } }))
    };
    for i in 0..3 {
        assert_eq!(
            attempt("198.51.100.1", &format!("a{i}@x.test")).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let over = attempt("198.51.100.1", "a9@x.test").send().await.unwrap();
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another office behind the same proxy is not locked out.
    let other = attempt("203.0.113.5", "b@x.test").send().await.unwrap();
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_general_request_budget_answers_429_with_retry_after(db: PgPool) {
    let app = spawn_app_with(db, |s| s.limits.requests_per_ip_per_minute = 30).await;
    let client = browser();
    let statuses = burst(40, |_| client.post(app.url("/rpc/auth/timezones")).json(&json!({}))).await;
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(refused, 10, "{statuses:?}");
    let response = client.post(app.url("/rpc/auth/timezones")).json(&json!({})).send().await.unwrap();
    assert!(response.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    // Health checks stay free.
    assert_eq!(client.get(app.url("/health")).send().await.unwrap().status(), StatusCode::OK);
}

/// Every text field of every server function, given NUL, control characters and 1 MB,
/// is refused with 422 naming the field, and nothing is written.
#[sqlx::test(migrations = "../migrations")]
async fn hostile_text_in_any_field_of_any_server_function_is_a_field_error(db: PgPool) {
    let app = spawn_app_without_request_budget(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/rpc/").map(String::from))
        .collect();
    let covered: BTreeSet<String> = ROWS.iter().map(|(endpoint, _)| endpoint.to_string()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(missing.is_empty(), "server functions without a row in hostile_rows.rs: {missing:?}");

    let before = table_counts(&app).await;
    let long = "x".repeat(1024 * 1024);
    let hostile = ["nul \u{0} byte", "escape \u{1b}[2J", "bell \u{7}", "del \u{7f}", long.as_str()];
    let mut checked = 0;
    for (endpoint, template) in ROWS {
        let template: Value = serde_json::from_str(template).unwrap();
        for (path, field) in string_leaves(&template) {
            for text in hostile {
                let mut body = template.clone();
                *body.pointer_mut(&path).unwrap() = json!(text);
                let response = app.rpc(&admin, endpoint, body).await;
                let status = response.status();
                let answer: Value = response.json().await.unwrap_or(Value::Null);
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint} {path} = {:.20?}: {answer}", text);
                assert_eq!(error_fields(&answer), vec![field.clone()], "{endpoint} {path}");
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked} cases");
    assert_eq!(table_counts(&app).await, before, "nothing was written");
}

/// JSON pointers to every string in `value`, with the key naming each.
fn string_leaves(value: &Value) -> Vec<(String, String)> {
    fn walk(value: &Value, path: String, key: &str, out: &mut Vec<(String, String)>) {
        match value {
            Value::String(_) => out.push((path, key.to_string())),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}/{i}"), key, out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    walk(item, format!("{path}/{k}"), k, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), "body", &mut out);
    out
}

async fn table_counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "companies",
        "users",
        "customers",
        "jobs",
        "job_tasks",
        "job_notes",
        "job_statuses",
        "work_logs",
        "contracts",
        "invitations",
        "outbox",
        "audit_log",
    ] {
        counts.push(app.count(&format!("select count(*) from {table}")).await);
    }
    counts
}

#[sqlx::test(migrations = "../migrations")]
async fn extreme_dates_are_field_errors_and_never_stall_or_drop_the_connection(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let customer_id = customer(&app, &admin, "Miller Farm").await;
    let worker_id = app.create_user(&admin, "Walt", "walt@acme.test", "WORKER").await;
    let job_id = job(&app, &admin, &customer_id, &worker_id, "Fence").await;
    let worker = app.log_in_browser("acme", "walt@acme.test").await;
    let before = table_counts(&app).await;
    for date in
        ["+262142-12-31", "-262143-01-01", "-5000-01-01", "200000-01-01", "1899-12-31", "2201-01-01", "2026-13-01"]
    {
        let cases = [
            (
                &worker,
                "time/create",
                json!({ "form": { "job_id": job_id, "date": date, "start": "08:00", "end": "09:00",
                "duration": "", "break_minutes": "", "description": "", "billable": true } }),
                "date",
            ),
            (
                &admin,
                "contracts/create",
                json!({ "form": { "title": "Care", "worker_id": worker_id, "customer_id": customer_id,
                "budget_hours": "10", "period": "MONTHLY", "starts_on": date, "ends_on": "" } }),
                "starts_on",
            ),
            (&admin, "time/list", json!({ "query": { "from": "2026-01-01", "to": date } }), "to"),
        ];
        for (client, endpoint, body, field) in cases {
            let response = app.rpc(client, endpoint, body).await;
            let status = response.status();
            let answer: Value = response.json().await.unwrap();
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint} {date}: {answer}");
            assert_eq!(error_fields(&answer), vec![field.to_string()], "{endpoint} {date}");
        }
    }
    assert_eq!(table_counts(&app).await, before);
    // The log page with an extreme filter answers at once.
    let started = std::time::Instant::now();
    let page = admin.get(app.url("/app/logs?to=%2B262142-12-31")).send().await.unwrap();
    assert!(page.status().is_success() || page.status().is_client_error(), "{}", page.status());
    assert!(started.elapsed() < Duration::from_secs(5), "answered in {:?}", started.elapsed());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_customer_sees_job_counts_of_their_own_jobs_only(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let mine = customer(&app, &admin, "Harbour Café").await;
    let other = customer(&app, &admin, "Greenfield School").await;
    for (customer_id, title) in
        [(&mine, "Mine 1"), (&mine, "Mine 2"), (&other, "Theirs 1"), (&other, "Theirs 2"), (&other, "Theirs 3")]
    {
        job(&app, &admin, customer_id, "", title).await;
    }
    let login = app.create_user(&admin, "Carla", "carla@acme.test", "CUSTOMER").await;
    app.rpc_ok(&admin, "users/link_customer", json!({ "user_id": login, "customer_id": mine })).await;
    let carla = app.log_in_browser("acme", "carla@acme.test").await;
    let count = |list: &Value| list.as_array().unwrap().iter().map(|s| s["job_count"].as_i64().unwrap()).sum::<i64>();
    assert_eq!(count(&app.rpc_ok(&carla, "statuses/list", json!({})).await), 2);
    assert_eq!(count(&app.rpc_ok(&admin, "statuses/list", json!({})).await), 5);
}

#[sqlx::test(migrations = "../migrations")]
async fn personal_responses_are_never_cached(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let (access, _) = app.api_login("acme", "ada@acme.test", PASSWORD).await;
    let responses = [
        admin.get(app.url("/app/dashboard")).send().await.unwrap(),
        admin.post(app.url("/rpc/auth/session")).json(&json!({})).send().await.unwrap(),
        api_client().get(app.url("/api/v1/me")).bearer_auth(&access).send().await.unwrap(),
        admin.get(app.url("/exports/time-report.csv")).send().await.unwrap(),
        browser().get(app.url("/share/unknown-token")).send().await.unwrap(),
        browser().get(app.url("/acme/login")).send().await.unwrap(),
    ];
    for response in responses {
        let url = response.url().path().to_string();
        assert_eq!(response.headers()["cache-control"], "no-store", "{url}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn parallel_role_changes_and_deactivations_answer_success_or_conflict_only(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(app.create_user(&admin, &format!("Person {i}"), &format!("p{i}@acme.test"), "WORKER").await);
    }
    let statuses = burst(30, |i| {
        let id = &ids[i % ids.len()];
        match i % 3 {
            0 => admin.post(app.url("/rpc/users/change_role")).json(&json!({ "user_id": id, "role": "ADMIN" })),
            1 => admin.post(app.url("/rpc/users/deactivate")).json(&json!({ "user_id": id })),
            _ => admin.post(app.url("/rpc/users/change_role")).json(&json!({ "user_id": id, "role": "WORKER" })),
        }
    })
    .await;
    assert!(statuses.iter().all(|s| s.is_success() || *s == StatusCode::CONFLICT), "{statuses:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn cancelled_requests_leave_every_pooled_connection_idle(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    // Requests dropped at random moments mid-flight, many at once.
    for round in 0..10u64 {
        let requests = (0..20u64).map(|i| {
            let request = admin.post(app.url("/rpc/customers/create")).json(
                &json!({ "form": { "name": format!("C {round} {i}"), "email": "", "phone": "", "address": "" } }),
            );
            async move {
                let _ =
                    tokio::time::timeout(Duration::from_micros(200 + (i * 397 + round * 131) % 4000), request.send())
                        .await;
            }
        });
        join_all(requests).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stuck = app
        .count(
            "select count(*) from pg_stat_activity
             where usename = 'fieldbook_app' and datname = current_database() and state like 'idle in transaction%'",
        )
        .await;
    assert_eq!(stuck, 0, "no pooled connection waits inside a transaction");
    // And the next requests are correct.
    for i in 0..10 {
        let created = app
            .rpc_ok(
                &admin,
                "customers/create",
                json!({ "form": { "name": format!("After {i}"), "email": "", "phone": "", "address": "" } }),
            )
            .await;
        assert_eq!(created["name"], format!("After {i}"));
    }
}

/// A connection from `local` (any 127.x.y.z is this machine) that sends nothing.
async fn idle_socket(address: &str, local: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{local}:0").parse().unwrap()).unwrap();
    socket.connect(address.parse().unwrap()).await.unwrap()
}

/// Whether the server closed `socket` within `within`.
async fn closed(socket: &mut tokio::net::TcpStream, within: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buffer = [0u8; 1];
    matches!(tokio::time::timeout(within, socket.read(&mut buffer)).await, Ok(Ok(0) | Err(_)))
}

#[sqlx::test(migrations = "../migrations")]
async fn idle_connections_are_capped_per_address_and_in_total_and_closed_after_the_header_timeout(db: PgPool) {
    let app = spawn_app_with(db, |s| s.max_connections = 16).await;
    let address = app.base.trim_start_matches("http://").to_string();
    // One address gets its share (8 of 16); a ninth socket from it is closed at once.
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(idle_socket(&address, "127.0.0.1").await);
    }
    let mut ninth = idle_socket(&address, "127.0.0.1").await;
    assert!(closed(&mut ninth, Duration::from_secs(2)).await, "over the per-address share");
    // A second address takes the other half: now every slot is held by silent sockets...
    for _ in 0..8 {
        idle.push(idle_socket(&address, "127.0.0.2").await);
    }
    // ...so a third address waits until the header timeout closes them, then is answered.
    let started = std::time::Instant::now();
    let client = Client::builder().local_address("127.0.0.3".parse::<std::net::IpAddr>().unwrap()).build().unwrap();
    let response = tokio::time::timeout(Duration::from_secs(30), client.get(app.url("/health")).send())
        .await
        .expect("answered once the idle sockets were closed")
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_secs(5), "it had to wait for a slot");
    for socket in idle.iter_mut() {
        assert!(closed(socket, Duration::from_secs(1)).await, "idle sockets are closed by the server");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn slow_export_readers_cannot_starve_sign_in(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let customer_id = customer(&app, &admin, "Miller Farm").await;
    let worker_id = app.create_user(&admin, "Walt", "walt@acme.test", "WORKER").await;
    let job_id = job(&app, &admin, &customer_id, &worker_id, "Fence").await;
    // Four weeks of short entries with long descriptions: an export of ~25 MB, more than
    // the sockets buffer, so a client that never reads keeps its export waiting.
    sqlx::query(
        "insert into work_logs (company_id, worker_id, job_id, customer_id, started_at, ended_at, description,
                                status, submitted_at, decided_at)
         select j.company_id, j.assigned_worker_id, j.id, j.customer_id, s, s + interval '2 minutes', repeat('x', 1900),
                'APPROVED', s, s
         from jobs j, generate_series(date_trunc('month', now()), date_trunc('month', now()) + interval '27 days',
                                      interval '3 minutes') s
         where j.id = $1::uuid",
    )
    .bind(&job_id)
    .execute(&app.db)
    .await
    .unwrap();
    // Many exports requested and never read.
    let mut held = Vec::new();
    for _ in 0..22 {
        held.push(admin.get(app.url("/exports/time-report.csv")).send().await.unwrap());
    }
    let refused = held.iter().filter(|r| r.status() == StatusCode::TOO_MANY_REQUESTS).count();
    let statuses: Vec<_> = held.iter().map(|r| r.status()).collect();
    assert_eq!(refused, 20, "exports beyond the per-user cap are refused: {statuses:?}");
    // Sign-in and the workspace lookup still work at once.
    let started = std::time::Instant::now();
    assert_eq!(app.log_in("acme", "ada@acme.test", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app.rpc(&browser(), "auth/workspace", json!({ "slug": "acme" })).await.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_user_may_hold_only_a_few_live_streams(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let mut open = Vec::new();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let response = admin.get(app.url("/events/notifications")).send().await.unwrap();
        statuses.push(response.status());
        open.push(response);
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(ok, server::notify::live::MAX_STREAMS_PER_USER, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::TOO_MANY_REQUESTS));
    drop(open);
}

#[sqlx::test(migrations = "../migrations")]
async fn dead_sessions_are_purged(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@acme.test").await;
    app.log_in("acme", "ada@acme.test", PASSWORD).await;
    sqlx::query("update sessions set expires_at = now() - interval '2 days' where id = (select min(id::text)::uuid from sessions)")
        .execute(&app.db)
        .await
        .unwrap();
    let (purged, _, _) = server::maintenance::sweep(&app.app_pool().await).await.unwrap();
    assert_eq!(purged, 1);
    assert_eq!(app.count("select count(*) from sessions").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_live_stream_ends_when_its_session_is_signed_out(db: PgPool) {
    let app = spawn_app_with(db, |s| s.stream_session_recheck = Duration::from_millis(300)).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let mut stream = admin.get(app.url("/events/notifications")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(stream.chunk().await.unwrap().is_some(), "the ready event");
    app.rpc_ok(&admin, "auth/log_out_everywhere", json!({})).await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(_chunk) = stream.chunk().await.unwrap_or(None) {}
    })
    .await;
    assert!(ended.is_ok(), "the stream closed after the sign-out");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_panicking_request_is_answered_with_a_500_and_the_server_keeps_serving(db: PgPool) {
    let owner = db.connect_options().as_ref().clone();
    let state = server::startup::Application::task_state(server::config::Settings::for_tests(owner)).await.unwrap();
    let routes = axum::Router::new()
        .route(
            "/boom",
            axum::routing::get(|| async {
                if std::hint::black_box(true) {
                    panic!("a bug in a handler");
                }
                "unreachable"
            }),
        )
        .route("/fine", axum::routing::get(|| async { "fine" }));
    let router = server::startup::with_middleware(routes, state, false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let limits = server::http::serve::ConnectionLimits::new(64, Vec::new());
    tokio::spawn(server::http::serve::serve(listener, router, limits, std::future::pending()));
    // One client, one kept-alive connection: it survives the panic.
    let client = Client::builder().pool_max_idle_per_host(1).build().unwrap();
    let boom = client.get(format!("{base}/boom")).send().await.expect("an answer, not a dropped connection");
    assert_eq!(boom.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = boom.json().await.unwrap();
    assert_eq!(body["kind"], "internal");
    assert_eq!(client.get(format!("{base}/fine")).send().await.unwrap().text().await.unwrap(), "fine");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_pool_keeps_clean_connections_and_closes_one_left_inside_a_transaction(db: PgPool) {
    let owner = db.connect_options().as_ref().clone();
    let pool = server::db::AppPool::options()
        .max_connections(1)
        .connect_with(server::db::app_role_options(&owner, None))
        .await
        .unwrap();
    let pid = |pool: PgPool| async move {
        sqlx::query_scalar::<_, i32>("select pg_backend_pid()").fetch_one(&pool).await.unwrap()
    };
    let first = pid(pool.clone()).await;
    for _ in 0..5 {
        assert_eq!(pid(pool.clone()).await, first, "a clean connection is reused");
    }
    // A transaction begun behind sqlx's back, as a cancelled `begin()` can leave it.
    let mut conn = pool.acquire().await.unwrap();
    sqlx::raw_sql("begin").execute(&mut *conn).await.unwrap();
    drop(conn);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let next = pid(pool.clone()).await;
    assert_ne!(next, first, "the connection left in a transaction was closed, not handed out");
}

/// Fields holding dates, times, months and numbers, by the key that names them.
const DATE_FIELDS: [&str; 7] = ["scheduled_date", "date", "from", "to", "starts_on", "ends_on", "expires_on"];
const TIME_FIELDS: [&str; 3] = ["scheduled_time", "start", "end"];
const MONTH_FIELDS: [&str; 1] = ["month"];
const NUMBER_FIELDS: [&str; 5] = ["duration", "break_minutes", "budget_hours", "days", "requests_per_minute"];

fn bad_values(field: &str) -> &'static [&'static str] {
    if DATE_FIELDS.contains(&field) {
        &[
            "+262142-12-31",
            "-262143-01-01",
            "-5000-01-01",
            "200000-01-01",
            "1899-12-31",
            "2201-01-01",
            "2026-02-30",
            "soon",
        ]
    } else if TIME_FIELDS.contains(&field) {
        &["25:00", "-1:00", "99999999999:00", "12:60", "noon"]
    } else if MONTH_FIELDS.contains(&field) {
        &["+262142-12", "-5000-01", "0-01", "2026-13", "99999999999-01", "this one"]
    } else {
        &["1e309", "-1", "99999999999999999999", "NaN", "inf", "lots"]
    }
}

/// Extreme and malformed dates, times, months and numbers in every such field of every
/// server function (found from `hostile_rows.rs`, so a new one needs a body here too):
/// 422 naming the field, nothing written, nothing stalls or panics.
#[sqlx::test(migrations = "../migrations")]
async fn extreme_and_malformed_dates_times_and_numbers_in_every_field_are_field_errors(db: PgPool) {
    let app = spawn_app_without_request_budget(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await.client;
    let customer_id = customer(&app, &admin, "Miller Farm").await;
    let worker_id = app.create_user(&admin, "Walt", "walt@acme.test", "WORKER").await;
    let job_id = job(&app, &admin, &customer_id, &worker_id, "Fence").await;
    let worker = app.log_in_browser("acme", "walt@acme.test").await;
    let log_form = json!({ "job_id": job_id, "date": "2026-11-10", "start": "08:00", "end": "", "duration": "1:00",
                           "break_minutes": "0", "description": "", "billable": true });
    let log = app.rpc_ok(&worker, "time/create", json!({ "form": log_form })).await;
    let contract_form = json!({ "title": "Care", "worker_id": worker_id, "customer_id": customer_id,
                                "budget_hours": "10", "period": "MONTHLY", "starts_on": "2026-01-01", "ends_on": "" });
    app.rpc_ok(&admin, "contracts/create", json!({ "form": contract_form })).await;
    let contract_id: String = sqlx::query_scalar("select id::text from contracts").fetch_one(&app.db).await.unwrap();
    let status = status_id(&app, &admin, "Scheduled").await;
    let job_form = json!({ "customer_id": customer_id, "title": "Gate", "description": "", "scheduled_date": "2026-07-15",
                           "scheduled_time": "09:30", "worker_id": worker_id, "status_id": status, "tasks": [], "version": 1 });
    let valid = |endpoint: &str| -> (&Client, Value) {
        match endpoint {
            "jobs/create" => (&admin, json!({ "form": job_form })),
            "jobs/update" => (&admin, json!({ "id": job_id, "form": job_form })),
            "jobs/create_share_link" => (&admin, json!({ "job_id": job_id, "days": "7" })),
            "time/create" => (&worker, json!({ "form": log_form })),
            "time/update" => (&worker, json!({ "id": log["id"], "form": log_form })),
            "time/list" => (&admin, json!({ "query": { "from": "2026-01-01", "to": "2026-12-31" } })),
            "time/sign_month" | "time/reopen_month" => {
                (&admin, json!({ "customer_id": customer_id, "month": "2026-11" }))
            }
            "contracts/create" => (&admin, json!({ "form": contract_form })),
            "contracts/update" => (&admin, json!({ "id": contract_id, "form": contract_form })),
            "reports/monthly" => (&admin, json!({ "query": { "month": "2026-11" } })),
            "audit/list" => (&admin, json!({ "query": { "from": "2026-01-01", "to": "2026-12-31" } })),
            "api_keys/create" => (
                &admin,
                json!({ "form": { "name": "Books", "scopes": ["jobs:read"], "expires_on": "", "requests_per_minute": "" } }),
            ),
            other => panic!("{other} takes a date, time, month or number: give it a valid body in this test"),
        }
    };
    let typed = |field: &str| {
        DATE_FIELDS.contains(&field)
            || TIME_FIELDS.contains(&field)
            || MONTH_FIELDS.contains(&field)
            || NUMBER_FIELDS.contains(&field)
    };
    let before = table_counts(&app).await;
    let mut checked = 0;
    for (endpoint, template) in ROWS {
        let template: Value = serde_json::from_str(template).unwrap();
        for (_, field) in string_leaves(&template).into_iter().filter(|(_, field)| typed(field)) {
            let (client, body) = valid(endpoint);
            for value in bad_values(&field) {
                let mut body = body.clone();
                let nested = ["form", "query"].into_iter().find(|k| body.get(*k).is_some());
                let target = match nested {
                    Some(key) => &mut body[key],
                    None => &mut body,
                };
                target[field.as_str()] = json!(value);
                if field == "end" {
                    target["duration"] = json!("");
                }
                let started = std::time::Instant::now();
                let response = app.rpc(client, endpoint, body).await;
                let status = response.status();
                let answer: Value = response.json().await.unwrap_or(Value::Null);
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint} {field} = {value:?}: {answer}");
                assert_eq!(error_fields(&answer), vec![field.clone()], "{endpoint} {field} = {value:?}");
                assert!(
                    started.elapsed() < Duration::from_secs(2),
                    "{endpoint} {field} = {value:?} took {:?}",
                    started.elapsed()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} cases");
    assert_eq!(table_counts(&app).await, before, "nothing was written");
}
