//! Spawns the real application on port 0 against the fresh database that
//! `#[sqlx::test]` created (migrated, owned by the test superuser), connecting
//! as `fieldbook_app` exactly like production.
#![allow(dead_code)]

use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use server::config::Settings;
use server::db::app_role_options;
use server::db::AppPool;
use server::startup::Application;
use sqlx::postgres::PgPool;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    /// Superuser connection to the same database: for arranging and inspecting rows.
    pub db: PgPool,
    pub settings: Settings,
}

pub async fn spawn_app(db: PgPool) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

pub async fn spawn_app_with(db: PgPool, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let owner = db.connect_options().as_ref().clone();
    let mut settings = Settings::for_tests(owner.clone());
    // Bound first, so BASE_URL (the origin state-changing requests must come from) is exact.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    settings.base_url = format!("http://{}", listener.local_addr().expect("local address"));
    configure(&mut settings);
    let app_pool = AppPool::options()
        .max_connections(5)
        .connect_with(app_role_options(&owner, None))
        .await
        .expect("connect as fieldbook_app");
    let app = Application::build_with_listener(settings.clone(), AppPool::from_pool(app_pool), listener)
        .expect("build the application");
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    TestApp { base, db, settings }
}

/// A browser-like client: keeps cookies.
pub fn browser() -> Client {
    Client::builder().cookie_store(true).build().expect("client")
}

/// An API client: no cookies, tokens passed explicitly.
pub fn api_client() -> Client {
    Client::builder().build().expect("client")
}

pub struct Signed {
    pub client: Client,
    pub user: Value,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Calls a server function (JSON in, JSON out).
    pub async fn rpc(&self, client: &Client, endpoint: &str, args: Value) -> Response {
        client.post(self.url(&format!("/rpc/{endpoint}"))).json(&args).send().await.expect("request")
    }

    pub async fn rpc_ok(&self, client: &Client, endpoint: &str, args: Value) -> Value {
        let response = self.rpc(client, endpoint, args).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{endpoint} answered {status}: {body}");
        body
    }

    /// Signs a company up and marks the admin's address verified (as following the
    /// mailed link would; the link itself is tested in `notifications`).
    pub async fn sign_up(&self, slug: &str, email: &str) -> Signed {
        let signed = self.sign_up_unverified(slug, email).await;
        sqlx::query("update users set email_verified_at = now() where email = $1")
            .bind(email)
            .execute(&self.db)
            .await
            .expect("verify the admin");
        signed
    }

    pub async fn sign_up_unverified(&self, slug: &str, email: &str) -> Signed {
        let client = browser();
        let user = self.rpc_ok(&client, "auth/sign_up", json!({ "form": signup_form(slug, email) })).await;
        Signed { client, user }
    }

    /// A pool connected as `fieldbook_app`, like a second server process's.
    pub async fn app_pool(&self) -> AppPool {
        let owner = self.db.connect_options().as_ref().clone();
        let pool = AppPool::options()
            .max_connections(3)
            .connect_with(app_role_options(&owner, None))
            .await
            .expect("connect as fieldbook_app");
        AppPool::from_pool(pool)
    }

    pub async fn log_in(&self, slug: &str, email: &str, password: &str) -> Response {
        let client = browser();
        self.rpc(&client, "auth/log_in", json!({ "form": { "workspace": slug, "email": email, "password": password } }))
            .await
    }

    pub async fn log_in_browser(&self, slug: &str, email: &str) -> Client {
        let client = browser();
        let response = self
            .rpc(&client, "auth/log_in", json!({ "form": { "workspace": slug, "email": email, "password": PASSWORD } }))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "log in as {email}");
        client
    }

    /// Logs in through the token endpoint: (access, refresh).
    pub async fn api_login(&self, slug: &str, email: &str, password: &str) -> (String, String) {
        let response = api_client()
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "workspace": slug, "email": email, "password": password }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("json");
        (body["access_token"].as_str().unwrap().into(), body["refresh_token"].as_str().unwrap().into())
    }

    pub async fn me(&self, access: &str) -> StatusCode {
        api_client().get(self.url("/api/v1/me")).bearer_auth(access).send().await.expect("request").status()
    }

    /// Creates a user in the admin's company through the app; returns its id.
    pub async fn create_user(&self, admin: &Client, name: &str, email: &str, role: &str) -> String {
        let user = self
            .rpc_ok(
                admin,
                "users/create",
                json!({ "form": { "name": name, "email": email, "role": role, "password": PASSWORD } }),
            )
            .await;
        user["id"].as_str().unwrap().to_string()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.db).await.expect("count query")
    }
}

pub fn signup_form(slug: &str, email: &str) -> Value {
    json!({
        "company_name": format!("Company {slug}"),
        "slug": slug,
        "timezone": "Europe/Berlin",
        "admin_name": "Ada Admin",
        "email": email,
        "password": PASSWORD,
    })
}

/// The field an error body names, for validation errors.
pub fn error_fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// The local mail sink `./fieldbook test` starts (maildev): its SMTP address.
pub fn mail_sink_smtp() -> String {
    std::env::var("MAIL_SINK_SMTP").expect(
        "MAIL_SINK_SMTP is not set: run the tests with ./fieldbook test, or start the sink with ./fieldbook mail start",
    )
}

/// The sink's REST API.
pub fn mail_sink_api() -> String {
    std::env::var("MAIL_SINK_API").unwrap_or_else(|_| "http://127.0.0.1:54380".into())
}

/// Every message in the sink addressed to `to` (case-insensitive), oldest first.
pub async fn mail_to(to: &str) -> Vec<Value> {
    let all: Vec<Value> = reqwest::get(format!("{}/api/email", mail_sink_api()))
        .await
        .expect("reach the mail sink")
        .json()
        .await
        .expect("mail sink JSON");
    all.into_iter()
        .filter(|m| {
            m["to"].as_array().is_some_and(|list| {
                list.iter().any(|a| a["address"].as_str().is_some_and(|addr| addr.eq_ignore_ascii_case(to)))
            })
        })
        .collect()
}

/// Waits (up to 20 s) until the sink holds `count` messages for `to`.
pub async fn wait_for_mail(to: &str, count: usize) -> Vec<Value> {
    for _ in 0..200 {
        let found = mail_to(to).await;
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no {count} message(s) for {to} arrived in the mail sink");
}

/// The first link in `text` whose path starts with `path`.
pub fn link_in(text: &str, path: &str) -> Option<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '<' || c == '>' || c == '"' || c == '\''))
        .find(|w| w.starts_with("http") && w.contains(path))
        .map(str::to_string)
}

/// The `token` query value of a link.
pub fn token_of(link: &str) -> String {
    link.split("token=").nth(1).expect("a token in the link").split('&').next().unwrap().to_string()
}
