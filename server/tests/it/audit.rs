//! The audit log, readable: admins list their company's changes with filters and keyset
//! pages, in the app, as CSV and through the API; nobody else, and never another
//! company's.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeSet;

fn actions(page: &Value) -> Vec<String> {
    page["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_reads_who_changed_what_from_what_to_what(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let admin = &acme.client;
    let customer = app
        .rpc_ok(
            admin,
            "customers/create",
            json!({ "form": { "name": "Miller Farm", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    app.rpc_ok(
        admin,
        "customers/update",
        json!({ "id": customer["id"], "form": { "name": "Miller Farm Ltd", "email": "", "phone": "+49 30 1234567", "address": "" } }),
    )
    .await;
    app.create_user(admin, "Walt Worker", "walt@acme.test", "WORKER").await;

    let all = app.rpc_ok(admin, "audit/list", json!({ "query": {} })).await;
    let listed = actions(&all);
    assert_eq!(listed[..3], ["user.created", "customer.updated", "customer.created"], "newest first: {listed:?}");
    let updated = &all["entries"][1];
    assert_eq!(updated["actor"], "Ada Admin");
    assert_eq!(updated["record"], "customer");
    assert_eq!(updated["record_id"], customer["id"]);
    let changes = updated["changes"].as_array().unwrap();
    assert!(
        changes.contains(&json!({ "field": "name", "before": "Miller Farm", "after": "Miller Farm Ltd" })),
        "{changes:?}"
    );
    assert!(!all.to_string().contains("password_hash\",\"before\":\"$"), "no hash is ever shown");
    let people: Vec<&str> = all["people"].as_array().unwrap().iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(people, ["Ada Admin", "Walt Worker", "System"]);
    assert!(all["records"].as_array().unwrap().contains(&json!("customer")));
    assert!(all["actions"].as_array().unwrap().contains(&json!("customer.updated")));

    // Filters: record type, action, person, dates.
    let customers = app.rpc_ok(admin, "audit/list", json!({ "query": { "record": "customer" } })).await;
    assert_eq!(actions(&customers), ["customer.updated", "customer.created"]);
    let one = app.rpc_ok(admin, "audit/list", json!({ "query": { "action": "customer.updated" } })).await;
    assert_eq!(actions(&one), ["customer.updated"]);
    let admin_id = acme.user["user_id"].as_str().or(acme.user["id"].as_str()).unwrap().to_string();
    let by_ada = app.rpc_ok(admin, "audit/list", json!({ "query": { "person": admin_id } })).await;
    assert!(by_ada["entries"].as_array().unwrap().iter().all(|e| e["actor"] == "Ada Admin"));
    let system = app.rpc_ok(admin, "audit/list", json!({ "query": { "person": "system" } })).await;
    assert!(system["entries"].as_array().unwrap().iter().all(|e| e["actor"] == "System"));
    let later = app.rpc_ok(admin, "audit/list", json!({ "query": { "from": "2199-01-01" } })).await;
    assert_eq!(actions(&later), Vec::<String>::new());
    let span = app.rpc_ok(admin, "audit/list", json!({ "query": { "from": "2000-01-01", "to": "2199-12-31" } })).await;
    assert_eq!(actions(&span), listed);

    // Bad filters are field errors.
    for (field, value) in [
        ("from", "+262142-01-01"),
        ("to", "yesterday"),
        ("person", "nobody"),
        ("after", "x_y"),
        ("record", "job; drop"),
    ] {
        let response = app.rpc(admin, "audit/list", json!({ "query": { field: value } })).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(error_fields(&response.json().await.unwrap()), [field]);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_log_pages_by_keyset_without_gaps_or_repeats(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    // 120 entries, 40 of them in the same microsecond: the id breaks the tie.
    sqlx::query(
        "insert into audit_log (company_id, action, entity_type, created_at)
         select c.id, 'test.entry', 'test', case when n <= 40 then now() - interval '1 day'
                                                 else now() - n * interval '1 minute' end
         from companies c, generate_series(1, 120) n where c.slug = 'acme'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page =
            app.rpc_ok(&acme.client, "audit/list", json!({ "query": { "record": "test", "after": after } })).await;
        let entries = page["entries"].as_array().unwrap();
        assert!(entries.len() <= 50);
        seen.extend(
            entries.iter().map(|e| (e["at"].as_str().unwrap().to_string(), e["id"].as_str().unwrap().to_string())),
        );
        match page["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 120, "every entry once");
    assert_eq!(seen.iter().map(|(_, id)| id).collect::<BTreeSet<_>>().len(), 120, "no repeats");

    // The API pages the same way, with a Link to the next page.
    let (token, _) = app.api_login("acme", "ada@acme.test", PASSWORD).await;
    let response = api_client().get(app.url("/api/v1/audit-log?record=test")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let link = response.headers()["link"].to_str().unwrap().to_string();
    assert!(link.starts_with("</api/v1/audit-log?record=test&after=") && link.ends_with(">; rel=\"next\""), "{link}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["entries"].as_array().unwrap().len(), 50);
    let next_path = link.trim_start_matches('<').split('>').next().unwrap();
    let second: Value =
        api_client().get(app.url(next_path)).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(second["entries"][0]["id"].as_str().unwrap(), seen[50].1);
    let bad = api_client().get(app.url("/api/v1/audit-log?from=31.12.2026")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&bad.json().await.unwrap()), ["from"]);

    // The CSV holds the filtered view, every entry, and is never cached.
    let csv = acme.client.get(app.url("/exports/audit.csv?record=test")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert_eq!(csv.headers()["cache-control"], "no-store");
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "time (UTC),time (company),who,action,record,record id,changes");
    assert_eq!(lines.len(), 121);
    assert!(lines[1..].iter().all(|line| line.contains(",System,test.entry,test,")));
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_read_the_log_and_only_their_own_company(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    app.rpc_ok(
        &acme.client,
        "customers/create",
        json!({ "form": { "name": "Secret Farm", "email": "", "phone": "", "address": "" } }),
    )
    .await;
    app.create_user(&acme.client, "Walt Worker", "walt@acme.test", "WORKER").await;
    let acme_page = app.rpc_ok(&acme.client, "audit/list", json!({ "query": {} })).await;
    let acme_ids: BTreeSet<String> =
        acme_page["entries"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect();

    // Workers: refused everywhere.
    let worker = app.log_in_browser("acme", "walt@acme.test").await;
    assert_eq!(app.rpc(&worker, "audit/list", json!({ "query": {} })).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(worker.get(app.url("/exports/audit.csv")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let (worker_token, _) = app.api_login("acme", "walt@acme.test", PASSWORD).await;
    let api = api_client().get(app.url("/api/v1/audit-log")).bearer_auth(&worker_token).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    assert_eq!(api_client().get(app.url("/api/v1/audit-log")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // Another company's admin: their own log only, whatever they ask for.
    let globex = app.sign_up("globex", "gil@globex.test").await;
    // A cursor made from one of Acme's entries leads only to Globex's older ones.
    let newest = &acme_page["entries"][0];
    let cursor = app::audit::AuditCursor {
        at: newest["at"].as_str().unwrap().parse().unwrap(),
        id: newest["id"].as_str().unwrap().parse().unwrap(),
    }
    .encode();
    let customer_id = acme_page["entries"].as_array().unwrap().iter().find(|e| e["record"] == "customer").unwrap()
        ["record_id"]
        .clone();
    for query in [
        json!({}),
        json!({ "record": "customer" }),
        json!({ "after": cursor }),
        json!({ "person": newest["actor_id"] }),
    ] {
        let page = app.rpc_ok(&globex.client, "audit/list", json!({ "query": query })).await;
        let text = page.to_string();
        assert!(!text.contains("Secret Farm") && !text.contains("Walt Worker"), "{text}");
        assert!(!text.contains(customer_id.as_str().unwrap()), "{text}");
        for entry in page["entries"].as_array().unwrap() {
            assert!(!acme_ids.contains(entry["id"].as_str().unwrap()));
        }
    }
    let csv = globex.client.get(app.url("/exports/audit.csv")).send().await.unwrap().text().await.unwrap();
    assert!(!csv.contains("Secret Farm") && !csv.contains("customer.created"), "{csv}");
    let (token, _) = app.api_login("globex", "gil@globex.test", PASSWORD).await;
    let api = api_client().get(app.url("/api/v1/audit-log")).bearer_auth(&token).send().await.unwrap();
    let text = api.text().await.unwrap();
    assert!(!text.contains("Secret Farm") && !text.contains("walt@acme.test"), "{text}");
}
