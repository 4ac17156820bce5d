//! The statuses port of `app::backend`: each server function's call, as the signed-in user.

use super::{create, delete, list, reorder, update};
use crate::auth::request_user;
use crate::state::AppState;
use app::backend::{RequestContext, StatusesBackend};
use app::error::AppResult;
use app::statuses::{JobStatus, StatusForm};
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl StatusesBackend for AppState {
    async fn list_statuses(&self, rq: &RequestContext) -> AppResult<Vec<JobStatus>> {
        Ok(list(self, &request_user(rq)?).await?)
    }

    async fn create_status(&self, rq: &RequestContext, form: StatusForm) -> AppResult<JobStatus> {
        Ok(create(self, &request_user(rq)?, form).await?)
    }

    async fn update_status(&self, rq: &RequestContext, id: Uuid, form: StatusForm) -> AppResult<JobStatus> {
        Ok(update(self, &request_user(rq)?, id, form).await?)
    }

    async fn reorder_statuses(&self, rq: &RequestContext, ids: Vec<Uuid>) -> AppResult<Vec<JobStatus>> {
        Ok(reorder(self, &request_user(rq)?, ids).await?)
    }

    async fn delete_status(&self, rq: &RequestContext, id: Uuid, move_to: Option<Uuid>) -> AppResult<()> {
        Ok(delete(self, &request_user(rq)?, id, move_to).await?)
    }
}
