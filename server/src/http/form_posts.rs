//! Forms that work before the page's script has loaded (on a phone, the first
//! several seconds). Every form declares `method="post"`, so a submit that beats
//! the WASM never puts a field — least of all a password — into a URL:
//!
//! - the sign-in and sign-up forms post here, are handled like their server
//!   functions, and answer with a redirect: into the app on success, back to the form
//!   with the error (and the non-secret fields) otherwise;
//! - every other form names its server function as `action` (`form_actions.rs`); a
//!   post to a page itself (no form does that any more) is answered with a redirect
//!   back to the page, which then loads normally; nothing is changed.
//!
//! Both pass the same-origin check first (`csrf.rs`).

use crate::auth::{cookies, service, ClientInfo};
use crate::state::AppState;
use app::auth::{LoginForm, SignUpForm};
use app::error::AppError;
use axum::extract::{Path, Query, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use http::header::{LOCATION, SET_COOKIE};
use http::{HeaderValue, Method, StatusCode};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(log_in))
        .route("/{slug}/login", post(log_in_to_workspace))
        .route("/signup", post(sign_up))
}

#[derive(Debug, Default, Deserialize)]
struct NextParam {
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct LoginFields {
    #[serde(default)]
    workspace: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn see_other(location: &str) -> Response {
    // Always a path on this site: `//host` would send the browser elsewhere.
    let location = format!("/{}", location.trim_start_matches(['/', '\\']));
    let mut response = StatusCode::SEE_OTHER.into_response();
    let location = HeaderValue::from_str(&location).unwrap_or_else(|_| HeaderValue::from_static("/"));
    response.headers_mut().insert(LOCATION, location);
    response
}

fn query_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", app::jobs::encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The short code a form page turns back into its message (`app::auth::form_error`).
fn error_code(error: &AppError) -> String {
    match error {
        AppError::TooManyRequests { retry_after_secs } => format!("throttled-{retry_after_secs}"),
        AppError::InvalidCredentials => "credentials".into(),
        AppError::Validation { errors } => {
            errors.first().map(|e| format!("field-{}", e.field)).unwrap_or_else(|| "invalid".into())
        }
        _ => "failed".into(),
    }
}

async fn sign_in(state: &AppState, client: ClientInfo, form: LoginForm, page: &str, next: Option<String>) -> Response {
    let email = form.email.clone();
    // Typed at `/login`; a workspace page has it in its address already.
    let workspace = if page == "/login" { form.workspace.clone() } else { String::new() };
    let next = next.filter(|next| next.starts_with("/app") && !next.starts_with("//"));
    match service::log_in(state, form, &client).await {
        Ok((user, tokens)) => {
            let target = next.unwrap_or_else(|| user.role.home_path().to_string());
            let mut response = see_other(&target);
            for cookie in cookies::session(&tokens.access_token, &tokens.refresh_token, state.settings.secure_cookies())
            {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => {
            let error = AppError::from(error);
            // Back to the form with what was typed (never the password) and where it leads.
            let (code, next) = (error_code(&error), next.unwrap_or_default());
            let fields = [("error", code.as_str()), ("workspace", &workspace), ("email", &email), ("next", &next)];
            see_other(&format!("{page}?{}", query_pairs(&fields)))
        }
    }
}

fn client(request_parts: &http::request::Parts) -> ClientInfo {
    ClientInfo::from_parts(&request_parts.headers, &request_parts.extensions)
}

async fn log_in(
    State(state): State<AppState>,
    Query(next): Query<NextParam>,
    parts: http::request::Parts,
    Form(fields): Form<LoginFields>,
) -> Response {
    let form = LoginForm { workspace: fields.workspace, email: fields.email, password: fields.password };
    sign_in(&state, client(&parts), form, "/login", next.next).await
}

async fn log_in_to_workspace(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(next): Query<NextParam>,
    parts: http::request::Parts,
    Form(fields): Form<LoginFields>,
) -> Response {
    let page = format!("/{}/login", app::jobs::encode_component(&slug));
    let form = LoginForm { workspace: slug, email: fields.email, password: fields.password };
    sign_in(&state, client(&parts), form, &page, next.next).await
}

async fn sign_up(State(state): State<AppState>, parts: http::request::Parts, Form(form): Form<SignUpForm>) -> Response {
    let kept = form.clone();
    match crate::onboarding::sign_up(&state, form, &client(&parts)).await {
        Ok((_, tokens)) => {
            let mut response = see_other("/app");
            for cookie in cookies::session(&tokens.access_token, &tokens.refresh_token, state.settings.secure_cookies())
            {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => {
            let error = AppError::from(error);
            let query = query_pairs(&[
                ("error", &error_code(&error)),
                ("company_name", &kept.company_name),
                ("slug", &kept.slug),
                ("timezone", &kept.timezone),
                ("admin_name", &kept.admin_name),
                ("email", &kept.email),
            ]);
            see_other(&format!("/signup?{query}"))
        }
    }
}

/// A form posted to a page before its script loaded: back to the page, unchanged.
pub async fn redirect_unhandled_form_posts(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let handled_elsewhere = ["/rpc/", "/api/", "/exports/", "/events/"].iter().any(|p| path.starts_with(p))
        || super::csrf::is_form_post_path(path);
    if request.method() != Method::POST || handled_elsewhere {
        return next.run(request).await;
    }
    let is_form =
        request.headers().get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            v.starts_with("application/x-www-form-urlencoded") || v.starts_with("multipart/form-data")
        });
    if !is_form {
        return next.run(request).await;
    }
    let target = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    see_other(&target)
}
