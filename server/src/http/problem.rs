//! RFC 9457 problem details for JSON endpoints.

use app::error::AppError;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde_json::json;

pub struct Problem(pub AppError);

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl From<crate::error::Error> for Problem {
    fn from(error: crate::error::Error) -> Self {
        Self(error.into())
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": self.0.to_string(),
        });
        if let AppError::Validation { errors } = &self.0 {
            body["errors"] = json!(errors);
        }
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let AppError::TooManyRequests { retry_after_secs } = self.0 {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// An error answered by middleware, before any handler: problem details under
/// `/api/`, the `AppError` JSON server functions use everywhere else; `status`
/// overrides the error's own (415 for a wrong content type, say).
pub fn error_response(path: &str, status: Option<StatusCode>, error: AppError) -> Response {
    let mut response = if path.starts_with("/api/") {
        Problem(error.clone()).into_response()
    } else {
        let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(error.clone())).into_response();
        if let AppError::TooManyRequests { retry_after_secs } = error {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    };
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    response
}
