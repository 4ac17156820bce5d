//! Every job server function × every kind of caller: allowed, or refused with the
//! status the spec gives (403 for a role that may never do it, 404 for a job that
//! does not exist for the caller, 401 without a session).

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

const OK: u16 = 200;
const BAD: u16 = 422;
const NO_SESSION: u16 = 401;
const FORBIDDEN: u16 = 403;
const MISSING: u16 = 404;

struct Callers {
    admin: Client,
    worker: Client,
    other_worker: Client,
    customer: Client,
    other_admin: Client,
    visitor: Client,
}

async fn status_names(app: &TestApp, client: &Client) -> Vec<Value> {
    app.rpc_ok(client, "statuses/list", json!({})).await.as_array().unwrap().clone()
}

#[sqlx::test(migrations = "../migrations")]
async fn each_job_function_answers_each_caller_as_the_spec_says(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "admin@acme.test").await;
    let bobs = app.sign_up("bobs", "admin@bobs.test").await;
    let customer = app
        .rpc_ok(
            &acme.client,
            "customers/create",
            json!({ "form": { "name": "Miller Farm", "email": "", "phone": "", "address": "" } }),
        )
        .await["id"]
        .clone();
    let worker_id = app.create_user(&acme.client, "Walt Worker", "walt@acme.test", "WORKER").await;
    app.create_user(&acme.client, "Olga Other", "olga@acme.test", "WORKER").await;
    let cora = json!({ "form": { "name": "Cora", "email": "cora@acme.test", "role": "CUSTOMER", "password": PASSWORD, "customer_id": customer } });
    app.rpc_ok(&acme.client, "users/create", cora).await;
    let statuses = status_names(&app, &acme.client).await;
    let done = statuses.iter().find(|s| s["kind"] == "DONE").unwrap()["id"].clone();
    let form = json!({
        "customer_id": customer, "title": "Fix the barn door", "description": "", "scheduled_date": "",
        "scheduled_time": "", "worker_id": worker_id, "status_id": statuses[0]["id"], "tasks": ["One", "Two"],
    });
    let callers = Callers {
        worker: app.log_in_browser("acme", "walt@acme.test").await,
        other_worker: app.log_in_browser("acme", "olga@acme.test").await,
        customer: app.log_in_browser("acme", "cora@acme.test").await,
        admin: acme.client,
        other_admin: bobs.client,
        visitor: browser(),
    };

    // A fresh job per function, so one function's effects never decide another's answer.
    let new_job = || async {
        let job = app.rpc_ok(&callers.admin, "jobs/create", json!({ "form": form.clone() })).await;
        (
            job["id"].clone(),
            job["tasks"][0]["id"].clone(),
            job["tasks"].as_array().unwrap().iter().map(|t| t["id"].clone()).collect::<Vec<_>>(),
        )
    };

    // (function, args builder, [admin, assigned worker, other worker, customer, other company's admin, visitor])
    let mut rows: Vec<(&str, Value, [u16; 6])> = Vec::new();
    let (id, ..) = new_job().await;
    rows.push(("jobs/get", json!({ "id": id }), [OK, OK, MISSING, OK, MISSING, NO_SESSION]));
    rows.push(("jobs/create", json!({ "form": form.clone() }), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD, NO_SESSION]));
    let (id, ..) = new_job().await;
    let mut edit = form.clone();
    edit["version"] = json!(1);
    edit["title"] = json!("Fix the barn door properly");
    rows.push((
        "jobs/update",
        json!({ "id": id, "form": edit }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    let (id, ..) = new_job().await;
    rows.push((
        "jobs/set_archived",
        json!({ "id": id, "archived": true }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    let (id, ..) = new_job().await;
    rows.push((
        "jobs/change_status",
        json!({ "id": id, "status_id": done }),
        [OK, OK, MISSING, FORBIDDEN, MISSING, NO_SESSION],
    ));
    let (id, task, _) = new_job().await;
    rows.push((
        "jobs/add_task",
        json!({ "job_id": id, "title": "Three" }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    rows.push((
        "jobs/set_task_completed",
        json!({ "job_id": id, "task_id": task, "completed": true }),
        [OK, OK, MISSING, FORBIDDEN, MISSING, NO_SESSION],
    ));
    let (id, task, tasks) = new_job().await;
    rows.push((
        "jobs/add_note",
        json!({ "job_id": id, "form": { "body": "On my way", "visibility": "CUSTOMER" } }),
        [OK, OK, MISSING, FORBIDDEN, MISSING, NO_SESSION],
    ));
    rows.push((
        "jobs/edit_task",
        json!({ "job_id": id, "task_id": task, "title": "Uno" }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    let reversed: Vec<Value> = tasks.iter().rev().cloned().collect();
    rows.push((
        "jobs/reorder_tasks",
        json!({ "job_id": id, "task_ids": reversed }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    rows.push((
        "jobs/delete_task",
        json!({ "job_id": id, "task_id": task }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    rows.push((
        "jobs/assign",
        json!({ "id": id, "worker_id": null }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    rows.push(("jobs/history", json!({ "job_id": id }), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION]));
    rows.push((
        "jobs/share_links",
        json!({ "job_id": id }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    rows.push((
        "jobs/create_share_link",
        json!({ "job_id": id, "days": "7" }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    let link = app.rpc_ok(&callers.admin, "jobs/create_share_link", json!({ "job_id": id, "days": "" })).await;
    rows.push((
        "jobs/revoke_share_link",
        json!({ "job_id": id, "link_id": link["link"]["id"] }),
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, NO_SESSION],
    ));
    rows.push(("jobs/list", json!({ "query": {} }), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NO_SESSION]));
    rows.push(("jobs/options", json!({}), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NO_SESSION]));
    rows.push(("jobs/overview", json!({}), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NO_SESSION]));
    rows.push(("jobs/choices", json!({}), [OK, OK, OK, FORBIDDEN, OK, NO_SESSION]));
    rows.push(("jobs/mine", json!({}), [FORBIDDEN, OK, OK, OK, FORBIDDEN, NO_SESSION]));

    let who = ["admin", "assigned worker", "other worker", "customer", "other company's admin", "visitor"];
    let clients = [
        &callers.admin,
        &callers.worker,
        &callers.other_worker,
        &callers.customer,
        &callers.other_admin,
        &callers.visitor,
    ];
    for (endpoint, args, expected) in &rows {
        // Refusals first: they must change nothing the allowed calls then rely on.
        let mut order: Vec<usize> = (0..6).filter(|i| expected[*i] != OK).collect();
        order.extend((0..6).filter(|i| expected[*i] == OK));
        for i in order {
            let status = app.rpc(clients[i], endpoint, args.clone()).await.status();
            assert_eq!(status, StatusCode::from_u16(expected[i]).unwrap(), "{} → {endpoint}", who[i]);
        }
    }

    // What "allowed" returned for the other company is its own data, never acme's.
    let theirs = app.rpc_ok(&callers.other_admin, "jobs/list", json!({ "query": {} })).await;
    assert_eq!(theirs["jobs"].as_array().unwrap().len(), 0);
    let options = app.rpc_ok(&callers.other_admin, "jobs/options", json!({})).await;
    assert!(options["customers"].as_array().unwrap().is_empty() && options["workers"].as_array().unwrap().is_empty());
    let overview = app.rpc_ok(&callers.other_admin, "jobs/overview", json!({})).await;
    assert!(overview["by_status"].as_array().unwrap().iter().all(|pair| pair[1] == 0), "{overview}");
    let ours = app.rpc_ok(&callers.admin, "jobs/overview", json!({})).await;
    assert!(ours["by_status"].as_array().unwrap().iter().any(|pair| pair[1].as_i64().unwrap() > 0), "{ours}");
    // The other worker's "mine" holds none of Walt's jobs.
    let mine = app.rpc_ok(&callers.other_worker, "jobs/mine", json!({})).await;
    assert!(["today", "upcoming", "done"].iter().all(|k| mine[k].as_array().unwrap().is_empty()));
}
