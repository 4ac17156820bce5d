//! Server functions for jobs. Each checks role and tenant on the server.

use super::{JobDetail, JobForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "jobs/get", input = Json)]
pub async fn get_job(id: Uuid) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.get_job(&rq, id).await
}

#[server(prefix = "/rpc", endpoint = "jobs/create", input = Json)]
pub async fn create_job(form: JobForm) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_job(&rq, form).await
}

/// Saves an edit; refused with 409 if the job changed since `form.version`.
#[server(prefix = "/rpc", endpoint = "jobs/update", input = Json)]
pub async fn update_job(id: Uuid, form: JobForm) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.update_job(&rq, id, form).await
}

/// Archives (`archived = true`) or restores a job.
#[server(prefix = "/rpc", endpoint = "jobs/set_archived", input = Json)]
pub async fn set_job_archived(id: Uuid, archived: bool) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.set_job_archived(&rq, id, archived).await
}
