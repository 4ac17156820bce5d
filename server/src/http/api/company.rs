//! `/api/v1/company`: the company's name, timezone and time settings — thin handlers
//! over `crate::company`.

use super::support::{Body, Caller};
use super::ProblemDetails;
use crate::company::{self, CompanyChange, CompanyProfile};
use crate::http::problem::Problem;
use crate::state::AppState;
use app::api_keys::{ApiAccess::Read, ApiAccess::Write, ApiArea::Users};
use axum::extract::State;
use axum::Json;

/// Read the company (everyone in it; keys with users:read).
#[utoipa::path(get, path = "/api/v1/company", tag = "company",
    responses(
        (status = 200, body = CompanyProfile)))]
pub async fn read(State(state): State<AppState>, caller: Caller) -> Result<Json<CompanyProfile>, Problem> {
    let user = caller.may(Users, Read)?;
    Ok(Json(company::profile(&state, &user).await?))
}

/// Change the company's name, timezone or auto-approval delay (admins; keys with
/// users:write). Fields left out keep their value; all change or none.
#[utoipa::path(patch, path = "/api/v1/company", tag = "company", request_body = CompanyChange,
    responses(
        (status = 200, body = CompanyProfile),
        (status = 422, description = "Field errors name each field", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Body(change): Body<CompanyChange>,
) -> Result<Json<CompanyProfile>, Problem> {
    let user = caller.may(Users, Write)?;
    Ok(Json(company::update(&state, &user, change).await?))
}
