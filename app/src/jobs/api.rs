//! Server functions for jobs. Each checks role and tenant on the server.

use super::{JobDetail, JobForm, MyJobs, NoteForm};
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

/// Moves a job to another status (admins, or the assigned worker).
#[server(prefix = "/rpc", endpoint = "jobs/change_status", input = Json)]
pub async fn change_job_status(id: Uuid, status_id: Uuid) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.change_job_status(&rq, id, status_id).await
}

/// Adds a task to the job's checklist (admins).
#[server(prefix = "/rpc", endpoint = "jobs/add_task", input = Json)]
pub async fn add_job_task(job_id: Uuid, title: String) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.add_job_task(&rq, job_id, title).await
}

/// Ticks or unticks a task (admins, or the assigned worker).
#[server(prefix = "/rpc", endpoint = "jobs/set_task_completed", input = Json)]
pub async fn set_task_completed(job_id: Uuid, task_id: Uuid, completed: bool) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.set_task_completed(&rq, job_id, task_id, completed).await
}

/// Adds a note (admins, or the assigned worker).
#[server(prefix = "/rpc", endpoint = "jobs/add_note", input = Json)]
pub async fn add_job_note(job_id: Uuid, form: NoteForm) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.add_job_note(&rq, job_id, form).await
}

/// The signed-in worker's assigned jobs, or the signed-in customer's jobs.
#[server(prefix = "/rpc", endpoint = "jobs/mine", input = Json)]
pub async fn load_my_jobs() -> Result<MyJobs, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.my_jobs(&rq).await
}
