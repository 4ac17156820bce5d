//! `/api/v1/jobs`: jobs, their status, assignment, archiving, tasks and notes — thin
//! handlers over `crate::jobs`, which keeps every rule (roles, references, versions).

use super::support::{
    created, idempotency_key, if_match, optional_bool, optional_id, page, replace_versioned, stale, with_etag, Body,
    Caller, Params, Path,
};
use super::ProblemDetails;
use crate::http::problem::Problem;
use crate::jobs;
use crate::state::AppState;
use app::api_keys::{ApiAccess::Read, ApiAccess::Write, ApiArea::Jobs};
use app::jobs::{encode_component, JobDetail, JobForm, JobListQuery, JobPage, JobSort, NoteForm};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::HeaderMap;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The job list's filters, as the admin's job list has them.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobFilters {
    /// Only jobs in this status (its id).
    status: Option<String>,
    /// Only jobs assigned to this worker (their id).
    worker: Option<String>,
    /// Only jobs of this customer (their id).
    customer: Option<String>,
    /// `true`: archived jobs instead of current ones.
    archived: Option<String>,
    /// Words in the title or the customer's name.
    search: Option<String>,
    /// `newest` (default), `oldest`, `scheduled` or `title`.
    sort: Option<String>,
    /// The `next` of the previous page.
    after: Option<String>,
}

impl JobFilters {
    fn query(&self) -> Result<JobListQuery, Problem> {
        let sort = match self.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => JobSort::default(),
            Some(raw) => JobSort::ALL
                .into_iter()
                .find(|s| s.as_str() == raw)
                .ok_or_else(|| app::error::AppError::field("sort", "Sort by newest, oldest, scheduled or title."))?,
        };
        Ok(JobListQuery {
            status: optional_id("status", &self.status)?,
            worker: optional_id("worker", &self.worker)?,
            customer: optional_id("customer", &self.customer)?,
            archived: optional_bool("archived", &self.archived)?,
            search: self.search.clone().unwrap_or_default(),
            sort,
            after: self.after.clone().filter(|a| !a.is_empty()),
        })
    }
}

fn next_url(query: &JobListQuery, next: &str) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut push = |key, value: Option<String>| {
        if let Some(value) = value {
            pairs.push((key, value));
        }
    };
    push("status", query.status.map(|v| v.to_string()));
    push("worker", query.worker.map(|v| v.to_string()));
    push("customer", query.customer.map(|v| v.to_string()));
    push("archived", query.archived.then(|| "true".into()));
    push("search", Some(query.search.clone()).filter(|s| !s.trim().is_empty()));
    push("sort", Some(query.sort.as_str().to_string()));
    push("after", Some(next.to_string()));
    let encoded: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", encode_component(&v))).collect();
    format!("/api/v1/jobs?{}", encoded.join("&"))
}

/// List jobs, 50 a page, filtered and sorted like the job list.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", params(JobFilters),
    responses(
        (status = 200, description = "A page of jobs; `Link: <…>; rel=\"next\"` when there are more", body = JobPage),
        (status = 400, description = "A filter is malformed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No valid credentials", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin, or a key without jobs:read", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(filters): Params<JobFilters>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Read)?;
    let query = filters.query()?;
    let found = jobs::list::list(&state, &user, query.clone()).await?;
    let next = found.next.as_deref().map(|next| next_url(&query, next));
    Ok(page(&found, next))
}

/// Read one job, with its tasks and notes (as much as the caller may see).
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs",
    params(("id" = Uuid, Path, description = "The job's id")),
    responses(
        (status = 200, description = "The job; `ETag` is its version", body = JobDetail),
        (status = 404, description = "No such job in your company", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Read)?;
    let job = jobs::get(&state, &user, id).await?;
    Ok(with_etag(&job, job.version))
}

/// Create a job (admins). Send `Idempotency-Key` to make a retry safe.
#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs", request_body = JobForm,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID you make per job; a retry with it answers the first result")),
    responses(
        (status = 201, description = "Created; `Location` and `ETag` set", body = JobDetail),
        (status = 400, description = "Field errors name each field", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(form): Body<JobForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::create(&state, &user, form, idempotency_key(&headers)?).await?;
    Ok(created(format!("/api/v1/jobs/{}", job.id), &job, Some(job.version)))
}

/// Replace a job's fields (admins). `If-Match` must carry the job's `ETag`.
#[utoipa::path(put, path = "/api/v1/jobs/{id}", tag = "jobs", request_body = JobForm,
    params(("id" = Uuid, Path, description = "The job's id"),
           ("If-Match" = String, Header, description = "The `ETag` of the version you changed")),
    responses(
        (status = 200, description = "Saved; the new `ETag` is set", body = JobDetail),
        (status = 412, description = "The job changed since that version", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(form): Body<JobForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let update = |version| jobs::update(&state, &user, id, JobForm { version: Some(version), ..form });
    Ok(replace_versioned(&headers, update, |job| job.version).await)
}

/// Delete a job nobody logged time on (admins); one with hours is archived instead.
/// `If-Match` is optional: with it, only that version is deleted.
#[utoipa::path(delete, path = "/api/v1/jobs/{id}", tag = "jobs",
    params(("id" = Uuid, Path, description = "The job's id"),
           ("If-Match" = Option<String>, Header, description = "The `ETag` of the version you mean to delete")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Time was logged on the job: archive it instead", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "The job changed since that version", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let version = if_match(&headers)?;
    match jobs::delete(&state, &user, id, version).await {
        Ok(()) => Ok(http::StatusCode::NO_CONTENT.into_response()),
        Err(error) => Ok(stale(error)),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusChange {
    /// The id of one of your job statuses.
    status_id: Uuid,
}

/// Move a job to another status (admins; workers for their own jobs).
#[utoipa::path(put, path = "/api/v1/jobs/{id}/status", tag = "jobs", request_body = StatusChange,
    params(("id" = Uuid, Path, description = "The job's id"),
           ("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = JobDetail)))]
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(change): Body<StatusChange>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::change_status(&state, &user, id, change.status_id, idempotency_key(&headers)?).await?;
    Ok(with_etag(&job, job.version))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Assignment {
    /// The worker's id; null to unassign.
    worker_id: Option<Uuid>,
}

/// Assign a job to a worker, or unassign it (admins).
#[utoipa::path(put, path = "/api/v1/jobs/{id}/assignment", tag = "jobs", request_body = Assignment,
    params(("id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, body = JobDetail)))]
pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(assignment): Body<Assignment>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::assign_worker(&state, &user, id, assignment.worker_id).await?;
    Ok(with_etag(&job, job.version))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Archived {
    archived: bool,
}

/// Archive a job, or bring it back (admins).
#[utoipa::path(put, path = "/api/v1/jobs/{id}/archived", tag = "jobs", request_body = Archived,
    params(("id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, body = JobDetail)))]
pub async fn archive(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<Archived>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::set_archived(&state, &user, id, change.archived).await?;
    Ok(with_etag(&job, job.version))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskTitle {
    title: String,
}

/// Add a task to a job's checklist (admins).
#[utoipa::path(post, path = "/api/v1/jobs/{id}/tasks", tag = "jobs", request_body = TaskTitle,
    params(("id" = Uuid, Path, description = "The job's id"),
           ("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe: a retry with the same key answers the first result")),
    responses((status = 201, body = JobDetail)))]
pub async fn add_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(task): Body<TaskTitle>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::add_task(&state, &user, id, task.title, idempotency_key(&headers)?).await?;
    Ok(created(format!("/api/v1/jobs/{id}"), &job, Some(job.version)))
}

/// Rename a task (admins).
#[utoipa::path(put, path = "/api/v1/jobs/{id}/tasks/{task_id}", tag = "jobs", request_body = TaskTitle,
    params(("id" = Uuid, Path, description = "The job's id"), ("task_id" = Uuid, Path, description = "The task's id")),
    responses((status = 200, body = JobDetail)))]
pub async fn rename_task(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, task_id)): Path<(Uuid, Uuid)>,
    Body(task): Body<TaskTitle>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::edit_task(&state, &user, id, task_id, task.title).await?;
    Ok(with_etag(&job, job.version))
}

/// Delete a task (admins).
#[utoipa::path(delete, path = "/api/v1/jobs/{id}/tasks/{task_id}", tag = "jobs",
    params(("id" = Uuid, Path, description = "The job's id"), ("task_id" = Uuid, Path, description = "The task's id")),
    responses((status = 200, body = JobDetail)))]
pub async fn delete_task(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, task_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::delete_task(&state, &user, id, task_id).await?;
    Ok(with_etag(&job, job.version))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskDone {
    completed: bool,
}

/// Tick or untick a task (admins; workers on their own jobs).
#[utoipa::path(put, path = "/api/v1/jobs/{id}/tasks/{task_id}/completed", tag = "jobs", request_body = TaskDone,
    params(("id" = Uuid, Path, description = "The job's id"), ("task_id" = Uuid, Path, description = "The task's id"),
           ("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = JobDetail)))]
pub async fn complete_task(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, task_id)): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
    Body(done): Body<TaskDone>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::set_task_completed(&state, &user, id, task_id, done.completed, idempotency_key(&headers)?).await?;
    Ok(with_etag(&job, job.version))
}

/// Add a note to a job (not customers). `visibility`: INTERNAL or CUSTOMER.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/notes", tag = "jobs", request_body = NoteForm,
    params(("id" = Uuid, Path, description = "The job's id"),
           ("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = JobDetail)))]
pub async fn add_note(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(note): Body<NoteForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Jobs, Write)?;
    let job = jobs::add_note(&state, &user, id, note, idempotency_key(&headers)?).await?;
    Ok(created(format!("/api/v1/jobs/{id}"), &job, Some(job.version)))
}
