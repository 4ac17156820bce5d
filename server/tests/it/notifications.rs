//! Notifications against real PostgreSQL and a real SMTP sink (maildev, started by
//! `./fieldbook test`): the outbox's transactions, retries, concurrency and crash
//! recovery; the account emails' single-use tokens; events, the notification
//! centre, preferences, live delivery across two server processes, and tenancy.

use crate::common::*;
use crate::time::{days_ago, entry, setup};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::DeliverySettings;
use server::db::{AppPool, TenantTx};
use server::notify::mailer::Mailer;
use server::notify::outbox::{enqueue, Attempt, Delivery, Recipient};
use server::notify::templates::EmailContent;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

const FROM: &str = "Fieldbook Tests <no-reply@fieldbook.test>";

fn content(subject: &str) -> EmailContent {
    EmailContent {
        subject: subject.into(),
        company: "Acme".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["A test message.".into()],
        items: Vec::new(),
        action: None,
        reason: "Tests.".into(),
        unsubscribe_url: None,
    }
}

fn fast_retries() -> DeliverySettings {
    DeliverySettings {
        retry_base: Duration::from_millis(300),
        max_attempts: 10,
        send_timeout: Duration::from_secs(5),
        poll_interval: Duration::from_secs(1),
    }
}

fn sink_mailer(address: &str) -> Arc<Mailer> {
    Arc::new(Mailer::new(&format!("smtp://{address}"), FROM, Duration::from_secs(5)).expect("mailer"))
}

async fn company_id(db: &PgPool, slug: &str) -> Uuid {
    sqlx::query_scalar("select id from companies where slug = $1").bind(slug).fetch_one(db).await.unwrap()
}

/// Queues one message for `to` in its own committed transaction; returns its id.
async fn queue(pool: &AppPool, company: Uuid, to: &str, subject: &str) -> Uuid {
    let mut tx = TenantTx::begin_for_tests(pool, company).await.unwrap();
    let id = enqueue(&mut tx, "test", &Recipient { user_id: None, email: to.into() }, &content(subject)).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn outbox_row(db: &PgPool, id: Uuid) -> (String, i32, Option<String>, f64) {
    sqlx::query_as(
        "select status::text, attempts, last_error,
                coalesce(extract(epoch from next_attempt_at - last_attempt_at)::float8, 0)
         from outbox where id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await
    .unwrap()
}

async fn fields(response: reqwest::Response) -> Vec<String> {
    let body: Value = response.json().await.unwrap_or(Value::Null);
    error_fields(&body)
}

/// Signs up companies and empties the outbox of their sign-up emails, so a test
/// sees only the messages it queues.
async fn companies_with_empty_outbox(app: &TestApp, slugs: &[&str]) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for slug in slugs {
        app.sign_up(slug, &format!("admin@{slug}.test")).await;
        ids.push(company_id(&app.db, slug).await);
    }
    sqlx::query("delete from outbox").execute(&app.db).await.unwrap();
    ids
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}@mail.test", Uuid::new_v4().simple())
}

#[sqlx::test(migrations = "../migrations")]
async fn an_email_exists_only_if_its_transaction_commits(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let company = company_id(&app.db, "acme").await;
    let pool = app.app_pool().await;
    let before = app.count("select count(*) from outbox").await;

    let mut tx = TenantTx::begin_for_tests(&pool, company).await.unwrap();
    enqueue(&mut tx, "test", &Recipient { user_id: None, email: "gone@mail.test".into() }, &content("Rolled back"))
        .await
        .unwrap();
    drop(tx); // rolled back
    assert_eq!(app.count("select count(*) from outbox").await, before);

    queue(&pool, company, "kept@mail.test", "Committed").await;
    assert_eq!(app.count("select count(*) from outbox where to_address = 'kept@mail.test'").await, 1);

    // A business action that fails half-way leaves neither its change nor its email.
    let log = s.app.rpc_ok(&s.worker, "time/create", entry(&s.job, &days_ago(2), "08:00", "09:00", "Pump")).await;
    let emails = s.app.count("select count(*) from outbox where kind = 'work_log.submitted'").await;
    let response = s.app.rpc(&s.worker, "time/submit", json!({ "ids": [log["id"], Uuid::new_v4().to_string()] })).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(s.app.count("select count(*) from outbox where kind = 'work_log.submitted'").await, emails);
    assert_eq!(s.app.count("select count(*) from work_logs where status = 'PENDING'").await, 0);
}

/// A port with nothing listening (connections are refused), and a way to start a
/// forwarder to the real sink on it later.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

async fn forward_to_sink(port: u16) {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("rebind the port");
    let sink = mail_sink_smtp();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(sink).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
}

#[sqlx::test(migrations = "../migrations")]
async fn a_sink_that_is_down_gets_retries_with_growing_delays_then_the_message_once(db: PgPool) {
    let app = spawn_app(db).await;
    let company = companies_with_empty_outbox(&app, &["acme"]).await[0];
    let pool = app.app_pool().await;
    let to = unique("retry");
    let id = queue(&pool, company, &to, "Retried").await;
    let port = closed_port().await;
    let delivery = Delivery::new(pool.clone(), sink_mailer(&format!("127.0.0.1:{port}")), fast_retries());

    let mut gaps = Vec::new();
    for attempt in 1..=3 {
        // Wait until it is due, then try.
        loop {
            match delivery.deliver_one(company).await.unwrap() {
                Some((_, outcome)) => {
                    assert!(matches!(outcome, Attempt::Retry { .. }), "attempt {attempt}: {outcome:?}");
                    break;
                }
                None => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        let (status, attempts, error, gap) = outbox_row(&app.db, id).await;
        assert_eq!((status.as_str(), attempts), ("PENDING", attempt));
        assert!(error.unwrap_or_default().to_lowercase().contains("connect"), "the error says why");
        gaps.push(gap);
    }
    // 0.3 s, 0.6 s, 1.2 s: each wait twice the one before.
    assert!((gaps[0] - 0.3).abs() < 0.05, "{gaps:?}");
    assert!((gaps[1] / gaps[0] - 2.0).abs() < 0.1 && (gaps[2] / gaps[1] - 2.0).abs() < 0.1, "{gaps:?}");

    forward_to_sink(port).await;
    let mut sent = false;
    for _ in 0..100 {
        if let Some((_, outcome)) = delivery.deliver_one(company).await.unwrap() {
            assert_eq!(outcome, Attempt::Sent);
            sent = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(sent, "delivered once the sink is back");
    assert_eq!(outbox_row(&app.db, id).await.0, "SENT");
    assert_eq!(delivery.deliver_due().await.unwrap(), 0, "nothing left to send");
    let mail = wait_for_mail(&to, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(mail_to(&to).await.len(), 1, "exactly one copy");
    assert_eq!(mail[0]["headers"]["x-fieldbook-idempotency-key"], json!(id.to_string()));
}

#[sqlx::test(migrations = "../migrations")]
async fn messages_that_keep_failing_die_and_an_admin_can_retry_them(db: PgPool) {
    let app = spawn_app(db).await;
    let company = companies_with_empty_outbox(&app, &["acme"]).await[0];
    let admin = Signed { client: app.log_in_browser("acme", "admin@acme.test").await, user: Value::Null };
    let pool = app.app_pool().await;
    let to = unique("dead");
    let id = queue(&pool, company, &to, "Doomed").await;
    let port = closed_port().await;
    let settings = DeliverySettings { retry_base: Duration::from_millis(10), max_attempts: 2, ..fast_retries() };
    let delivery = Delivery::new(pool.clone(), sink_mailer(&format!("127.0.0.1:{port}")), settings);
    let mut outcomes = Vec::new();
    while outcomes.len() < 2 {
        if let Some((_, outcome)) = delivery.deliver_one(company).await.unwrap() {
            outcomes.push(outcome);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(matches!(outcomes[1], Attempt::Dead { .. }));
    assert_eq!(delivery.deliver_due().await.unwrap(), 0, "a dead message is not tried again by itself");

    // The admin sees it with its last error…
    let page = app.rpc_ok(&admin.client, "outbox/list", json!({ "status": "dead" })).await;
    let entry = page["entries"].as_array().unwrap().iter().find(|e| e["id"] == json!(id.to_string())).unwrap().clone();
    assert_eq!(entry["attempts"], 2);
    assert!(entry["last_error"].as_str().is_some());
    // …and retries it; it goes out once the sink is reachable.
    app.rpc_ok(&admin.client, "outbox/retry", json!({ "id": id })).await;
    assert_eq!(outbox_row(&app.db, id).await.0, "PENDING");
    let working = Delivery::new(pool, sink_mailer(&mail_sink_smtp()), fast_retries());
    assert_eq!(working.deliver_due().await.unwrap(), 1);
    wait_for_mail(&to, 1).await;
    // Retrying what is not dead is a conflict; another company's message does not exist.
    let again = app.rpc(&admin.client, "outbox/retry", json!({ "id": id })).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let other = app.sign_up("bobs", "admin@bobs.test").await;
    let foreign = app.rpc(&other.client, "outbox/retry", json!({ "id": id })).await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    let theirs = app.rpc_ok(&other.client, "outbox/list", json!({ "status": "all" })).await;
    assert!(theirs["entries"].as_array().unwrap().iter().all(|e| e["id"] != json!(id.to_string())));
}

#[sqlx::test(migrations = "../migrations")]
async fn two_delivery_loops_send_each_message_exactly_once(db: PgPool) {
    let app = spawn_app(db).await;
    let companies = companies_with_empty_outbox(&app, &["acme", "bobs"]).await;
    let pool = app.app_pool().await;
    let mut addresses = Vec::new();
    for i in 0..24 {
        let to = unique(&format!("twice{i}"));
        queue(&pool, companies[i % 2], &to, &format!("Message {i}")).await;
        addresses.push(to);
    }
    // Two workers, each with its own connections, like two server processes.
    let one = Delivery::new(app.app_pool().await, sink_mailer(&mail_sink_smtp()), fast_retries());
    let two = Delivery::new(app.app_pool().await, sink_mailer(&mail_sink_smtp()), fast_retries());
    let (a, b) = tokio::join!(one.deliver_due(), two.deliver_due());
    let (a, b) = (a.unwrap(), b.unwrap());
    let (c, d) = tokio::join!(one.deliver_due(), two.deliver_due());
    assert_eq!(a + b + c.unwrap() + d.unwrap(), addresses.len(), "every message once");
    assert!(a > 0 && b > 0, "both loops took work: {a} and {b}");
    for to in &addresses {
        wait_for_mail(to, 1).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for to in &addresses {
        assert_eq!(mail_to(to).await.len(), 1, "{to} got exactly one copy");
    }
    assert_eq!(app.count("select count(*) from outbox where status = 'SENT' and attempts = 1").await, 24);
}

/// An SMTP server that takes a message and then never answers, like a sender
/// killed between handing the message over and recording it. Sends the message
/// it received on `got`.
async fn swallowing_sink() -> (String, tokio::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (got, receiver) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let got = got.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 swallow ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            let _ = got.send(std::mem::take(body)).await;
                            // Never answer: the sender waits until it is killed.
                            std::future::pending::<()>().await;
                        }
                        body.push_str(&line);
                        body.push('\n');
                    } else if line.starts_with("EHLO") || line.starts_with("HELO") {
                        write.write_all(b"250 swallow\r\n").await.unwrap();
                    } else if line.starts_with("DATA") {
                        write.write_all(b"354 go on\r\n").await.unwrap();
                        data = Some(String::new());
                    } else {
                        write.write_all(b"250 ok\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (address, receiver)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_sender_killed_mid_send_leaves_the_message_for_the_next_with_the_same_key(db: PgPool) {
    let app = spawn_app(db).await;
    let company = companies_with_empty_outbox(&app, &["acme"]).await[0];
    let pool = app.app_pool().await;
    let to = unique("crash");
    let id = queue(&pool, company, &to, "Survives a crash").await;

    // The first "process": its own pool, a sink that swallows the message.
    let (swallow, mut got) = swallowing_sink().await;
    let doomed_pool = app.app_pool().await;
    let doomed = Delivery::new(doomed_pool.clone(), sink_mailer(&swallow), fast_retries());
    let sending = tokio::spawn(async move { doomed.deliver_due().await });
    let first_copy = tokio::time::timeout(Duration::from_secs(10), got.recv()).await.unwrap().unwrap();
    // Mid-send, the row is locked: another worker skips it.
    let other = Delivery::new(app.app_pool().await, sink_mailer(&mail_sink_smtp()), fast_retries());
    assert_eq!(other.deliver_due().await.unwrap(), 0, "a message being sent is not sent twice");
    // Kill it: the task dies and its connections close, as a killed process's would.
    sending.abort();
    let _ = sending.await;
    doomed_pool.close().await;

    // The restarted process sends it.
    let mut delivered = 0;
    for _ in 0..100 {
        delivered = other.deliver_due().await.unwrap();
        if delivered > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(delivered, 1);
    assert_eq!(outbox_row(&app.db, id).await.0, "SENT");
    let mail = wait_for_mail(&to, 1).await;
    // Both copies carry the same key: the repeat is recognisable.
    let key = id.to_string();
    assert_eq!(mail[0]["headers"]["x-fieldbook-idempotency-key"], json!(key));
    assert!(first_copy.contains(&format!("X-Fieldbook-Idempotency-Key: {key}")), "{first_copy}");
    assert!(first_copy.contains(&format!("Message-ID: <{key}@")), "{first_copy}");
}

/// The link of the newest outbox message for `to` that contains `path`.
pub(crate) async fn mailed_link(db: &PgPool, to: &str, path: &str) -> String {
    let bodies: Vec<String> =
        sqlx::query_scalar("select body_text from outbox where to_address = $1 order by created_at desc")
            .bind(to)
            .fetch_all(db)
            .await
            .unwrap();
    bodies.iter().find_map(|b| link_in(b, path)).unwrap_or_else(|| panic!("no {path} link mailed to {to}"))
}

#[sqlx::test(migrations = "../migrations")]
async fn verification_links_work_once_and_expire_and_unverified_admins_are_held(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up_unverified("acme", "ada@acme.test").await;
    assert_eq!(admin.user["email_verified"], json!(false));
    // Until verified: who-am-I works, the app does not.
    let session = app.rpc_ok(&admin.client, "auth/session", json!({})).await;
    assert_eq!(session["email_verified"], json!(false));
    let held = app.rpc(&admin.client, "jobs/list", json!({ "query": {} })).await;
    assert_eq!(held.status(), StatusCode::FORBIDDEN);
    let body = held.text().await.unwrap();
    assert!(body.contains("email_unverified"), "{body}");

    let first = mailed_link(&app.db, "ada@acme.test", "/verify-email").await;
    assert!(first.starts_with(&app.settings.base_url));
    // Asking again at once is throttled; later it replaces the first link.
    let soon = app.rpc(&admin.client, "auth/resend_verification", json!({})).await;
    assert_eq!(soon.status(), StatusCode::TOO_MANY_REQUESTS);
    sqlx::query("update account_tokens set created_at = now() - interval '5 minutes'").execute(&app.db).await.unwrap();
    app.rpc_ok(&admin.client, "auth/resend_verification", json!({})).await;
    let second = mailed_link(&app.db, "ada@acme.test", "/verify-email").await;
    assert_ne!(first, second);
    let old = app.rpc(&browser(), "auth/verify_email", json!({ "token": token_of(&first) })).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY, "a replaced link is used up");

    // Expired links are refused.
    sqlx::query("update account_tokens set expires_at = now() - interval '1 second' where used_at is null")
        .execute(&app.db)
        .await
        .unwrap();
    let expired = app.rpc(&browser(), "auth/verify_email", json!({ "token": token_of(&second) })).await;
    assert_eq!(expired.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(expired.text().await.unwrap().contains("expired"));
    sqlx::query("update account_tokens set expires_at = now() + interval '1 hour'").execute(&app.db).await.unwrap();

    // The link works once (from any browser), then the app opens.
    let hint = app.rpc_ok(&browser(), "auth/verify_email", json!({ "token": token_of(&second) })).await;
    assert_eq!(hint, json!({ "company_slug": "acme", "email": "ada@acme.test" }));
    let again = app.rpc(&browser(), "auth/verify_email", json!({ "token": token_of(&second) })).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("already used"));
    app.rpc_ok(&admin.client, "jobs/list", json!({ "query": {} })).await;
    let garbage = app.rpc(&browser(), "auth/verify_email", json!({ "token": "not-a-token" })).await;
    assert_eq!(garbage.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn password_reset_answers_alike_works_once_for_an_hour_and_ends_every_session(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@acme.test").await;
    let phone = app.log_in_browser("acme", "ada@acme.test").await;
    let laptop = app.log_in_browser("acme", "ada@acme.test").await;
    let request = |email: &str| json!({ "form": { "workspace": "acme", "email": email } });

    // Same answer for an unknown address and a known one; only the known one gets mail.
    let unknown = app.rpc(&browser(), "auth/request_password_reset", request("nobody@acme.test")).await;
    let known = app.rpc(&browser(), "auth/request_password_reset", request("ada@acme.test")).await;
    assert_eq!((unknown.status(), known.status()), (StatusCode::OK, StatusCode::OK));
    assert_eq!(unknown.text().await.unwrap(), known.text().await.unwrap());
    let nowhere = app
        .rpc(
            &browser(),
            "auth/request_password_reset",
            json!({ "form": { "workspace": "nope", "email": "ada@acme.test" } }),
        )
        .await;
    assert_eq!(nowhere.status(), StatusCode::OK);
    assert_eq!(app.count("select count(*) from outbox where kind = 'account.password_reset'").await, 1);
    let bad = app.rpc(&browser(), "auth/request_password_reset", request("not an email")).await;
    assert_eq!(fields(bad).await, ["email"]);

    let link = mailed_link(&app.db, "ada@acme.test", "/reset-password").await;
    let token = token_of(&link);
    let reset = |password: &str| json!({ "form": { "token": token, "password": password } });
    // The link is valid for one hour.
    let hours: f64 = sqlx::query_scalar(
        "select extract(epoch from expires_at - created_at)::float8 / 3600 from account_tokens where purpose = 'RESET_PASSWORD'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!((hours - 1.0).abs() < 0.01);
    let weak = app.rpc(&browser(), "auth/reset_password", reset("short")).await;
    assert_eq!(fields(weak).await, ["password"]);
    app.rpc_ok(&browser(), "auth/reset_password", reset("a brand new passphrase")).await;

    // Every session ended; the new password works, the old does not; the link is used up.
    for client in [&phone, &laptop] {
        assert_eq!(app.rpc(client, "jobs/list", json!({ "query": {} })).await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.log_in("acme", "ada@acme.test", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in("acme", "ada@acme.test", "a brand new passphrase").await.status(), StatusCode::OK);
    let twice = app.rpc(&browser(), "auth/reset_password", reset("yet another passphrase")).await;
    assert_eq!(fields(twice).await, ["token"]);
    assert_eq!(app.count("select count(*) from outbox where kind = 'account.password_changed'").await, 1);

    // An expired link is refused.
    app.rpc_ok(&browser(), "auth/request_password_reset", request("ada@acme.test")).await;
    let fresh = token_of(&mailed_link(&app.db, "ada@acme.test", "/reset-password").await);
    assert_ne!(fresh, token);
    sqlx::query("update account_tokens set expires_at = now() - interval '1 second' where used_at is null")
        .execute(&app.db)
        .await
        .unwrap();
    let late = app
        .rpc(
            &browser(),
            "auth/reset_password",
            json!({ "form": { "token": fresh, "password": "too late for this one" } }),
        )
        .await;
    assert_eq!(fields(late).await, ["token"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn invitations_create_accounts_once_and_refuse_addresses_already_in_the_company(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await;
    let invite = |email: &str, role: &str, customer: &str| json!({ "form": { "email": email, "role": role, "customer_id": customer } });
    // Someone already in the company cannot be invited; bad input names its field.
    let taken = app.rpc(&admin.client, "users/invite", invite("ada@acme.test", "WORKER", "")).await;
    assert_eq!(fields(taken).await, ["email"]);
    let no_customer = app.rpc(&admin.client, "users/invite", invite("c@acme.test", "CUSTOMER", "")).await;
    assert_eq!(fields(no_customer).await, ["customer_id"]);
    let foreign_customer =
        app.rpc(&admin.client, "users/invite", invite("c@acme.test", "CUSTOMER", &Uuid::new_v4().to_string())).await;
    assert_eq!(fields(foreign_customer).await, ["customer_id"]);
    assert_eq!(app.count("select count(*) from invitations").await, 0);

    let sent = app.rpc_ok(&admin.client, "users/invite", invite("Wes@Acme.test", "WORKER", "")).await;
    assert_eq!(sent["email"], "wes@acme.test");
    let twice = app.rpc(&admin.client, "users/invite", invite("wes@acme.test", "WORKER", "")).await;
    assert_eq!(fields(twice).await, ["email"]);
    let first = token_of(&mailed_link(&app.db, "wes@acme.test", "/invitation").await);
    // Sending again replaces the link.
    let resent = app.rpc_ok(&admin.client, "users/resend_invitation", json!({ "id": sent["id"] })).await;
    assert_eq!(resent["sent_count"], 2);
    let token = token_of(&mailed_link(&app.db, "wes@acme.test", "/invitation").await);
    assert_ne!(first, token);
    let stale = app.rpc(&browser(), "auth/invitation", json!({ "token": first })).await;
    assert_eq!(stale.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let info = app.rpc_ok(&browser(), "auth/invitation", json!({ "token": token })).await;
    assert_eq!((info["email"].as_str(), info["role"].as_str()), (Some("wes@acme.test"), Some("WORKER")));
    let accept = |password: &str| json!({ "form": { "token": token, "name": "Wes Worker", "password": password } });
    let weak = app.rpc(&browser(), "auth/accept_invitation", accept("short")).await;
    assert_eq!(fields(weak).await, ["password"]);
    app.rpc_ok(&browser(), "auth/accept_invitation", accept(PASSWORD)).await;
    let again = app.rpc(&browser(), "auth/accept_invitation", accept(PASSWORD)).await;
    assert_eq!(fields(again).await, ["token"]);
    let worker = app.log_in_browser("acme", "wes@acme.test").await;
    let me = app.rpc_ok(&worker, "auth/session", json!({})).await;
    assert_eq!((me["role"].as_str(), me["email_verified"].as_bool()), (Some("WORKER"), Some(true)));

    // Revoked and expired invitations cannot be used; another company's cannot be touched.
    let other = app.rpc_ok(&admin.client, "users/invite", invite("olga@acme.test", "WORKER", "")).await;
    let olga = token_of(&mailed_link(&app.db, "olga@acme.test", "/invitation").await);
    let bobs = app.sign_up("bobs", "bob@bobs.test").await;
    for endpoint in ["users/revoke_invitation", "users/resend_invitation"] {
        let foreign = app.rpc(&bobs.client, endpoint, json!({ "id": other["id"] })).await;
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    assert!(app.rpc_ok(&bobs.client, "users/invitations", json!({})).await.as_array().unwrap().is_empty());
    let worker_tries = app.rpc(&worker, "users/invite", invite("x@acme.test", "ADMIN", "")).await;
    assert_eq!(worker_tries.status(), StatusCode::FORBIDDEN);
    for (endpoint, args) in [
        ("users/invitations", json!({})),
        ("users/resend_invitation", json!({ "id": other["id"] })),
        ("users/revoke_invitation", json!({ "id": other["id"] })),
        ("outbox/list", json!({ "status": "all" })),
        ("outbox/retry", json!({ "id": Uuid::new_v4() })),
    ] {
        assert_eq!(app.rpc(&worker, endpoint, args).await.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    app.rpc_ok(&admin.client, "users/revoke_invitation", json!({ "id": other["id"] })).await;
    let revoked = app.rpc(&browser(), "auth/invitation", json!({ "token": olga })).await;
    assert!(revoked.text().await.unwrap().contains("withdrawn"));
    let late = app.rpc_ok(&admin.client, "users/invite", invite("late@acme.test", "WORKER", "")).await;
    sqlx::query("update invitations set expires_at = now() - interval '1 second' where id = $1::uuid")
        .bind(late["id"].as_str().unwrap())
        .execute(&app.db)
        .await
        .unwrap();
    let late_token = token_of(&mailed_link(&app.db, "late@acme.test", "/invitation").await);
    let expired = app
        .rpc(
            &browser(),
            "auth/accept_invitation",
            json!({ "form": { "token": late_token, "name": "Late", "password": PASSWORD } }),
        )
        .await;
    assert!(expired.text().await.unwrap().contains("expired"));
    let listed = app.rpc_ok(&admin.client, "users/invitations", json!({})).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "only the open (expired) one");
    assert_eq!(listed[0]["expired"], json!(true));
}

#[sqlx::test(migrations = "../migrations")]
async fn time_and_job_events_notify_the_right_people_in_app_and_by_email(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let log = app.rpc_ok(&s.worker, "time/create", entry(&s.job, &days_ago(2), "08:00", "09:30", "Pump")).await;
    app.rpc_ok(&s.worker, "time/submit", json!({ "ids": [log["id"]] })).await;

    // The customer user and the admin hear of it; the other company does not.
    for client in [&s.customer, &s.admin] {
        let page = app.rpc_ok(client, "notifications/list", json!({})).await;
        let first = &page["items"][0];
        assert_eq!(first["title"], "Walt Worker submitted 1 entry for approval");
        assert_eq!(first["link"], "/app/approvals");
        assert!(first["body"].as_str().unwrap().contains("1:30"));
        assert!(page["unread"].as_i64().unwrap() >= 1);
    }
    let elsewhere = app.rpc_ok(&s.other_admin, "notifications/list", json!({})).await;
    assert!(elsewhere["items"].as_array().unwrap().is_empty());
    let mails =
        |kind: &str, to: &str| format!("select count(*) from outbox where kind = '{kind}' and to_address = '{to}'");
    assert_eq!(app.count(&mails("work_log.submitted", "cora@acme.test")).await, 1);
    assert_eq!(app.count(&mails("work_log.submitted", "admin@acme.test")).await, 1);
    let text: String = sqlx::query_scalar(
        "select body_text from outbox where to_address = 'cora@acme.test' and kind = 'work_log.submitted'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        text.contains("Company acme on Fieldbook")
            && text.contains(&format!("{}/app/approvals", app.settings.base_url))
    );
    let unsubscribe = link_in(&text, "/unsubscribe").expect("non-essential mail has an unsubscribe link");

    // Declining tells the worker, with the reason; the link goes to the entry.
    app.rpc_ok(&s.customer, "time/decide", json!({ "ids": [log["id"]], "approve": false, "reason": "Wrong day" }))
        .await;
    let page = app.rpc_ok(&s.worker, "notifications/list", json!({})).await;
    let declined = &page["items"][0];
    assert_eq!(declined["title"], "Cora declined 1 entry of your time");
    assert!(declined["body"].as_str().unwrap().contains("Wrong day"));
    assert_eq!(declined["link"], json!(format!("/app/time/{}", log["id"].as_str().unwrap())));
    assert_eq!(app.count(&mails("work_log.declined", "walt@acme.test")).await, 1);

    // Unsubscribing (no sign-in) stops that kind of email but not the notification.
    let done = app.rpc_ok(&browser(), "notifications/unsubscribe", json!({ "token": token_of(&unsubscribe) })).await;
    assert_eq!(done["email"], "cora@acme.test");
    let prefs = app.rpc_ok(&s.customer, "notifications/preferences", json!({})).await;
    assert_eq!(prefs["submitted"], json!(false));
    let forged =
        app.rpc(&browser(), "notifications/unsubscribe", json!({ "token": "eyJhbGciOiJIUzI1NiJ9.e30.x" })).await;
    assert_eq!(fields(forged).await, ["token"]);
    app.rpc_ok(
        &s.worker,
        "time/update",
        json!({ "id": log["id"], "form": entry(&s.job, &days_ago(3), "08:00", "09:30", "Pump")["form"] }),
    )
    .await;
    app.rpc_ok(&s.worker, "time/submit", json!({ "ids": [log["id"]] })).await;
    assert_eq!(app.count(&mails("work_log.submitted", "cora@acme.test")).await, 1, "no new email after unsubscribing");
    let cora = app.rpc_ok(&s.customer, "notifications/list", json!({})).await;
    assert_eq!(cora["items"].as_array().unwrap().len(), 2, "still notified in the app");

    // Assigning a job tells the new worker (in the app and by email), the worker's
    // email settings decide the email.
    let olga_id: String = sqlx::query_scalar("select id::text from users where email = 'olga@acme.test'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.rpc_ok(
        &s.other_worker,
        "notifications/save_preferences",
        json!({ "preferences": { "submitted": true, "decided": true, "assigned": false } }),
    )
    .await;
    app.rpc_ok(&s.admin, "jobs/assign", json!({ "id": s.job, "worker_id": olga_id })).await;
    let olga = app.rpc_ok(&s.other_worker, "notifications/list", json!({})).await;
    assert_eq!(olga["items"][0]["title"], "You were assigned to “Fix the pump”");
    assert_eq!(olga["items"][0]["link"], json!(format!("/app/jobs/{}", s.job)));
    assert_eq!(
        app.count(&mails("job.assigned", "olga@acme.test")).await,
        1,
        "only the first job's, made before opting out"
    );
    assert_eq!(app.count(&mails("job.assigned", "walt@acme.test")).await, 1);

    // Mark one read, then all; another user's notification is not found.
    let id = olga["items"][0]["id"].clone();
    let before = olga["unread"].as_i64().unwrap();
    let after = app.rpc_ok(&s.other_worker, "notifications/mark_read", json!({ "id": id })).await;
    assert_eq!(after.as_i64().unwrap(), before - 1);
    for intruder in [&s.worker, &s.other_admin] {
        let foreign = app.rpc(intruder, "notifications/mark_read", json!({ "id": id })).await;
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(app.rpc_ok(&s.admin, "notifications/mark_all_read", json!({})).await, json!(0));
    assert_eq!(app.rpc_ok(&s.admin, "notifications/unread", json!({})).await, json!(0));
    let anonymous = app.rpc(&browser(), "notifications/list", json!({})).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let not_admin = app.rpc(&s.worker, "outbox/list", json!({ "status": "all" })).await;
    assert_eq!(not_admin.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn notifications_page_newest_first(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@acme.test").await;
    let user_id: Uuid =
        sqlx::query_scalar("select id from users where email = 'ada@acme.test'").fetch_one(&app.db).await.unwrap();
    let company = company_id(&app.db, "acme").await;
    for i in 0..45 {
        sqlx::query(
            "insert into notifications (company_id, user_id, kind, title, link) values ($1, $2, 'test', $3, '/app')",
        )
        .bind(company)
        .bind(user_id)
        .bind(format!("Number {i}"))
        .execute(&app.db)
        .await
        .unwrap();
    }
    let mut titles = Vec::new();
    let mut before = Value::Null;
    loop {
        let page = app.rpc_ok(&admin.client, "notifications/list", json!({ "before": before })).await;
        titles.extend(page["items"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().to_string()));
        before = page["next_before"].clone();
        if before.is_null() {
            break;
        }
    }
    let expected: Vec<String> = (0..45).rev().map(|i| format!("Number {i}")).collect();
    assert_eq!(titles, expected);
}

/// Reads server-sent events from a response until one named `event` arrives.
async fn next_event(response: &mut reqwest::Response, buffer: &mut String, event: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event:")).map(str::trim).unwrap_or("message");
            let data = block.lines().find_map(|l| l.strip_prefix("data:")).map(str::trim).unwrap_or("null");
            if name == event {
                return serde_json::from_str(data).unwrap();
            }
        }
        let chunk = tokio::time::timeout_at(deadline, response.chunk()).await.expect("event in time").unwrap().unwrap();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn live_notifications_cross_server_processes_and_replay_after_a_reconnect(db: PgPool) {
    let s = setup(db.clone()).await;
    // A second server process on the same database.
    let second = spawn_app(db).await;
    let customer = second.log_in_browser("acme", "cora@acme.test").await;
    let mut stream = customer.get(second.url("/events/notifications")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(stream.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut buffer = String::new();
    next_event(&mut stream, &mut buffer, "ready").await;

    // The worker submits on the first server; the customer's stream on the second hears it.
    let log = s.app.rpc_ok(&s.worker, "time/create", entry(&s.job, &days_ago(1), "10:00", "11:00", "Valve")).await;
    s.app.rpc_ok(&s.worker, "time/submit", json!({ "ids": [log["id"]] })).await;
    let live = next_event(&mut stream, &mut buffer, "notification").await;
    assert_eq!(live["title"], "Walt Worker submitted 1 entry for approval");
    let seen = live["id"].as_i64().unwrap();
    drop(stream);

    // While disconnected, more happens; reconnecting with Last-Event-ID replays it.
    let other = s.app.rpc_ok(&s.worker, "time/create", entry(&s.job, &days_ago(1), "12:00", "13:00", "Seal")).await;
    s.app.rpc_ok(&s.worker, "time/submit", json!({ "ids": [other["id"]] })).await;
    let mut again = customer
        .get(second.url("/events/notifications"))
        .header("Last-Event-ID", seen.to_string())
        .send()
        .await
        .unwrap();
    let mut buffer = String::new();
    let missed = next_event(&mut again, &mut buffer, "notification").await;
    assert!(missed["id"].as_i64().unwrap() > seen);
    assert!(missed["body"].as_str().unwrap().contains("Seal") || missed["body"].as_str().unwrap().contains("1:00"));

    // Nobody else's: the other company's admin gets nothing, strangers are refused.
    let anonymous = browser().get(second.url("/events/notifications")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let mut theirs = s.other_admin.get(s.app.url("/events/notifications")).send().await.unwrap();
    let mut buffer = String::new();
    next_event(&mut theirs, &mut buffer, "ready").await;
    let third = s.app.rpc_ok(&s.worker, "time/create", entry(&s.job, &days_ago(1), "14:00", "15:00", "Tap")).await;
    s.app.rpc_ok(&s.worker, "time/submit", json!({ "ids": [third["id"]] })).await;
    let quiet = tokio::time::timeout(Duration::from_millis(1500), theirs.chunk()).await;
    match quiet {
        Err(_) => {}
        Ok(chunk) => {
            let text = String::from_utf8_lossy(&chunk.unwrap().unwrap_or_default()).to_string();
            assert!(!text.contains("notification"), "another company's event leaked: {text}");
        }
    }
}
