//! Server functions for jobs. Each checks role and tenant on the server.

use super::{
    HistoryEntry, JobDetail, JobForm, JobFormOptions, JobListQuery, JobPage, MyJobs, NewShareLink, NoteForm, ShareLink,
    SharedJob,
};
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

/// One page of the company's jobs, filtered and sorted (admins).
#[server(prefix = "/rpc", endpoint = "jobs/list", input = Json)]
pub async fn list_jobs(query: JobListQuery) -> Result<JobPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_jobs(&rq, query).await
}

/// Customers, workers and statuses to choose from (admins).
#[server(prefix = "/rpc", endpoint = "jobs/options", input = Json)]
pub async fn load_job_options() -> Result<JobFormOptions, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.job_form_options(&rq).await
}

/// Assigns, reassigns or (with `None`) unassigns the worker (admins).
#[server(prefix = "/rpc", endpoint = "jobs/assign", input = Json)]
pub async fn assign_job_worker(id: Uuid, worker_id: Option<Uuid>) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.assign_job_worker(&rq, id, worker_id).await
}

/// Renames a task (admins).
#[server(prefix = "/rpc", endpoint = "jobs/edit_task", input = Json)]
pub async fn edit_job_task(job_id: Uuid, task_id: Uuid, title: String) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.edit_job_task(&rq, job_id, task_id, title).await
}

/// Deletes a task (admins).
#[server(prefix = "/rpc", endpoint = "jobs/delete_task", input = Json)]
pub async fn delete_job_task(job_id: Uuid, task_id: Uuid) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.delete_job_task(&rq, job_id, task_id).await
}

/// Puts the tasks in this order; it must name every task once (admins).
#[server(prefix = "/rpc", endpoint = "jobs/reorder_tasks", input = Json)]
pub async fn reorder_job_tasks(job_id: Uuid, task_ids: Vec<Uuid>) -> Result<JobDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.reorder_job_tasks(&rq, job_id, task_ids).await
}

/// The job's history from the audit log, newest first (admins).
#[server(prefix = "/rpc", endpoint = "jobs/history", input = Json)]
pub async fn job_history(job_id: Uuid) -> Result<Vec<HistoryEntry>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.job_history(&rq, job_id).await
}

/// The job's share links (admins).
#[server(prefix = "/rpc", endpoint = "jobs/share_links", input = Json)]
pub async fn share_links(job_id: Uuid) -> Result<Vec<ShareLink>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.share_links(&rq, job_id).await
}

/// Creates a share link valid for `days` (1–365; empty = 30) (admins).
#[server(prefix = "/rpc", endpoint = "jobs/create_share_link", input = Json)]
pub async fn create_share_link(job_id: Uuid, days: String) -> Result<NewShareLink, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_share_link(&rq, job_id, days).await
}

/// Revokes a share link at once (admins).
#[server(prefix = "/rpc", endpoint = "jobs/revoke_share_link", input = Json)]
pub async fn revoke_share_link(job_id: Uuid, link_id: Uuid) -> Result<Vec<ShareLink>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.revoke_share_link(&rq, job_id, link_id).await
}

/// The job behind a share link, for anyone holding the token (no sign-in).
#[server(prefix = "/rpc", endpoint = "share/view", input = Json)]
pub async fn load_shared_job(token: String) -> Result<SharedJob, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.shared_job(&rq, token).await
}

/// Open jobs per status, unassigned work and today's jobs, for the dashboard (admins).
#[server(prefix = "/rpc", endpoint = "jobs/overview", input = Json)]
pub async fn load_jobs_overview() -> Result<super::JobsOverview, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.jobs_overview(&rq).await
}

/// Statuses and (for admins) active workers, for a job page's pickers (not customers).
#[server(prefix = "/rpc", endpoint = "jobs/choices", input = Json)]
pub async fn load_job_choices() -> Result<super::JobChoices, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.job_choices(&rq).await
}
