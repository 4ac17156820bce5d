//! What a worker's installed app keeps for use without a connection: the pages its
//! service worker fetches into the offline cache after sign-in and refreshes every
//! few minutes. Other roles keep nothing (their pages are not cached).

use crate::auth::CurrentUser;
use crate::http::problem::Problem;
use crate::state::AppState;
use app::auth::Role;
use app::error::AppError;
use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Serialize;
use uuid::Uuid;

/// At most this many job pages: today's and the coming days' first.
const MAX_JOB_PAGES: usize = 30;

pub fn router() -> Router<AppState> {
    Router::new().route("/offline/pages.json", get(offline_pages))
}

#[derive(Debug, Serialize)]
struct OfflinePages {
    /// Whose pages these are: the app drops cached pages of anyone else.
    user_id: Uuid,
    pages: Vec<String>,
}

async fn offline_pages(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
) -> Result<Json<OfflinePages>, Problem> {
    let Extension(user) = user.ok_or(AppError::Unauthorized)?;
    user.ensure_verified()?;
    let mut pages = Vec::new();
    if user.role() == Role::Worker {
        let mine = crate::jobs::mine(&state, &user).await?;
        pages.push("/app/my-jobs".to_string());
        pages.push("/app/time".to_string());
        let jobs = mine.today.iter().chain(&mine.upcoming).take(MAX_JOB_PAGES);
        pages.extend(jobs.map(|job| format!("/app/jobs/{}", job.id)));
    }
    Ok(Json(OfflinePages { user_id: user.user_id(), pages }))
}
