//! `/api/v1/job-statuses`: the company's job statuses, in their order.

use super::support::Caller;
use crate::http::problem::Problem;
use crate::state::AppState;
use app::api_keys::{ApiAccess::Read, ApiArea::Jobs};
use app::statuses::JobStatus;
use axum::extract::State;
use axum::Json;

/// The job statuses a job can be in, in the order the board shows them.
#[utoipa::path(get, path = "/api/v1/job-statuses", tag = "jobs",
    responses((status = 200, body = Vec<JobStatus>)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<JobStatus>>, Problem> {
    let user = caller.may(Jobs, Read)?;
    Ok(Json(crate::statuses::list(&state, &user).await?))
}
