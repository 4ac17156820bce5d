//! Customer records: admin-only, validated, audited, isolated per company.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

fn form(name: &str) -> Value {
    json!({ "name": name, "email": "", "phone": "", "address": "" })
}

fn list_args(search: &str, include_inactive: bool, after: Value) -> Value {
    json!({ "query": { "search": search, "include_inactive": include_inactive, "after": after } })
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_create_edit_search_deactivate_and_restore_customers(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let created = app
        .rpc_ok(
            &admin.client,
            "customers/create",
            json!({ "form": { "name": " Hill  Farm ", "email": "Owner@HillFarm.test", "phone": "+49 30 1234567", "address": "1 Hill Road" } }),
        )
        .await;
    assert_eq!((created["name"].as_str(), created["email"].as_str()), (Some("Hill Farm"), Some("owner@hillfarm.test")));
    let id = created["id"].as_str().unwrap().to_string();
    app.rpc_ok(&admin.client, "customers/create", json!({ "form": form("Baker & Sons") })).await;

    let edited = app
        .rpc_ok(
            &admin.client,
            "customers/update",
            json!({ "id": id, "form": { "name": "Hill Farm Ltd", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    assert_eq!((edited["name"].as_str(), edited["email"].clone()), (Some("Hill Farm Ltd"), Value::Null));

    let found = app.rpc_ok(&admin.client, "customers/list", list_args("HILL", false, Value::Null)).await;
    assert_eq!(found["customers"].as_array().unwrap().len(), 1);
    let percent = app.rpc_ok(&admin.client, "customers/list", list_args("%", false, Value::Null)).await;
    assert_eq!(percent["customers"].as_array().unwrap().len(), 0, "LIKE characters are matched literally");

    app.rpc_ok(&admin.client, "customers/set_active", json!({ "id": id, "active": false })).await;
    let active = app.rpc_ok(&admin.client, "customers/list", list_args("", false, Value::Null)).await;
    assert_eq!(active["customers"].as_array().unwrap().len(), 1);
    let all = app.rpc_ok(&admin.client, "customers/list", list_args("", true, Value::Null)).await;
    assert_eq!(all["customers"].as_array().unwrap().len(), 2);
    let restored = app.rpc_ok(&admin.client, "customers/set_active", json!({ "id": id, "active": true })).await;
    assert_eq!(restored["active"], true);

    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where entity_type = 'customer' order by created_at")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        actions,
        ["customer.created", "customer.created", "customer.updated", "customer.deactivated", "customer.restored"]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_customer_list_pages_by_name(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    for n in 0..30 {
        app.rpc_ok(&admin.client, "customers/create", json!({ "form": form(&format!("Customer {n:02}")) })).await;
    }
    let first = app.rpc_ok(&admin.client, "customers/list", list_args("", false, Value::Null)).await;
    assert_eq!(first["customers"].as_array().unwrap().len(), 25);
    assert_eq!(first["customers"][0]["name"], "Customer 00");
    let second = app.rpc_ok(&admin.client, "customers/list", list_args("", false, first["next"].clone())).await;
    let names: Vec<_> = second["customers"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Customer 25", "Customer 26", "Customer 27", "Customer 28", "Customer 29"]);
    assert_eq!(second["next"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_customer_input_names_the_field_and_writes_nothing(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    for (field, value) in [
        ("name", json!("")),
        ("name", json!("n".repeat(201))),
        ("email", json!("not-an-email")),
        ("phone", json!("call me maybe")),
        ("address", json!("a".repeat(501))),
    ] {
        let mut body = form("Valid Name");
        body[field] = value;
        let response = app.rpc(&admin.client, "customers/create", json!({ "form": body })).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(error_fields(&response.json().await.unwrap()), [field]);
    }
    assert_eq!(app.count("select count(*) from customers").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_reach_customers_and_another_company_gets_404(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let id = app.rpc_ok(&admin.client, "customers/create", json!({ "form": form("Hill Farm") })).await["id"].clone();
    app.create_user(&admin.client, "Walt", "walt@example.com", "WORKER").await;
    app.create_user(&admin.client, "Cora", "cora@example.com", "CUSTOMER").await;
    let worker = app.log_in_browser("acme", "walt@example.com").await;
    let customer = app.log_in_browser("acme", "cora@example.com").await;
    let intruder = app.sign_up("bobs", "bob@example.com").await;

    let calls = [
        ("customers/list", list_args("", true, Value::Null)),
        ("customers/get", json!({ "id": id })),
        ("customers/create", json!({ "form": form("Sneaky") })),
        ("customers/update", json!({ "id": id, "form": form("Renamed") })),
        ("customers/set_active", json!({ "id": id, "active": false })),
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
    for (endpoint, args) in &calls[1..] {
        if *endpoint == "customers/create" {
            continue;
        }
        assert_eq!(
            app.rpc(&intruder.client, endpoint, args.clone()).await.status(),
            StatusCode::NOT_FOUND,
            "{endpoint}"
        );
    }
    let listed = app.rpc_ok(&intruder.client, "customers/list", list_args("", true, Value::Null)).await;
    assert_eq!(listed["customers"].as_array().unwrap().len(), 0);
    let (name, active): (String, bool) =
        sqlx::query_as("select name, deactivated_at is null from customers where id = $1::uuid")
            .bind(id.as_str().unwrap())
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((name.as_str(), active), ("Hill Farm", true));
}
