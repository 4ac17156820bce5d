//! Sign-up, sign-in, tokens and sessions, against the real app and a fresh database.

use crate::common::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::auth::tokens::{AccessClaims, JwtKeys};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn sign_up_creates_the_company_its_admin_a_session_and_audit_rows(db: PgPool) {
    let app = spawn_app(db).await;
    let signed = app.sign_up("acme", "Ada@Example.com").await;
    assert_eq!(signed.user["role"], "ADMIN");
    assert_eq!(signed.user["email"], "ada@example.com");
    assert_eq!(signed.user["company"]["slug"], "acme");

    let session = app.rpc_ok(&signed.client, "auth/session", json!({})).await;
    assert_eq!(session["name"], "Ada Admin");
    assert_eq!(app.count("select count(*) from companies").await, 1);
    assert_eq!(app.count("select count(*) from sessions").await, 1);
    assert_eq!(
        app.count("select count(*) from audit_log where action in ('company.created', 'user.created')").await,
        2
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_up_rejects_bad_input_naming_the_field_and_writes_nothing(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("taken", "first@example.com").await;
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        ("empty company name", "company_name", json!(""), "Enter your company's name."),
        ("company name too long", "company_name", json!("x".repeat(121)), "Keep it to 120 characters or fewer."),
        ("malformed email", "email", json!("not-an-email"), "Enter a valid email address, like name@example.com."),
        ("weak password", "password", json!("password123"), "That password is too easy to guess. Try a short phrase."),
        ("short password", "password", json!("short"), "Use at least 10 characters."),
        ("slug with spaces", "slug", json!("my company"), "Use only letters a–z, digits and hyphens."),
        ("reserved slug", "slug", json!("login"), "That address is reserved. Pick another."),
        ("slug taken", "slug", json!("taken"), "That address is taken. Try another."),
        ("unknown timezone", "timezone", json!("Mars/Olympus_Mons"), "Choose a timezone from the list."),
        ("empty admin name", "admin_name", json!("   "), "Enter a name."),
    ];
    for (case, field, value, message) in cases {
        let mut form = signup_form("fresh-co", "new@example.com");
        form[field] = value;
        let response = app.rpc(&browser(), "auth/sign_up", json!({ "form": form })).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["kind"], "validation", "{case}");
        assert_eq!(error_fields(&body), vec![field.to_string()], "{case}");
        assert_eq!(body["errors"][0]["message"], message, "{case}");
    }
    assert_eq!(app.count("select count(*) from companies").await, 1, "nothing was written");
    assert_eq!(app.count("select count(*) from users").await, 1, "nothing was written");
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_requests_answer_400_not_500(db: PgPool) {
    let app = spawn_app(db).await;
    let response = browser()
        .post(app.url("/rpc/auth/sign_up"))
        .header("content-type", "application/json")
        .body("{\"form\": 42}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = app.rpc(&browser(), "users/change_role", json!({ "user_id": "not-a-uuid", "role": "ADMIN" })).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_email_and_wrong_password_get_the_same_answer(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@example.com").await;
    let mut bodies = Vec::new();
    for (slug, email, password) in [
        ("acme", "ada@example.com", "wrong password!"),
        ("acme", "nobody@example.com", PASSWORD),
        ("no-such-co", "ada@example.com", PASSWORD),
    ] {
        let response = app.log_in(slug, email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        bodies.push(response.text().await.unwrap());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "identical answers: {bodies:?}");
    let body: Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(body["kind"], "invalid_credentials");
}

#[sqlx::test(migrations = "../migrations")]
async fn login_sets_http_only_same_site_cookies_and_works_case_insensitively(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@example.com").await;
    let response = app.log_in("ACME", "ADA@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<_> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert_eq!(cookies.len(), 2);
    for cookie in cookies {
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "development cookies work over http: {cookie}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn refresh_rotates_the_token_and_reuse_revokes_the_whole_family(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@example.com").await;
    let (_, first_refresh) = app.api_login("acme", "ada@example.com", PASSWORD).await;

    let refresh = |token: String| {
        let url = app.url("/api/v1/auth/refresh");
        async move { api_client().post(url).json(&json!({ "refresh_token": token })).send().await.unwrap() }
    };
    let rotated = refresh(first_refresh.clone()).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: Value = rotated.json().await.unwrap();
    let second_refresh = rotated["refresh_token"].as_str().unwrap().to_string();
    let second_access = rotated["access_token"].as_str().unwrap().to_string();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(app.me(&second_access).await, StatusCode::OK);

    // The first token again: reuse. The family dies, including the newest tokens.
    assert_eq!(refresh(first_refresh).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refresh(second_refresh).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.me(&second_access).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("select count(*) from sessions where revoked_reason = 'reuse_detected'").await, 2);
    assert_eq!(app.count("select count(*) from audit_log where action = 'session.reuse_detected'").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_browser_with_an_expired_access_cookie_is_refreshed_transparently(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@example.com").await;
    let (_, refresh) = app.api_login("acme", "ada@example.com", PASSWORD).await;
    let keys = JwtKeys::new(&app.settings.jwt_secret);
    let expired = expired_token(&app, &keys).await;

    let response = api_client()
        .post(app.url("/rpc/auth/session"))
        .header("cookie", format!("fb_access={expired}; fb_refresh={refresh}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookies = response.headers().get_all("set-cookie").iter().count();
    assert_eq!(set_cookies, 2, "a new pair of cookies");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["email"], "ada@example.com");
}

async fn expired_token(app: &TestApp, keys: &JwtKeys) -> String {
    let row: (uuid::Uuid, uuid::Uuid, uuid::Uuid) =
        sqlx::query_as("select user_id, company_id, family_id from sessions order by created_at desc limit 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let now = chrono::Utc::now().timestamp();
    keys.encode_claims(&AccessClaims {
        sub: row.0,
        cid: row.1,
        sid: row.2,
        role: app::auth::Role::Admin,
        iat: now - 3600,
        exp: now - 1800,
        iss: "fieldbook".into(),
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn expired_tampered_unsigned_and_foreign_tokens_are_rejected(db: PgPool) {
    let app = spawn_app(db).await;
    let signed = app.sign_up("acme", "ada@example.com").await;
    let worker_id = app.create_user(&signed.client, "Walt", "walt@example.com", "WORKER").await;
    let (access, _) = app.api_login("acme", "walt@example.com", PASSWORD).await;
    assert_eq!(app.me(&access).await, StatusCode::OK);

    let keys = JwtKeys::new(&app.settings.jwt_secret);
    assert_eq!(app.me(&expired_token(&app, &keys).await).await, StatusCode::UNAUTHORIZED, "expired");

    // Changed payload (the worker claims to be someone else), original signature.
    let parts: Vec<&str> = access.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["role"] = json!("ADMIN");
    claims["sub"] = json!(uuid::Uuid::new_v4());
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2]);
    assert_eq!(app.me(&forged).await, StatusCode::UNAUTHORIZED, "changed payload");

    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    assert_eq!(app.me(&format!("{none_header}.{}.", parts[1])).await, StatusCode::UNAUTHORIZED, "alg none");

    let wrong_key = JwtKeys::new(&secrecy::SecretString::from("some-other-secret-of-sufficient-length!".to_string()));
    let claims: AccessClaims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(app.me(&wrong_key.encode_claims(&claims)).await, StatusCode::UNAUTHORIZED, "wrong key");
    assert!(!worker_id.is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deactivated_user_is_rejected_at_once_and_cannot_log_in(db: PgPool) {
    let app = spawn_app(db).await;
    let admin = app.sign_up("acme", "ada@example.com").await;
    let worker_id = app.create_user(&admin.client, "Walt", "walt@example.com", "WORKER").await;
    let (access, refresh) = app.api_login("acme", "walt@example.com", PASSWORD).await;
    let worker_browser = app.log_in_browser("acme", "walt@example.com").await;

    app.rpc_ok(&admin.client, "users/deactivate", json!({ "user_id": worker_id })).await;

    assert_eq!(app.me(&access).await, StatusCode::UNAUTHORIZED, "live access token dies with the sessions");
    let session = app.rpc_ok(&worker_browser, "auth/session", json!({})).await;
    assert_eq!(session, Value::Null, "the browser session is gone");
    let refreshed = api_client()
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({ "refresh_token": refresh }))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in("acme", "walt@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);

    app.rpc_ok(&admin.client, "users/restore", json!({ "user_id": worker_id })).await;
    assert_eq!(app.log_in("acme", "walt@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn sessions_beyond_the_cap_end_the_least_recently_used(db: PgPool) {
    let app = spawn_app_with(db, |s| s.max_sessions_per_user = 3).await;
    app.sign_up("acme", "ada@example.com").await; // session 1 (browser)
    let mut tokens = Vec::new();
    for _ in 0..3 {
        tokens.push(app.api_login("acme", "ada@example.com", PASSWORD).await.0);
    }
    assert_eq!(app.count("select count(*) from sessions where revoked_at is null").await, 3);
    assert_eq!(app.count("select count(*) from sessions where revoked_reason = 'session_cap'").await, 1);
    for access in &tokens {
        assert_eq!(app.me(access).await, StatusCode::OK);
    }
    app.api_login("acme", "ada@example.com", PASSWORD).await;
    assert_eq!(app.me(&tokens[0]).await, StatusCode::UNAUTHORIZED, "the oldest API session was evicted");
    assert_eq!(app.me(&tokens[2]).await, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn repeated_failures_throttle_the_account_even_with_the_right_password(db: PgPool) {
    let app = spawn_app(db).await;
    app.sign_up("acme", "ada@example.com").await;
    for _ in 0..5 {
        assert_eq!(app.log_in("acme", "ada@example.com", "wrong password!").await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.log_in("acme", "ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["kind"], "too_many_requests");
    // Another account from the same address is not locked out by that account's failures.
    app.sign_up("other", "bob@example.com").await;
    assert_eq!(app.log_in("other", "bob@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn many_failures_from_one_address_throttle_every_account_from_it(db: PgPool) {
    let app = spawn_app_with(db, |s| s.limits.login_per_ip.max = 30).await;
    app.sign_up("acme", "ada@example.com").await;
    for n in 0..30 {
        let response = app.log_in("acme", &format!("guess{n}@example.com"), "wrong password!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.log_in("acme", "ada@example.com", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrations = "../migrations")]
async fn logout_ends_this_session_and_logout_everywhere_ends_all(db: PgPool) {
    let app = spawn_app(db).await;
    let signed = app.sign_up("acme", "ada@example.com").await;
    let (api_access, _) = app.api_login("acme", "ada@example.com", PASSWORD).await;
    let second_browser = app.log_in_browser("acme", "ada@example.com").await;

    app.rpc_ok(&signed.client, "auth/log_out", json!({})).await;
    assert_eq!(app.rpc_ok(&signed.client, "auth/session", json!({})).await, Value::Null);
    assert_eq!(app.me(&api_access).await, StatusCode::OK, "other sessions live on");

    app.rpc_ok(&second_browser, "auth/log_out_everywhere", json!({})).await;
    assert_eq!(app.me(&api_access).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.rpc_ok(&second_browser, "auth/session", json!({})).await, Value::Null);
    let unauthenticated = app.rpc(&second_browser, "auth/log_out_everywhere", json!({})).await;
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn changing_the_password_ends_the_other_sessions_and_needs_the_current_one(db: PgPool) {
    let app = spawn_app(db).await;
    let signed = app.sign_up("acme", "ada@example.com").await;
    let (other_access, _) = app.api_login("acme", "ada@example.com", PASSWORD).await;

    let wrong = app
        .rpc(
            &signed.client,
            "account/change_password",
            json!({ "form": { "current_password": "nope nope nope", "new_password": "a brand new phrase" } }),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&wrong.json().await.unwrap()), vec!["current_password"]);

    app.rpc_ok(
        &signed.client,
        "account/change_password",
        json!({ "form": { "current_password": PASSWORD, "new_password": "a brand new phrase" } }),
    )
    .await;
    assert_eq!(app.me(&other_access).await, StatusCode::UNAUTHORIZED);
    assert_ne!(app.rpc_ok(&signed.client, "auth/session", json!({})).await, Value::Null, "this session stays");
    assert_eq!(app.log_in("acme", "ada@example.com", "a brand new phrase").await.status(), StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_session_list_shows_devices_and_revokes_only_ones_own(db: PgPool) {
    let app = spawn_app(db).await;
    let ada = app.sign_up("acme", "ada@example.com").await;
    app.api_login("acme", "ada@example.com", PASSWORD).await;
    let sessions = app.rpc_ok(&ada.client, "account/sessions", json!({})).await;
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].clone();

    let bob = app.sign_up("bobs", "bob@example.com").await;
    let foreign = app.rpc(&bob.client, "account/revoke_session", json!({ "session_id": other })).await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    app.rpc_ok(&ada.client, "account/revoke_session", json!({ "session_id": other })).await;
    assert_eq!(app.rpc_ok(&ada.client, "account/sessions", json!({})).await.as_array().unwrap().len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn every_offered_timezone_is_one_the_schema_accepts_and_others_are_field_errors(db: PgPool) {
    let app = spawn_app(db.clone()).await;
    let offered: Vec<String> =
        serde_json::from_value(app.rpc_ok(&browser(), "auth/timezones", json!({})).await).unwrap();
    assert!(offered.len() > 300, "the list offers the IANA zones");
    // The schema admits only names PostgreSQL knows, so no timezone is ever guessed.
    let unknown: Vec<String> = sqlx::query_scalar("select n from unnest($1::text[]) n where not is_timezone_name(n)")
        .bind(&offered)
        .fetch_all(&db)
        .await
        .unwrap();
    assert!(unknown.is_empty(), "offered but refused by the schema: {unknown:?}");

    let signed = app.sign_up("acme", "ada@example.com").await;
    let response = app
        .rpc(&signed.client, "account/update_profile", json!({ "form": { "name": "Ada", "timezone": "Mars/Olympus" } }))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&response.json().await.unwrap()), vec!["timezone"]);
    let refused = sqlx::query("update users set timezone = 'Mars/Olympus' where email = 'ada@example.com'")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("users_timezone_check"), "{refused}");
}
