//! The public REST API beyond jobs and customers: time entries from logging to
//! approval (ETag / If-Match, Idempotency-Key, cursor paging, who may do what),
//! monthly reports by `Accept`, contracts with usage, the company's settings, a
//! person's notifications, and webhook endpoints managed by key.

use crate::common::*;
use crate::public_api::{call, make_key};
use crate::time::{days_ago, insert_log, setup};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeSet;

fn entry(job: &str, date: &str, start: &str, end: &str, description: &str) -> Value {
    json!({ "job_id": job, "date": date, "start": start, "end": end, "duration": "", "break_minutes": "",
            "description": description, "billable": true })
}

async fn list_logs(app: &TestApp, token: &str, query: &str) -> Value {
    json_of(call(app, Method::GET, &format!("/api/v1/work-logs{query}"), token, None).await).await
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("a JSON body")
}

#[sqlx::test(migrations = "../migrations")]
async fn time_entries_go_from_logging_to_approval_through_the_api(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let (walt, _) = app.api_login("acme", "walt@acme.test", PASSWORD).await;
    let (olga, _) = app.api_login("acme", "olga@acme.test", PASSWORD).await;
    let (cora, _) = app.api_login("acme", "cora@acme.test", PASSWORD).await;
    let (office, _) = make_key(app, &s.admin, "Payroll", &["time:write"], "").await;
    let (reader, _) = make_key(app, &s.admin, "Reader", &["time:read"], "").await;
    let date = days_ago(3);

    // A worker logs time; a retry with the same Idempotency-Key answers the first result.
    let idempotency = uuid::Uuid::new_v4().to_string();
    let post = |body: Value| {
        api_client()
            .post(app.url("/api/v1/work-logs"))
            .bearer_auth(&walt)
            .header("Idempotency-Key", &idempotency)
            .json(&body)
            .send()
    };
    let first = post(entry(&s.job, &date, "08:00", "10:00", "Pump")).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(first.headers()["etag"], "\"1\"");
    let location = first.headers()["location"].to_str().unwrap().to_string();
    let log: Value = json_of(first).await;
    let id = log["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/work-logs/{id}"));
    assert_eq!((log["minutes"].as_i64(), log["status"].as_str()), (Some(120), Some("DRAFT")));
    let again: Value = json_of(post(entry(&s.job, &date, "08:00", "10:00", "Pump")).await.unwrap()).await;
    assert_eq!(again["id"], log["id"]);
    assert_eq!(app.count("select count(*) from work_logs").await, 1);

    // Bad input: field errors naming each field, nothing written.
    let bad =
        call(app, Method::POST, "/api/v1/work-logs", &walt, Some(entry("nope", "2026-13-45", "25:00", "", "x"))).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(&json_of(bad).await);
    assert!(fields.contains(&"job_id".to_string()) && fields.contains(&"date".to_string()), "{fields:?}");
    assert_eq!(app.count("select count(*) from work_logs").await, 1);
    // Keys act for the admin who made them, and admins do not log time.
    let by_key =
        call(app, Method::POST, "/api/v1/work-logs", &office, Some(entry(&s.job, &date, "11:00", "12:00", "")));
    assert_eq!(by_key.await.status(), StatusCode::FORBIDDEN);
    let read_only = call(app, Method::POST, "/api/v1/work-logs/approve", &reader, Some(json!({ "ids": [id] })));
    assert_eq!(read_only.await.status(), StatusCode::FORBIDDEN);

    // Updates go by version: none 428, stale 412, current 200 with the next ETag.
    let path = format!("/api/v1/work-logs/{id}");
    let put = |version: Option<&str>, end: &str| {
        let mut request = api_client().put(app.url(&path)).bearer_auth(&walt);
        if let Some(version) = version {
            request = request.header("If-Match", version);
        }
        request.json(&entry(&s.job, &date, "08:00", end, "Pump and valve")).send()
    };
    assert_eq!(put(None, "10:30").await.unwrap().status(), StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(put(Some("\"7\""), "10:30").await.unwrap().status(), StatusCode::PRECONDITION_FAILED);
    let saved = put(Some("\"1\""), "10:30").await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(saved.headers()["etag"], "\"2\"");
    assert_eq!(json_of(saved).await["minutes"], 150);
    let read = call(app, Method::GET, &path, &reader, None).await;
    assert_eq!(read.headers()["etag"], "\"2\"");
    assert!(json_of(read).await["history"].as_array().unwrap().len() >= 2);

    // Who sees what: the worker their own, a colleague nothing, the customer nothing while it is a draft.
    let ids_of = |body: &Value| -> Vec<String> {
        body["work_logs"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids_of(&list_logs(app, &walt, "").await), [id.as_str()]);
    assert!(ids_of(&list_logs(app, &olga, "").await).is_empty());
    assert!(ids_of(&list_logs(app, &cora, "").await).is_empty());
    assert_eq!(call(app, Method::GET, &path, &olga, None).await.status(), StatusCode::NOT_FOUND);
    // A filter naming someone else narrows to nothing; it never widens the view.
    let walt_id: String = sqlx::query_scalar("select id::text from users where email = 'walt@acme.test'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(ids_of(&list_logs(app, &olga, &format!("?worker={walt_id}")).await).is_empty());

    // Submitted, it is the customer's to decide, and no longer the worker's to change (409, not 412).
    let submitted = call(app, Method::POST, "/api/v1/work-logs/submit", &walt, Some(json!({ "ids": [id] }))).await;
    assert_eq!(json_of(submitted).await["count"], 1);
    let locked = api_client()
        .put(app.url(&path))
        .bearer_auth(&walt)
        .header("If-Match", "\"3\"")
        .json(&entry(&s.job, &date, "08:00", "11:00", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(locked.status(), StatusCode::CONFLICT);
    assert_eq!(ids_of(&list_logs(app, &cora, "?status=PENDING").await), [id.as_str()]);
    let no_reason =
        call(app, Method::POST, "/api/v1/work-logs/decline", &cora, Some(json!({ "ids": [id], "reason": "" })));
    assert_eq!(error_fields(&json_of(no_reason.await).await), ["reason"]);
    let declined =
        call(app, Method::POST, "/api/v1/work-logs/decline", &cora, Some(json!({ "ids": [id], "reason": "Too long" })));
    assert_eq!(json_of(declined.await).await["count"], 1);
    let resubmitted = call(app, Method::POST, "/api/v1/work-logs/submit", &walt, Some(json!({ "ids": [id] })));
    assert_eq!(resubmitted.await.status(), StatusCode::OK);
    let twice = call(app, Method::POST, "/api/v1/work-logs/approve", &office, Some(json!({ "ids": [id, id] })));
    assert_eq!(error_fields(&json_of(twice.await).await), ["ids"]);
    let approved = call(app, Method::POST, "/api/v1/work-logs/approve", &office, Some(json!({ "ids": [id] })));
    assert_eq!(json_of(approved.await).await["count"], 1);
    let approved_list = list_logs(app, &office, "?status=APPROVED").await;
    assert_eq!(ids_of(&approved_list), [id.as_str()]);
    assert!(approved_list["work_logs"][0]["decided_by_name"].is_string());
    // Approved entries are not deleted; drafts are.
    assert_eq!(call(app, Method::DELETE, &path, &walt, None).await.status(), StatusCode::CONFLICT);
    let draft = call(app, Method::POST, "/api/v1/work-logs", &walt, Some(entry(&s.job, &date, "13:00", "14:00", "")));
    let draft_id = json_of(draft.await).await["id"].as_str().unwrap().to_string();
    let deleted = call(app, Method::DELETE, &format!("/api/v1/work-logs/{draft_id}"), &walt, None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    // Filters that do not parse are field errors.
    assert_eq!(error_fields(&list_logs(app, &office, "?status=LOST").await), ["status"]);
    assert_eq!(error_fields(&list_logs(app, &office, "?from=2026-02-30").await), ["from"]);
    assert_eq!(error_fields(&list_logs(app, &office, "?after=bm9wZQ").await), ["after"]);

    // 120 entries come in pages of 100, newest first, each once, following `Link: rel="next"`.
    for n in 0..119 {
        let start = format!("2026-0{}-{:02}T{:02}:00:00Z", 1 + n % 6, 1 + n % 28, n % 24);
        insert_log(&app.db, &s.job, &start, 30, &format!("Bulk {n}")).await;
    }
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    let mut next = Some("/api/v1/work-logs".to_string());
    let mut previous_start = String::from("9999");
    while let Some(url) = next.take() {
        let response = call(app, Method::GET, &url, &office, None).await;
        next = response.headers().get("link").map(|link| {
            let link = link.to_str().unwrap();
            link[link.find('<').unwrap() + 1..link.find('>').unwrap()].to_string()
        });
        let body = json_of(response).await;
        for log in body["work_logs"].as_array().unwrap() {
            let started = log["started_at"].as_str().unwrap().to_string();
            assert!(started <= previous_start, "newest first");
            previous_start = started;
            assert!(seen.insert(log["id"].as_str().unwrap().to_string()), "no entry twice");
        }
        pages += 1;
    }
    assert_eq!((pages, seen.len()), (2, 120));
}

#[sqlx::test(migrations = "../migrations")]
async fn reports_come_as_json_csv_or_pdf_by_accept(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let (reports, _) = make_key(app, &s.admin, "Accounting", &["reports:read"], "").await;
    let (no_reports, _) = make_key(app, &s.admin, "Jobs only", &["jobs:read"], "").await;
    insert_log(&app.db, &s.job, "2026-11-10T08:00:00Z", 90, "Valve swap").await;
    insert_log(&app.db, &s.other_job, "2026-11-11T08:00:00Z", 60, "Fence").await;
    let get = |key: &str, query: &str, accept: Option<&str>| {
        let mut request = api_client().get(app.url(&format!("/api/v1/reports/monthly{query}"))).bearer_auth(key);
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        request.send()
    };

    let report = get(&reports, "?month=2026-11", None).await.unwrap();
    assert_eq!(report.status(), StatusCode::OK);
    let report = json_of(report).await;
    assert_eq!((report["month"].as_str(), report["totals"]["total_minutes"].as_i64()), (Some("2026-11"), Some(150)));
    let csv = get(&reports, "?month=2026-11", Some("text/csv")).await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.contains("Valve swap") && text.contains("Fence"), "{text}");
    let pdf = get(&reports, "?month=2026-11", Some("application/pdf, application/json;q=0.5")).await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // A worker's own token gets their own hours only.
    let (walt, _) = app.api_login("acme", "walt@acme.test", PASSWORD).await;
    let own = json_of(get(&walt, "?month=2026-11", None).await.unwrap()).await;
    assert_eq!(own["totals"]["total_minutes"], 90);

    assert_eq!(get(&reports, "?month=2026-11", Some("text/html")).await.unwrap().status(), StatusCode::NOT_ACCEPTABLE);
    let bad = get(&reports, "?month=2026-13&worker=x", None).await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&json_of(bad).await), ["worker"]);
    assert_eq!(error_fields(&json_of(get(&reports, "?month=2026-13", None).await.unwrap()).await), ["month"]);
    assert_eq!(get(&no_reports, "", None).await.unwrap().status(), StatusCode::FORBIDDEN);

    // Another company's key sees an empty month, none of Acme's hours.
    let (theirs, _) = make_key(app, &s.other_admin, "Bobs", &["reports:read"], "").await;
    let empty = json_of(get(&theirs, "?month=2026-11", None).await.unwrap()).await;
    assert_eq!(empty["totals"]["total_minutes"], 0);
    let csv = get(&theirs, "?month=2026-11", Some("text/csv")).await.unwrap().text().await.unwrap();
    assert!(!csv.contains("Valve swap"));
}

#[sqlx::test(migrations = "../migrations")]
async fn contracts_company_notifications_and_webhooks_through_the_api(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let (time, _) = make_key(app, &s.admin, "Time", &["time:read"], "").await;
    let (people, _) = make_key(app, &s.admin, "People", &["users:write"], "").await;
    let (people_read, _) = make_key(app, &s.admin, "People read", &["users:read"], "").await;
    let (hooks, _) = make_key(app, &s.admin, "Hooks", &["webhooks:write"], "").await;
    let (hooks_read, _) = make_key(app, &s.admin, "Hooks read", &["webhooks:read"], "").await;
    let (bobs, _) = make_key(app, &s.other_admin, "Bobs", &["time:write", "users:write", "webhooks:write"], "").await;

    // Contracts with their usage.
    let walt_id: String = sqlx::query_scalar("select id::text from users where email = 'walt@acme.test'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let contract = json!({ "form": { "title": "Maintenance", "worker_id": walt_id, "customer_id": s.customer_id,
                                      "budget_hours": "10", "period": "TOTAL", "starts_on": "2026-01-01", "ends_on": "" } });
    app.rpc_ok(&s.admin, "contracts/create", contract).await;
    insert_log(&app.db, &s.job, "2026-11-10T08:00:00Z", 120, "Service").await;
    let listed = json_of(call(app, Method::GET, "/api/v1/contracts", &time, None).await).await;
    let usage = &listed["contracts"][0];
    assert_eq!((usage["contract"]["title"].as_str(), usage["used_minutes"].as_i64()), (Some("Maintenance"), Some(120)));
    assert_eq!(usage["remaining_minutes"], 480);
    let contract_id = usage["contract"]["id"].as_str().unwrap();
    let one = call(app, Method::GET, &format!("/api/v1/contracts/{contract_id}"), &time, None).await;
    assert_eq!(json_of(one).await["percent"], 20);
    assert_eq!(
        call(app, Method::GET, &format!("/api/v1/contracts/{contract_id}"), &bobs, None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(json_of(call(app, Method::GET, "/api/v1/contracts", &bobs, None).await).await["contracts"]
        .as_array()
        .unwrap()
        .is_empty());

    // The company: read by its people, changed by admins, all fields or none.
    let company = json_of(call(app, Method::GET, "/api/v1/company", &people_read, None).await).await;
    assert_eq!((company["slug"].as_str(), company["timezone"].as_str()), (Some("acme"), Some("Europe/Berlin")));
    let bad = call(
        app,
        Method::PATCH,
        "/api/v1/company",
        &people,
        Some(json!({ "name": "", "timezone": "Mars/Olympus_Mons", "auto_approve_days": "500" })),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&json_of(bad).await), ["name", "timezone", "auto_approve_days"]);
    let unknown = call(app, Method::PATCH, "/api/v1/company", &people, Some(json!({ "slug": "mine" }))).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        call(app, Method::PATCH, "/api/v1/company", &people_read, Some(json!({ "name": "X" }))).await.status(),
        StatusCode::FORBIDDEN
    );
    let changed = call(
        app,
        Method::PATCH,
        "/api/v1/company",
        &people,
        Some(json!({ "name": "Acme Plumbing", "timezone": "Europe/Lisbon", "auto_approve_days": "5" })),
    )
    .await;
    let changed = json_of(changed).await;
    assert_eq!(
        (changed["name"].as_str(), changed["timezone"].as_str(), changed["auto_approve_days"].as_i64()),
        (Some("Acme Plumbing"), Some("Europe/Lisbon"), Some(5))
    );
    assert_eq!(app.count("select count(*) from audit_log where action = 'company.updated'").await, 1);
    let (walt, _) = app.api_login("acme", "walt@acme.test", PASSWORD).await;
    assert_eq!(json_of(call(app, Method::GET, "/api/v1/company", &walt, None).await).await["name"], "Acme Plumbing");
    let by_worker = call(app, Method::PATCH, "/api/v1/company", &walt, Some(json!({ "name": "Walt's" }))).await;
    assert_eq!(by_worker.status(), StatusCode::FORBIDDEN);
    let theirs = json_of(call(app, Method::GET, "/api/v1/company", &bobs, None).await).await;
    assert_eq!(theirs["slug"], "bobs");

    // One person by id; another company's key finds nobody.
    let walt_path = format!("/api/v1/users/{walt_id}");
    assert_eq!(json_of(call(app, Method::GET, &walt_path, &people_read, None).await).await["name"], "Walt Worker");
    assert_eq!(call(app, Method::GET, &walt_path, &bobs, None).await.status(), StatusCode::NOT_FOUND);

    // Notifications are a person's: Walt was assigned a job; keys are refused.
    let inbox = json_of(call(app, Method::GET, "/api/v1/notifications", &walt, None).await).await;
    assert!(inbox["unread"].as_i64().unwrap() >= 1, "{inbox}");
    let read = call(app, Method::POST, "/api/v1/notifications/read", &walt, Some(json!({}))).await;
    assert_eq!(json_of(read).await["unread"], 0);
    assert_eq!(call(app, Method::GET, "/api/v1/notifications", &people, None).await.status(), StatusCode::FORBIDDEN);
    let bad_cursor = call(app, Method::GET, "/api/v1/notifications?before=-3", &walt, None).await;
    assert_eq!(error_fields(&json_of(bad_cursor).await), ["before"]);

    // Webhook endpoints: the secret is in the create answer only.
    let form = json!({ "url": "http://127.0.0.1:9/hook", "description": "Slack", "events": ["job.completed"] });
    assert_eq!(
        call(app, Method::POST, "/api/v1/webhooks", &hooks_read, Some(form.clone())).await.status(),
        StatusCode::FORBIDDEN
    );
    let bad =
        call(app, Method::POST, "/api/v1/webhooks", &hooks, Some(json!({ "url": "ftp://x", "events": [] }))).await;
    assert_eq!(error_fields(&json_of(bad).await), ["url", "events"]);
    let made = call(app, Method::POST, "/api/v1/webhooks", &hooks, Some(form)).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made = json_of(made).await;
    let secret = made["secret"].as_str().unwrap().to_string();
    let hook = made["endpoint"]["id"].as_str().unwrap().to_string();
    let listed = json_of(call(app, Method::GET, "/api/v1/webhooks", &hooks_read, None).await).await;
    assert_eq!(listed["webhooks"][0]["id"], hook.as_str());
    assert!(!listed.to_string().contains(&secret));
    let hook_path = format!("/api/v1/webhooks/{hook}");
    let off = call(app, Method::PUT, &format!("{hook_path}/enabled"), &hooks, Some(json!({ "enabled": false }))).await;
    assert_eq!(json_of(off).await["enabled"], false);
    call(app, Method::PUT, &format!("{hook_path}/enabled"), &hooks, Some(json!({ "enabled": true }))).await;
    let tested = call(app, Method::POST, &format!("{hook_path}/test"), &hooks, None).await;
    assert_eq!(tested.status(), StatusCode::ACCEPTED);
    let tested = json_of(tested).await;
    let delivery = tested["deliveries"][0]["id"].as_str().unwrap().to_string();
    let rotated = json_of(call(app, Method::POST, &format!("{hook_path}/rotate-secret"), &hooks, None).await).await;
    assert_ne!(rotated["secret"].as_str().unwrap(), secret);
    assert_eq!(rotated["endpoint"]["rotating"], true);
    for (method, path) in [
        (Method::GET, hook_path.clone()),
        (Method::POST, format!("{hook_path}/test")),
        (Method::POST, format!("{hook_path}/rotate-secret")),
        (Method::POST, format!("{hook_path}/deliveries/{delivery}/redeliver")),
        (Method::DELETE, hook_path.clone()),
    ] {
        assert_eq!(call(app, method, &path, &bobs, None).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(call(app, Method::DELETE, &hook_path, &hooks, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(call(app, Method::GET, &hook_path, &hooks_read, None).await.status(), StatusCode::NOT_FOUND);

    // The contract (2 of 10 hours used) announces 80 % and 100 % once each, as hours are logged.
    let form =
        json!({ "url": "http://127.0.0.1:9/budget", "description": "", "events": ["contract.threshold_reached"] });
    assert_eq!(call(app, Method::POST, "/api/v1/webhooks", &hooks, Some(form)).await.status(), StatusCode::CREATED);
    let announced =
        || app.count("select count(*) from webhook_deliveries where event_type = 'contract.threshold_reached'");
    let log = |days: i64, start: &'static str, end: &'static str| {
        call(app, Method::POST, "/api/v1/work-logs", &walt, Some(entry(&s.job, &days_ago(days), start, end, "")))
    };
    assert_eq!(log(5, "08:00", "14:00").await.status(), StatusCode::CREATED);
    assert_eq!(announced().await, 1, "8 of 10 hours: the 80 % line");
    log(6, "08:00", "09:00").await;
    assert_eq!(announced().await, 1, "9 of 10: nothing new");
    log(7, "08:00", "09:00").await;
    assert_eq!(announced().await, 2, "10 of 10: the budget is used up");
    let body: Value = sqlx::query_scalar(
        "select body::jsonb from webhook_deliveries where event_type = 'contract.threshold_reached' order by created_at desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((body["data"]["level"].as_str(), body["data"]["percent"].as_i64()), (Some("exceeded"), Some(100)));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_job_nobody_logged_time_on_can_be_deleted(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let (key, _) = make_key(app, &s.admin, "Jobs", &["jobs:write"], "").await;
    let (reader, _) = make_key(app, &s.admin, "Jobs read", &["jobs:read"], "").await;
    let status = app.rpc_ok(&s.admin, "statuses/list", json!({})).await[0]["id"].clone();
    let form = json!({ "customer_id": s.customer_id, "title": "Wrong job", "description": "", "scheduled_date": "",
                       "scheduled_time": "", "worker_id": "", "status_id": status, "tasks": [] });
    let made = json_of(call(app, Method::POST, "/api/v1/jobs", &key, Some(form)).await).await;
    let path = format!("/api/v1/jobs/{}", made["id"].as_str().unwrap());

    assert_eq!(call(app, Method::DELETE, &path, &reader, None).await.status(), StatusCode::FORBIDDEN);
    let stale = api_client().delete(app.url(&path)).bearer_auth(&key).header("If-Match", "\"9\"").send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let deleted =
        api_client().delete(app.url(&path)).bearer_auth(&key).header("If-Match", "\"1\"").send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(call(app, Method::GET, &path, &key, None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(call(app, Method::DELETE, &path, &key, None).await.status(), StatusCode::NOT_FOUND);
    let listed = json_of(call(app, Method::GET, "/api/v1/jobs", &key, None).await).await;
    assert!(!listed.to_string().contains("Wrong job"));
    assert_eq!(app.count("select count(*) from audit_log where action = 'job.deleted'").await, 1);

    // Hours keep their job: one with time logged is archived instead.
    insert_log(&app.db, &s.job, "2026-11-10T08:00:00Z", 60, "Pump").await;
    let kept = call(app, Method::DELETE, &format!("/api/v1/jobs/{}", s.job), &key, None).await;
    assert_eq!(kept.status(), StatusCode::CONFLICT);
    assert_eq!(call(app, Method::GET, &format!("/api/v1/jobs/{}", s.job), &key, None).await.status(), StatusCode::OK);
}

/// A POST sent twice with one `Idempotency-Key`.
async fn twice(app: &TestApp, token: &str, path: &str, key: &str, body: Value) -> (Value, Value) {
    let send = || api_client().post(app.url(path)).bearer_auth(token).header("Idempotency-Key", key).json(&body).send();
    let first = send().await.unwrap();
    assert!(first.status().is_success(), "{path}: {}", first.status());
    let second = send().await.unwrap();
    assert!(second.status().is_success(), "{path} again: {}", second.status());
    (json_of(first).await, json_of(second).await)
}

#[sqlx::test(migrations = "../migrations")]
async fn keyed_posts_answer_a_retry_with_the_first_result_and_write_once(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let (key, _) = make_key(app, &s.admin, "Sync", &["users:write", "jobs:write", "time:write"], "").await;
    let (walt, _) = app.api_login("acme", "walt@acme.test", PASSWORD).await;
    let idempotency = || uuid::Uuid::new_v4().to_string();

    let person = json!({ "name": "Rita Retry", "email": "rita@acme.test", "role": "WORKER", "password": PASSWORD });
    let shared_key = idempotency();
    let (first, again) = twice(app, &key, "/api/v1/users", &shared_key, person.clone()).await;
    assert_eq!(first["id"], again["id"]);
    assert_eq!(app.count("select count(*) from users where email = 'rita@acme.test'").await, 1);
    // The same key in another company is another key.
    let (bobs, _) = make_key(app, &s.other_admin, "Bobs", &["users:write"], "").await;
    let (theirs, _) = twice(app, &bobs, "/api/v1/users", &shared_key, person).await;
    assert_ne!(theirs["id"], first["id"]);
    assert_eq!(app.count("select count(*) from users where email = 'rita@acme.test'").await, 2);

    let tasks_path = format!("/api/v1/jobs/{}/tasks", s.job);
    let (first, again) = twice(app, &key, &tasks_path, &idempotency(), json!({ "title": "Bleed the radiators" })).await;
    assert_eq!(first["tasks"], again["tasks"]);
    assert_eq!(app.count("select count(*) from job_tasks where title = 'Bleed the radiators'").await, 1);

    let log =
        call(app, Method::POST, "/api/v1/work-logs", &walt, Some(entry(&s.job, &days_ago(2), "08:00", "09:00", "")));
    let id = json_of(log.await).await["id"].as_str().unwrap().to_string();
    let (first, again) = twice(app, &walt, "/api/v1/work-logs/submit", &idempotency(), json!({ "ids": [id] })).await;
    assert_eq!((first["count"].as_i64(), again["count"].as_i64()), (Some(1), Some(1)));
    let (first, again) = twice(app, &key, "/api/v1/work-logs/approve", &idempotency(), json!({ "ids": [id] })).await;
    assert_eq!((first["count"].as_i64(), again["count"].as_i64()), (Some(1), Some(1)));
    assert_eq!(app.count("select count(*) from audit_log where action = 'work_log.approved'").await, 1);
    // Without a key the retry is a new request, refused by the entry's state.
    let unkeyed = call(app, Method::POST, "/api/v1/work-logs/approve", &key, Some(json!({ "ids": [id] }))).await;
    assert_eq!(unkeyed.status(), StatusCode::CONFLICT);
}

async fn user_id(db: &PgPool, email: &str) -> String {
    sqlx::query_scalar("select id::text from users where email = $1").bind(email).fetch_one(db).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_persons_details_and_customer_link_change_through_the_api(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let (key, _) = make_key(app, &s.admin, "HR", &["users:write"], "").await;
    let walt = format!("/api/v1/users/{}", user_id(&app.db, "walt@acme.test").await);
    let bad = call(app, Method::PATCH, &walt, &key, Some(json!({ "name": "", "email": "not-an-address" }))).await;
    assert_eq!(error_fields(&json_of(bad).await), ["name", "email"]);
    let taken = call(app, Method::PATCH, &walt, &key, Some(json!({ "email": "olga@acme.test" }))).await;
    assert_eq!(error_fields(&json_of(taken).await), ["email"]);
    let renamed =
        call(app, Method::PATCH, &walt, &key, Some(json!({ "name": "Walter Worker", "email": "walter@acme.test" })));
    let renamed = json_of(renamed.await).await;
    assert_eq!(
        (renamed["name"].as_str(), renamed["email"].as_str()),
        (Some("Walter Worker"), Some("walter@acme.test"))
    );
    app.api_login("acme", "walter@acme.test", PASSWORD).await;
    assert_eq!(app.count("select count(*) from audit_log where action = 'user.updated'").await, 1);

    // A customer login's record: unlinked, then linked again; a worker has none.
    let cora = format!("/api/v1/users/{}/customer", user_id(&app.db, "cora@acme.test").await);
    let unlinked = json_of(call(app, Method::PUT, &cora, &key, Some(json!({ "customer_id": null }))).await).await;
    assert!(unlinked["customer_id"].is_null());
    let linked = call(app, Method::PUT, &cora, &key, Some(json!({ "customer_id": s.customer_id }))).await;
    assert_eq!(json_of(linked).await["customer_id"], s.customer_id.as_str());
    let walt_link = format!("{walt}/customer");
    let worker = call(app, Method::PUT, &walt_link, &key, Some(json!({ "customer_id": s.customer_id }))).await;
    assert_eq!(error_fields(&json_of(worker).await), ["customer_id"]);
    let (bobs, _) = make_key(app, &s.other_admin, "Bobs", &["users:write"], "").await;
    assert_eq!(
        call(app, Method::PATCH, &walt, &bobs, Some(json!({ "name": "X" }))).await.status(),
        StatusCode::NOT_FOUND
    );
}
