//! User management: only admins, only their own company, every change audited.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

fn list_query() -> Value {
    json!({ "query": { "status": "all", "role": null, "search": "", "after": null } })
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_manage_users(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let worker_id = app.create_user(&admin.client, "Walt", "walt@example.com", "WORKER").await;
    app.create_user(&admin.client, "Cora", "cora@example.com", "CUSTOMER").await;
    let worker = app.log_in_browser("acme", "walt@example.com").await;
    let customer = app.log_in_browser("acme", "cora@example.com").await;
    let anonymous = browser();

    let calls: Vec<(&str, Value)> = vec![
        ("users/list", list_query()),
        (
            "users/create",
            json!({ "form": { "name": "X", "email": "x@example.com", "role": "ADMIN", "password": PASSWORD } }),
        ),
        ("users/change_role", json!({ "user_id": worker_id, "role": "ADMIN" })),
        ("users/deactivate", json!({ "user_id": worker_id })),
        ("users/restore", json!({ "user_id": worker_id })),
    ];
    for (endpoint, args) in &calls {
        for (who, client, expected) in [
            ("worker", &worker, StatusCode::FORBIDDEN),
            ("customer", &customer, StatusCode::FORBIDDEN),
            ("visitor", &anonymous, StatusCode::UNAUTHORIZED),
        ] {
            let status = app.rpc(client, endpoint, args.clone()).await.status();
            assert_eq!(status, expected, "{who} calling {endpoint}");
        }
    }
    assert_eq!(app.count("select count(*) from users where role = 'ADMIN'").await, 1, "no worker became admin");
    assert_eq!(app.count("select count(*) from users where deactivated_at is not null").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_list_filter_and_search_their_people(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let walt = app.create_user(&admin.client, "Walt Worker", "walt@example.com", "WORKER").await;
    app.create_user(&admin.client, "Cora Customer", "cora@example.com", "CUSTOMER").await;
    app.rpc_ok(&admin.client, "users/deactivate", json!({ "user_id": walt })).await;

    let names = |page: Value| -> Vec<String> {
        page["users"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_string()).collect()
    };
    let all = app.rpc_ok(&admin.client, "users/list", list_query()).await;
    assert_eq!(names(all), vec!["Ada Admin", "Cora Customer", "Walt Worker"]);
    let active = app
        .rpc_ok(
            &admin.client,
            "users/list",
            json!({ "query": { "status": "active", "role": null, "search": "", "after": null } }),
        )
        .await;
    assert_eq!(names(active), vec!["Ada Admin", "Cora Customer"]);
    let searched = app
        .rpc_ok(
            &admin.client,
            "users/list",
            json!({ "query": { "status": "all", "role": null, "search": "WALT@", "after": null } }),
        )
        .await;
    assert_eq!(names(searched), vec!["Walt Worker"]);
    let customers = app
        .rpc_ok(
            &admin.client,
            "users/list",
            json!({ "query": { "status": "all", "role": "CUSTOMER", "search": "", "after": null } }),
        )
        .await;
    assert_eq!(names(customers), vec!["Cora Customer"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn creating_a_user_validates_every_field_and_writes_nothing_on_error(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    app.create_user(&admin.client, "Walt", "walt@example.com", "WORKER").await;
    let cases = [
        ("name", json!(""), "Enter a name."),
        ("name", json!("n".repeat(121)), "Keep it to 120 characters or fewer."),
        ("email", json!("walt@"), "Enter a valid email address, like name@example.com."),
        ("email", json!("WALT@example.com"), "Someone in your company already uses this email."),
        ("role", json!("OWNER"), "Choose admin, field worker or customer."),
        ("password", json!("123"), "Use at least 10 characters."),
    ];
    for (field, value, message) in cases {
        let mut form =
            json!({ "name": "New Person", "email": "new@example.com", "role": "WORKER", "password": PASSWORD });
        form[field] = value;
        let response = app.rpc(&admin.client, "users/create", json!({ "form": form })).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_fields(&body), vec![field], "{field}");
        assert_eq!(body["errors"][0]["message"], message, "{field}");
    }
    assert_eq!(app.count("select count(*) from users").await, 2);
    assert_eq!(app.count("select count(*) from audit_log where action = 'user.created'").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn role_changes_are_audited_and_the_last_admin_is_protected(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let ada_id = admin.user["user_id"].as_str().unwrap().to_string();
    let walt = app.create_user(&admin.client, "Walt", "walt@example.com", "WORKER").await;

    let changed = app.rpc_ok(&admin.client, "users/change_role", json!({ "user_id": walt, "role": "ADMIN" })).await;
    assert_eq!(changed["role"], "ADMIN");
    let audit: (Value, Value) =
        sqlx::query_as("select before, after from audit_log where action = 'user.role_changed'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((audit.0["role"].clone(), audit.1["role"].clone()), (json!("WORKER"), json!("ADMIN")));

    let own = app.rpc(&admin.client, "users/change_role", json!({ "user_id": ada_id, "role": "WORKER" })).await;
    assert_eq!(own.status(), StatusCode::CONFLICT);
    let own = app.rpc(&admin.client, "users/deactivate", json!({ "user_id": ada_id })).await;
    assert_eq!(own.status(), StatusCode::CONFLICT);

    // Walt (now admin) demotes... himself? No: demoting Ada leaves Walt, which is fine.
    let walt_client = app.log_in_browser("acme", "walt@example.com").await;
    app.rpc_ok(&walt_client, "users/change_role", json!({ "user_id": ada_id, "role": "WORKER" })).await;
    // Now Ada is a worker and Walt the last admin: nobody may remove him.
    let refused = app.rpc(&admin.client, "users/deactivate", json!({ "user_id": walt })).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "Ada's role change applied at once");
    let bad_role = app.rpc(&walt_client, "users/change_role", json!({ "user_id": ada_id, "role": "KING" })).await;
    assert_eq!(bad_role.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn deactivating_ends_sessions_in_the_same_transaction_and_restore_reverses_it(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let walt = app.create_user(&admin.client, "Walt", "walt@example.com", "WORKER").await;
    app.log_in_browser("acme", "walt@example.com").await;
    app.log_in_browser("acme", "walt@example.com").await;

    let user = app.rpc_ok(&admin.client, "users/deactivate", json!({ "user_id": walt })).await;
    assert_eq!(user["active"], false);
    assert_eq!(
        app.count(&format!(
            "select count(*) from sessions where user_id = '{walt}' and revoked_reason = 'deactivated'"
        ))
        .await,
        2
    );
    let after: Value = sqlx::query_scalar("select after from audit_log where action = 'user.deactivated'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(after["sessions_ended"], 2);

    let user = app.rpc_ok(&admin.client, "users/restore", json!({ "user_id": walt })).await;
    assert_eq!(user["active"], true);
    assert_eq!(app.count("select count(*) from audit_log where action = 'user.restored'").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn customer_logins_link_to_a_customer_record_of_the_same_company_only(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let farm = app
        .rpc_ok(
            &admin.client,
            "customers/create",
            json!({ "form": { "name": "Hill Farm", "email": "", "phone": "", "address": "" } }),
        )
        .await["id"]
        .clone();
    let intruder = app.sign_up("bobs", "bob@example.com").await;
    let foreign = app
        .rpc_ok(
            &intruder.client,
            "customers/create",
            json!({ "form": { "name": "Bob's Client", "email": "", "phone": "", "address": "" } }),
        )
        .await["id"]
        .clone();

    let form = |customer: &Value, role: &str, email: &str| json!({ "form": { "name": "Cora", "email": email, "role": role, "password": PASSWORD, "customer_id": customer } });
    let linked = app.rpc_ok(&admin.client, "users/create", form(&farm, "CUSTOMER", "cora@example.com")).await;
    assert_eq!((linked["customer_id"].clone(), linked["customer_name"].as_str()), (farm.clone(), Some("Hill Farm")));

    // Another company's customer id, forged: refused as if it did not exist, nothing written.
    let forged = app.rpc(&admin.client, "users/create", form(&foreign, "CUSTOMER", "eve@example.com")).await;
    assert_eq!(forged.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&forged.json().await.unwrap()), ["customer_id"]);
    let wrong_role = app.rpc(&admin.client, "users/create", form(&farm, "WORKER", "wes@example.com")).await;
    assert_eq!(error_fields(&wrong_role.json().await.unwrap()), ["customer_id"]);
    assert_eq!(app.count("select count(*) from users").await, 3);

    let user_id = linked["id"].clone();
    let unlinked =
        app.rpc_ok(&admin.client, "users/link_customer", json!({ "user_id": user_id, "customer_id": null })).await;
    assert_eq!(unlinked["customer_id"], Value::Null);
    let relinked =
        app.rpc_ok(&admin.client, "users/link_customer", json!({ "user_id": user_id, "customer_id": farm })).await;
    assert_eq!(relinked["customer_name"], "Hill Farm");
    let forged =
        app.rpc(&admin.client, "users/link_customer", json!({ "user_id": user_id, "customer_id": foreign })).await;
    assert_eq!(forged.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let intruding =
        app.rpc(&intruder.client, "users/link_customer", json!({ "user_id": user_id, "customer_id": foreign })).await;
    assert_eq!(intruding.status(), StatusCode::NOT_FOUND);

    // A customer login that becomes a worker loses its link (the schema demands it).
    let worker = app.rpc_ok(&admin.client, "users/change_role", json!({ "user_id": user_id, "role": "WORKER" })).await;
    assert_eq!(worker["customer_id"], Value::Null);

    // The schema alone refuses a link into another company (composite foreign key).
    let raw =
        sqlx::query("update users set role = 'CUSTOMER', customer_id = $1::uuid where email = 'cora@example.com'")
            .bind(foreign.as_str().unwrap())
            .execute(&app.db)
            .await;
    assert!(raw.unwrap_err().to_string().contains("users_customer_fkey"));
}
