//! A job's checklist: admins add, rename, reorder and delete tasks; admins and the
//! assigned worker tick them. Each change is one transaction with its audit row.

use super::{load_detail, lock_current, lock_for_field_action, Audience};
use crate::auth::CurrentUser;
use crate::db::{Claim, IdempotencyKey, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::jobs::JobDetail;
use serde_json::json;
use uuid::Uuid;

#[tracing::instrument(skip_all)]
pub async fn add_task(
    state: &AppState,
    admin: &CurrentUser,
    job_id: Uuid,
    title: String,
    key: Option<IdempotencyKey>,
) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let title = app::jobs::parse_task_title(&title).map_err(|m| AppError::field("title", m))?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let claim = tx.claim_key(key, "jobs/add_task").await?;
    if let Claim::Replayed(job) = claim {
        return Ok(job);
    }
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, job_id, None).await?;
    let company_id = tx.company_id();
    let task_id = sqlx::query_scalar!(
        "insert into job_tasks (company_id, job_id, title, position)
         values ($1, $2, $3, (select coalesce(max(position) + 1, 1) from job_tasks where company_id = $1 and job_id = $2))
         returning id",
        company_id,
        job_id,
        title,
    )
    .fetch_one(tx.conn())
    .await?;
    tx.audit("job.task_added", "job", Some(job_id), None, Some(json!({ "task_id": task_id, "title": title }))).await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), job_id).await?;
    tx.remember(&claim, &job).await?;
    tx.commit().await?;
    Ok(job)
}

#[tracing::instrument(skip_all)]
pub async fn set_task_completed(
    state: &AppState,
    user: &CurrentUser,
    job_id: Uuid,
    task_id: Uuid,
    completed: bool,
    key: Option<IdempotencyKey>,
) -> Result<JobDetail> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let claim = tx.claim_key(key, "jobs/set_task_completed").await?;
    if let Claim::Replayed(job) = claim {
        tx.commit().await?;
        return Ok(job);
    }
    lock_for_field_action(&mut tx, user, job_id).await?;
    let company_id = tx.company_id();
    let title = sqlx::query_scalar!(
        "update job_tasks set is_completed = $4,
                completed_by = case when $4 then $5::uuid end,
                completed_at = case when $4 then now() end
         where company_id = $1 and job_id = $2 and id = $3
         returning title",
        company_id,
        job_id,
        task_id,
        completed,
        user.user_id(),
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    let action = if completed { "job.task_completed" } else { "job.task_reopened" };
    tx.audit(action, "job", Some(job_id), None, Some(json!({ "task_id": task_id, "title": title }))).await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), job_id).await?;
    if completed {
        let task = job.tasks.iter().find(|t| t.id == task_id);
        crate::webhooks::emit(&mut tx, "task.completed", &json!({ "job_id": job_id, "task": task, "job": job }))
            .await?;
    }
    tx.remember(&claim, &job).await?;
    tx.commit().await?;
    Ok(job)
}

/// Renames a task (admins only).
#[tracing::instrument(skip_all)]
pub async fn edit_task(
    state: &AppState,
    admin: &CurrentUser,
    job_id: Uuid,
    task_id: Uuid,
    title: String,
) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let title = app::jobs::parse_task_title(&title).map_err(|m| AppError::field("title", m))?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, job_id, None).await?;
    let company_id = tx.company_id();
    let before = sqlx::query_scalar!(
        "select title from job_tasks where company_id = $1 and job_id = $2 and id = $3 for update",
        company_id,
        job_id,
        task_id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query!(
        "update job_tasks set title = $4 where company_id = $1 and job_id = $2 and id = $3",
        company_id,
        job_id,
        task_id,
        title
    )
    .execute(tx.conn())
    .await?;
    tx.audit(
        "job.task_edited",
        "job",
        Some(job_id),
        Some(json!({ "task_id": task_id, "title": before })),
        Some(json!({ "task_id": task_id, "title": title })),
    )
    .await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), job_id).await?;
    tx.commit().await?;
    Ok(job)
}

/// Deletes a task (admins only).
#[tracing::instrument(skip_all)]
pub async fn delete_task(state: &AppState, admin: &CurrentUser, job_id: Uuid, task_id: Uuid) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, job_id, None).await?;
    let company_id = tx.company_id();
    let title = sqlx::query_scalar!(
        "delete from job_tasks where company_id = $1 and job_id = $2 and id = $3 returning title",
        company_id,
        job_id,
        task_id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    tx.audit("job.task_deleted", "job", Some(job_id), Some(json!({ "task_id": task_id, "title": title })), None)
        .await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), job_id).await?;
    tx.commit().await?;
    Ok(job)
}

/// Puts the job's tasks in the given order (admins only). `task_ids` must name
/// every task of the job exactly once.
#[tracing::instrument(skip_all)]
pub async fn reorder_tasks(
    state: &AppState,
    admin: &CurrentUser,
    job_id: Uuid,
    task_ids: Vec<Uuid>,
) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, job_id, None).await?;
    let company_id = tx.company_id();
    let mut current =
        sqlx::query_scalar!("select id from job_tasks where company_id = $1 and job_id = $2", company_id, job_id)
            .fetch_all(tx.conn())
            .await?;
    let mut given = task_ids.clone();
    current.sort();
    given.sort();
    if current != given {
        return Err(AppError::field("task_ids", "The task list changed meanwhile. Reload and try again.").into());
    }
    sqlx::query!(
        "update job_tasks t set position = o.position::int
         from unnest($3::uuid[]) with ordinality as o(id, position)
         where t.company_id = $1 and t.job_id = $2 and t.id = o.id",
        company_id,
        job_id,
        &task_ids,
    )
    .execute(tx.conn())
    .await?;
    tx.audit("job.tasks_reordered", "job", Some(job_id), None, Some(json!({ "task_ids": task_ids }))).await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), job_id).await?;
    tx.commit().await?;
    Ok(job)
}
