//! `/api/v1/webhooks`: webhook endpoints, their delivery logs, test events, secret
//! rotation and redelivery — thin handlers over `crate::webhooks` (admins; keys with
//! webhooks scopes).

use super::support::{created, Body, Caller, Path};
use super::ProblemDetails;
use crate::http::problem::Problem;
use crate::state::AppState;
use crate::webhooks;
use app::api_keys::{ApiAccess::Read, ApiAccess::Write, ApiArea::Webhooks};
use app::error::AppError;
use app::webhooks::{WebhookEndpoint, WebhookForm, WebhookSecret};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// Each endpoint with its latest deliveries.
    webhooks: Vec<WebhookEndpoint>,
}

/// List endpoints with their recent deliveries.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = WebhookList)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<WebhookList>, Problem> {
    let user = caller.may(Webhooks, Read)?;
    Ok(Json(WebhookList { webhooks: webhooks::list(&state, &user).await? }))
}

/// Read one endpoint with its recent deliveries.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, body = WebhookEndpoint)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<WebhookEndpoint>, Problem> {
    let user = caller.may(Webhooks, Read)?;
    let found = webhooks::list(&state, &user).await?.into_iter().find(|e| e.id == id).ok_or(AppError::NotFound)?;
    Ok(Json(found))
}

/// Register an endpoint. The signing secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = WebhookForm,
    responses((status = 201, description = "Registered; keep `secret` to check signatures", body = WebhookSecret),
              (status = 422, description = "Field errors name each field (url, description, events)", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(form): Body<WebhookForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Webhooks, Write)?;
    let made = webhooks::create(&state, &user, form).await?;
    Ok(created(format!("/api/v1/webhooks/{}", made.endpoint.id), &made, None))
}

/// Delete an endpoint and its delivery log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 204, description = "Deleted")))]
pub async fn delete(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Response, Problem> {
    let user = caller.may(Webhooks, Write)?;
    webhooks::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Enabled {
    /// false: stop sending; true: send again (and forget past failures).
    enabled: bool,
}

/// Disable or enable an endpoint.
#[utoipa::path(put, path = "/api/v1/webhooks/{id}/enabled", tag = "webhooks", request_body = Enabled,
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, body = WebhookEndpoint)))]
pub async fn set_enabled(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<Enabled>,
) -> Result<Json<WebhookEndpoint>, Problem> {
    let user = caller.may(Webhooks, Write)?;
    Ok(Json(webhooks::set_enabled(&state, &user, id, change.enabled).await?))
}

/// Make a new signing secret; the old one keeps signing (as a second `v1=`) for 24 hours.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, description = "The new secret, in this answer only", body = WebhookSecret)))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<WebhookSecret>, Problem> {
    let user = caller.may(Webhooks, Write)?;
    Ok(Json(webhooks::rotate_secret(&state, &user, id).await?))
}

/// Queue a `webhook.test` event for the endpoint (sent at once while it is enabled).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 202, description = "Queued; its delivery shows in the endpoint's log", body = WebhookEndpoint)))]
pub async fn send_test(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Response, Problem> {
    let user = caller.may(Webhooks, Write)?;
    let endpoint = webhooks::send_test(&state, &user, id).await?;
    Ok((StatusCode::ACCEPTED, Json(endpoint)).into_response())
}

/// Send one delivery's event again.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id"), ("delivery_id" = Uuid, Path, description = "The delivery's id")),
    responses((status = 202, description = "Queued", body = WebhookEndpoint)))]
pub async fn redeliver(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, delivery_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, Problem> {
    let user = caller.may(Webhooks, Write)?;
    let endpoint = webhooks::redeliver(&state, &user, id, delivery_id).await?;
    Ok((StatusCode::ACCEPTED, Json(endpoint)).into_response())
}
