//! Time tracking against real PostgreSQL: overlaps, timers, the approval state
//! machine, revisions, sign-off, who may do what, reports and exports.

use crate::common::*;
use chrono::{Datelike, Duration, Utc};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use server::db::app_role_options;
use server::db::AppPool;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub(crate) struct Setup {
    pub(crate) app: TestApp,
    pub(crate) admin: Client,
    pub(crate) worker: Client,
    pub(crate) other_worker: Client,
    pub(crate) customer: Client,
    pub(crate) other_admin: Client,
    pub(crate) job: String,
    pub(crate) other_job: String,
    pub(crate) customer_id: String,
}

/// A Berlin company with a worker on a job for Harbour Café (whose login is the customer),
/// a second worker, and another company.
pub(crate) async fn setup(db: PgPool) -> Setup {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "admin@acme.test").await;
    let bobs = app.sign_up("bobs", "admin@bobs.test").await;
    let customer_id = app
        .rpc_ok(
            &acme.client,
            "customers/create",
            json!({ "form": { "name": "Harbour Café", "email": "", "phone": "", "address": "" } }),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let worker_id = app.create_user(&acme.client, "Walt Worker", "walt@acme.test", "WORKER").await;
    let olga_id = app.create_user(&acme.client, "Olga Other", "olga@acme.test", "WORKER").await;
    let cora = json!({ "form": { "name": "Cora", "email": "cora@acme.test", "role": "CUSTOMER", "password": PASSWORD, "customer_id": customer_id } });
    app.rpc_ok(&acme.client, "users/create", cora).await;
    let statuses = app.rpc_ok(&acme.client, "statuses/list", json!({})).await;
    let status = statuses[0]["id"].clone();
    let job_form = |title: &str, worker: &str| {
        json!({ "form": { "customer_id": customer_id, "title": title, "description": "", "scheduled_date": "",
                          "scheduled_time": "", "worker_id": worker, "status_id": status, "tasks": [] } })
    };
    let job = app.rpc_ok(&acme.client, "jobs/create", job_form("Fix the pump", &worker_id)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other_job = app.rpc_ok(&acme.client, "jobs/create", job_form("Paint the fence", &olga_id)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    Setup {
        worker: app.log_in_browser("acme", "walt@acme.test").await,
        other_worker: app.log_in_browser("acme", "olga@acme.test").await,
        customer: app.log_in_browser("acme", "cora@acme.test").await,
        admin: acme.client,
        other_admin: bobs.client,
        app,
        job,
        other_job,
        customer_id,
    }
}

/// A day some days ago in Berlin, as YYYY-MM-DD.
pub(crate) fn days_ago(days: i64) -> String {
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    (Utc::now().with_timezone(&tz).date_naive() - Duration::days(days)).format("%Y-%m-%d").to_string()
}

pub(crate) fn entry(job: &str, date: &str, start: &str, end: &str, description: &str) -> Value {
    json!({ "form": { "job_id": job, "date": date, "start": start, "end": end, "duration": "", "break_minutes": "",
                      "description": description, "billable": true } })
}

impl Setup {
    async fn log(&self, date: &str, start: &str, end: &str) -> String {
        let log = self.app.rpc_ok(&self.worker, "time/create", entry(&self.job, date, start, end, "Work")).await;
        log["id"].as_str().unwrap().to_string()
    }

    async fn submit(&self, id: &str) {
        self.app.rpc_ok(&self.worker, "time/submit", json!({ "ids": [id] })).await;
    }

    async fn status_of(&self, id: &str) -> String {
        sqlx::query_scalar::<_, String>("select status::text from work_logs where id = $1::uuid")
            .bind(id)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }

    async fn logs(&self) -> i64 {
        self.app.count("select count(*) from work_logs").await
    }
}

async fn status_and_body(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[sqlx::test(migrations = "../migrations")]
async fn overlapping_entries_are_refused_and_touching_ones_are_not(db: PgPool) {
    let s = setup(db).await;
    let day = days_ago(2);
    s.log(&day, "09:00", "11:00").await;
    // Touching at 11:00 is fine: ranges are half-open.
    s.log(&day, "11:00", "12:00").await;
    s.log(&day, "08:00", "09:00").await;
    let (status, body) =
        status_and_body(s.app.rpc(&s.worker, "time/create", entry(&s.job, &day, "10:30", "11:30", "x")).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&body), vec!["start"]);
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("09:00–11:00") && message.contains("Fix the pump"), "{message}");
    assert_eq!(s.logs().await, 3);

    // The database refuses overlaps even when the application is bypassed.
    let raw = sqlx::query(
        "insert into work_logs (company_id, worker_id, job_id, customer_id, started_at, ended_at)
         select company_id, worker_id, job_id, customer_id, started_at + interval '30 minutes', ended_at
         from work_logs limit 1",
    )
    .execute(&s.app.db)
    .await
    .unwrap_err();
    assert!(raw.to_string().contains("work_logs_no_overlap"), "{raw}");

    // A running timer reaches to "now": an entry after its start overlaps it.
    s.app.rpc_ok(&s.worker, "time/start", json!({ "job_id": s.job })).await;
    sqlx::query("update work_logs set started_at = now() - interval '30 minutes' where ended_at is null")
        .execute(&s.app.db)
        .await
        .unwrap();
    let start = Utc::now().with_timezone(&"Europe/Berlin".parse::<chrono_tz::Tz>().unwrap()) - Duration::minutes(10);
    let form = json!({ "form": { "job_id": s.job, "date": start.format("%Y-%m-%d").to_string(),
                                 "start": start.format("%H:%M").to_string(), "end": "", "duration": "0:03",
                                 "break_minutes": "", "description": "", "billable": true } });
    let (status, body) = status_and_body(s.app.rpc(&s.worker, "time/create", form).await).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("running timer"), "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn one_running_timer_per_worker_and_pauses_count_as_breaks(db: PgPool) {
    let s = setup(db).await;
    let timer = s.app.rpc_ok(&s.worker, "time/start", json!({ "job_id": s.job })).await;
    let log_id = timer["log_id"].as_str().unwrap().to_string();
    let (status, _) = status_and_body(s.app.rpc(&s.worker, "time/start", json!({ "job_id": s.job })).await).await;
    assert_eq!(status, 409);
    // The unique index stands behind the check.
    let raw = sqlx::query(
        "insert into work_logs (company_id, worker_id, job_id, customer_id, started_at)
         select company_id, worker_id, job_id, customer_id, now() - interval '3 days' from work_logs limit 1",
    )
    .execute(&s.app.db)
    .await
    .unwrap_err();
    // (Two running timers of one worker always overlap, so either constraint may speak first.)
    let raw = raw.to_string();
    assert!(raw.contains("work_logs_one_running_idx") || raw.contains("work_logs_no_overlap"), "{raw}");

    // Started an hour ago; paused 10 minutes ago; resumed now: 10 minutes of break.
    sqlx::query("update work_logs set started_at = now() - interval '60 minutes' where id = $1::uuid")
        .bind(&log_id)
        .execute(&s.app.db)
        .await
        .unwrap();
    let paused = s.app.rpc_ok(&s.worker, "time/pause", json!({})).await;
    assert_eq!(paused["paused"], true);
    sqlx::query("update work_logs set paused_at = now() - interval '10 minutes' where id = $1::uuid")
        .bind(&log_id)
        .execute(&s.app.db)
        .await
        .unwrap();
    let paused_now = s.app.rpc_ok(&s.worker, "time/timer", json!({})).await;
    assert_eq!(paused_now["elapsed_seconds"].as_i64().unwrap() / 60, 50, "worked until the pause: {paused_now}");
    let resumed = s.app.rpc_ok(&s.worker, "time/resume", json!({})).await;
    assert_eq!(resumed["paused"], false);
    let breaks: i32 = sqlx::query_scalar("select break_seconds from work_logs where id = $1::uuid")
        .bind(&log_id)
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    assert!((600..=602).contains(&breaks), "break of {breaks} s");
    let stopped = s.app.rpc_ok(&s.worker, "time/stop", json!({})).await;
    assert_eq!(stopped["minutes"], 50);
    assert_eq!(stopped["status"], "DRAFT");
    assert_eq!(s.app.rpc_ok(&s.worker, "time/timer", json!({})).await, Value::Null);
    // Only workers have timers; the others are refused.
    let (status, _) = status_and_body(s.app.rpc(&s.customer, "time/start", json!({ "job_id": s.job })).await).await;
    assert_eq!(status, 403);
    // A job that is not the worker's cannot be timed.
    let (status, body) =
        status_and_body(s.app.rpc(&s.worker, "time/start", json!({ "job_id": s.other_job })).await).await;
    assert_eq!((status, error_fields(&body)), (422, vec!["job_id".to_string()]));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_approval_state_machine(db: PgPool) {
    let s = setup(db).await;
    let day = days_ago(3);
    let a = s.log(&day, "08:00", "10:00").await;
    let b = s.log(&day, "10:00", "12:30").await;
    // Drafts cannot be decided; customers do not even see them.
    let (status, _) =
        status_and_body(s.app.rpc(&s.admin, "time/decide", json!({ "ids": [a], "approve": true, "reason": "" })).await)
            .await;
    assert_eq!(status, 409);
    let (status, _) = status_and_body(s.app.rpc(&s.customer, "time/log", json!({ "id": a })).await).await;
    assert_eq!(status, 404);

    s.app.rpc_ok(&s.worker, "time/submit", json!({ "ids": [a, b] })).await;
    assert_eq!(s.status_of(&a).await, "PENDING");
    // Pending entries are not the worker's to change.
    let (status, _) = status_and_body(
        s.app
            .rpc(
                &s.worker,
                "time/update",
                json!({ "id": a, "form": entry(&s.job, &day, "08:00", "09:00", "x")["form"] }),
            )
            .await,
    )
    .await;
    assert_eq!(status, 409);
    // Workers never decide.
    let (status, _) = status_and_body(
        s.app.rpc(&s.worker, "time/decide", json!({ "ids": [a], "approve": true, "reason": "" })).await,
    )
    .await;
    assert_eq!(status, 403);

    // A decline needs a reason; a failed bulk decision writes nothing.
    let (status, body) = status_and_body(
        s.app.rpc(&s.customer, "time/decide", json!({ "ids": [a, b], "approve": false, "reason": "  " })).await,
    )
    .await;
    assert_eq!((status, error_fields(&body)), (422, vec!["reason".to_string()]));
    assert_eq!(s.status_of(&a).await, "PENDING");

    let approvals = s.app.rpc_ok(&s.customer, "time/approvals", json!({ "customer": null })).await;
    assert_eq!(approvals["pending"].as_array().unwrap().len(), 2);
    s.app.rpc_ok(&s.customer, "time/decide", json!({ "ids": [a], "approve": true, "reason": "" })).await;
    s.app
        .rpc_ok(&s.customer, "time/decide", json!({ "ids": [b], "approve": false, "reason": "Lunch was not work" }))
        .await;
    assert_eq!(s.status_of(&a).await, "APPROVED");
    assert_eq!(s.status_of(&b).await, "DECLINED");
    // Only pending entries can be decided.
    let (status, _) = status_and_body(
        s.app
            .rpc(&s.customer, "time/decide", json!({ "ids": [a], "approve": false, "reason": "changed my mind" }))
            .await,
    )
    .await;
    assert_eq!(status, 409);
    // Approved is locked for the worker; declined shows the reason and can be corrected.
    let (status, _) = status_and_body(
        s.app
            .rpc(
                &s.worker,
                "time/update",
                json!({ "id": a, "form": entry(&s.job, &day, "08:00", "09:00", "x")["form"] }),
            )
            .await,
    )
    .await;
    assert_eq!(status, 409);
    let declined = s.app.rpc_ok(&s.worker, "time/log", json!({ "id": b })).await;
    assert_eq!(declined["log"]["decline_reason"], "Lunch was not work");
    let corrected = s
        .app
        .rpc_ok(
            &s.worker,
            "time/update",
            json!({ "id": b, "form": entry(&s.job, &day, "10:00", "12:00", "Pump, without lunch")["form"] }),
        )
        .await;
    assert_eq!(corrected["status"], "DECLINED");
    s.submit(&b).await;
    assert_eq!(s.status_of(&b).await, "PENDING");

    // An admin's change to an approved entry is a new revision that needs approval again.
    let revised = s
        .app
        .rpc_ok(
            &s.admin,
            "time/update",
            json!({ "id": a, "form": entry(&s.job, &day, "07:30", "10:00", "Work")["form"] }),
        )
        .await;
    assert_eq!((revised["status"].clone(), revised["revision"].clone()), (json!("PENDING"), json!(2)));
    let detail = s.app.rpc_ok(&s.customer, "time/log", json!({ "id": a })).await;
    let history = detail["history"].as_array().unwrap();
    let revision =
        history.iter().find(|e| e["summary"].as_str().unwrap().contains("revision 2")).expect("revision event");
    assert_eq!(revision["actor_name"], "Ada Admin");
    assert!(revision["changes"].as_array().unwrap().iter().any(|c| c == "Duration: 2:00 → 2:30"), "{revision}");
    assert!(history.iter().any(|e| e["summary"] == "Approved" && e["actor_name"] == "Cora"));
    // Every change has its audit row.
    assert!(s.app.count("select count(*) from audit_log where entity_type = 'work_log'").await >= 8);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_entries_get_field_errors_and_write_nothing(db: PgPool) {
    let s = setup(db).await;
    let day = days_ago(1);
    let cases = [
        (entry(&s.job, &day, "10:00", "09:00", ""), "end"),
        (entry(&s.job, "2026-02-30", "10:00", "11:00", ""), "date"),
        (entry(&s.job, &day, "25:00", "11:00", ""), "start"),
        (entry(&s.other_job, &day, "10:00", "11:00", ""), "job_id"),
        (entry("not-a-uuid", &day, "10:00", "11:00", ""), "job_id"),
        (entry(&s.job, &days_ago(-2), "10:00", "11:00", ""), "end"),
        (entry(&s.job, &day, "10:00", "11:00", &"x".repeat(2001)), "description"),
        (
            json!({ "form": { "job_id": s.job, "date": day, "start": "10:00", "end": "", "duration": "-2",
                              "break_minutes": "", "description": "", "billable": true } }),
            "duration",
        ),
        (
            json!({ "form": { "job_id": s.job, "date": day, "start": "10:00", "end": "", "duration": "30",
                              "break_minutes": "", "description": "", "billable": true } }),
            "duration",
        ),
        (
            json!({ "form": { "job_id": s.job, "date": day, "start": "10:00", "end": "11:00", "duration": "",
                              "break_minutes": "60", "description": "", "billable": true } }),
            "break_minutes",
        ),
    ];
    for (form, field) in cases {
        let (status, body) = status_and_body(s.app.rpc(&s.worker, "time/create", form.clone()).await).await;
        assert_eq!((status, error_fields(&body)), (422, vec![field.to_string()]), "{form}");
    }
    // Another company's job is just as unknown.
    let theirs = s
        .app
        .rpc_ok(
            &s.other_admin,
            "customers/create",
            json!({ "form": { "name": "Theirs", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let (status, body) = status_and_body(
        s.app.rpc(&s.worker, "time/create", entry(theirs["id"].as_str().unwrap(), &day, "10:00", "11:00", "")).await,
    )
    .await;
    assert_eq!((status, error_fields(&body)), (422, vec!["job_id".to_string()]));
    assert_eq!(s.logs().await, 0);
    assert_eq!(s.app.count("select count(*) from audit_log where entity_type = 'work_log'").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn each_time_function_answers_each_caller(db: PgPool) {
    let s = setup(db).await;
    let day = days_ago(2);
    let id = s.log(&day, "09:00", "10:00").await;
    s.submit(&id).await;
    let visitor = browser();
    let form = entry(&s.job, &day, "09:00", "10:00", "x")["form"].clone();
    // (endpoint, args, [admin, worker, other worker, customer, other company's admin, visitor])
    // In this order: the admin's decision approves the entry, and the admin's edit then
    // makes it a new pending revision.
    let cases: Vec<(&str, Value, [u16; 6])> = vec![
        ("time/log", json!({ "id": id }), [200, 200, 404, 200, 404, 401]),
        ("time/decide", json!({ "ids": [id], "approve": true, "reason": "" }), [200, 403, 403, 409, 404, 401]),
        ("time/update", json!({ "id": id, "form": form }), [200, 409, 404, 403, 404, 401]),
        ("time/delete", json!({ "id": id }), [409, 409, 404, 403, 404, 401]),
        ("time/submit", json!({ "ids": [id] }), [403, 409, 404, 403, 403, 401]),
        ("time/list", json!({ "query": {} }), [200, 403, 403, 403, 200, 401]),
        ("time/approvals", json!({ "customer": null }), [200, 403, 403, 200, 200, 401]),
        ("time/waiting", json!({}), [200, 403, 403, 200, 200, 401]),
        ("time/mine", json!({}), [403, 200, 200, 403, 403, 401]),
        ("contracts/list", json!({}), [200, 403, 403, 403, 200, 401]),
        ("reports/monthly", json!({ "query": {} }), [200, 200, 200, 200, 200, 401]),
        ("reports/monthly", json!({ "query": { "customer": s.customer_id } }), [200, 200, 200, 200, 404, 401]),
        ("time/overview", json!({}), [200, 403, 403, 403, 200, 401]),
        ("time/settings", json!({}), [200, 403, 403, 403, 200, 401]),
    ];
    let callers = [&s.admin, &s.worker, &s.other_worker, &s.customer, &s.other_admin, &visitor];
    let names = ["admin", "worker", "other worker", "customer", "other company", "visitor"];
    for (endpoint, args, expected) in cases {
        for (i, caller) in callers.iter().enumerate() {
            let status = s.app.rpc(caller, endpoint, args.clone()).await.status().as_u16();
            assert_eq!(status, expected[i], "{endpoint} as {}", names[i]);
        }
    }
    assert_eq!(s.status_of(&id).await, "PENDING");
    // The other company's admin never reached this company's rows.
    let mine = s.app.rpc_ok(&s.other_admin, "time/list", json!({ "query": {} })).await;
    assert_eq!(mine["count"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_signed_off_month_is_locked_until_an_admin_reopens_it(db: PgPool) {
    let s = setup(db).await;
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let this_month = today.with_day(1).unwrap();
    let last_month = (this_month - Duration::days(1)).with_day(1).unwrap();
    let day = (last_month + Duration::days(1)).format("%Y-%m-%d").to_string();
    let month = last_month.format("%Y-%m").to_string();
    let id = s.log(&day, "09:00", "12:00").await;
    s.submit(&id).await;
    // Waiting entries block the sign-off.
    let (status, _) = status_and_body(
        s.app.rpc(&s.customer, "time/sign_month", json!({ "customer_id": s.customer_id, "month": month })).await,
    )
    .await;
    assert_eq!(status, 409);
    s.app.rpc_ok(&s.customer, "time/decide", json!({ "ids": [id], "approve": true, "reason": "" })).await;
    // The current month cannot be signed off yet.
    let (status, body) = status_and_body(
        s.app
            .rpc(
                &s.customer,
                "time/sign_month",
                json!({ "customer_id": s.customer_id, "month": this_month.format("%Y-%m").to_string() }),
            )
            .await,
    )
    .await;
    assert_eq!((status, error_fields(&body)), (422, vec!["month".to_string()]));
    let signed =
        s.app.rpc_ok(&s.customer, "time/sign_month", json!({ "customer_id": s.customer_id, "month": month })).await;
    assert_eq!(signed["signed_off"]["by_name"], "Cora");
    assert_eq!(signed["approved_minutes"], 180);
    // Locked: the admin cannot change it, the worker cannot add time to that month.
    let form = entry(&s.job, &day, "09:00", "11:00", "x")["form"].clone();
    let (status, _) =
        status_and_body(s.app.rpc(&s.admin, "time/update", json!({ "id": id, "form": form })).await).await;
    assert_eq!(status, 409);
    let (status, body) =
        status_and_body(s.app.rpc(&s.worker, "time/create", entry(&s.job, &day, "13:00", "14:00", "")).await).await;
    assert_eq!((status, error_fields(&body)), (422, vec!["date".to_string()]));
    // Customers cannot reopen; admins can, with an audit entry.
    let (status, _) = status_and_body(
        s.app.rpc(&s.customer, "time/reopen_month", json!({ "customer_id": s.customer_id, "month": month })).await,
    )
    .await;
    assert_eq!(status, 403);
    s.app.rpc_ok(&s.admin, "time/reopen_month", json!({ "customer_id": s.customer_id, "month": month })).await;
    assert_eq!(s.app.count("select count(*) from audit_log where action = 'month.reopened'").await, 1);
    s.app.rpc_ok(&s.admin, "time/update", json!({ "id": id, "form": form })).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn pending_entries_approve_themselves_after_the_deadline(db: PgPool) {
    let s = setup(db).await;
    s.app.rpc_ok(&s.admin, "time/save_settings", json!({ "settings": { "auto_approve_days": "3" } })).await;
    let id = s.log(&days_ago(1), "09:00", "10:00").await;
    s.submit(&id).await;
    let approvals = s.app.rpc_ok(&s.customer, "time/approvals", json!({ "customer": null })).await;
    assert!(approvals["pending"][0]["auto_approve_label"].is_string(), "the customer sees the deadline");
    let (status, body) = status_and_body(
        s.app.rpc(&s.admin, "time/save_settings", json!({ "settings": { "auto_approve_days": "500" } })).await,
    )
    .await;
    assert_eq!((status, error_fields(&body)), (422, vec!["auto_approve_days".to_string()]));

    let owner = s.app.db.connect_options().as_ref().clone();
    let pool = AppPool::from_pool(PgPoolOptions::new().connect_with(app_role_options(&owner, None)).await.unwrap());
    assert_eq!(server::time::approvals::auto_approve_due(&pool).await.unwrap(), 0);
    sqlx::query("update work_logs set auto_approve_at = now() - interval '1 minute' where id = $1::uuid")
        .bind(&id)
        .execute(&s.app.db)
        .await
        .unwrap();
    assert_eq!(server::time::approvals::auto_approve_due(&pool).await.unwrap(), 1);
    assert_eq!(s.status_of(&id).await, "APPROVED");
    assert_eq!(s.app.count("select count(*) from audit_log where action = 'work_log.auto_approved'").await, 1);
}

/// Inserts a finished, approved log directly (for report fixtures at exact instants).
pub(crate) async fn insert_log(db: &PgPool, job: &str, start: &str, minutes: i64, description: &str) {
    sqlx::query(
        "insert into work_logs (company_id, worker_id, job_id, customer_id, started_at, ended_at, description, status,
                                submitted_at, decided_at)
         select company_id, assigned_worker_id, id, customer_id, $2::timestamptz, $2::timestamptz + make_interval(mins => $3),
                $4, 'APPROVED', now(), now()
         from jobs where id = $1::uuid",
    )
    .bind(job)
    .bind(start)
    .bind(minutes as i32)
    .bind(description)
    .execute(db)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn monthly_reports_follow_the_company_calendar_across_daylight_saving(db: PgPool) {
    let s = setup(db).await;
    // Berlin: 31 Oct 2026 23:30 local is 22:30 UTC (CET, after the change on 25 Oct).
    insert_log(&s.app.db, &s.job, "2026-10-31T22:30:00Z", 60, "Last evening of October").await;
    // 1 Nov 2026 00:30 local is 23:30 UTC on 31 Oct.
    insert_log(&s.app.db, &s.job, "2026-10-31T23:30:00Z", 90, "First night of November").await;
    let october = s.app.rpc_ok(&s.admin, "reports/monthly", json!({ "query": { "month": "2026-10" } })).await;
    let november = s.app.rpc_ok(&s.admin, "reports/monthly", json!({ "query": { "month": "2026-11" } })).await;
    assert_eq!(october["totals"]["approved_minutes"], 60);
    assert_eq!(november["totals"]["approved_minutes"], 90);
    assert_eq!(november["per_day"].as_array().unwrap().len(), 30);
    assert_eq!(november["per_day"][0]["minutes"], 90);

    // New York: a company there counts the same instants by its own calendar.
    sqlx::query("update companies set timezone = 'America/New_York' where slug = 'acme'")
        .execute(&s.app.db)
        .await
        .unwrap();
    // 2026-11-01T03:30Z is 31 Oct 23:30 in New York (EDT, before the change on 1 Nov).
    insert_log(&s.app.db, &s.job, "2026-11-01T03:30:00Z", 30, "NY October").await;
    // 2026-12-01T04:30Z is 30 Nov 23:30 in New York (EST).
    insert_log(&s.app.db, &s.job, "2026-12-01T04:30:00Z", 45, "NY November").await;
    let october = s.app.rpc_ok(&s.admin, "reports/monthly", json!({ "query": { "month": "2026-10" } })).await;
    let november = s.app.rpc_ok(&s.admin, "reports/monthly", json!({ "query": { "month": "2026-11" } })).await;
    // October in New York: the 22:30Z and 23:30Z logs (evening of the 31st) and 03:30Z.
    assert_eq!(october["totals"]["approved_minutes"], 60 + 90 + 30);
    assert_eq!(november["totals"]["approved_minutes"], 45);
    assert_eq!(november["lines"][0]["description"], "NY November");

    // Customers get their own record only, whatever they ask for; workers their own hours.
    let theirs = s.app.rpc_ok(&s.customer, "reports/monthly", json!({ "query": { "month": "2026-10" } })).await;
    assert_eq!(theirs["scope_label"], "Customer: Harbour Café");
    let olga = s.app.rpc_ok(&s.other_worker, "reports/monthly", json!({ "query": { "month": "2026-10" } })).await;
    assert_eq!(olga["totals"]["log_count"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn hours_waiting_counts_only_the_callers_own_submitted_entries(db: PgPool) {
    let s = setup(db).await;
    let day = days_ago(2);
    let submitted = s.log(&day, "09:00", "10:30").await;
    s.submit(&submitted).await;
    // A draft is the worker's own: it does not wait for anyone.
    s.log(&day, "11:00", "12:00").await;
    let waiting = |body: Value| (body["entries"].as_i64().unwrap(), body["minutes"].as_i64().unwrap());
    assert_eq!(waiting(s.app.rpc_ok(&s.customer, "time/waiting", json!({})).await), (1, 90));
    assert_eq!(waiting(s.app.rpc_ok(&s.admin, "time/waiting", json!({})).await), (1, 90));
    // Another company sees none of it.
    assert_eq!(waiting(s.app.rpc_ok(&s.other_admin, "time/waiting", json!({})).await), (0, 0));
    s.app.rpc_ok(&s.customer, "time/decide", json!({ "ids": [submitted], "approve": true, "reason": "" })).await;
    assert_eq!(waiting(s.app.rpc_ok(&s.customer, "time/waiting", json!({})).await), (0, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_report_without_a_month_opens_on_the_latest_month_with_hours(db: PgPool) {
    let s = setup(db).await;
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let this_month = Utc::now().with_timezone(&berlin).format("%Y-%m").to_string();
    // Nothing at all: the current month.
    let empty = s.app.rpc_ok(&s.admin, "reports/monthly", json!({ "query": {} })).await;
    assert_eq!(empty["month"], this_month);

    insert_log(&s.app.db, &s.job, "2025-03-10T09:00:00Z", 60, "Spring service").await;
    insert_log(&s.app.db, &s.job, "2025-01-10T09:00:00Z", 30, "Winter check").await;
    let report = s.app.rpc_ok(&s.admin, "reports/monthly", json!({ "query": {} })).await;
    assert_eq!(report["month"], "2025-03");
    assert_eq!(report["totals"]["approved_minutes"], 60);
    // A month asked for is the month shown, hours or not.
    let asked = s.app.rpc_ok(&s.admin, "reports/monthly", json!({ "query": { "month": this_month } })).await;
    assert_eq!(asked["month"], this_month);
    // Each viewer's latest month is their own: the other worker has no hours anywhere.
    let olga = s.app.rpc_ok(&s.other_worker, "reports/monthly", json!({ "query": {} })).await;
    assert_eq!(olga["month"], this_month);
    let customer = s.app.rpc_ok(&s.customer, "reports/monthly", json!({ "query": {} })).await;
    assert_eq!(customer["month"], "2025-03");
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_and_pdf_exports_carry_the_hours(db: PgPool) {
    let s = setup(db).await;
    insert_log(
        &s.app.db,
        &s.job,
        "2026-10-05T08:00:00Z",
        150,
        "=HYPERLINK(\"http://evil\"), then \"quotes\"\nand a line",
    )
    .await;
    insert_log(&s.app.db, &s.job, "2026-10-06T08:00:00Z", 60, "@SUM(A1), -1+2, +3").await;
    let csv = s.admin.get(s.app.url("/exports/time-report.csv?month=2026-10")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("fieldbook-2026-10-all.csv"));
    let text = csv.text().await.unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "Date,Start,End,Worker,Customer,Job,Description,Status,Billable,Hours,Minutes");
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil\"\"), then \"\"quotes\"\"\nand a line\""),
        "formula neutralised, quotes doubled, newline kept inside quotes: {text}"
    );
    assert!(text.contains(",\"'@SUM(A1), -1+2, +3\","), "{text}");
    assert!(text.contains("Walt Worker,Harbour Café,Fix the pump"), "{text}");
    assert!(text.contains(",2.50,150\r\n"), "{text}");

    // The customer's download is theirs; another company's admin sees nothing of it.
    let other = s.other_admin.get(s.app.url("/exports/time-report.csv?month=2026-10")).send().await.unwrap();
    assert!(!other.text().await.unwrap().contains("Harbour"));
    let cross = s
        .other_admin
        .get(s.app.url(&format!("/exports/time-report.csv?month=2026-10&customer={}", s.customer_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::NOT_FOUND);
    let anonymous = browser().get(s.app.url("/exports/time-report.pdf?month=2026-10")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let pdf = s.customer.get(s.app.url("/exports/time-report.pdf?month=2026-10")).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let path = std::env::temp_dir().join(format!("fieldbook-report-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, &bytes).unwrap();
    let output = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    let output = output.expect("pdftotext (poppler-utils) is installed by ./fieldbook test");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Company acme"), "{text}");
    assert!(text.contains("October 2026"), "{text}");
    assert!(text.contains("Customer: Harbour Café"), "{text}");
    assert!(text.contains("3:30 h"), "the total of 2:30 + 1:00: {text}");
    assert!(text.contains("Page 1 of 1"), "{text}");
}

#[sqlx::test(migrations = "../migrations")]
async fn contracts_show_hours_used_against_the_budget(db: PgPool) {
    let s = setup(db).await;
    let worker_id = sqlx::query_scalar::<_, uuid::Uuid>("select id from users where email = 'walt@acme.test'")
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let first = Utc::now().with_timezone(&tz).date_naive().with_day(1).unwrap();
    let contract = |budget: &str| {
        json!({ "form": { "title": "Maintenance", "worker_id": worker_id, "customer_id": s.customer_id,
                          "budget_hours": budget, "period": "MONTHLY", "starts_on": first.format("%Y-%m-%d").to_string(), "ends_on": "" } })
    };
    let (status, body) = status_and_body(s.app.rpc(&s.admin, "contracts/create", contract("-4")).await).await;
    assert_eq!((status, error_fields(&body)), (422, vec!["budget_hours".to_string()]));
    let (status, _) = status_and_body(s.app.rpc(&s.worker, "contracts/create", contract("4")).await).await;
    assert_eq!(status, 403);
    // Another company's admin cannot name this company's worker.
    let (status, body) = status_and_body(s.app.rpc(&s.other_admin, "contracts/create", contract("4")).await).await;
    assert_eq!((status, error_fields(&body)), (422, vec!["worker_id".to_string(), "customer_id".to_string()]));
    s.app.rpc_ok(&s.admin, "contracts/create", contract("4")).await;

    // 3 h 30 of 4 h this month: a warning at 80 %.
    let today = Utc::now().with_timezone(&tz).date_naive();
    let day = if today.day() > 1 { today - Duration::days(1) } else { today };
    let date = day.format("%Y-%m-%d").to_string();
    let id = s.log(&date, "00:00", "02:00").await;
    s.submit(&id).await;
    s.app.rpc_ok(&s.customer, "time/decide", json!({ "ids": [id], "approve": true, "reason": "" })).await;
    s.log(&date, "02:00", "03:30").await;
    let mine = s.app.rpc_ok(&s.worker, "time/mine", json!({})).await;
    let usage = &mine["contracts"][0];
    assert_eq!(usage["approved_minutes"], 120);
    assert_eq!(usage["draft_minutes"], 90);
    assert_eq!(usage["remaining_minutes"], 30);
    assert_eq!(usage["level"], "warning");
    assert_eq!(mine["jobs"][0]["contract"]["percent"], 87);
    let theirs = s.app.rpc_ok(&s.customer, "time/approvals", json!({ "customer": null })).await;
    assert_eq!(theirs["contracts"][0]["used_minutes"], 210);
    let dashboard = s.app.rpc_ok(&s.admin, "time/overview", json!({})).await;
    assert_eq!(dashboard["contract_warnings"].as_array().unwrap().len(), 1);
}
