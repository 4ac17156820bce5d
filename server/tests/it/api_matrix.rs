//! Every route of the public API (read from the OpenAPI document, so a new route
//! cannot be left out) against every kind of caller: nobody, API keys without the
//! route's scope, with read but not write, another company's key with every scope,
//! and the tokens of an admin, a field worker and a customer.

use crate::common::*;
use crate::public_api::make_key;
use crate::time::{days_ago, setup};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

/// The scope area a route's tag belongs to; `None`: people only (no key may call it).
fn area_of(tag: &str) -> Option<&'static str> {
    match tag {
        "jobs" => Some("jobs"),
        "customers" => Some("customers"),
        "time" => Some("time"),
        "reports" => Some("reports"),
        "users" | "audit" | "company" => Some("users"),
        "webhooks" => Some("webhooks"),
        "notifications" => None,
        other => panic!("a tag the matrix does not know: {other}"),
    }
}

const AREAS: [&str; 6] = ["jobs", "customers", "time", "reports", "users", "webhooks"];

/// The fullest scope of `area` (reports are read only).
fn full(area: &str) -> String {
    if area == "reports" {
        "reports:read".into()
    } else {
        format!("{area}:write")
    }
}

struct Route {
    method: Method,
    template: String,
    area: Option<&'static str>,
}

/// Every operation of the document, deletions last (they would take records from the others).
fn routes(document: &Value) -> Vec<Route> {
    let mut routes = Vec::new();
    for (template, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let tag = operation["tags"][0].as_str().unwrap();
            routes.push(Route {
                method: method.to_uppercase().parse().unwrap(),
                template: template.clone(),
                area: area_of(tag),
            });
        }
    }
    routes.sort_by_key(|r| (r.method == Method::DELETE, r.template.clone()));
    routes
}

/// A body of the right shape for each route that takes one (bad shapes are 400 before any check).
fn body_for(method: &Method, template: &str, ids: &Ids) -> Option<Value> {
    let job = json!({ "customer_id": ids.customer, "title": "Matrix", "description": "", "scheduled_date": "",
                      "scheduled_time": "", "worker_id": "", "status_id": ids.status, "tasks": [] });
    let customer = json!({ "name": "Matrix Ltd", "email": "", "phone": "", "address": "" });
    let log = json!({ "job_id": ids.job, "date": days_ago(2), "start": "06:00", "end": "07:00", "duration": "",
                      "break_minutes": "", "description": "", "billable": true });
    let body = match (method.as_str(), template.trim_start_matches("/api/v1/")) {
        ("POST", "jobs") | ("PUT", "jobs/{id}") => job,
        ("PUT", "jobs/{id}/archived") => json!({ "archived": false }),
        ("PUT", "jobs/{id}/assignment") => json!({ "worker_id": ids.worker }),
        ("POST", "jobs/{id}/notes") => json!({ "body": "Matrix note", "visibility": "INTERNAL" }),
        ("PUT", "jobs/{id}/status") => json!({ "status_id": ids.status }),
        ("POST", "jobs/{id}/tasks") | ("PUT", "jobs/{id}/tasks/{task_id}") => json!({ "title": "Matrix task" }),
        ("PUT", "jobs/{id}/tasks/{task_id}/completed") => json!({ "completed": true }),
        ("POST", "customers") | ("PUT", "customers/{id}") => customer,
        ("PUT", "customers/{id}/active") | ("PUT", "users/{id}/active") => json!({ "active": true }),
        ("POST", "users") => json!({ "name": "Matrix Person", "email": "matrix@acme.test", "role": "WORKER",
                                       "password": PASSWORD }),
        ("PUT", "users/{id}/role") => json!({ "role": "WORKER" }),
        ("PATCH", "users/{id}") => json!({ "name": "Walt Worker" }),
        ("PUT", "users/{id}/customer") => json!({ "customer_id": null }),
        ("PATCH", "company") => json!({ "auto_approve_days": "" }),
        ("POST", "notifications/read") => json!({}),
        ("POST", "webhooks") => json!({ "url": "http://127.0.0.1:9/m", "description": "", "events": ["job.created"] }),
        ("PUT", "webhooks/{id}/enabled") => json!({ "enabled": true }),
        ("POST", "work-logs") | ("PUT", "work-logs/{id}") => log,
        ("POST", "work-logs/submit") | ("POST", "work-logs/approve") => json!({ "ids": [ids.log] }),
        ("POST", "work-logs/decline") => json!({ "ids": [ids.log], "reason": "Matrix" }),
        _ => return None,
    };
    Some(body)
}

struct Ids {
    job: String,
    task: String,
    customer: String,
    status: String,
    worker: String,
    log: String,
    contract: String,
    webhook: String,
    delivery: String,
}

fn path_of(template: &str, ids: &Ids) -> String {
    let id = match template.split('/').nth(3).unwrap_or_default() {
        "jobs" => &ids.job,
        "customers" => &ids.customer,
        "users" => &ids.worker,
        "work-logs" => &ids.log,
        "contracts" => &ids.contract,
        "webhooks" => &ids.webhook,
        _ => "",
    };
    template.replace("{id}", id).replace("{task_id}", &ids.task).replace("{delivery_id}", &ids.delivery)
}

async fn send(app: &TestApp, route: &Route, ids: &Ids, credential: Option<&str>) -> StatusCode {
    let mut request =
        api_client().request(route.method.clone(), app.url(&path_of(&route.template, ids))).header("If-Match", "\"1\"");
    if let Some(credential) = credential {
        request = request.bearer_auth(credential);
    }
    if let Some(body) = body_for(&route.method, &route.template, ids) {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    assert!(!status.is_server_error(), "{} {} answered {status}", route.method, route.template);
    status
}

fn text(value: &Value) -> String {
    value.as_str().unwrap().to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_route_answers_every_kind_of_caller_as_it_should(db: PgPool) {
    let s = setup(db).await;
    let app = &s.app;
    let document: Value = api_client().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();

    // Records of Acme for every kind of id in a path.
    let (admin_token, _) = app.api_login("acme", "admin@acme.test", PASSWORD).await;
    let (walt, _) = app.api_login("acme", "walt@acme.test", PASSWORD).await;
    let (cora, _) = app.api_login("acme", "cora@acme.test", PASSWORD).await;
    let everything: Vec<String> = AREAS.iter().map(|a| full(a)).collect();
    let everything: Vec<&str> = everything.iter().map(String::as_str).collect();
    let (admin_key, _) = make_key(app, &s.admin, "Everything", &everything, "6000").await;
    let job = app.rpc_ok(&s.admin, "jobs/add_task", json!({ "job_id": s.job, "title": "Check" })).await;
    let task = text(&job["tasks"][0]["id"]);
    let status = text(&app.rpc_ok(&s.admin, "statuses/list", json!({})).await[0]["id"]);
    let worker = sqlx::query_scalar::<_, String>("select id::text from users where email = 'walt@acme.test'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let log_form = json!({ "job_id": s.job, "date": days_ago(1), "start": "06:00", "end": "07:00", "duration": "",
                           "break_minutes": "", "description": "", "billable": true });
    let log = api_client().post(app.url("/api/v1/work-logs")).bearer_auth(&walt).json(&log_form).send().await.unwrap();
    let log = text(&log.json::<Value>().await.unwrap()["id"]);
    let contract = json!({ "form": { "title": "Matrix", "worker_id": worker, "customer_id": s.customer_id,
                                      "budget_hours": "10", "period": "TOTAL", "starts_on": "2026-01-01", "ends_on": "" } });
    let contract = text(&app.rpc_ok(&s.admin, "contracts/create", contract).await["contracts"][0]["contract"]["id"]);
    let hook = json!({ "url": "http://127.0.0.1:9/m", "description": "", "events": ["job.created"] });
    let hook = api_client().post(app.url("/api/v1/webhooks")).bearer_auth(&admin_key).json(&hook).send().await.unwrap();
    let webhook = text(&hook.json::<Value>().await.unwrap()["endpoint"]["id"]);
    let tested = api_client()
        .post(app.url(&format!("/api/v1/webhooks/{webhook}/test")))
        .bearer_auth(&admin_key)
        .send()
        .await
        .unwrap();
    let delivery = text(&tested.json::<Value>().await.unwrap()["deliveries"][0]["id"]);
    let ids = Ids {
        job: s.job.clone(),
        task,
        customer: s.customer_id.clone(),
        status,
        worker,
        log,
        contract,
        webhook,
        delivery,
    };

    // Keys: per area one without it and one with read only; Bobs' key holds every scope.
    let mut without = std::collections::HashMap::new();
    let mut read_only = std::collections::HashMap::new();
    for area in AREAS {
        let others: Vec<String> = AREAS.iter().filter(|a| **a != area).map(|a| full(a)).collect();
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        without.insert(area, make_key(app, &s.admin, &format!("No {area}"), &others, "6000").await.0);
        let read = format!("{area}:read");
        read_only.insert(area, make_key(app, &s.admin, &format!("Read {area}"), &[read.as_str()], "6000").await.0);
    }
    let (bobs_key, _) = make_key(app, &s.other_admin, "Bobs everything", &everything, "6000").await;

    let routes = routes(&document);
    assert!(routes.len() >= 47, "every operation is in the matrix ({})", routes.len());
    let mut matrix = Vec::new();
    for route in &routes {
        let name = format!("{} {}", route.method, route.template);
        assert_eq!(send(app, route, &ids, None).await, StatusCode::UNAUTHORIZED, "{name}: nobody");
        assert_eq!(send(app, route, &ids, Some("fbk_forged")).await, StatusCode::UNAUTHORIZED, "{name}: forged key");
        match route.area {
            None => {
                assert_eq!(send(app, route, &ids, Some(&admin_key)).await, StatusCode::FORBIDDEN, "{name}: any key");
            }
            Some(area) => {
                assert_eq!(
                    send(app, route, &ids, Some(&without[area])).await,
                    StatusCode::FORBIDDEN,
                    "{name}: a key without {area}"
                );
                if route.method != Method::GET {
                    assert_eq!(
                        send(app, route, &ids, Some(&read_only[area])).await,
                        StatusCode::FORBIDDEN,
                        "{name}: a key with {area}:read only"
                    );
                } else {
                    assert_eq!(send(app, route, &ids, Some(&read_only[area])).await, StatusCode::OK, "{name}: read");
                }
                let names_acme_records = route.template.contains('{')
                    || route.template.ends_with("/approve")
                    || route.template.ends_with("/decline");
                if names_acme_records {
                    assert_eq!(
                        send(app, route, &ids, Some(&bobs_key)).await,
                        StatusCode::NOT_FOUND,
                        "{name}: another company's key"
                    );
                }
            }
        }
        let worker_status = send(app, route, &ids, Some(&walt)).await.as_u16();
        let customer_status = send(app, route, &ids, Some(&cora)).await.as_u16();
        let admin_status =
            if route.method == Method::GET { send(app, route, &ids, Some(&admin_token)).await.as_u16() } else { 0 };
        matrix.push(format!("{name:<66} admin {admin_status:>3}  worker {worker_status}  customer {customer_status}"));
    }
    // What each person may do, route by route (admins: every read; writes are covered above and elsewhere).
    let expected = include_str!("api_matrix.txt");
    let actual = matrix.join("\n") + "\n";
    if std::env::var_os("FIELDBOOK_WRITE_MATRIX").is_some() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/api_matrix.txt"), &actual).unwrap();
    }
    assert_eq!(actual, expected, "the role matrix changed; review it and rewrite with FIELDBOOK_WRITE_MATRIX=1");

    // Bobs' key lists nothing of Acme anywhere.
    for route in routes.iter().filter(|r| r.method == Method::GET && !r.template.contains('{')) {
        if route.area.is_none() {
            continue;
        }
        let body = api_client()
            .get(app.url(&route.template))
            .bearer_auth(&bobs_key)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for id in [&ids.job, &ids.customer, &ids.worker, &ids.log, &ids.contract, &ids.webhook] {
            assert!(!body.contains(id.as_str()), "{}: Bobs sees {id}", route.template);
        }
        assert!(!body.contains("acme.test") && !body.contains("Harbour"), "{}: Bobs sees Acme", route.template);
    }
}
