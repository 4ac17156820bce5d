//! The public REST API: API keys (made once, scoped, limited, revocable, acting as
//! themselves), the resources with ETag / If-Match, Idempotency-Key and cursor paging,
//! cross-tenant 404s, and the OpenAPI document and docs page.

use crate::common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeSet;

pub(crate) async fn make_key(
    app: &TestApp,
    admin: &Client,
    name: &str,
    scopes: &[&str],
    limit: &str,
) -> (String, String) {
    let made = app
        .rpc_ok(
            admin,
            "api_keys/create",
            json!({ "form": { "name": name, "scopes": scopes, "expires_on": "", "requests_per_minute": limit } }),
        )
        .await;
    (made["secret"].as_str().unwrap().to_string(), made["key"]["id"].as_str().unwrap().to_string())
}

pub(crate) async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = api_client().request(method, app.url(path)).bearer_auth(key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request")
}

async fn status_of(app: &TestApp, key: &str, name: &str) -> String {
    let statuses: Value = call(app, Method::GET, "/api/v1/job-statuses", key, None).await.json().await.unwrap();
    statuses.as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()["id"].as_str().unwrap().to_string()
}

fn job_body(customer_id: &str, status_id: &str, title: &str) -> Value {
    json!({ "customer_id": customer_id, "title": title, "description": "", "scheduled_date": "2026-12-10",
            "scheduled_time": "09:00", "worker_id": "", "status_id": status_id, "tasks": ["Measure"] })
}

#[sqlx::test(migrations = "../migrations")]
async fn api_keys_are_shown_once_scoped_revocable_and_act_as_themselves(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let admin = &acme.client;
    let (key, key_id) = make_key(&app, admin, "Website form", &["jobs:write", "customers:read"], "").await;
    assert!(key.starts_with("fbk_") && key.len() > 60, "{key}");

    // The list shows the prefix, scopes, maker and limit, never the secret; the database holds only a hash.
    let listed = app.rpc_ok(admin, "api_keys/list", json!({})).await;
    let row = &listed["keys"][0];
    assert_eq!(row["name"], "Website form");
    assert!(key.starts_with(row["prefix"].as_str().unwrap()));
    assert_eq!(row["scopes"], json!(["jobs:write", "customers:read"]));
    assert_eq!(row["requests_per_minute"], 300);
    assert_eq!(row["created_by_name"], "Ada Admin");
    assert!(row["last_used_label"].is_null());
    assert!(!listed.to_string().contains(&key[12..]), "the secret is never listed");
    let stored: i64 = sqlx::query_scalar("select count(*) from api_keys where secret_hash = sha256($1::bytea)")
        .bind(key.as_bytes())
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "stored as its SHA-256");

    // Field errors name each field.
    let bad = app
        .rpc(admin, "api_keys/create", json!({ "form": { "name": "", "scopes": ["jobs:admin"], "expires_on": "2020-01-01", "requests_per_minute": "0" } }))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&bad.json().await.unwrap()), ["name", "scopes", "expires_on", "requests_per_minute"]);

    // Within its scopes it works, and says where it stands.
    let customer = app
        .rpc_ok(
            admin,
            "customers/create",
            json!({ "form": { "name": "Miller Farm", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let customer_id = customer["id"].as_str().unwrap();
    let listed = call(&app, Method::GET, "/api/v1/customers", &key, None).await;
    assert_eq!(listed.status(), StatusCode::OK);
    assert_eq!(listed.headers()["ratelimit-limit"], "300");
    assert_eq!(listed.headers()["ratelimit-remaining"], "299");
    let status = status_of(&app, &key, "New").await;
    let created = call(&app, Method::POST, "/api/v1/jobs", &key, Some(job_body(customer_id, &status, "Gate"))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let job: Value = created.json().await.unwrap();

    // Outside them: 403; where keys are no credential at all (server functions, pages, sessions): 401.
    let write_customer = call(
        &app,
        Method::POST,
        "/api/v1/customers",
        &key,
        Some(json!({ "name": "X", "email": "", "phone": "", "address": "" })),
    )
    .await;
    assert_eq!(write_customer.status(), StatusCode::FORBIDDEN);
    assert_eq!(call(&app, Method::GET, "/api/v1/audit-log", &key, None).await.status(), StatusCode::FORBIDDEN);
    let rpc = api_client().post(app.url("/rpc/jobs/overview")).bearer_auth(&key).json(&json!({})).send().await.unwrap();
    assert_eq!(rpc.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.me(&key).await, StatusCode::UNAUTHORIZED);

    // The audit log names the key, not the admin who made it.
    let actor: (Option<String>, Option<String>) = sqlx::query_as(
        "select actor_user_id::text, actor_api_key_id::text from audit_log where action = 'job.created' and entity_id = $1::uuid",
    )
    .bind(job["id"].as_str().unwrap())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(actor, (None, Some(key_id.clone())));
    let log = app.rpc_ok(admin, "audit/list", json!({ "query": { "action": "job.created" } })).await;
    assert_eq!(log["entries"][0]["actor"], "API key \u{201c}Website form\u{201d}");
    let history = app.rpc_ok(admin, "jobs/history", json!({ "job_id": job["id"] })).await;
    assert!(history.to_string().contains("API key"), "{history}");
    let used = app.rpc_ok(admin, "api_keys/list", json!({})).await;
    assert!(used["keys"][0]["last_used_label"].is_string());

    // People who are not admins make no keys; a revoked or expired key opens nothing.
    app.create_user(admin, "Walt Worker", "walt@acme.test", "WORKER").await;
    let worker = app.log_in_browser("acme", "walt@acme.test").await;
    assert_eq!(app.rpc(&worker, "api_keys/list", json!({})).await.status(), StatusCode::FORBIDDEN);
    let (expiring, expiring_id) = make_key(&app, admin, "Old", &["jobs:read"], "").await;
    sqlx::query("update api_keys set expires_at = now() - interval '1 second' where id = $1::uuid")
        .bind(&expiring_id)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(call(&app, Method::GET, "/api/v1/jobs", &expiring, None).await.status(), StatusCode::UNAUTHORIZED);
    let after = app.rpc_ok(admin, "api_keys/revoke", json!({ "id": key_id })).await;
    let revoked = after["keys"].as_array().unwrap().iter().find(|k| k["id"] == key_id.as_str()).unwrap().clone();
    assert_eq!((revoked["revoked"].clone(), revoked["usable"].clone()), (json!(true), json!(false)));
    assert_eq!(call(&app, Method::GET, "/api/v1/jobs", &key, None).await.status(), StatusCode::UNAUTHORIZED);
    let forged = format!("{}x{}", &key[..20], &key[21..]);
    assert_eq!(call(&app, Method::GET, "/api/v1/jobs", &forged, None).await.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_key_of_one_company_finds_nothing_of_another(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let (acme_key, acme_key_id) =
        make_key(&app, &acme.client, "Acme sync", &["jobs:write", "customers:write"], "").await;
    let customer = call(
        &app,
        Method::POST,
        "/api/v1/customers",
        &acme_key,
        Some(json!({ "name": "Miller", "email": "", "phone": "", "address": "" })),
    )
    .await;
    let customer: Value = customer.json().await.unwrap();
    let customer_id = customer["id"].as_str().unwrap().to_string();
    let status = status_of(&app, &acme_key, "New").await;
    let job: Value = call(&app, Method::POST, "/api/v1/jobs", &acme_key, Some(job_body(&customer_id, &status, "Gate")))
        .await
        .json()
        .await
        .unwrap();
    let job_id = job["id"].as_str().unwrap().to_string();
    let task_id = job["tasks"][0]["id"].as_str().unwrap().to_string();

    let globex = app.sign_up("globex", "gil@globex.test").await;
    let (key, _) = make_key(&app, &globex.client, "Globex", &["jobs:write", "customers:write", "users:read"], "").await;
    let globex_status = status_of(&app, &key, "New").await;
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/jobs/{job_id}"), None),
        (Method::PUT, format!("/api/v1/jobs/{job_id}"), Some(job_body(&customer_id, &globex_status, "Mine now"))),
        (Method::PUT, format!("/api/v1/jobs/{job_id}/status"), Some(json!({ "status_id": globex_status }))),
        (Method::PUT, format!("/api/v1/jobs/{job_id}/assignment"), Some(json!({ "worker_id": null }))),
        (Method::PUT, format!("/api/v1/jobs/{job_id}/archived"), Some(json!({ "archived": true }))),
        (Method::POST, format!("/api/v1/jobs/{job_id}/tasks"), Some(json!({ "title": "Sneak" }))),
        (Method::PUT, format!("/api/v1/jobs/{job_id}/tasks/{task_id}"), Some(json!({ "title": "Sneak" }))),
        (Method::PUT, format!("/api/v1/jobs/{job_id}/tasks/{task_id}/completed"), Some(json!({ "completed": true }))),
        (Method::DELETE, format!("/api/v1/jobs/{job_id}/tasks/{task_id}"), None),
        (Method::POST, format!("/api/v1/jobs/{job_id}/notes"), Some(json!({ "body": "hi", "visibility": "INTERNAL" }))),
        (Method::GET, format!("/api/v1/customers/{customer_id}"), None),
        (
            Method::PUT,
            format!("/api/v1/customers/{customer_id}"),
            Some(json!({ "name": "Mine", "email": "", "phone": "", "address": "" })),
        ),
        (Method::PUT, format!("/api/v1/customers/{customer_id}/active"), Some(json!({ "active": false }))),
    ];
    for (method, path, body) in routes {
        let mut request = api_client().request(method.clone(), app.url(&path)).bearer_auth(&key);
        if path.ends_with(&job_id) || path.ends_with(&customer_id) {
            request = request.header("if-match", "\"1\"");
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        // A job that names Acme's customer is refused as a bad reference before it is looked up.
        assert!(
            status == StatusCode::NOT_FOUND || (status == StatusCode::UNPROCESSABLE_ENTITY && path.ends_with(&job_id)),
            "{method} {path}: {status}"
        );
    }
    let jobs: Value = call(&app, Method::GET, "/api/v1/jobs", &key, None).await.json().await.unwrap();
    assert_eq!(jobs["jobs"], json!([]));
    let customers: Value = call(&app, Method::GET, "/api/v1/customers", &key, None).await.json().await.unwrap();
    assert_eq!(customers["customers"], json!([]));
    let log: Value = call(&app, Method::GET, "/api/v1/audit-log", &key, None).await.json().await.unwrap();
    assert!(!log.to_string().contains(&job_id), "Acme's changes are not in Globex's log");
    // Nor can Globex's admin revoke Acme's key.
    let revoke = app.rpc(&globex.client, "api_keys/revoke", json!({ "id": acme_key_id })).await;
    assert_eq!(revoke.status(), StatusCode::NOT_FOUND);
    assert_eq!(call(&app, Method::GET, "/api/v1/jobs", &acme_key, None).await.status(), StatusCode::OK);
    // Untouched.
    let job_now: Value =
        call(&app, Method::GET, &format!("/api/v1/jobs/{job_id}"), &acme_key, None).await.json().await.unwrap();
    assert_eq!(
        (job_now["title"].clone(), job_now["version"].clone(), job_now["notes"].clone()),
        (json!("Gate"), json!(1), json!([]))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn resources_update_by_version_replay_by_key_and_page_by_cursor(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let (token, _) = app.api_login("acme", "ada@acme.test", PASSWORD).await;

    // Idempotent create: the same key twice makes one customer and answers the same.
    let idempotency = uuid::Uuid::new_v4().to_string();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = api_client()
            .post(app.url("/api/v1/customers"))
            .bearer_auth(&token)
            .header("idempotency-key", &idempotency)
            .json(&json!({ "name": "Miller Farm", "email": "", "phone": "", "address": "" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert!(response.headers()["location"].to_str().unwrap().starts_with("/api/v1/customers/"));
        answers.push(response.json::<Value>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(app.count("select count(*) from customers").await, 1);
    let customer_id = answers[0]["id"].as_str().unwrap().to_string();
    let malformed = api_client()
        .post(app.url("/api/v1/customers"))
        .bearer_auth(&token)
        .header("idempotency-key", "nope")
        .json(&json!({ "name": "X", "email": "", "phone": "", "address": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&malformed.json().await.unwrap()), ["idempotency_key"]);

    // Bad input: field errors as problem details; a body that is not JSON: 400.
    let status = status_of(&app, &token, "New").await;
    let invalid = call(&app, Method::POST, "/api/v1/jobs", &token, Some(job_body(&customer_id, &status, ""))).await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.headers()["content-type"], "application/problem+json");
    assert_eq!(error_fields(&invalid.json().await.unwrap()), ["title"]);
    let not_json = api_client()
        .post(app.url("/api/v1/jobs"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    let bad_filter = call(&app, Method::GET, "/api/v1/jobs?status=nope&sort=best", &token, None).await;
    assert_eq!(bad_filter.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&bad_filter.json().await.unwrap()), ["sort"]);
    assert_eq!(app.count("select count(*) from jobs").await, 0);

    // ETag / If-Match: 428 without, 200 with the current version, 412 with a stale one.
    let created = call(&app, Method::POST, "/api/v1/jobs", &token, Some(job_body(&customer_id, &status, "Gate"))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()["etag"], "\"1\"");
    let job: Value = created.json().await.unwrap();
    let job_path = format!("/api/v1/jobs/{}", job["id"].as_str().unwrap());
    let read = call(&app, Method::GET, &job_path, &token, None).await;
    assert_eq!(read.headers()["etag"], "\"1\"");
    let edit = job_body(&customer_id, &status, "Gate and fence");
    let unconditional = call(&app, Method::PUT, &job_path, &token, Some(edit.clone())).await;
    assert_eq!(unconditional.status(), StatusCode::PRECONDITION_REQUIRED);
    let put = |version: &str| {
        api_client().put(app.url(&job_path)).bearer_auth(&token).header("if-match", version).json(&edit).send()
    };
    let saved = put("\"1\"").await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(saved.headers()["etag"], "\"2\"");
    let stale = put("\"1\"").await.unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.headers()["content-type"], "application/problem+json");
    let customer_put = api_client()
        .put(app.url(&format!("/api/v1/customers/{customer_id}")))
        .bearer_auth(&token)
        .header("if-match", "\"7\"")
        .json(&json!({ "name": "Miller", "email": "", "phone": "", "address": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(customer_put.status(), StatusCode::PRECONDITION_FAILED);
    let customer_put = api_client()
        .put(app.url(&format!("/api/v1/customers/{customer_id}")))
        .bearer_auth(&token)
        .header("if-match", "\"1\"")
        .json(&json!({ "name": "Miller", "email": "", "phone": "", "address": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(customer_put.status(), StatusCode::OK);
    assert_eq!(customer_put.headers()["etag"], "\"2\"");

    // Tasks, notes, status, assignment and archiving through their own routes.
    let worker_id = app.create_user(&acme.client, "Walt Worker", "walt@acme.test", "WORKER").await;
    let task_id = job["tasks"][0]["id"].as_str().unwrap().to_string();
    let added = call(&app, Method::POST, &format!("{job_path}/tasks"), &token, Some(json!({ "title": "Paint" }))).await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let ticked: Value = call(
        &app,
        Method::PUT,
        &format!("{job_path}/tasks/{task_id}/completed"),
        &token,
        Some(json!({ "completed": true })),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(ticked["tasks"][0]["is_completed"], true);
    let renamed: Value = call(
        &app,
        Method::PUT,
        &format!("{job_path}/tasks/{task_id}"),
        &token,
        Some(json!({ "title": "Measure twice" })),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(renamed["tasks"][0]["title"], "Measure twice");
    let deleted: Value =
        call(&app, Method::DELETE, &format!("{job_path}/tasks/{task_id}"), &token, None).await.json().await.unwrap();
    assert_eq!(deleted["tasks"].as_array().unwrap().len(), 1);
    let noted = call(
        &app,
        Method::POST,
        &format!("{job_path}/notes"),
        &token,
        Some(json!({ "body": "Gate code 1234", "visibility": "INTERNAL" })),
    )
    .await;
    assert_eq!(noted.status(), StatusCode::CREATED);
    let done = status_of(&app, &token, "Done").await;
    let moved: Value =
        call(&app, Method::PUT, &format!("{job_path}/status"), &token, Some(json!({ "status_id": done })))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(moved["status"]["name"], "Done");
    let assigned: Value =
        call(&app, Method::PUT, &format!("{job_path}/assignment"), &token, Some(json!({ "worker_id": worker_id })))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(assigned["worker_name"], "Walt Worker");
    let archived: Value =
        call(&app, Method::PUT, &format!("{job_path}/archived"), &token, Some(json!({ "archived": true })))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(archived["is_archived"], true);

    // The worker reads their job, not the list (admins only).
    let (worker_token, _) = app.api_login("acme", "walt@acme.test", PASSWORD).await;
    assert_eq!(call(&app, Method::GET, &job_path, &worker_token, None).await.status(), StatusCode::OK);
    assert_eq!(call(&app, Method::GET, "/api/v1/jobs", &worker_token, None).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        call(
            &app,
            Method::POST,
            "/api/v1/customers",
            &worker_token,
            Some(json!({ "name": "X", "email": "", "phone": "", "address": "" }))
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );

    // Cursor paging: 55 jobs over two pages of the list, each once, following Link.
    for n in 0..54 {
        let response = call(
            &app,
            Method::POST,
            "/api/v1/jobs",
            &token,
            Some(job_body(&customer_id, &status, &format!("Job {n:02}"))),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let mut seen = BTreeSet::new();
    let mut path = "/api/v1/jobs?archived=false&sort=title".to_string();
    let mut pages = 0;
    loop {
        let response = call(&app, Method::GET, &path, &token, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let link = response.headers().get("link").map(|l| l.to_str().unwrap().to_string());
        let body: Value = response.json().await.unwrap();
        for job in body["jobs"].as_array().unwrap() {
            assert!(seen.insert(job["id"].as_str().unwrap().to_string()), "no job twice");
        }
        pages += 1;
        match link {
            Some(link) => path = link.trim_start_matches('<').split('>').next().unwrap().to_string(),
            None => break,
        }
    }
    assert_eq!((pages, seen.len()), (2, 54), "54 current jobs (the first is archived)");
    for n in 0..26 {
        call(
            &app,
            Method::POST,
            "/api/v1/customers",
            &token,
            Some(json!({ "name": format!("Customer {n:02}"), "email": "", "phone": "", "address": "" })),
        )
        .await;
    }
    let first = call(&app, Method::GET, "/api/v1/customers", &token, None).await;
    let link = first.headers()["link"].to_str().unwrap().to_string();
    let first: Value = first.json().await.unwrap();
    let next_path = link.trim_start_matches('<').split('>').next().unwrap().to_string();
    let second: Value = call(&app, Method::GET, &next_path, &token, None).await.json().await.unwrap();
    assert_eq!(first["customers"].as_array().unwrap().len() + second["customers"].as_array().unwrap().len(), 27);
    assert!(second["next"].is_null());
    let broken = call(&app, Method::GET, "/api/v1/customers?after=%%%", &token, None).await;
    assert_eq!(error_fields(&broken.json().await.unwrap()), ["after"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_key_past_its_limit_gets_429_with_when_to_retry(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let (key, _) = make_key(&app, &acme.client, "Tight", &["jobs:read"], "3").await;
    let (other, _) = make_key(&app, &acme.client, "Other", &["jobs:read"], "").await;
    // A burst in parallel: exactly the limit gets through.
    let burst =
        futures_util::future::join_all((0..8).map(|_| call(&app, Method::GET, "/api/v1/job-statuses", &key, None)))
            .await;
    let ok = burst.iter().filter(|r| r.status() == StatusCode::OK).count();
    let refused: Vec<&reqwest::Response> =
        burst.iter().filter(|r| r.status() == StatusCode::TOO_MANY_REQUESTS).collect();
    assert_eq!((ok, refused.len()), (3, 5));
    let refusal = refused[0];
    assert_eq!(refusal.headers()["ratelimit-limit"], "3");
    assert_eq!(refusal.headers()["ratelimit-remaining"], "0");
    let retry: u64 = refusal.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(refusal.headers()["content-type"], "application/problem+json");
    // Each key has its own budget.
    assert_eq!(call(&app, Method::GET, "/api/v1/job-statuses", &other, None).await.status(), StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_and_the_docs_page_are_served(db: PgPool) {
    let app = spawn_app(db).await;
    let served = api_client().get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let served = served.text().await.unwrap();
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json")).unwrap();
    assert_eq!(served, committed);
    let page = api_client().get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self';") && !csp.contains("http"), "{csp}");
    let html = page.text().await.unwrap();
    for asset in ["/api/docs/swagger-ui-5.35.0.js", "/api/docs/swagger-ui-5.35.0.css", "/api/docs/start.js"] {
        assert!(html.contains(asset));
        let response = api_client().get(app.url(asset)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn people_are_listed_added_and_changed_through_the_api(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let (reader, _) = make_key(&app, &acme.client, "Directory", &["users:read"], "").await;
    let (writer, _) = make_key(&app, &acme.client, "HR sync", &["users:write"], "").await;
    let person = json!({ "name": "Walt Worker", "email": "walt@acme.test", "role": "WORKER", "password": PASSWORD });
    assert_eq!(
        call(&app, Method::POST, "/api/v1/users", &reader, Some(person.clone())).await.status(),
        StatusCode::FORBIDDEN
    );
    let bad = call(
        &app,
        Method::POST,
        "/api/v1/users",
        &writer,
        Some(json!({ "name": "", "email": "x", "role": "BOSS", "password": "" })),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let made = call(&app, Method::POST, "/api/v1/users", &writer, Some(person)).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let walt: Value = made.json().await.unwrap();
    let walt_id = walt["id"].as_str().unwrap().to_string();

    let workers: Value =
        call(&app, Method::GET, "/api/v1/users?role=WORKER", &reader, None).await.json().await.unwrap();
    let names: Vec<&str> = workers["users"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Walt Worker"]);
    let bad_filter = call(&app, Method::GET, "/api/v1/users?role=BOSS&status=gone", &reader, None).await;
    assert_eq!(error_fields(&bad_filter.json().await.unwrap()), ["status"]);

    let promoted: Value =
        call(&app, Method::PUT, &format!("/api/v1/users/{walt_id}/role"), &writer, Some(json!({ "role": "ADMIN" })))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(promoted["role"], "ADMIN");
    let off =
        call(&app, Method::PUT, &format!("/api/v1/users/{walt_id}/active"), &writer, Some(json!({ "active": false })))
            .await;
    assert_eq!(off.status(), StatusCode::OK);
    let gone: Value =
        call(&app, Method::GET, "/api/v1/users?status=deactivated", &reader, None).await.json().await.unwrap();
    assert_eq!(gone["users"][0]["id"], walt_id.as_str());

    // A worker's own token is refused; only admins manage people.
    app.create_user(&acme.client, "Wendy Worker", "wendy@acme.test", "WORKER").await;
    let (wendy, _) = app.api_login("acme", "wendy@acme.test", PASSWORD).await;
    assert_eq!(call(&app, Method::GET, "/api/v1/users", &wendy, None).await.status(), StatusCode::FORBIDDEN);
    let promote =
        call(&app, Method::PUT, &format!("/api/v1/users/{walt_id}/role"), &wendy, Some(json!({ "role": "ADMIN" })))
            .await;
    assert_eq!(promote.status(), StatusCode::FORBIDDEN);

    // Another company's key reaches none of Acme's people.
    let globex = app.sign_up("globex", "gil@globex.test").await;
    let (theirs, _) = make_key(&app, &globex.client, "Globex", &["users:write"], "").await;
    for (path, body) in [("role", json!({ "role": "WORKER" })), ("active", json!({ "active": true }))] {
        let response = call(&app, Method::PUT, &format!("/api/v1/users/{walt_id}/{path}"), &theirs, Some(body)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let listed: Value = call(&app, Method::GET, "/api/v1/users?status=all", &theirs, None).await.json().await.unwrap();
    assert!(!listed.to_string().contains("acme.test"));
}
