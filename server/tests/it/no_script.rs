//! Forms without JavaScript: every form the server renders posts to a server function
//! that takes the plain form post, does the same work with the same checks, and
//! answers with a redirect and a one-time message (`http/form_actions.rs`).

use crate::common::*;
use app::components::Flash;
use reqwest::{Client, Response, StatusCode};
use serde_json::json;
use sqlx::PgPool;

fn no_redirects() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Posts a form as a browser without JavaScript does: URL-encoded, from `page` on our site.
async fn post_form(app: &TestApp, client: &Client, action: &str, page: &str, fields: &[(&str, &str)]) -> Response {
    client
        .post(app.url(action))
        .header("origin", &app.base)
        .header("referer", app.url(page))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// The redirect's target and the message it carries for the next page.
fn outcome(response: &Response) -> (String, Flash) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a form post is answered with a redirect");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let flash = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("fb_flash="))
        .and_then(|v| Flash::decode(v.split(';').next().unwrap()))
        .expect("a message for the next page");
    (location, flash)
}

async fn page(app: &TestApp, client: &Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn forms_posted_without_javascript_do_their_work_and_say_so(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@acme.test").await;
    let admin = no_redirects();
    let signed_in =
        post_form(&app, &admin, "/acme/login", "/acme/login", &[("email", "ada@acme.test"), ("password", PASSWORD)])
            .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);

    // A new customer: to its page, which says so once.
    let created = post_form(
        &app,
        &admin,
        "/rpc/customers/create",
        "/app/customers",
        &[
            ("customer_name", "Miller Farm"),
            ("customer_email", ""),
            ("customer_phone", "0171 555"),
            ("customer_address", ""),
        ],
    )
    .await;
    let (location, flash) = outcome(&created);
    assert!(flash.ok && flash.text == "Customer added.", "{flash:?}");
    let customer_id: String = sqlx::query_scalar("select id::text from customers where name = 'Miller Farm'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(location, format!("/app/customers/{customer_id}"));
    let shown = page(&app, &admin, &location).await;
    assert!(
        shown.contains(r#"data-testid="flash""#) && shown.contains("Customer added."),
        "the page says what happened"
    );
    assert!(!page(&app, &admin, &location).await.contains(r#"data-testid="flash""#), "once");

    // A change: back to the page it came from.
    let page_path = format!("/app/customers/{customer_id}");
    let saved = post_form(
        &app,
        &admin,
        "/rpc/customers/update",
        &page_path,
        &[
            ("id", &customer_id),
            ("customer_name", "Miller Farm Ltd"),
            ("customer_email", ""),
            ("customer_phone", ""),
            ("customer_address", ""),
        ],
    )
    .await;
    let (location, flash) = outcome(&saved);
    assert_eq!((location.as_str(), flash.ok, flash.text.as_str()), (page_path.as_str(), true, "Customer saved."));
    assert_eq!(app.count("select count(*) from customers where name = 'Miller Farm Ltd'").await, 1);

    // Bad input: back to the page with the reason, nothing written.
    for name in ["", "Bad\0name", "Bell\u{7}"] {
        let refused = post_form(
            &app,
            &admin,
            "/rpc/customers/create",
            "/app/customers",
            &[("customer_name", name), ("customer_email", ""), ("customer_phone", ""), ("customer_address", "")],
        )
        .await;
        let (location, flash) = outcome(&refused);
        assert_eq!(location, "/app/customers");
        assert!(!flash.ok && !flash.text.is_empty(), "{name:?}: {flash:?}");
        let shown = page(&app, &admin, &location).await;
        assert!(shown.contains(r#"role="alert" data-testid="flash""#), "the reason is shown as an alert");
    }
    assert_eq!(app.count("select count(*) from customers").await, 1, "nothing written");

    // A job with its tasks (the textarea's lines), then a task and a note on its page.
    let status_id: String =
        sqlx::query_scalar("select id::text from job_statuses where name = 'New'").fetch_one(&app.db).await.unwrap();
    let created = post_form(
        &app,
        &admin,
        "/rpc/jobs/create",
        "/app/jobs/new",
        &[
            ("customer_id", customer_id.as_str()),
            ("title", "Fix the barn door"),
            ("description", " "),
            ("scheduled_date", ""),
            ("scheduled_time", ""),
            ("worker_id", ""),
            ("status_id", status_id.as_str()),
            ("tasks", "Buy hinges\r\nReplace hinges"),
        ],
    )
    .await;
    let (location, flash) = outcome(&created);
    let job_id: String = sqlx::query_scalar("select id::text from jobs").fetch_one(&app.db).await.unwrap();
    assert_eq!((location, flash.text.as_str()), (format!("/app/jobs/{job_id}"), "Job created."));
    assert_eq!(app.count("select count(*) from job_tasks").await, 2);
    let job_page = format!("/app/jobs/{job_id}");
    let (_, flash) = outcome(
        &post_form(
            &app,
            &admin,
            "/rpc/jobs/add_task",
            &job_page,
            &[("job_id", &job_id), ("new_task", "Oil the latch")],
        )
        .await,
    );
    assert_eq!(flash.text, "Task added.");
    let (_, flash) = outcome(
        &post_form(
            &app,
            &admin,
            "/rpc/jobs/add_note",
            &job_page,
            &[("job_id", &job_id), ("visibility", "INTERNAL"), ("note_body", "Hinges ordered.")],
        )
        .await,
    );
    assert_eq!(flash.text, "Note added.");
    assert_eq!(app.count("select count(*) from job_tasks").await, 3);
    assert_eq!(
        app.count("select count(*) from job_notes where body = 'Hinges ordered.' and visibility = 'INTERNAL'").await,
        1
    );
    // A status is a one-button form.
    let done_id: String =
        sqlx::query_scalar("select id::text from job_statuses where name = 'Done'").fetch_one(&app.db).await.unwrap();
    let (location, flash) = outcome(
        &post_form(&app, &admin, "/rpc/jobs/change_status", &job_page, &[("id", &job_id), ("status_id", &done_id)])
            .await,
    );
    assert_eq!((location.as_str(), flash.text.as_str()), (job_page.as_str(), "Moved to Done."));
    assert_eq!(
        app.count("select count(*) from jobs j join job_statuses s on s.id = j.status_id where s.name = 'Done'").await,
        1
    );
    // An id the page did not put there is the form's fault, said as such.
    let (_, flash) = outcome(
        &post_form(&app, &admin, "/rpc/jobs/add_task", &job_page, &[("job_id", "x"), ("new_task", "Oops")]).await,
    );
    assert!(!flash.ok && flash.text.contains("reload the page"), "{flash:?}");

    // The account page: the profile, and a wrong current password refused.
    let (_, flash) = outcome(
        &post_form(
            &app,
            &admin,
            "/rpc/account/update_profile",
            "/app/account",
            &[("name", "Ada L."), ("timezone", "")],
        )
        .await,
    );
    assert_eq!(flash.text, "Profile saved.");
    assert_eq!(app.count("select count(*) from users where name = 'Ada L.'").await, 1);
    let (location, flash) = outcome(
        &post_form(
            &app,
            &admin,
            "/rpc/account/change_password",
            "/app/account",
            &[("current_password", "not it at all"), ("new_password", "a new password 2026")],
        )
        .await,
    );
    assert!(location == "/app/account" && !flash.ok, "{flash:?}");

    // Without a session: nothing written, and the page says why.
    let stranger = no_redirects();
    let (_, flash) = outcome(
        &post_form(&app, &stranger, "/rpc/customers/create", "/app/customers", &[("customer_name", "Intruder")]).await,
    );
    assert!(!flash.ok, "{flash:?}");
    assert_eq!(app.count("select count(*) from customers where name = 'Intruder'").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_form_post_must_come_from_our_own_pages_to_a_function_that_takes_forms(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let fields =
        [("customer_name", "Forged"), ("customer_email", ""), ("customer_phone", ""), ("customer_address", "")];

    let foreign = acme
        .client
        .post(app.url("/rpc/customers/create"))
        .header("origin", "https://evil.example")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let unnamed = acme.client.post(app.url("/rpc/customers/create")).form(&fields).send().await.unwrap();
    assert_eq!(unnamed.status(), StatusCode::FORBIDDEN, "a form body must say where it came from");
    let plain = acme
        .client
        .post(app.url("/rpc/customers/create"))
        .header("origin", &app.base)
        .header("content-type", "text/plain")
        .body(r#"{"form":{"name":"Forged"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let customer = app
        .rpc_ok(
            &acme.client,
            "customers/create",
            json!({ "form": { "name": "Real", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let without_form = acme
        .client
        .post(app.url("/rpc/customers/set_active"))
        .header("origin", &app.base)
        .form(&[("id", customer["id"].as_str().unwrap()), ("active", "false")])
        .send()
        .await
        .unwrap();
    assert_eq!(without_form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "only functions with a form take form posts");

    // Another company's admin posting a form about Acme's customer: refused, unchanged.
    app.sign_up("globex", "gil@globex.test").await;
    let gil = no_redirects();
    post_form(&app, &gil, "/globex/login", "/globex/login", &[("email", "gil@globex.test"), ("password", PASSWORD)])
        .await;
    let id = customer["id"].as_str().unwrap();
    let page = format!("/app/customers/{id}");
    let (_, flash) = outcome(
        &post_form(&app, &gil, "/rpc/customers/update", &page, &[("id", id), ("customer_name", "Taken over")]).await,
    );
    assert!(!flash.ok, "{flash:?}");
    assert_eq!(app.count("select count(*) from customers where name = 'Taken over'").await, 0);
    assert_eq!(app.count("select count(*) from customers where name = 'Forged'").await, 0);
    assert_eq!(app.count("select count(*) from customers where deactivated_at is null").await, 1);
}

/// The `<form …>` start tags in a page.
fn form_tags(html: &str) -> Vec<String> {
    html.match_indices("<form").map(|(at, _)| html[at..].split_once('>').unwrap().0.to_string()).collect()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..].split('"').next()?.to_string())
}

#[sqlx::test(migrations = "../migrations")]
async fn every_form_the_server_renders_posts_where_it_is_handled(db: PgPool) {
    let app = spawn_app(db).await;
    let acme = app.sign_up("acme", "ada@acme.test").await;
    let customer = app
        .rpc_ok(
            &acme.client,
            "customers/create",
            json!({ "form": { "name": "Miller Farm", "email": "", "phone": "", "address": "" } }),
        )
        .await;
    let worker_id = app.create_user(&acme.client, "Walt Worker", "walt@acme.test", "WORKER").await;
    let statuses = app.rpc_ok(&acme.client, "statuses/list", json!({})).await;
    let job = app
        .rpc_ok(
            &acme.client,
            "jobs/create",
            json!({ "form": {
                "customer_id": customer["id"], "title": "Fix the barn door", "description": "Rusty <hinges></textarea><b>bold</b>",
                "scheduled_date": "", "scheduled_time": "", "worker_id": worker_id,
                "status_id": statuses[0]["id"], "tasks": ["Buy hinges"] } }),
        )
        .await;
    let worker = app.log_in_browser("acme", "walt@acme.test").await;
    let log = app
        .rpc_ok(
            &worker,
            "time/create",
            json!({ "form": { "job_id": job["id"], "date": "2026-11-30", "start": "08:00", "end": "09:30",
                              "duration": "", "break_minutes": "", "description": "Hinges", "billable": true } }),
        )
        .await;
    let (job_id, customer_id, log_id) =
        (job["id"].as_str().unwrap(), customer["id"].as_str().unwrap(), log["id"].as_str().unwrap());

    let admin_pages = [
        "/app/jobs/new".to_string(),
        format!("/app/jobs/{job_id}"),
        format!("/app/jobs/{job_id}/edit"),
        "/app/customers".into(),
        format!("/app/customers/{customer_id}"),
        "/app/statuses".into(),
        "/app/users".into(),
        "/app/approvals".into(),
        "/app/contracts".into(),
        "/app/account".into(),
        "/app/notifications".into(),
    ];
    let worker_pages =
        ["/app/my-jobs".to_string(), format!("/app/jobs/{job_id}"), "/app/time".into(), format!("/app/time/{log_id}")];
    let public_pages = ["/forgot-password", "/reset-password?token=abc", "/verify-email?token=abc"];
    let mut checked = 0;
    let mut check = |path: &str, html: &str| {
        for tag in form_tags(html) {
            if attribute(&tag, "method").as_deref() != Some("post") {
                continue;
            }
            let action = attribute(&tag, "action").unwrap_or_else(|| panic!("{path}: a form without action: {tag}"));
            assert!(server::http::form_actions::takes_form_posts(&action), "{path}: {action} takes no form post");
            checked += 1;
        }
        assert!(!html.contains(r#"type="password" value="#), "{path}: no password is ever rendered");
    };
    for path in &admin_pages {
        check(path, &page(&app, &acme.client, path).await);
    }
    for path in &worker_pages {
        check(path, &page(&app, &worker, path).await);
    }
    for path in public_pages {
        check(path, &page(&app, &browser(), path).await);
    }
    assert!(checked >= 20, "found {checked} forms");

    // The worker starts the timer from the job page's one-button form.
    let walt = no_redirects();
    let signed_in =
        post_form(&app, &walt, "/acme/login", "/acme/login", &[("email", "walt@acme.test"), ("password", PASSWORD)])
            .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let job_page = format!("/app/jobs/{job_id}");
    let (location, flash) =
        outcome(&post_form(&app, &walt, "/rpc/time/start", &job_page, &[("timer_job", job_id)]).await);
    assert_eq!((location.as_str(), flash.text.as_str()), (job_page.as_str(), "Timer started."));
    assert_eq!(app.count("select count(*) from work_logs where ended_at is null").await, 1);

    // My jobs comes without the WASM (`routes::sent_without_wasm`): the server draws the
    // timer bar, whose buttons are forms, and "Log out" is a form too.
    let my_jobs = page(&app, &walt, "/app/my-jobs").await;
    assert!(my_jobs.contains(r#"<html lang="en" data-wasm="none">"#), "sent without the WASM");
    assert!(!my_jobs.contains("module_or_path") && !my_jobs.contains("bundle.hydrate()"), "no loader for the bundle");
    assert!(
        my_jobs.contains(r#"data-testid="timer-bar""#) && my_jobs.contains("Fix the barn door"),
        "the running timer's bar"
    );
    for (action, said) in [
        ("/rpc/time/pause", "Timer paused."),
        ("/rpc/time/resume", "Timer running again."),
        ("/rpc/time/stop", "Timer stopped. The entry is saved as a draft under Time."),
    ] {
        assert!(my_jobs.contains(&format!(r#"action="{action}""#)), "{action} is on the bar");
        let (location, flash) = outcome(&post_form(&app, &walt, action, "/app/my-jobs", &[]).await);
        assert_eq!((location.as_str(), flash.text.as_str()), ("/app/my-jobs", said));
    }
    assert_eq!(app.count("select count(*) from work_logs where ended_at is null").await, 0);
    assert!(!page(&app, &walt, "/app/my-jobs").await.contains(r#"data-testid="timer-bar""#), "no bar once stopped");
    // A page with the WASM keeps its loader.
    let my_time = page(&app, &walt, "/app/time").await;
    assert!(
        my_time.contains("module_or_path") && my_time.contains(r#"<html lang="en"><head>"#),
        "My time has the WASM"
    );
    let (location, flash) =
        outcome(&post_form(&app, &walt, "/rpc/auth/log_out", "/app/my-jobs", &[("workspace", "acme")]).await);
    assert_eq!((location.as_str(), flash.text.as_str()), ("/acme/login?signed_out", "Signed out."));
    assert_eq!(app.rpc_ok(&walt, "auth/session", json!({})).await, json!(null), "signed out");
    let login = page(&app, &walt, "/acme/login?signed_out").await;
    assert!(login.contains(r#"data-wasm="none""#) && !login.contains("module_or_path"), "sign-in without the WASM");

    // What the forms hold before any script ran: the current values, escaped.
    let edit = page(&app, &acme.client, &format!("/app/jobs/{job_id}/edit")).await;
    assert!(edit.contains(r#"value="Fix the barn door""#), "the title is filled in");
    let at = edit.find("<textarea").unwrap_or(0);
    assert!(
        edit.contains("Rusty &lt;hinges&gt;&lt;/textarea&gt;&lt;b&gt;bold&lt;/b&gt;</textarea>"),
        "the description is filled in, escaped: {}",
        &edit[at..(at + 400).min(edit.len())]
    );
    let entry = page(&app, &worker, &format!("/app/time/{log_id}")).await;
    assert!(
        entry.contains(r#"value="08:00""#) && entry.contains(r#"name="billable" value="true" checked"#),
        "the entry's fields"
    );
}
