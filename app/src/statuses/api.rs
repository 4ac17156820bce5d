//! Server functions for job statuses (changes: admins only; the server checks).

use super::{JobStatus, StatusForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "statuses/list", input = Json)]
pub async fn list_statuses() -> Result<Vec<JobStatus>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_statuses(&rq).await
}

#[server(prefix = "/rpc", endpoint = "statuses/create", input = Json)]
pub async fn create_status(form: StatusForm) -> Result<JobStatus, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_status(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "statuses/update", input = Json)]
pub async fn update_status(id: Uuid, form: StatusForm) -> Result<JobStatus, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.update_status(&rq, id, form).await
}

#[server(prefix = "/rpc", endpoint = "statuses/reorder", input = Json)]
pub async fn reorder_statuses(ids: Vec<Uuid>) -> Result<Vec<JobStatus>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.reorder_statuses(&rq, ids).await
}

/// Deletes a status; its jobs move to `move_to` (required when it has jobs).
#[server(prefix = "/rpc", endpoint = "statuses/delete", input = Json)]
pub async fn delete_status(id: Uuid, move_to: Option<Uuid>) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.delete_status(&rq, id, move_to).await
}
