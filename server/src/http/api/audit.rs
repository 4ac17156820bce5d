//! `GET /api/v1/audit-log`: the audit log for API clients, filtered and paged like the
//! admin page (admins; API keys with users:read).

use super::support::Params;
use crate::audit::{self, AuditFilter};
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::http::problem::Problem;
use crate::state::AppState;
use crate::viewer::company_timezone;
use app::audit::{AuditEntry, AuditQuery, AUDIT_PAGE_SIZE};
use app::error::AppError;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use http::{header, HeaderValue};
use serde::Serialize;

fn reader(user: Option<Extension<CurrentUser>>) -> Result<CurrentUser, AppError> {
    let Extension(user) = user.ok_or(AppError::Unauthorized)?;
    audit::require_reader(&user)?;
    Ok(user)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditListing {
    entries: Vec<AuditEntry>,
    /// The `after` of the next page, when there is one (also in the `Link` header).
    next: Option<String>,
}

/// The audit log, 50 entries a page, newest first (admins; keys with users:read).
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "audit",
    params(
        ("person" = Option<String>, Query, description = "A person's id, or `system`"),
        ("record" = Option<String>, Query, description = "A record type, e.g. `job`"),
        ("action" = Option<String>, Query, description = "An action, e.g. `job.updated`"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (company time)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD (company time)"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page; `Link: <…>; rel=\"next\"` when there are more", body = AuditListing),
        (status = 400, body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, body = super::ProblemDetails, content_type = "application/problem+json")))]
pub async fn api_list(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Params(query): Params<AuditQuery>,
) -> Result<Response, Problem> {
    let user = reader(user)?;
    user.require_scope(app::api_keys::ApiScope::new(app::api_keys::ApiArea::Users, app::api_keys::ApiAccess::Read))?;
    let mut tx = TenantTx::begin(&state.pool, &user).await?;
    let tz = company_timezone(&mut tx).await?;
    let filter = AuditFilter::new(&query, tz)?;
    let (entries, next) = audit::entries(&mut tx, tz, &filter, AUDIT_PAGE_SIZE).await?;
    tx.commit().await?;
    let next = next.map(|cursor| cursor.encode());
    let mut response = Json(AuditListing { entries, next: next.clone() }).into_response();
    if let Some(after) = next {
        let link = format!("</api/v1/audit-log?{}>; rel=\"next\"", AuditQuery { after, ..query }.to_params());
        if let Ok(link) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, link);
        }
    }
    Ok(response)
}
