//! Cross-site request forgery defence for every state-changing request.
//!
//! A request that can change state (anything but GET, HEAD, OPTIONS) must show it
//! came from our own pages: its `Origin` must be the configured `BASE_URL`'s origin;
//! without `Origin`, `Sec-Fetch-Site` must say same-origin (or `none`: typed by the
//! user); without either, a `Referer` must point at our origin. A request with none
//! of the three is not from a browser (curl, an API client with a bearer token) and
//! carries no ambient credentials a forger could borrow, so it passes.
//!
//! The body must also be in the encoding the endpoint declares: JSON for server
//! functions and the API, URL-encoded forms only for the sign-in and sign-up form
//! posts and the server functions whose forms work without JavaScript
//! (`form_actions.rs`) — and such a body must name its origin. A cross-site HTML form can send only
//! `text/plain`, URL-encoded or multipart bodies, so this alone stops the
//! "JSON smuggled in a text/plain field name" trick.

use super::problem::error_response;
use crate::state::AppState;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{CONTENT_TYPE, ORIGIN, REFERER};
use http::{Method, StatusCode};

/// Whether `path` takes a plain HTML form post (progressive enhancement): the
/// sign-up page and the sign-in pages (`/login`, `/<workspace>/login`).
pub fn is_form_post_path(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["login"] | ["signup"] => true,
        [slug, "login"] => !matches!(*slug, "api" | "rpc" | "app" | "pkg" | ""),
        _ => false,
    }
}

pub async fn require_same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    if let Err(reason) = check_origin(request.headers(), &state.settings.allowed_origins()) {
        tracing::warn!(reason, path, "refused a cross-origin request");
        return error_response(path, None, AppError::Forbidden);
    }
    // A body an HTML form can send must come with a browser's word for where it came
    // from: "no browser at all" is not an excuse a form post can make.
    if is_form_body(request.headers()) && !names_its_origin(request.headers()) {
        tracing::warn!(path, "refused a form post that does not say where it came from");
        return error_response(path, None, AppError::Forbidden);
    }
    if let Err(expected) = check_content_type(path, request.headers()) {
        let error = AppError::BadRequest { message: format!("Send the body as {expected}.") };
        return error_response(path, Some(StatusCode::UNSUPPORTED_MEDIA_TYPE), error);
    }
    next.run(request).await
}

/// Ok when the request comes from one of `allowed` origins, or from no browser at all.
pub fn check_origin(headers: &http::HeaderMap, allowed: &[String]) -> Result<(), &'static str> {
    // Present but unreadable counts as present: it must not fall through to weaker checks.
    let header = |name| headers.get(name).map(|v: &http::HeaderValue| v.to_str().unwrap_or("\u{fffd}"));
    if let Some(origin) = header(ORIGIN) {
        return if allowed.iter().any(|a| a == origin) { Ok(()) } else { Err("foreign Origin") };
    }
    if let Some(site) = header(http::HeaderName::from_static("sec-fetch-site")) {
        return match site {
            "same-origin" | "none" => Ok(()),
            _ => Err("cross-site Sec-Fetch-Site"),
        };
    }
    if let Some(referer) = header(REFERER) {
        return if allowed.iter().any(|a| referer == a || referer.starts_with(&format!("{a}/"))) {
            Ok(())
        } else {
            Err("foreign Referer")
        };
    }
    Ok(())
}

fn media_type(headers: &http::HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The encodings a cross-site HTML form can send.
fn is_form_body(headers: &http::HeaderMap) -> bool {
    matches!(media_type(headers).as_str(), "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain")
}

fn names_its_origin(headers: &http::HeaderMap) -> bool {
    [ORIGIN, http::HeaderName::from_static("sec-fetch-site"), REFERER].iter().any(|name| headers.contains_key(name))
}

/// Ok when the body's media type is what `path` declares; else the expected type.
fn check_content_type(path: &str, headers: &http::HeaderMap) -> Result<(), &'static str> {
    let media_type = media_type(headers);
    // Posts to other pages are only ever redirected back, never read (form_posts.rs).
    let is_endpoint = path.starts_with("/rpc/") || path.starts_with("/api/");
    if !is_endpoint && !is_form_post_path(path) {
        return Ok(());
    }
    if is_form_post_path(path) {
        return if media_type == "application/x-www-form-urlencoded" {
            Ok(())
        } else {
            Err("application/x-www-form-urlencoded")
        };
    }
    // The server functions whose forms work without JavaScript (form_actions.rs).
    if media_type == "application/x-www-form-urlencoded" && super::form_actions::takes_form_posts(path) {
        return Ok(());
    }
    // Bodiless calls (sign-out through the API, say) have nothing to smuggle.
    let has_body = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v != "0")
        .unwrap_or_else(|| headers.contains_key(http::header::TRANSFER_ENCODING));
    if media_type == "application/json" || (!has_body && media_type.is_empty()) {
        Ok(())
    } else {
        Err("application/json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const OURS: &str = "https://fieldbook.example";

    #[test]
    fn origins_are_compared_exactly() {
        let allowed = vec![OURS.to_string()];
        assert!(check_origin(&headers(&[("origin", OURS)]), &allowed).is_ok());
        assert!(check_origin(&headers(&[("origin", "https://evil.example")]), &allowed).is_err());
        assert!(check_origin(&headers(&[("origin", "https://fieldbook.example.evil.example")]), &allowed).is_err());
        assert!(check_origin(&headers(&[("origin", "null")]), &allowed).is_err());
    }

    #[test]
    fn without_origin_fetch_metadata_then_referer_decide() {
        let allowed = vec![OURS.to_string()];
        assert!(check_origin(&headers(&[("sec-fetch-site", "cross-site")]), &allowed).is_err());
        assert!(check_origin(&headers(&[("sec-fetch-site", "same-site")]), &allowed).is_err());
        assert!(check_origin(&headers(&[("sec-fetch-site", "same-origin")]), &allowed).is_ok());
        assert!(check_origin(&headers(&[("referer", "https://fieldbook.example/app")]), &allowed).is_ok());
        assert!(check_origin(&headers(&[("referer", "https://fieldbook.example.evil.example/")]), &allowed).is_err());
        assert!(check_origin(&headers(&[]), &allowed).is_ok(), "no browser, no ambient credentials");
    }

    #[test]
    fn a_form_body_must_say_where_it_came_from() {
        for media_type in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"] {
            let mut form = headers(&[]);
            form.insert("content-type", HeaderValue::from_str(media_type).unwrap());
            assert!(is_form_body(&form) && !names_its_origin(&form), "{media_type}");
            form.insert("origin", HeaderValue::from_static(OURS));
            assert!(names_its_origin(&form));
        }
        assert!(!is_form_body(&headers(&[("content-type", "application/json")])));
    }

    #[test]
    fn server_functions_take_json_only() {
        let json = headers(&[("content-type", "application/json"), ("content-length", "2")]);
        assert!(check_content_type("/rpc/customers/create", &json).is_ok());
        let plain = headers(&[("content-type", "text/plain"), ("content-length", "20")]);
        assert!(check_content_type("/rpc/customers/create", &plain).is_err());
        let form = headers(&[("content-type", "application/x-www-form-urlencoded"), ("content-length", "20")]);
        assert!(check_content_type("/rpc/customers/delete_everything", &form).is_err());
        assert!(check_content_type("/rpc/jobs/list", &form).is_err(), "a function without a form");
        assert!(check_content_type("/rpc/customers/create", &form).is_ok(), "a form that works without script");
        assert!(check_content_type("/rpc/customers/create", &plain).is_err());
        assert!(check_content_type("/northwind/login", &form).is_ok());
        assert!(check_content_type("/northwind/login", &json).is_err());
        assert!(check_content_type("/api/v1/auth/login", &json).is_ok());
        assert!(check_content_type("/api/v1/auth/login", &form).is_err());
        assert!(check_content_type("/api/v1/auth/logout", &headers(&[("content-length", "0")])).is_ok());
    }
}
