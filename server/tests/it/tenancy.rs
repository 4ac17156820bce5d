//! Tenant isolation, layer by layer: the app's queries, the schema's composite
//! keys, and forced row-level security.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
use server::db::app_role_options;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use uuid::Uuid;

async fn app_role_pool(db: &PgPool) -> PgPool {
    PgPoolOptions::new().max_connections(2).connect_with(app_role_options(&db.connect_options(), None)).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn outside_a_tenant_transaction_the_app_role_sees_no_tenant_rows(db: PgPool) {
    let app = spawn_app(db.clone()).await;
    app.sign_up("acme", "ada@example.com").await;
    app.sign_up("bobs", "bob@example.com").await;
    assert_eq!(app.count("select count(*) from users").await, 2, "the owner sees both");

    let pool = app_role_pool(&db).await;
    for table in ["companies", "users", "sessions", "audit_log"] {
        let visible: i64 = sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(&pool).await.unwrap();
        assert_eq!(visible, 0, "{table} without app.company_id");
    }
    // Nor can it write a row without a tenant context.
    let insert = sqlx::query("insert into users (company_id, email, name, role, password_hash) select id, 'x@example.com', 'X', 'ADMIN', 'h' from companies")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(insert.rows_affected(), 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_tenant_transaction_sees_only_its_company_and_cannot_write_into_another(db: PgPool) {
    let app = spawn_app(db.clone()).await;
    let acme = app.sign_up("acme", "ada@example.com").await;
    let bobs = app.sign_up("bobs", "bob@example.com").await;
    let acme_id: Uuid = acme.user["company"]["id"].as_str().unwrap().parse().unwrap();
    let bobs_id: Uuid = bobs.user["company"]["id"].as_str().unwrap().parse().unwrap();

    let pool = app_role_pool(&db).await;
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("select set_config('app.company_id', $1, true)")
        .bind(acme_id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let emails: Vec<String> = sqlx::query_scalar("select email from users").fetch_all(&mut *tx).await.unwrap();
    assert_eq!(emails, vec!["ada@example.com"]);
    let by_id: Option<String> = sqlx::query_scalar("select email from users where company_id = $1")
        .bind(bobs_id)
        .fetch_optional(&mut *tx)
        .await
        .unwrap();
    assert_eq!(by_id, None, "B's rows are invisible even when asked for by id");
    let updated = sqlx::query("update users set name = 'pwned' where company_id = $1")
        .bind(bobs_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(updated.rows_affected(), 0);
    let insert = sqlx::query("insert into users (company_id, email, name, role, password_hash) values ($1, 'x@example.com', 'X', 'ADMIN', 'h')")
        .bind(bobs_id)
        .execute(&mut *tx)
        .await;
    let error = insert.expect_err("row-level security refuses a row for another company");
    assert!(error.to_string().contains("row-level security"), "{error}");
}

#[sqlx::test(migrations = "../migrations")]
async fn composite_foreign_keys_refuse_rows_that_point_into_another_company(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@example.com").await;
    let bobs = app.sign_up("bobs", "bob@example.com").await;
    let acme_id: Uuid = acme.user["company"]["id"].as_str().unwrap().parse().unwrap();
    let bob_user: Uuid = bobs.user["user_id"].as_str().unwrap().parse().unwrap();
    // As the owner (bypassing RLS): the schema alone must refuse the cross-company pointer.
    let result = sqlx::query(
        "insert into sessions (company_id, user_id, family_id, refresh_token_hash, expires_at)
         values ($1, $2, gen_random_uuid(), '\\x00', now() + interval '1 day')",
    )
    .bind(acme_id)
    .bind(bob_user)
    .execute(&app.db)
    .await;
    let error = result.expect_err("composite foreign key");
    assert!(error.to_string().contains("sessions_user_fkey"), "{error}");
    let audit =
        sqlx::query("insert into audit_log (company_id, actor_user_id, action, entity_type) values ($1, $2, 'x', 'y')")
            .bind(acme_id)
            .bind(bob_user)
            .execute(&app.db)
            .await;
    assert!(audit.unwrap_err().to_string().contains("audit_log_actor_fkey"));
}

#[sqlx::test(migrations = "../migrations")]
async fn another_companys_admin_gets_404_for_every_user_endpoint_and_changes_nothing(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@example.com").await;
    let walt = app.create_user(&acme.client, "Walt", "walt@example.com", "WORKER").await;
    let intruder = app.sign_up("bobs", "bob@example.com").await;

    for (endpoint, args) in [
        ("users/change_role", json!({ "user_id": walt, "role": "ADMIN" })),
        ("users/deactivate", json!({ "user_id": walt })),
        ("users/restore", json!({ "user_id": walt })),
    ] {
        let response = app.rpc(&intruder.client, endpoint, args).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    let listed = app
        .rpc_ok(
            &intruder.client,
            "users/list",
            json!({ "query": { "status": "all", "role": null, "search": "walt", "after": null } }),
        )
        .await;
    assert_eq!(listed["users"].as_array().unwrap().len(), 0, "B's list never shows A's people");
    let (role, deactivated): (String, bool) =
        sqlx::query_as("select role::text, deactivated_at is not null from users where email = 'walt@example.com'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((role.as_str(), deactivated), ("WORKER", false));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_same_email_may_exist_in_two_companies_and_logs_into_each_by_slug(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "sam@example.com").await;
    let bobs = app.sign_up("bobs", "sam@example.com").await;
    assert_ne!(acme.user["company"]["id"], bobs.user["company"]["id"]);
    let client = app.log_in_browser("bobs", "sam@example.com").await;
    let session = app.rpc_ok(&client, "auth/session", json!({})).await;
    assert_eq!(session["company"]["slug"], "bobs");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_application_refuses_to_run_as_a_role_that_bypasses_rls(db: PgPool) {
    let settings = server::config::Settings::for_tests(db.connect_options().as_ref().clone());
    let mut owner_settings = settings.clone();
    owner_settings.app_database = Some(db.connect_options().as_ref().clone());
    let error = server::db::AppPool::connect(&owner_settings).await.expect_err("superuser refused");
    assert!(format!("{error:#}").contains("must connect as fieldbook_app"), "{error:#}");
    server::db::AppPool::connect(&settings).await.expect("fieldbook_app accepted");
}
