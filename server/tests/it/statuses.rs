//! Job statuses: defaults, admin-only changes, delete-with-move, the last done status.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn statuses(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    app.rpc_ok(client, "statuses/list", json!({})).await.as_array().unwrap().clone()
}

fn id_of(statuses: &[Value], name: &str) -> String {
    statuses.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("status {name}"))["id"]
        .as_str()
        .unwrap()
        .into()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_company_starts_with_sensible_statuses_in_order(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let list = statuses(&app, &admin.client).await;
    let names: Vec<_> = list.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["New", "Scheduled", "In progress", "Done"]);
    let kinds: Vec<_> = list.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["OPEN", "OPEN", "IN_PROGRESS", "DONE"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_create_rename_recolour_and_reorder_statuses(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let created = app
        .rpc_ok(
            &admin.client,
            "statuses/create",
            json!({ "form": { "name": "Waiting for parts", "colour": "#7C3AED", "kind": "IN_PROGRESS" } }),
        )
        .await;
    assert_eq!((created["colour"].as_str(), created["order_index"].as_i64()), (Some("#7c3aed"), Some(4)));
    let id = created["id"].as_str().unwrap().to_string();

    let dup = app
        .rpc(
            &admin.client,
            "statuses/create",
            json!({ "form": { "name": "done", "colour": "#000000", "kind": "DONE" } }),
        )
        .await;
    assert_eq!(dup.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&dup.json().await.unwrap()), ["name"]);

    let renamed = app
        .rpc_ok(
            &admin.client,
            "statuses/update",
            json!({ "id": id, "form": { "name": "Parts ordered", "colour": "#0ea5e9", "kind": "IN_PROGRESS" } }),
        )
        .await;
    assert_eq!(renamed["name"], "Parts ordered");

    let mut ids: Vec<String> =
        statuses(&app, &admin.client).await.iter().map(|s| s["id"].as_str().unwrap().to_string()).collect();
    ids.reverse();
    let reordered = app.rpc_ok(&admin.client, "statuses/reorder", json!({ "ids": ids })).await;
    let names: Vec<_> = reordered.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Parts ordered", "Done", "In progress", "Scheduled", "New"]);
    let partial = app.rpc(&admin.client, "statuses/reorder", json!({ "ids": [id] })).await;
    assert_eq!(partial.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        app.count("select count(*) from audit_log where entity_type = 'job_status'").await,
        3,
        "created, updated, reordered"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_status_input_names_the_field_and_writes_nothing(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    for (field, form) in [
        ("name", json!({ "name": "", "colour": "#000000", "kind": "OPEN" })),
        ("name", json!({ "name": "x".repeat(41), "colour": "#000000", "kind": "OPEN" })),
        ("colour", json!({ "name": "Red", "colour": "red", "kind": "OPEN" })),
        ("kind", json!({ "name": "Red", "colour": "#ff0000", "kind": "FINISHED" })),
    ] {
        let response = app.rpc(&admin.client, "statuses/create", json!({ "form": form })).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(error_fields(&response.json().await.unwrap()), [field]);
    }
    assert_eq!(app.count("select count(*) from job_statuses").await, 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn deleting_a_status_in_use_needs_a_target_and_moves_its_jobs(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let list = statuses(&app, &admin.client).await;
    let (new, scheduled) = (id_of(&list, "New"), id_of(&list, "Scheduled"));
    let customer = app
        .rpc_ok(
            &admin.client,
            "customers/create",
            json!({ "form": { "name": "Hill Farm", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    // Jobs arrive with the jobs feature; arrange two directly.
    for title in ["Fix gate", "Paint barn"] {
        sqlx::query("insert into jobs (company_id, customer_id, status_id, title) select company_id, $1::uuid, $2::uuid, $3 from customers where id = $1::uuid")
            .bind(customer["id"].as_str().unwrap())
            .bind(&new)
            .bind(title)
            .execute(&app.db)
            .await
            .unwrap();
    }

    let refused = app.rpc(&admin.client, "statuses/delete", json!({ "id": new, "move_to": null })).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(error_fields(&body), ["move_to"]);
    assert_eq!(body["errors"][0]["message"], "2 jobs use this status. Choose the status they move to.");
    let to_itself = app.rpc(&admin.client, "statuses/delete", json!({ "id": new, "move_to": new })).await;
    assert_eq!(to_itself.status(), StatusCode::UNPROCESSABLE_ENTITY);

    app.rpc_ok(&admin.client, "statuses/delete", json!({ "id": new, "move_to": scheduled })).await;
    assert_eq!(
        app.count(&format!("select count(*) from jobs where status_id = '{scheduled}' and version = 2")).await,
        2
    );
    assert_eq!(app.count("select count(*) from job_statuses").await, 3);
    let after: Value = sqlx::query_scalar("select after from audit_log where action = 'job_status.deleted'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(after["jobs_moved"], 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_last_done_status_cannot_be_deleted_or_changed_to_another_kind(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let done = id_of(&statuses(&app, &admin.client).await, "Done");
    let response = app.rpc(&admin.client, "statuses/delete", json!({ "id": done, "move_to": null })).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let response = app
        .rpc(
            &admin.client,
            "statuses/update",
            json!({ "id": done, "form": { "name": "Done", "colour": "#16a34a", "kind": "OPEN" } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&response.json().await.unwrap()), ["kind"]);

    // With a second done status, the first may go.
    app.rpc_ok(
        &admin.client,
        "statuses/create",
        json!({ "form": { "name": "Invoiced", "colour": "#0f766e", "kind": "DONE" } }),
    )
    .await;
    app.rpc_ok(&admin.client, "statuses/delete", json!({ "id": done, "move_to": null })).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_change_statuses_and_never_another_companys(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    app.create_user(&admin.client, "Walt", "walt@example.com", "WORKER").await;
    app.create_user(&admin.client, "Cora", "cora@example.com", "CUSTOMER").await;
    let worker = app.log_in_browser("acme", "walt@example.com").await;
    let customer = app.log_in_browser("acme", "cora@example.com").await;
    let intruder = app.sign_up("bobs", "bob@example.com").await;
    let new = id_of(&statuses(&app, &admin.client).await, "New");

    assert_eq!(statuses(&app, &worker).await.len(), 4, "workers read statuses to change a job's status");
    let intruders_view = statuses(&app, &intruder.client).await;
    assert!(intruders_view.iter().all(|s| s["id"] != new.as_str()), "each company sees its own statuses");

    let form = json!({ "name": "Hacked", "colour": "#000000", "kind": "OPEN" });
    let calls = [
        ("statuses/create", json!({ "form": form })),
        ("statuses/update", json!({ "id": new, "form": form })),
        ("statuses/delete", json!({ "id": new, "move_to": null })),
    ];
    for (endpoint, args) in &calls {
        for (who, client, expected) in [
            ("worker", &worker, StatusCode::FORBIDDEN),
            ("customer", &customer, StatusCode::FORBIDDEN),
            ("visitor", &browser(), StatusCode::UNAUTHORIZED),
        ] {
            assert_eq!(app.rpc(client, endpoint, args.clone()).await.status(), expected, "{who} {endpoint}");
        }
    }
    for (endpoint, args) in [&calls[1], &calls[2]] {
        assert_eq!(
            app.rpc(&intruder.client, endpoint, args.clone()).await.status(),
            StatusCode::NOT_FOUND,
            "other company {endpoint}"
        );
    }
    assert_eq!(app.count("select count(*) from job_statuses where name = 'Hacked'").await, 0);
    assert_eq!(app.count(&format!("select count(*) from job_statuses where id = '{new}'")).await, 1);
}
