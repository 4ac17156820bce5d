//! Jobs: creation with tasks, edits with optimistic concurrency, archive, and who may see what.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

struct Company {
    admin: Client,
    customer_id: String,
    worker_id: String,
    statuses: Vec<Value>,
}

impl Company {
    fn status(&self, name: &str) -> String {
        self.statuses.iter().find(|s| s["name"] == name).unwrap()["id"].as_str().unwrap().to_string()
    }
}

async fn company(app: &TestApp, slug: &str) -> Company {
    let signed = app.sign_up(slug, &format!("admin@{slug}.test")).await;
    let customer = app
        .rpc_ok(
            &signed.client,
            "customers/create",
            json!({ "form": { "name": "Miller Farm", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let worker_id = app.create_user(&signed.client, "Walt Worker", &format!("walt@{slug}.test"), "WORKER").await;
    let statuses = app.rpc_ok(&signed.client, "statuses/list", json!({})).await.as_array().unwrap().clone();
    Company { admin: signed.client, customer_id: customer["id"].as_str().unwrap().into(), worker_id, statuses }
}

fn job_form(c: &Company) -> Value {
    json!({
        "customer_id": c.customer_id,
        "title": "Fix the barn door",
        "description": "Hinges are rusted through.",
        "scheduled_date": "2026-07-15",
        "scheduled_time": "09:30",
        "worker_id": c.worker_id,
        "status_id": c.status("Scheduled"),
        "tasks": ["Buy hinges", "  ", "Replace hinges", "Oil the latch"],
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_creates_a_job_with_tasks_a_worker_and_a_local_schedule(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let job = app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": job_form(&acme) })).await;
    assert_eq!(job["title"], "Fix the barn door");
    assert_eq!(job["worker_name"], "Walt Worker");
    assert_eq!(job["status"]["name"], "Scheduled");
    // 09:30 in Berlin in July is 07:30 UTC.
    assert_eq!(job["scheduled_at"], "2026-07-15T07:30:00Z");
    assert_eq!((job["scheduled_date"].as_str(), job["scheduled_time"].as_str()), (Some("2026-07-15"), Some("09:30")));
    let tasks: Vec<_> = job["tasks"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert_eq!(tasks, ["Buy hinges", "Replace hinges", "Oil the latch"]);
    assert_eq!(job["version"], 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'job.created'").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_job_input_names_the_field_and_writes_nothing(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let bobs = company(&app, "bobs").await;
    let cases: Vec<(&str, &str, Value)> = vec![
        ("unknown customer", "customer_id", json!(uuid::Uuid::new_v4())),
        ("another company's customer", "customer_id", json!(bobs.customer_id)),
        ("another company's worker", "worker_id", json!(bobs.worker_id)),
        ("an admin as worker", "worker_id", json!(app.rpc_ok(&acme.admin, "auth/session", json!({})).await["user_id"])),
        ("another company's status", "status_id", json!(bobs.status("New"))),
        ("empty title", "title", json!("   ")),
        ("huge description", "description", json!("x".repeat(2 * 1024 * 1024))),
        ("invalid date", "scheduled_date", json!("2026-02-30")),
        ("invalid time", "scheduled_time", json!("9.30am")),
    ];
    for (case, field, value) in cases {
        let mut form = job_form(&acme);
        form[field] = value;
        let response = app.rpc(&acme.admin, "jobs/create", json!({ "form": form })).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_fields(&body), [field], "{case}");
    }
    assert_eq!(app.count("select count(*) from jobs").await, 0);
    assert_eq!(app.count("select count(*) from job_tasks").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_edits_do_not_silently_overwrite_each_other(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let job = app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": job_form(&acme) })).await;
    let id = job["id"].clone();
    let second_admin_tab = app.log_in_browser("acme", "admin@acme.test").await;

    let mut first = job_form(&acme);
    first["title"] = json!("Fix the barn door (urgent)");
    first["version"] = json!(1);
    let mut second = job_form(&acme);
    second["title"] = json!("Paint the barn door");
    second["version"] = json!(1);

    let saved = app.rpc_ok(&acme.admin, "jobs/update", json!({ "id": id, "form": first })).await;
    assert_eq!(saved["version"], 2);
    let stale = app.rpc(&second_admin_tab, "jobs/update", json!({ "id": id, "form": second })).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["kind"], "stale", "an edit based on an old version, not any conflict");

    let current = app.rpc_ok(&acme.admin, "jobs/get", json!({ "id": id })).await;
    assert_eq!(current["title"], "Fix the barn door (urgent)");
    let unversioned = app.rpc(&acme.admin, "jobs/update", json!({ "id": id, "form": job_form(&acme) })).await;
    assert_eq!(unversioned.status(), StatusCode::BAD_REQUEST);
    let audit: (Value, Value) = sqlx::query_as("select before, after from audit_log where action = 'job.updated'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        (audit.0["title"].as_str(), audit.1["title"].as_str()),
        (Some("Fix the barn door"), Some("Fix the barn door (urgent)"))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn archive_and_restore_are_audited(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let id = app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": job_form(&acme) })).await["id"].clone();
    let archived = app.rpc_ok(&acme.admin, "jobs/set_archived", json!({ "id": id, "archived": true })).await;
    assert_eq!((archived["is_archived"].as_bool(), archived["version"].as_i64()), (Some(true), Some(2)));
    let restored = app.rpc_ok(&acme.admin, "jobs/set_archived", json!({ "id": id, "archived": false })).await;
    assert_eq!(restored["is_archived"], false);
    assert_eq!(app.count("select count(*) from audit_log where action in ('job.archived', 'job.restored')").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn who_may_see_and_change_a_job(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let bobs = company(&app, "bobs").await;
    let job = app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": job_form(&acme) })).await;
    let id = job["id"].clone();
    // A note for the customer and an internal one, arranged directly (notes arrive with the job detail page).
    for (body, visibility) in [("See you Tuesday", "CUSTOMER"), ("Customer is slow to pay", "INTERNAL")] {
        sqlx::query("insert into job_notes (company_id, job_id, author_id, body, visibility) select company_id, id, assigned_worker_id, $2, $3::note_visibility from jobs where id = $1::uuid")
            .bind(id.as_str().unwrap())
            .bind(body)
            .bind(visibility)
            .execute(&app.db)
            .await
            .unwrap();
    }

    let walt = app.log_in_browser("acme", "walt@acme.test").await;
    let other_worker = app.create_user(&acme.admin, "Olga Other", "olga@acme.test", "WORKER").await;
    assert!(!other_worker.is_empty());
    let olga = app.log_in_browser("acme", "olga@acme.test").await;
    let cora_form = json!({ "form": { "name": "Cora", "email": "cora@acme.test", "role": "CUSTOMER", "password": PASSWORD, "customer_id": acme.customer_id } });
    app.rpc_ok(&acme.admin, "users/create", cora_form).await;
    let cora = app.log_in_browser("acme", "cora@acme.test").await;
    let unlinked_form = json!({ "form": { "name": "Uma", "email": "uma@acme.test", "role": "CUSTOMER", "password": PASSWORD, "customer_id": "" } });
    app.rpc_ok(&acme.admin, "users/create", unlinked_form).await;
    let uma = app.log_in_browser("acme", "uma@acme.test").await;

    // Reading.
    assert_eq!(app.rpc_ok(&walt, "jobs/get", json!({ "id": id })).await["title"], "Fix the barn door");
    let seen_by_customer = app.rpc_ok(&cora, "jobs/get", json!({ "id": id })).await;
    assert_eq!(seen_by_customer["worker_name"], "Walt Worker");
    assert_eq!(seen_by_customer["worker_id"], Value::Null, "customers get the worker's name only");
    let notes: Vec<_> =
        seen_by_customer["notes"].as_array().unwrap().iter().map(|n| n["body"].as_str().unwrap()).collect();
    assert_eq!(notes, ["See you Tuesday"], "internal notes stay internal");
    for (who, client) in
        [("another worker", &olga), ("an unlinked customer", &uma), ("another company's admin", &bobs.admin)]
    {
        assert_eq!(app.rpc(client, "jobs/get", json!({ "id": id })).await.status(), StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(app.rpc(&browser(), "jobs/get", json!({ "id": id })).await.status(), StatusCode::UNAUTHORIZED);

    // Changing.
    let mut edit = job_form(&acme);
    edit["version"] = json!(1);
    let calls = [
        ("jobs/create", json!({ "form": job_form(&acme) })),
        ("jobs/update", json!({ "id": id, "form": edit })),
        ("jobs/set_archived", json!({ "id": id, "archived": true })),
    ];
    for (endpoint, args) in &calls {
        for (who, client) in [("worker", &walt), ("customer", &cora)] {
            assert_eq!(
                app.rpc(client, endpoint, args.clone()).await.status(),
                StatusCode::FORBIDDEN,
                "{who} {endpoint}"
            );
        }
    }
    for (endpoint, args) in &calls[1..] {
        assert_eq!(
            app.rpc(&bobs.admin, endpoint, args.clone()).await.status(),
            StatusCode::NOT_FOUND,
            "other company {endpoint}"
        );
    }
    let current = app.rpc_ok(&acme.admin, "jobs/get", json!({ "id": id })).await;
    assert_eq!((current["version"].as_i64(), current["is_archived"].as_bool()), (Some(1), Some(false)));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_schema_refuses_jobs_pointing_into_another_company(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let bobs = company(&app, "bobs").await;
    let insert = |customer: &str, worker: &str, status: &str| {
        sqlx::query(
            "insert into jobs (company_id, customer_id, assigned_worker_id, status_id, title)
             select company_id, $2::uuid, $3::uuid, $4::uuid, 'x' from customers where id = $1::uuid",
        )
        .bind(acme.customer_id.clone())
        .bind(customer.to_string())
        .bind(worker.to_string())
        .bind(status.to_string())
        .execute(&app.db)
    };
    let error = insert(&bobs.customer_id, &acme.worker_id, &acme.status("New")).await.unwrap_err();
    assert!(error.to_string().contains("jobs_customer_fkey"), "{error}");
    let error = insert(&acme.customer_id, &bobs.worker_id, &acme.status("New")).await.unwrap_err();
    assert!(error.to_string().contains("jobs_worker_fkey"), "{error}");
    let error = insert(&acme.customer_id, &acme.worker_id, &bobs.status("New")).await.unwrap_err();
    assert!(error.to_string().contains("jobs_status_fkey"), "{error}");
    insert(&acme.customer_id, &acme.worker_id, &acme.status("New")).await.expect("same-company references are fine");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_assigned_worker_ticks_tasks_adds_notes_and_finishes_the_job(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let job = app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": job_form(&acme) })).await;
    let id = job["id"].clone();
    let walt = app.log_in_browser("acme", "walt@acme.test").await;

    for task in job["tasks"].as_array().unwrap() {
        let updated = app
            .rpc_ok(&walt, "jobs/set_task_completed", json!({ "job_id": id, "task_id": task["id"], "completed": true }))
            .await;
        let ticked = updated["tasks"].as_array().unwrap().iter().find(|t| t["id"] == task["id"]).unwrap().clone();
        assert_eq!(
            (ticked["is_completed"].as_bool(), ticked["completed_by_name"].as_str()),
            (Some(true), Some("Walt Worker"))
        );
    }
    let noted = app
        .rpc_ok(
            &walt,
            "jobs/add_note",
            json!({ "job_id": id, "form": { "body": "New hinges fitted.", "visibility": "CUSTOMER" } }),
        )
        .await;
    assert_eq!(noted["notes"][0]["author_name"], "Walt Worker");
    let done = app.rpc_ok(&walt, "jobs/change_status", json!({ "id": id, "status_id": acme.status("Done") })).await;
    assert_eq!((done["status"]["kind"].as_str(), done["version"].as_i64()), (Some("DONE"), Some(2)));

    let reopened = app
        .rpc_ok(
            &acme.admin,
            "jobs/set_task_completed",
            json!({ "job_id": id, "task_id": job["tasks"][0]["id"], "completed": false }),
        )
        .await;
    assert_eq!(reopened["tasks"][0]["completed_by_name"], Value::Null);
    let added =
        app.rpc_ok(&acme.admin, "jobs/add_task", json!({ "job_id": id, "title": "Check the latch again" })).await;
    assert_eq!(added["tasks"].as_array().unwrap().last().unwrap()["title"], "Check the latch again");

    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where entity_type = 'job' order by created_at, action")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(actions.iter().filter(|a| *a == "job.task_completed").count(), 3);
    assert!(actions.contains(&"job.status_changed".to_string()) && actions.contains(&"job.note_added".to_string()));
}

#[sqlx::test(migrations = "../migrations")]
async fn field_actions_are_refused_to_everyone_else_and_bad_input_names_the_field(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let bobs = company(&app, "bobs").await;
    let job = app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": job_form(&acme) })).await;
    let (id, task) = (job["id"].clone(), job["tasks"][0]["id"].clone());
    let other_job = app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": job_form(&acme) })).await;
    app.create_user(&acme.admin, "Olga Other", "olga@acme.test", "WORKER").await;
    let olga = app.log_in_browser("acme", "olga@acme.test").await;
    let walt = app.log_in_browser("acme", "walt@acme.test").await;
    let cora_form = json!({ "form": { "name": "Cora", "email": "cora@acme.test", "role": "CUSTOMER", "password": PASSWORD, "customer_id": acme.customer_id } });
    app.rpc_ok(&acme.admin, "users/create", cora_form).await;
    let cora = app.log_in_browser("acme", "cora@acme.test").await;

    let calls = [
        ("jobs/change_status", json!({ "id": id, "status_id": acme.status("Done") })),
        ("jobs/set_task_completed", json!({ "job_id": id, "task_id": task, "completed": true })),
        ("jobs/add_note", json!({ "job_id": id, "form": { "body": "hi", "visibility": "INTERNAL" } })),
        ("jobs/add_task", json!({ "job_id": id, "title": "Sneaky task" })),
    ];
    for (endpoint, args) in &calls {
        for (who, client, expected) in [
            (
                "another worker",
                &olga,
                if *endpoint == "jobs/add_task" { StatusCode::FORBIDDEN } else { StatusCode::NOT_FOUND },
            ),
            ("the customer", &cora, StatusCode::FORBIDDEN),
            ("another company's admin", &bobs.admin, StatusCode::NOT_FOUND),
            ("a visitor", &browser(), StatusCode::UNAUTHORIZED),
        ] {
            assert_eq!(app.rpc(client, endpoint, args.clone()).await.status(), expected, "{who} {endpoint}");
        }
    }
    assert_eq!(
        app.rpc(&walt, "jobs/add_task", calls[3].1.clone()).await.status(),
        StatusCode::FORBIDDEN,
        "workers tick, admins plan"
    );
    // A task id of another job is not a task of this job.
    let wrong_task = json!({ "job_id": other_job["id"], "task_id": task, "completed": true });
    assert_eq!(app.rpc(&acme.admin, "jobs/set_task_completed", wrong_task).await.status(), StatusCode::NOT_FOUND);

    for (endpoint, args, field) in [
        ("jobs/change_status", json!({ "id": id, "status_id": bobs.status("Done") }), "status_id"),
        ("jobs/add_note", json!({ "job_id": id, "form": { "body": "  ", "visibility": "INTERNAL" } }), "body"),
        (
            "jobs/add_note",
            json!({ "job_id": id, "form": { "body": "x".repeat(5001), "visibility": "INTERNAL" } }),
            "body",
        ),
        ("jobs/add_note", json!({ "job_id": id, "form": { "body": "ok", "visibility": "EVERYONE" } }), "visibility"),
        ("jobs/add_task", json!({ "job_id": id, "title": "" }), "title"),
    ] {
        let response = app.rpc(walt_or_admin(endpoint, &walt, &acme.admin), endpoint, args).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{endpoint} {field}");
        assert_eq!(error_fields(&response.json().await.unwrap()), [field]);
    }
    let unchanged = app.rpc_ok(&acme.admin, "jobs/get", json!({ "id": id })).await;
    assert_eq!((unchanged["version"].as_i64(), unchanged["notes"].as_array().unwrap().len()), (Some(1), 0));
    assert_eq!(unchanged["tasks"].as_array().unwrap().len(), 3);
    assert!(unchanged["tasks"].as_array().unwrap().iter().all(|t| t["is_completed"] == false));
}

fn walt_or_admin<'a>(endpoint: &str, walt: &'a Client, admin: &'a Client) -> &'a Client {
    if endpoint == "jobs/add_task" {
        admin
    } else {
        walt
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn workers_and_customers_see_their_jobs_grouped_by_day(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = company(&app, "acme").await;
    let berlin_today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let day = |offset: i64| (berlin_today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string();
    let create = |title: &str, date: String, status: &str| {
        let mut form = job_form(&acme);
        form["title"] = json!(title);
        form["scheduled_date"] = json!(date);
        form["scheduled_time"] = json!(if date.is_empty() { "" } else { "12:00" });
        form["status_id"] = json!(acme.status(status));
        form["tasks"] = json!([]);
        form
    };
    for (title, date, status) in [
        ("Overdue fence", day(-1), "Scheduled"),
        ("Today's gate", day(0), "In progress"),
        ("Next week's roof", day(7), "Scheduled"),
        ("Someday shed", String::new(), "New"),
        ("Finished barn", day(-3), "Done"),
    ] {
        app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": create(title, date, status) })).await;
    }
    let archived =
        app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": create("Archived job", day(0), "New") })).await;
    app.rpc_ok(&acme.admin, "jobs/set_archived", json!({ "id": archived["id"], "archived": true })).await;
    let mut unassigned = create("Someone else's", day(0), "New");
    unassigned["worker_id"] = json!("");
    app.rpc_ok(&acme.admin, "jobs/create", json!({ "form": unassigned })).await;

    let titles = |group: &Value| -> Vec<String> {
        group.as_array().unwrap().iter().map(|j| j["title"].as_str().unwrap().to_string()).collect()
    };
    let walt = app.log_in_browser("acme", "walt@acme.test").await;
    let mine = app.rpc_ok(&walt, "jobs/mine", json!({})).await;
    assert_eq!(titles(&mine["today"]), ["Overdue fence", "Today's gate"]);
    assert_eq!(titles(&mine["upcoming"]), ["Next week's roof", "Someday shed"]);
    assert_eq!(titles(&mine["done"]), ["Finished barn"]);
    assert!(mine["today"][1]["scheduled_label"].as_str().unwrap().ends_with("12:00"), "shown in the worker's timezone");

    let cora_form = json!({ "form": { "name": "Cora", "email": "cora@acme.test", "role": "CUSTOMER", "password": PASSWORD, "customer_id": acme.customer_id } });
    app.rpc_ok(&acme.admin, "users/create", cora_form).await;
    let cora = app.log_in_browser("acme", "cora@acme.test").await;
    let theirs = app.rpc_ok(&cora, "jobs/mine", json!({})).await;
    assert_eq!(titles(&theirs["today"]), ["Overdue fence", "Today's gate", "Someone else's"]);
    assert_eq!(titles(&theirs["done"]), ["Finished barn"]);

    assert_eq!(app.rpc(&acme.admin, "jobs/mine", json!({})).await.status(), StatusCode::FORBIDDEN);
    let bobs = company(&app, "bobs").await;
    let bob_worker = app.log_in_browser("bobs", "walt@bobs.test").await;
    let empty = app.rpc_ok(&bob_worker, "jobs/mine", json!({})).await;
    assert!(titles(&empty["today"]).is_empty() && titles(&empty["upcoming"]).is_empty());
    assert!(!bobs.customer_id.is_empty());
}
