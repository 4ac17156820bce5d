//! A backstop under the per-form validation: every JSON body sent to a server
//! function or the API is read once, and a string carrying a NUL or another
//! control character (tabs and line breaks aside), or longer than any field
//! Fieldbook has, is refused with a 422 naming the field — before any handler runs,
//! so nothing is written. PostgreSQL cannot store NUL in text, and terminal control
//! sequences have no business in names and notes.
//!
//! The shared domain rules (`app::domain::text`) apply the same checks, with
//! stricter ones per field, in the browser and on the server.

use super::problem::error_response;
use app::domain::text::{forbidden_char_message, has_forbidden_char};
use app::error::{AppError, FieldError};
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;
use serde_json::Value;

/// Longer than the longest field (a job description, 20 000 characters).
pub const MAX_STRING_CHARS: usize = 20_000;

pub async fn reject_hostile_json(request: Request, next: Next, max_body: usize) -> Response {
    let path = request.uri().path().to_string();
    let guarded = path.starts_with("/rpc/") || path.starts_with("/api/");
    let is_json = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
    if !guarded || !is_json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, max_body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let error = AppError::BadRequest { message: "The request body is too large.".into() };
            return error_response(&path, Some(StatusCode::PAYLOAD_TOO_LARGE), error);
        }
    };
    // Bodies that are not JSON at all are the handler's to refuse, with its own message.
    if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
        if let Some(error) = first_hostile_string(&value, "body") {
            return error_response(&path, None, AppError::from(vec![error]));
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The first string (or key) in `value` that no field accepts, named by the
/// nearest object key above it.
pub fn first_hostile_string(value: &Value, field: &str) -> Option<FieldError> {
    match value {
        Value::String(text) => check(text, field),
        Value::Array(items) => items.iter().find_map(|item| first_hostile_string(item, field)),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            // A hostile key is named by its parent: the key itself is the bad text.
            check(key, field).or_else(|| first_hostile_string(item, key))
        }),
        _ => None,
    }
}

fn check(text: &str, field: &str) -> Option<FieldError> {
    if has_forbidden_char(text, true) {
        return Some(FieldError::new(field, forbidden_char_message()));
    }
    if text.len() > MAX_STRING_CHARS && text.chars().count() > MAX_STRING_CHARS {
        return Some(FieldError::new(field, format!("Keep it to {MAX_STRING_CHARS} characters or fewer.")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_field_holding_the_bad_text() {
        let body = json!({ "form": { "name": "Ann", "notes": ["ok", "bad\u{0}"] } });
        assert_eq!(first_hostile_string(&body, "body").unwrap().field, "notes");
        let body = json!({ "form": { "title": "a\u{1b}[31m" } });
        assert_eq!(first_hostile_string(&body, "body").unwrap().field, "title");
        let body = json!({ "form": { "description": "line one\nline two\ttabbed\r\n" } });
        assert!(first_hostile_string(&body, "body").is_none());
        let body = json!({ "form": { "description": "x".repeat(MAX_STRING_CHARS + 1) } });
        assert_eq!(first_hostile_string(&body, "body").unwrap().field, "description");
        let body = json!({ "query": { "bad\u{0}key": 1 } });
        assert_eq!(first_hostile_string(&body, "body").unwrap().field, "query");
    }
}
