//! Webhooks: events written with their change (and only if it commits), delivered once
//! by competing loops to a local receiver, signed as docs/API.md says, retried with
//! growing pauses, disabled (with an email) after repeated failures, redelivered and
//! tested by hand; private addresses refused in production; other companies' endpoints
//! out of reach.

use crate::common::*;
use axum::extract::State;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::WebhookSettings;
use server::webhooks::delivery::{Delivery, Outcome};
use sha2::Sha256;
use sqlx::PgPool;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    answer: Arc<AtomicU16>,
}

impl Receiver {
    async fn start() -> (Self, String) {
        let receiver = Receiver { answer: Arc::new(AtomicU16::new(200)), ..Default::default() };
        let app = axum::Router::new()
            .route(
                "/hook",
                axum::routing::post(|State(r): State<Receiver>, headers: HeaderMap, body: String| async move {
                    r.seen.lock().unwrap().push((headers, body));
                    let status = StatusCode::from_u16(r.answer.load(Ordering::SeqCst)).unwrap();
                    (status, "thanks from the receiver")
                }),
            )
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, url)
    }

    fn bodies(&self) -> Vec<Value> {
        self.seen.lock().unwrap().iter().map(|(_, b)| serde_json::from_str(b).unwrap()).collect()
    }
}

/// The documented check: HMAC-SHA256 over "<timestamp>.<body>", hex, as `v1=` in the header.
fn signed_with(headers: &HeaderMap, body: &str, secret: &str) -> bool {
    let timestamp = headers["fieldbook-timestamp"].to_str().unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    headers["fieldbook-signature"].to_str().unwrap().split(',').any(|part| part == format!("v1={expected}"))
}

fn settings() -> WebhookSettings {
    WebhookSettings {
        deliver: true,
        allow_private: true,
        retry_base: Duration::from_secs(30),
        max_attempts: 8,
        disable_after: 3,
        timeout: Duration::from_secs(5),
        poll_interval: Duration::from_secs(1),
    }
}

async fn job_form(app: &TestApp, admin: &reqwest::Client, title: &str) -> Value {
    let customer = app
        .rpc_ok(
            admin,
            "customers/create",
            json!({ "form": { "name": format!("{title} Ltd"), "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let statuses = app.rpc_ok(admin, "statuses/list", json!({})).await;
    let status = statuses.as_array().unwrap().iter().find(|s| s["name"] == "New").unwrap()["id"].clone();
    json!({ "customer_id": customer["id"], "title": title, "description": "", "scheduled_date": "", "scheduled_time": "",
            "worker_id": "", "status_id": status, "tasks": ["Measure"] })
}

#[sqlx::test(migrations = "../migrations")]
async fn events_go_out_once_signed_and_retry_with_growing_pauses(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let admin = &acme.client;
    let (receiver, url) = Receiver::start().await;
    let made = app
        .rpc_ok(
            admin,
            "webhooks/create",
            json!({ "form": { "url": url, "description": "Slack", "events": ["job.created", "job.status_changed", "job.completed", "task.completed", "note.added"] } }),
        )
        .await;
    let secret = made["secret"].as_str().unwrap().to_string();
    let endpoint_id = made["endpoint"]["id"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let listed = app.rpc_ok(admin, "webhooks/list", json!({})).await;
    assert!(!listed.to_string().contains(&secret), "the secret is shown once");

    // A change that rolls back queues nothing; one that commits queues its event.
    let company_id: uuid::Uuid = sqlx::query_scalar("select id from companies").fetch_one(&app.db).await.unwrap();
    let pool = app.app_pool().await;
    {
        let mut tx = server::db::TenantTx::begin_for_tests(&pool, company_id).await.unwrap();
        server::webhooks::emit(&mut tx, "job.created", &json!({ "title": "never" })).await.unwrap();
        // Dropped without commit.
    }
    assert_eq!(app.count("select count(*) from webhook_deliveries").await, 0);
    let job = app.rpc_ok(admin, "jobs/create", json!({ "form": job_form(&app, admin, "Gate").await })).await;
    assert_eq!(app.count("select count(*) from webhook_deliveries where event_type = 'job.created'").await, 1);

    // Two loops at once: one delivery each event, never two.
    let one = Delivery::new(app.app_pool().await, settings(), app.base.clone());
    let two = Delivery::new(app.app_pool().await, settings(), app.base.clone());
    let (a, b) = tokio::join!(one.deliver_due(), two.deliver_due());
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (headers, body) = &seen[0];
    assert!(signed_with(headers, body, &secret), "signed as documented");
    let event: Value = serde_json::from_str(body).unwrap();
    assert_eq!(event["type"], "job.created");
    assert_eq!(event["data"]["id"], job["id"]);
    assert_eq!(headers["fieldbook-event-id"].to_str().unwrap(), event["id"].as_str().unwrap());
    assert!(event["created_at"].is_string());
    let logged = app.rpc_ok(admin, "webhooks/list", json!({})).await;
    let delivery = &logged[0]["deliveries"][0];
    assert_eq!((delivery["status"].clone(), delivery["response_status"].clone()), (json!("SUCCEEDED"), json!(200)));
    assert_eq!(delivery["response_excerpt"], "thanks from the receiver");

    // The receiver fails: retried after 30 s, then 60 s; not before.
    receiver.answer.store(500, Ordering::SeqCst);
    let done = app.rpc_ok(admin, "statuses/list", json!({})).await;
    let done = done.as_array().unwrap().iter().find(|s| s["name"] == "Done").unwrap()["id"].clone();
    app.rpc_ok(admin, "jobs/change_status", json!({ "id": job["id"], "status_id": done })).await;
    let types: Vec<String> =
        sqlx::query_scalar("select event_type from webhook_deliveries where status = 'PENDING' order by event_type")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(types, ["job.completed", "job.status_changed"]);
    assert_eq!(one.deliver_due().await.unwrap(), 2);
    assert_eq!(one.deliver_due().await.unwrap(), 0, "nothing is due before its pause ends");
    let pause: f64 = sqlx::query_scalar(
        "select min(extract(epoch from next_attempt_at - last_attempt_at))::float8 from webhook_deliveries where status = 'PENDING'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!((29.0..=31.0).contains(&pause), "first pause {pause}");
    sqlx::query("update webhook_deliveries set next_attempt_at = now() where status = 'PENDING' and event_type = 'job.completed'")
        .execute(&app.db)
        .await
        .unwrap();
    let outcome = one.deliver_one(company_id).await.unwrap().unwrap().1;
    assert!(matches!(outcome, Outcome::Retry { .. }), "{outcome:?}");
    let (attempts, pause): (i32, f64) = sqlx::query_as(
        "select attempts, extract(epoch from next_attempt_at - last_attempt_at)::float8 from webhook_deliveries where event_type = 'job.completed'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(attempts, 2);
    assert!((59.0..=61.0).contains(&pause), "second pause {pause}");

    // The third failure in a row disabled the endpoint and emailed the admins.
    sqlx::query("update webhook_deliveries set next_attempt_at = now() where status = 'PENDING'")
        .execute(&app.db)
        .await
        .unwrap();
    one.deliver_due().await.unwrap();
    let (enabled, reason): (bool, Option<String>) =
        sqlx::query_as("select enabled, disabled_reason from webhook_endpoints").fetch_one(&app.db).await.unwrap();
    assert!(!enabled);
    assert!(reason.unwrap().contains("3 failed deliveries in a row"));
    assert_eq!(app.count("select count(*) from outbox where kind = 'webhook.disabled'").await, 1);
    assert_eq!(one.deliver_due().await.unwrap(), 0, "a disabled endpoint gets nothing");

    // Enabled again with a working receiver: the waiting events go; a redelivery and a test event too.
    receiver.answer.store(204, Ordering::SeqCst);
    app.rpc_ok(admin, "webhooks/set_enabled", json!({ "id": endpoint_id, "enabled": true })).await;
    sqlx::query("update webhook_deliveries set next_attempt_at = now() where status = 'PENDING'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(one.deliver_due().await.unwrap(), 2);
    let first =
        sqlx::query_scalar::<_, uuid::Uuid>("select id from webhook_deliveries where event_type = 'job.created'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    app.rpc_ok(admin, "webhooks/redeliver", json!({ "id": endpoint_id, "delivery_id": first })).await;
    app.rpc_ok(admin, "webhooks/send_test", json!({ "id": endpoint_id })).await;
    // A rotation: both secrets sign until the old one's grace ends.
    let rotated = app.rpc_ok(admin, "webhooks/rotate_secret", json!({ "id": endpoint_id })).await;
    let new_secret = rotated["secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    assert_eq!(one.deliver_due().await.unwrap(), 2);
    let seen = receiver.seen.lock().unwrap().clone();
    let (headers, body) = seen.last().unwrap();
    assert!(signed_with(headers, body, &new_secret) && signed_with(headers, body, &secret));
    let bodies = receiver.bodies();
    let created: Vec<&Value> = bodies.iter().filter(|b| b["type"] == "job.created").collect();
    assert_eq!(created.len(), 2, "the redelivery carries the same event");
    assert_eq!(created[0]["id"], created[1]["id"]);
    assert!(bodies.iter().any(|b| b["type"] == "webhook.test"));
}

#[sqlx::test(migrations = "../migrations")]
async fn production_sends_only_to_public_https_addresses(db: PgPool) {
    let app = spawn_app_with(db, |s| s.webhooks.allow_private = false).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    for url in [
        "http://example.com/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.8/",
        "https://169.254.169.254/x",
        "https://localhost/x",
        "https://[::1]/",
    ] {
        let response = app
            .rpc(
                &acme.client,
                "webhooks/create",
                json!({ "form": { "url": url, "description": "", "events": ["job.created"] } }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert_eq!(error_fields(&response.json().await.unwrap()), ["url"], "{url}");
    }
    // A name that resolves to a private address is refused when sending, too.
    app.rpc_ok(
        &acme.client,
        "webhooks/create",
        json!({ "form": { "url": "https://hooks.example.com/x", "description": "", "events": ["job.created"] } }),
    )
    .await;
    sqlx::query("update webhook_endpoints set url = 'https://localhost:9/x'").execute(&app.db).await.unwrap();
    app.rpc_ok(&acme.client, "jobs/create", json!({ "form": job_form(&app, &acme.client, "Gate").await })).await;
    let strict =
        Delivery::new(app.app_pool().await, WebhookSettings { allow_private: false, ..settings() }, app.base.clone());
    let company_id: uuid::Uuid = sqlx::query_scalar("select id from companies").fetch_one(&app.db).await.unwrap();
    match strict.deliver_one(company_id).await.unwrap().unwrap().1 {
        Outcome::Retry { error } => assert!(error.contains("public"), "{error}"),
        other => panic!("{other:?}"),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_manage_endpoints_and_only_their_own(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let (_receiver, url) = Receiver::start().await;
    let made = app
        .rpc_ok(
            &acme.client,
            "webhooks/create",
            json!({ "form": { "url": url, "description": "", "events": ["job.created"] } }),
        )
        .await;
    let id = made["endpoint"]["id"].clone();
    app.rpc_ok(&acme.client, "webhooks/send_test", json!({ "id": id })).await;
    let delivery: uuid::Uuid =
        sqlx::query_scalar("select id from webhook_deliveries").fetch_one(&app.db).await.unwrap();
    let bad = app
        .rpc(
            &acme.client,
            "webhooks/create",
            json!({ "form": { "url": "", "description": "x".repeat(201), "events": [] } }),
        )
        .await;
    assert_eq!(error_fields(&bad.json().await.unwrap()), ["url", "description", "events"]);

    app.create_user(&acme.client, "Walt Worker", "walt@acme.test", "WORKER").await;
    let worker = app.log_in_browser("acme", "walt@acme.test").await;
    assert_eq!(app.rpc(&worker, "webhooks/list", json!({})).await.status(), StatusCode::FORBIDDEN);

    let globex = app.sign_up("globex", "gil@globex.test").await;
    assert_eq!(app.rpc_ok(&globex.client, "webhooks/list", json!({})).await, json!([]));
    for (endpoint, args) in [
        ("webhooks/set_enabled", json!({ "id": id, "enabled": false })),
        ("webhooks/rotate_secret", json!({ "id": id })),
        ("webhooks/send_test", json!({ "id": id })),
        ("webhooks/redeliver", json!({ "id": id, "delivery_id": delivery })),
        ("webhooks/delete", json!({ "id": id })),
    ] {
        assert_eq!(app.rpc(&globex.client, endpoint, args).await.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    let (enabled, deliveries): (bool, i64) =
        sqlx::query_as("select enabled, (select count(*) from webhook_deliveries) from webhook_endpoints")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((enabled, deliveries), (true, 1), "untouched");
}
