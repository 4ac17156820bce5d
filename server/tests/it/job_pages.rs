//! The job list (filters, search, sorts, pages), history, task order, assignment
//! and share links, through the server functions and the rendered pages.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

struct Acme {
    admin: Client,
    customers: Vec<String>,
    workers: Vec<String>,
    statuses: Vec<Value>,
}

impl Acme {
    fn status(&self, name: &str) -> String {
        self.statuses.iter().find(|s| s["name"] == name).unwrap()["id"].as_str().unwrap().into()
    }
}

async fn acme(app: &TestApp, slug: &str) -> Acme {
    let admin = app.sign_up(slug, &format!("admin@{slug}.test")).await.client;
    let mut customers = Vec::new();
    for name in ["Miller Farm", "Harbour Café"] {
        let form = json!({ "form": { "name": name, "email": "", "phone": "", "address": "" } });
        customers.push(app.rpc_ok(&admin, "customers/create", form).await["id"].as_str().unwrap().to_string());
    }
    let mut workers = Vec::new();
    for (name, email) in [("Walt Worker", "walt"), ("Wanda Worker", "wanda")] {
        workers.push(app.create_user(&admin, name, &format!("{email}@{slug}.test"), "WORKER").await);
    }
    let statuses = app.rpc_ok(&admin, "statuses/list", json!({})).await.as_array().unwrap().clone();
    Acme { admin, customers, workers, statuses }
}

async fn create(
    app: &TestApp,
    a: &Acme,
    title: &str,
    customer: usize,
    worker: Option<usize>,
    status: &str,
    date: &str,
) -> Value {
    let form = json!({
        "customer_id": a.customers[customer], "title": title, "description": "", "scheduled_date": date,
        "scheduled_time": "", "worker_id": worker.map(|w| a.workers[w].clone()).unwrap_or_default(),
        "status_id": a.status(status), "tasks": ["First", "Second", "Third"],
    });
    app.rpc_ok(&a.admin, "jobs/create", json!({ "form": form })).await
}

async fn titles(app: &TestApp, client: &Client, query: Value) -> (Vec<String>, Option<String>) {
    let page = app.rpc_ok(client, "jobs/list", json!({ "query": query })).await;
    let titles = page["jobs"].as_array().unwrap().iter().map(|j| j["title"].as_str().unwrap().to_string()).collect();
    (titles, page["next"].as_str().map(str::to_string))
}

#[sqlx::test(migrations = "../migrations")]
async fn the_job_list_filters_searches_sorts_and_pages(db: PgPool) {
    let app = spawn_app(db).await;
    let a = acme(&app, "acme").await;
    let other = acme(&app, "bobs").await;
    create(&app, &other, "Gate at the other company", 0, Some(0), "New", "").await;
    create(&app, &a, "Gate repair", 0, Some(0), "New", "2026-05-03").await;
    create(&app, &a, "Boiler service", 1, Some(1), "Scheduled", "2026-05-01").await;
    create(&app, &a, "Garden tap", 1, None, "Done", "").await;
    let archived = create(&app, &a, "Old gate", 0, Some(0), "Done", "2026-04-01").await;
    app.rpc_ok(&a.admin, "jobs/set_archived", json!({ "id": archived["id"], "archived": true })).await;

    let q = |v: Value| v;
    assert_eq!(titles(&app, &a.admin, q(json!({}))).await.0, ["Garden tap", "Boiler service", "Gate repair"]);
    assert_eq!(
        titles(&app, &a.admin, q(json!({ "sort": "oldest" }))).await.0,
        ["Gate repair", "Boiler service", "Garden tap"]
    );
    assert_eq!(
        titles(&app, &a.admin, q(json!({ "sort": "title" }))).await.0,
        ["Boiler service", "Garden tap", "Gate repair"]
    );
    assert_eq!(
        titles(&app, &a.admin, q(json!({ "sort": "scheduled" }))).await.0,
        ["Boiler service", "Gate repair", "Garden tap"],
        "earliest first, unscheduled last"
    );
    assert_eq!(titles(&app, &a.admin, q(json!({ "status": a.status("Done") }))).await.0, ["Garden tap"]);
    assert_eq!(titles(&app, &a.admin, q(json!({ "worker": a.workers[0] }))).await.0, ["Gate repair"]);
    assert_eq!(
        titles(&app, &a.admin, q(json!({ "customer": a.customers[1] }))).await.0,
        ["Garden tap", "Boiler service"]
    );
    assert_eq!(titles(&app, &a.admin, q(json!({ "archived": true }))).await.0, ["Old gate"]);
    // Search matches the title or the customer's name, case-insensitively; never another company's jobs.
    assert_eq!(titles(&app, &a.admin, q(json!({ "search": "GATE" }))).await.0, ["Gate repair"]);
    assert_eq!(titles(&app, &a.admin, q(json!({ "search": "harbour" }))).await.0, ["Garden tap", "Boiler service"]);
    assert_eq!(titles(&app, &a.admin, q(json!({ "search": "100%_" }))).await.0, Vec::<String>::new());
    // Every word must start a word of the title, in any order.
    assert_eq!(titles(&app, &a.admin, q(json!({ "search": "rep gat" }))).await.0, ["Gate repair"]);
    assert_eq!(titles(&app, &a.admin, q(json!({ "search": "gate boiler" }))).await.0, Vec::<String>::new());
    // Renaming a job re-indexes its words.
    let boiler = titles(&app, &a.admin, q(json!({ "search": "boiler" }))).await.0;
    assert_eq!(boiler, ["Boiler service"]);
    let page = app.rpc_ok(&a.admin, "jobs/list", json!({ "query": { "search": "boiler" } })).await;
    let id = page["jobs"][0]["id"].clone();
    let current = app.rpc_ok(&a.admin, "jobs/get", json!({ "id": id })).await;
    let mut form = json!({
        "customer_id": current["customer"]["id"], "title": "Heat pump service", "description": "",
        "scheduled_date": current["scheduled_date"], "scheduled_time": current["scheduled_time"],
        "worker_id": current["worker_id"], "status_id": current["status"]["id"], "tasks": [],
    });
    form["version"] = current["version"].clone();
    app.rpc_ok(&a.admin, "jobs/update", json!({ "id": id, "form": form })).await;
    assert_eq!(titles(&app, &a.admin, q(json!({ "search": "boiler" }))).await.0, Vec::<String>::new());
    assert_eq!(titles(&app, &a.admin, q(json!({ "search": "heat" }))).await.0, ["Heat pump service"]);

    // Keyset pages: 120 jobs in pages of 50, in every sort, nothing lost or repeated.
    for i in 0..117 {
        create(&app, &a, &format!("Bulk job {i:03}"), i % 2, None, "New", if i % 3 == 0 { "" } else { "2026-06-10" })
            .await;
    }
    for sort in ["newest", "oldest", "scheduled", "title"] {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let (page, next) = titles(&app, &a.admin, json!({ "sort": sort, "after": after })).await;
            assert!(page.len() <= 50);
            seen.extend(page);
            match next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (120, 120), "{sort}");
    }
    let response = app.rpc(&a.admin, "jobs/list", json!({ "query": { "after": "garbage" } })).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&response.json().await.unwrap()), ["after"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn tasks_are_edited_reordered_and_deleted_and_history_tells_it(db: PgPool) {
    let app = spawn_app(db).await;
    let a = acme(&app, "acme").await;
    let other = acme(&app, "bobs").await;
    let job = create(&app, &a, "Gate repair", 0, Some(0), "New", "").await;
    let id = job["id"].clone();
    let ids: Vec<Value> = job["tasks"].as_array().unwrap().iter().map(|t| t["id"].clone()).collect();

    let renamed =
        app.rpc_ok(&a.admin, "jobs/edit_task", json!({ "job_id": id, "task_id": ids[0], "title": "Buy hinges" })).await;
    assert_eq!(renamed["tasks"][0]["title"], "Buy hinges");
    let reordered =
        app.rpc_ok(&a.admin, "jobs/reorder_tasks", json!({ "job_id": id, "task_ids": [ids[2], ids[0], ids[1]] })).await;
    let order: Vec<_> = reordered["tasks"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert_eq!(order, ["Third", "Buy hinges", "Second"]);
    let after_delete = app.rpc_ok(&a.admin, "jobs/delete_task", json!({ "job_id": id, "task_id": ids[1] })).await;
    assert_eq!(after_delete["tasks"].as_array().unwrap().len(), 2);

    // Bad input: field-named, nothing written.
    for (endpoint, args, field) in [
        ("jobs/edit_task", json!({ "job_id": id, "task_id": ids[0], "title": " " }), "title"),
        ("jobs/reorder_tasks", json!({ "job_id": id, "task_ids": [ids[0]] }), "task_ids"),
        ("jobs/reorder_tasks", json!({ "job_id": id, "task_ids": [ids[0], ids[0], ids[2]] }), "task_ids"),
        ("jobs/assign", json!({ "id": id, "worker_id": other.workers[0] }), "worker_id"),
        ("jobs/assign", json!({ "id": id, "worker_id": uuid::Uuid::new_v4() }), "worker_id"),
        ("jobs/create_share_link", json!({ "job_id": id, "days": "0" }), "days"),
        ("jobs/create_share_link", json!({ "job_id": id, "days": "forever" }), "days"),
    ] {
        let response = app.rpc(&a.admin, endpoint, args).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{endpoint}");
        assert_eq!(error_fields(&response.json().await.unwrap()), [field], "{endpoint}");
    }
    // Another job's task is not this job's task.
    let second = create(&app, &a, "Other job", 0, None, "New", "").await;
    let foreign = second["tasks"][0]["id"].clone();
    for endpoint in ["jobs/edit_task", "jobs/delete_task"] {
        let args = json!({ "job_id": id, "task_id": foreign, "title": "x" });
        assert_eq!(app.rpc(&a.admin, endpoint, args).await.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }

    let reassigned = app.rpc_ok(&a.admin, "jobs/assign", json!({ "id": id, "worker_id": a.workers[1] })).await;
    assert_eq!(reassigned["worker_name"], "Wanda Worker");

    let history = app.rpc_ok(&a.admin, "jobs/history", json!({ "job_id": id })).await;
    let lines: Vec<_> = history.as_array().unwrap().iter().map(|h| h["summary"].as_str().unwrap()).collect();
    assert_eq!(
        lines,
        [
            "Assigned to Wanda Worker",
            "Deleted the task “Second”",
            "Reordered the tasks",
            "Renamed a task to “Buy hinges”",
            "Created the job “Gate repair”",
        ]
    );
    assert!(history.as_array().unwrap().iter().all(|h| h["actor_name"] == "Ada Admin"), "{history}");
}

async fn page_status(client: &Client, url: String) -> (StatusCode, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[sqlx::test(migrations = "../migrations")]
async fn share_links_show_the_job_until_revoked_or_expired(db: PgPool) {
    let app = spawn_app(db).await;
    let a = acme(&app, "acme").await;
    let job = create(&app, &a, "Gate repair", 0, Some(0), "New", "").await;
    let id = job["id"].clone();
    for (body, visibility) in [("We come on Tuesday", "CUSTOMER"), ("Customer pays late", "INTERNAL")] {
        app.rpc_ok(
            &a.admin,
            "jobs/add_note",
            json!({ "job_id": id, "form": { "body": body, "visibility": visibility } }),
        )
        .await;
    }
    let link = app.rpc_ok(&a.admin, "jobs/create_share_link", json!({ "job_id": id, "days": "" })).await;
    let url = link["url"].as_str().unwrap().to_string();
    let token = url.rsplit('/').next().unwrap().to_string();
    // The link is built on BASE_URL; fetch it from the test server.
    assert!(url.contains("/share/"), "{url}");
    let url = format!("{}/share/{token}", app.base);
    // Only a hash of the token is stored.
    let stored =
        app.count(&format!("select count(*) from customer_links where token_hash = sha256('{token}'::bytea)")).await;
    assert_eq!(stored, 1);
    assert_eq!(
        app.count(&format!("select count(*) from customer_links where encode(token_hash, 'escape') like '%{token}%'"))
            .await,
        0
    );

    // Anyone with the link, no login: the customer's view.
    let visitor = browser();
    let shared = app.rpc_ok(&visitor, "share/view", json!({ "token": token })).await;
    assert_eq!(shared["state"], "available");
    assert_eq!(shared["job"]["title"], "Gate repair");
    assert_eq!(shared["job"]["worker_name"], "Walt Worker");
    assert_eq!(shared["job"]["worker_id"], Value::Null);
    let notes: Vec<_> =
        shared["job"]["notes"].as_array().unwrap().iter().map(|n| n["body"].as_str().unwrap()).collect();
    assert_eq!(notes, ["We come on Tuesday"]);
    let (status, html) = page_status(&visitor, url.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Gate repair") && !html.contains("Customer pays late"));

    // Revoked: a clear page with 410.
    app.rpc_ok(&a.admin, "jobs/revoke_share_link", json!({ "job_id": id, "link_id": link["link"]["id"] })).await;
    assert_eq!(app.rpc_ok(&visitor, "share/view", json!({ "token": token })).await["state"], "revoked");
    let (status, html) = page_status(&visitor, url).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("switched off") && !html.contains("Gate repair"));

    // Expired.
    let second = app.rpc_ok(&a.admin, "jobs/create_share_link", json!({ "job_id": id, "days": "1" })).await;
    let second_token = second["url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    sqlx::query("update customer_links set expires_at = now() - interval '1 minute' where id = $1::uuid")
        .bind(second["link"]["id"].as_str().unwrap())
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(app.rpc_ok(&visitor, "share/view", json!({ "token": second_token })).await["state"], "expired");
    let links = app.rpc_ok(&a.admin, "jobs/share_links", json!({ "job_id": id })).await;
    assert!(links.as_array().unwrap().iter().all(|l| l["active"] == false));

    // Made-up tokens, including one naming a real company.
    // The token with its last character changed (to one it is not: a token ending in
    // "x" once made this "forgery" the real token).
    let last = if token.ends_with('x') { 'y' } else { 'x' };
    let forged = format!("{}{last}", &token[..token.len() - 1]);
    for bad in ["garbage", forged.as_str(), ""] {
        assert_eq!(app.rpc_ok(&visitor, "share/view", json!({ "token": bad })).await["state"], "unknown", "{bad}");
    }
    let (status, _) = page_status(&visitor, format!("{}/share/garbage", app.base)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn another_company_opening_a_job_page_gets_not_found(db: PgPool) {
    let app = spawn_app(db).await;
    let a = acme(&app, "acme").await;
    let other = acme(&app, "bobs").await;
    let job = create(&app, &a, "Gate repair", 0, Some(0), "New", "").await;
    let url = format!("{}/app/jobs/{}", app.base, job["id"].as_str().unwrap());
    let (status, html) = page_status(&a.admin, url.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Gate repair"));
    let (status, html) = page_status(&other.admin, url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("Gate repair"));
}

/// The resource entries of a rendered page's hydration data (`__RESOLVED_RESOURCES[n] = "…"`).
fn serialized_resources(html: &str) -> Vec<&str> {
    html.split("__RESOLVED_RESOURCES[")
        .skip(1)
        .map(|entry| entry.split(";__RESOLVED_RESOURCES").next().unwrap_or(entry))
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn each_page_render_loads_and_serializes_its_data_once(db: PgPool) {
    let app = spawn_app(db).await;
    let a = acme(&app, "acme").await;
    let job = create(&app, &a, "Gate repair", 0, Some(0), "New", "2026-05-03").await;
    let detail = app.url(&format!("/app/jobs/{}", job["id"].as_str().unwrap()));
    // Leptos discovers a page's resources by polling it before the real render; a page
    // built during those polls ran its queries again (two or three copies in a third of
    // renders before the fix). Rendered a dozen times, every render must carry one copy.
    for url in [app.url("/app/jobs"), detail] {
        let mut counts = Vec::new();
        for _ in 0..12 {
            let (status, html) = page_status(&a.admin, url.clone()).await;
            assert_eq!(status, StatusCode::OK, "{url}");
            let resources = serialized_resources(&html);
            let with_job = resources.iter().filter(|entry| entry.contains("Gate repair")).count();
            counts.push((resources.len(), with_job));
        }
        assert!(counts.iter().all(|c| *c == counts[0]), "{url}: (resources, with the job) per render: {counts:?}");
        assert_eq!(counts[0].1, 1, "{url}: the job's data is serialized once: {counts:?}");
    }
}
