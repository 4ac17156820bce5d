//! `/api/v1/notifications`: the caller's own notification centre — thin handlers over
//! `crate::notify::inbox`. Notifications belong to a person: API keys are refused
//! (they hear of changes through webhooks).

use super::support::{page, Body, Caller, Params};
use super::ProblemDetails;
use crate::http::problem::Problem;
use crate::notify::inbox;
use crate::state::AppState;
use app::error::AppError;
use app::notifications::NotificationPage;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilters {
    /// The `next_before` of the previous page.
    before: Option<String>,
}

fn person(caller: Caller) -> Result<crate::auth::CurrentUser, AppError> {
    if caller.0.api_key().is_some() {
        return Err(AppError::Forbidden);
    }
    Ok(caller.0)
}

/// List your notifications, 20 a page, newest first (people only, not API keys).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(NotificationFilters),
    responses(
        (status = 200, description = "A page; `Link: <…>; rel=\"next\"` when there are older ones", body = NotificationPage),
        (status = 403, description = "An API key", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(filters): Params<NotificationFilters>,
) -> Result<Response, Problem> {
    let user = person(caller)?;
    let before = match filters.before.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        None => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|b| *b > 0)
                .ok_or_else(|| AppError::field("before", "Use the next_before value of the previous page."))?,
        ),
    };
    let found = inbox::list(&state, &user, before).await?;
    let next = found.next_before.map(|before| format!("/api/v1/notifications?before={before}"));
    Ok(page(&found, next))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkRead {
    /// One notification's id; null or left out: all of them.
    #[serde(default)]
    id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unread {
    unread: i64,
}

/// Mark one notification, or all, as read (people only).
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = MarkRead,
    responses(
        (status = 200, description = "How many are still unread", body = Unread),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    Body(mark): Body<MarkRead>,
) -> Result<Json<Unread>, Problem> {
    let user = person(caller)?;
    let unread = inbox::mark_read(&state, &user, mark.id).await?;
    Ok(Json(Unread { unread }))
}
