//! Server functions answer every error with status 500 and the error as JSON.
//! This gives each error its real status (401, 404, 422…) in one place.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;

const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn rpc_error_status(request: Request, next: Next) -> Response {
    let is_rpc = request.uri().path().starts_with("/rpc/");
    let response = next.run(request).await;
    if !is_rpc || !(response.status().is_server_error() || response.status() == StatusCode::BAD_REQUEST) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(error) => {
            parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(parts.status);
            if let AppError::TooManyRequests { retry_after_secs } = error {
                parts.headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from(retry_after_secs));
            }
        }
        // Not one of ours: the server-function router could not find the function.
        Err(_) if parts.status == StatusCode::BAD_REQUEST => parts.status = StatusCode::NOT_FOUND,
        Err(_) => {}
    }
    Response::from_parts(parts, Body::from(bytes))
}
