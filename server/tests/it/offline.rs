//! Changes a worker's phone made offline and replays: idempotency keys (a replay
//! answers the first result and writes nothing, per company, also in a burst), the
//! timer's moments from the phone's clock within bounds, and the pages the
//! installed app keeps.

use crate::common::*;
use crate::time::{days_ago, entry, setup};
use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// Calls a server function with an `Idempotency-Key`.
async fn keyed(app: &TestApp, client: &Client, endpoint: &str, args: &Value, key: Uuid) -> (StatusCode, Value) {
    let response = client
        .post(app.url(&format!("/rpc/{endpoint}")))
        .header("Idempotency-Key", key.to_string())
        .json(args)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Everything a replay could write twice.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for sql in [
        "select count(*) from audit_log",
        "select count(*) from job_notes",
        "select count(*) from work_logs",
        "select count(*) from job_tasks where is_completed",
        "select count(*) from idempotency_keys",
        "select count(*) from outbox",
        "select coalesce(sum(break_seconds), 0)::bigint from work_logs",
        "select coalesce(sum(extract(epoch from ended_at - started_at)), 0)::bigint from work_logs",
    ] {
        counts.push(app.count(sql).await);
    }
    counts
}

fn at(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_queueable_change_replayed_with_its_key_answers_the_first_result_and_writes_nothing(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let job = app.rpc_ok(&s.admin, "jobs/add_task", json!({ "job_id": s.job, "title": "Fit the valve" })).await;
    let task = job["tasks"][0]["id"].as_str().unwrap().to_string();
    let statuses = app.rpc_ok(&s.admin, "statuses/list", json!({})).await;
    let in_progress = statuses[1]["id"].as_str().unwrap().to_string();
    let now = Utc::now();
    // What the phone queued offline, in order.
    let changes = [
        ("jobs/set_task_completed", json!({ "job_id": s.job, "task_id": task, "completed": true })),
        ("jobs/add_note", json!({ "job_id": s.job, "form": { "body": "Valve fitted", "visibility": "INTERNAL" } })),
        ("jobs/change_status", json!({ "id": s.job, "status_id": in_progress })),
        ("time/start", json!({ "job_id": s.job, "at": at(now - Duration::minutes(40)) })),
        ("time/pause", json!({ "at": at(now - Duration::minutes(30)) })),
        ("time/resume", json!({ "at": at(now - Duration::minutes(20)) })),
        ("time/stop", json!({ "at": at(now - Duration::minutes(10)) })),
        ("time/create", entry(&s.job, &days_ago(2), "08:00", "09:00", "Bought parts")),
    ];
    let mut sent = Vec::new();
    for (endpoint, args) in &changes {
        let key = Uuid::new_v4();
        let (status, first) = keyed(app, &s.worker, endpoint, args, key).await;
        assert_eq!(status, StatusCode::OK, "{endpoint}: {first}");
        let after_first = footprint(app).await;
        // The answer was lost on the way: the phone sends the change again.
        let (status, again) = keyed(app, &s.worker, endpoint, args, key).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} replayed: {again}");
        assert_eq!(again, first, "{endpoint}: a replay answers the first result");
        assert_eq!(footprint(app).await, after_first, "{endpoint}: a replay writes nothing");
        sent.push((*endpoint, args.clone(), key, first));
    }
    // The timer's hours are the phone's: 40 minutes less a 10-minute pause, ended 10 minutes ago.
    let stopped = &sent[6].3;
    assert_eq!(stopped["minutes"], 20, "{stopped}");
    assert_eq!(stopped["break_minutes"], 10, "{stopped}");

    // Later the worker unticks the task; a late replay of the tick changes nothing.
    app.rpc_ok(&s.worker, "jobs/set_task_completed", json!({ "job_id": s.job, "task_id": task, "completed": false }))
        .await;
    let settled = footprint(app).await;
    for (endpoint, args, key, first) in &sent {
        let (status, again) = keyed(app, &s.worker, endpoint, args, *key).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} replayed late: {again}");
        assert_eq!(&again, first, "{endpoint}: a late replay answers the first result");
    }
    assert_eq!(footprint(app).await, settled, "late replays write nothing");
    let ticked: bool = sqlx::query_scalar("select is_completed from job_tasks where id = $1::uuid")
        .bind(&task)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!ticked, "the untick stands");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_burst_of_one_key_writes_once_and_answers_every_request_alike(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let key = Uuid::new_v4();
    let args = json!({ "job_id": s.job, "form": { "body": "Sent eight times", "visibility": "INTERNAL" } });
    let answers = join_all((0..8).map(|_| keyed(app, &s.worker, "jobs/add_note", &args, key))).await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert_eq!(body, &answers[0].1);
    }
    assert_eq!(app.count("select count(*) from job_notes where body = 'Sent eight times'").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'job.note_added'").await, 1);

    let entry_key = Uuid::new_v4();
    let form = entry(&s.job, &days_ago(1), "10:00", "11:00", "Once");
    let answers = join_all((0..6).map(|_| keyed(app, &s.worker, "time/create", &form, entry_key))).await;
    assert!(answers.iter().all(|(status, body)| *status == StatusCode::OK && body == &answers[0].1), "{answers:?}");
    assert_eq!(app.count("select count(*) from work_logs where description = 'Once'").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_key_belongs_to_one_company_one_user_and_one_change(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let key = Uuid::new_v4();
    let note = |job: &str, body: &str| json!({ "job_id": job, "form": { "body": body, "visibility": "INTERNAL" } });
    let (status, acme_answer) = keyed(app, &s.worker, "jobs/add_note", &note(&s.job, "Acme's note"), key).await;
    assert_eq!(status, StatusCode::OK);

    // Another company using the same key makes its own change and gets its own answer.
    let customer = app
        .rpc_ok(
            &s.other_admin,
            "customers/create",
            json!({ "form": { "name": "Bob's Diner", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let statuses = app.rpc_ok(&s.other_admin, "statuses/list", json!({})).await;
    let form = json!({ "form": { "customer_id": customer["id"], "title": "Bob's job", "description": "", "scheduled_date": "",
                                 "scheduled_time": "", "worker_id": "", "status_id": statuses[0]["id"], "tasks": [] } });
    let bobs_job = app.rpc_ok(&s.other_admin, "jobs/create", form).await["id"].as_str().unwrap().to_string();
    let (status, bobs_answer) = keyed(app, &s.other_admin, "jobs/add_note", &note(&bobs_job, "Bob's note"), key).await;
    assert_eq!(status, StatusCode::OK, "{bobs_answer}");
    assert_eq!(bobs_answer["title"], "Bob's job");
    assert_eq!(bobs_answer["notes"][0]["body"], "Bob's note");
    assert_eq!(app.count("select count(*) from idempotency_keys").await, 2);
    // Acme's replay still answers Acme's first result.
    let (_, replay) = keyed(app, &s.worker, "jobs/add_note", &note(&s.job, "Acme's note"), key).await;
    assert_eq!(replay, acme_answer);

    // The same key for another change, or by another user, is refused and writes nothing.
    let before = footprint(app).await;
    let statuses = app.rpc_ok(&s.admin, "statuses/list", json!({})).await;
    let other_change = json!({ "id": s.job, "status_id": statuses[1]["id"] });
    let (status, body) = keyed(app, &s.worker, "jobs/change_status", &other_change, key).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["idempotency_key"]);
    let (status, body) = keyed(app, &s.admin, "jobs/add_note", &note(&s.job, "Admin's note"), key).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(footprint(app).await, before);

    // A key that is not a UUID is a field error.
    let response = s
        .worker
        .post(app.url("/rpc/jobs/add_note"))
        .header("Idempotency-Key", "not-a-uuid")
        .json(&note(&s.job, "Malformed"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&response.json().await.unwrap()), ["idempotency_key"]);
    assert_eq!(footprint(app).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn timer_moments_from_the_phone_are_checked_and_refusals_write_nothing(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let now = Utc::now();
    let start = |moment: DateTime<Utc>| json!({ "job_id": s.job, "at": at(moment) });
    let before = footprint(app).await;
    for (moment, why) in [
        (now + Duration::minutes(10), "ahead of the server's clock"),
        (now - Duration::days(4), "older than three days"),
        (now + Duration::days(365 * 200), "centuries ahead"),
    ] {
        let response = app.rpc(&s.worker, "time/start", start(moment)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        assert_eq!(error_fields(&response.json().await.unwrap()), ["at"], "{why}");
    }
    assert_eq!(footprint(app).await, before);

    app.rpc_ok(&s.worker, "time/start", start(now - Duration::hours(1))).await;
    // Before the timer's last change: refused.
    let response = app.rpc(&s.worker, "time/pause", json!({ "at": at(now - Duration::hours(2)) })).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&response.json().await.unwrap()), ["at"]);
    let response = app.rpc(&s.worker, "time/stop", json!({ "at": at(now + Duration::minutes(30)) })).await;
    assert_eq!(error_fields(&response.json().await.unwrap()), ["at"]);
    // A moment a little ahead (within the allowed skew) and one in the past both count.
    let stopped = app.rpc_ok(&s.worker, "time/stop", json!({ "at": at(now - Duration::minutes(15)) })).await;
    assert_eq!(stopped["minutes"], 45, "{stopped}");
    // Without `at`, the server's clock, as before.
    app.rpc_ok(&s.worker, "time/start", json!({ "job_id": s.job })).await;
    let stopped = app.rpc_ok(&s.worker, "time/stop", json!({})).await;
    assert_eq!(stopped["minutes"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_keeps_their_jobs_and_time_offline_and_nobody_else_keeps_anything(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let pages = |client: Client| {
        let url = app.url("/offline/pages.json");
        async move { client.get(url).send().await.unwrap() }
    };
    let worker = pages(s.worker.clone()).await;
    assert_eq!(worker.status(), StatusCode::OK);
    let worker: Value = worker.json().await.unwrap();
    let listed: Vec<&str> = worker["pages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(listed[..2], ["/app/my-jobs", "/app/time"]);
    assert!(listed.contains(&format!("/app/jobs/{}", s.job).as_str()), "{listed:?}");
    assert!(!listed.contains(&format!("/app/jobs/{}", s.other_job).as_str()), "another worker's job: {listed:?}");
    for client in [&s.admin, &s.customer, &s.other_admin] {
        let other: Value = pages(client.clone()).await.json().await.unwrap();
        assert_eq!(other["pages"], json!([]));
    }
    assert_eq!(pages(browser()).await.status(), StatusCode::UNAUTHORIZED);
}
