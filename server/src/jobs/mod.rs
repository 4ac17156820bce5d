//! Jobs: who sees what (`Audience`), create, read, edit (with optimistic concurrency),
//! archive and restore, assign, status and notes, and what workers and customers see
//! as theirs. Tasks, the list, the history, share links and the `JobsBackend` port
//! have their own modules.

use crate::auth::CurrentUser;
use crate::clock::{at_label, local_to_utc, schedule_label, today};
use crate::db::{Claim, IdempotencyKey, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::{company_timezone, Viewer, ViewerKind};
use app::auth::Role;
use app::customers::CustomerOption;
use app::error::AppError;
use app::jobs::{
    CustomerCard, JobDetail, JobForm, JobFormOptions, JobNote, JobRow, JobTask, MyJobs, NoteForm, NoteVisibility,
    StatusChip, ValidJob, WorkerOption,
};
use app::statuses::StatusKind;
use serde_json::json;
use uuid::Uuid;

mod backend;
pub mod history;
pub mod list;
pub mod share;
mod tasks;

pub use tasks::{add_task, delete_task, edit_task, reorder_tasks, set_task_completed};

const CONFLICT: &str =
    "Someone else changed this job since you opened it. Reload to see their changes, then edit again.";

/// Checks that the ids the form names belong to this company and fit their role;
/// another company's ids fail exactly like unknown ones.
async fn check_references(tx: &mut TenantTx, job: &ValidJob, current_worker: Option<Uuid>) -> Result<()> {
    let company_id = tx.company_id();
    let refs = sqlx::query!(
        r#"select
             (select deactivated_at is null from customers where company_id = $1 and id = $2) as customer_active,
             (select role = 'WORKER' and deactivated_at is null from users where company_id = $1 and id = $3) as worker_ok,
             exists(select 1 from job_statuses where company_id = $1 and id = $4) as "status_ok!""#,
        company_id,
        job.customer_id,
        job.worker_id,
        job.status_id,
    )
    .fetch_one(tx.conn())
    .await?;
    let mut errors = Vec::new();
    match refs.customer_active {
        None => errors.push(app::error::FieldError::new("customer_id", "Choose one of your customers.")),
        Some(false) => {
            errors.push(app::error::FieldError::new("customer_id", "This customer is deactivated. Restore them first."))
        }
        Some(true) => {}
    }
    // Keeping an already assigned (since deactivated) worker is allowed; assigning one is not.
    if job.worker_id.is_some() && job.worker_id != current_worker && refs.worker_ok != Some(true) {
        errors.push(app::error::FieldError::new("worker_id", "Choose one of your active field workers."));
    }
    if !refs.status_ok {
        errors.push(app::error::FieldError::new("status_id", "Choose one of your statuses."));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation { errors }.into())
    }
}

/// Who a job is loaded for: a signed-in viewer, or someone holding the job's share
/// link (the customer's view, without a login).
#[derive(Debug, Clone, Copy)]
pub enum Audience<'a> {
    Viewer(&'a Viewer),
    ShareLink,
}

impl Audience<'_> {
    /// Customers and share links see the worker's name only and customer-visible notes only.
    fn is_customer_view(self) -> bool {
        match self {
            Audience::Viewer(viewer) => matches!(viewer.kind, ViewerKind::Customer { .. }),
            Audience::ShareLink => true,
        }
    }

    /// The SQL scope: (kind, assigned worker, customer record). A customer login not
    /// linked to a record has none, and a null record matches no job.
    fn scope(self) -> (&'static str, Option<Uuid>, Option<Uuid>) {
        match self {
            Audience::Viewer(viewer) => match viewer.kind {
                ViewerKind::Admin => ("ADMIN", None, None),
                ViewerKind::Worker => ("WORKER", Some(viewer.user_id), None),
                ViewerKind::Customer { customer_id } => ("CUSTOMER", None, customer_id),
            },
            Audience::ShareLink => ("LINK", None, None),
        }
    }
}

/// The job as `viewer` may see it. Workers see only jobs assigned to them and
/// customers only their customer record's jobs; anything else is 404.
#[tracing::instrument(skip_all)]
pub async fn load_detail(tx: &mut TenantTx, audience: Audience<'_>, id: Uuid) -> Result<JobDetail> {
    let company_id = tx.company_id();
    let tz = match audience {
        Audience::Viewer(viewer) => viewer.company_tz,
        Audience::ShareLink => company_timezone(tx).await?,
    };
    let (kind, worker, customer) = audience.scope();
    let row = sqlx::query!(
        r#"select j.id, j.title, j.description, j.scheduled_at, j.is_archived, j.version, j.created_at,
                  j.assigned_worker_id, w.name as "worker_name?",
                  c.id as customer_id, c.name as customer_name, c.email as customer_email, c.phone as customer_phone,
                  c.address as customer_address,
                  s.id as status_id, s.name as status_name, s.colour as status_colour, s.kind as "status_kind: StatusKind"
           from jobs j
           join customers c on c.company_id = j.company_id and c.id = j.customer_id
           join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
           left join users w on w.company_id = j.company_id and w.id = j.assigned_worker_id
           where j.company_id = $1 and j.id = $2 and j.deleted_at is null
             and ($3 <> 'WORKER' or j.assigned_worker_id = $4)
             and ($3 <> 'CUSTOMER' or j.customer_id = $5)"#,
        company_id,
        id,
        kind,
        worker,
        customer,
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;

    let tasks = sqlx::query_as!(
        JobTask,
        r#"select t.id, t.title, t.position, t.is_completed, u.name as "completed_by_name?", t.completed_at
           from job_tasks t left join users u on u.company_id = t.company_id and u.id = t.completed_by
           where t.company_id = $1 and t.job_id = $2
           order by t.position, t.created_at"#,
        company_id,
        id,
    )
    .fetch_all(tx.conn())
    .await?;
    let customer_view = audience.is_customer_view();
    let notes = sqlx::query_as!(
        JobNote,
        r#"select n.id, u.name as author_name, n.body, n.visibility as "visibility: NoteVisibility", n.created_at,
                  '' as "created_label!"
           from job_notes n join users u on u.company_id = n.company_id and u.id = n.author_id
           where n.company_id = $1 and n.job_id = $2 and (not $3 or n.visibility = 'CUSTOMER')
           order by n.created_at"#,
        company_id,
        id,
        customer_view,
    )
    .fetch_all(tx.conn())
    .await?;

    let mut notes = notes;
    for note in &mut notes {
        note.created_label = at_label(note.created_at, tz);
    }
    let local = row.scheduled_at.map(|at| at.with_timezone(&tz));
    Ok(JobDetail {
        id: row.id,
        title: row.title,
        description: row.description,
        customer: CustomerCard {
            id: row.customer_id,
            name: row.customer_name,
            email: row.customer_email,
            phone: row.customer_phone,
            address: row.customer_address,
        },
        worker_id: if customer_view { None } else { row.assigned_worker_id },
        worker_name: row.worker_name,
        status: StatusChip {
            id: row.status_id,
            name: row.status_name,
            colour: row.status_colour,
            kind: row.status_kind,
        },
        scheduled_at: row.scheduled_at,
        scheduled_date: local.map(|l| l.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        scheduled_time: local.map(|l| l.format("%H:%M").to_string()).unwrap_or_default(),
        is_archived: row.is_archived,
        version: row.version,
        created_at: row.created_at,
        tasks,
        notes,
    })
}

fn job_json(job: &JobDetail) -> serde_json::Value {
    json!({
        "title": job.title,
        "description": job.description,
        "customer_id": job.customer.id,
        "worker_id": job.worker_id,
        "status": job.status.name,
        "status_id": job.status.id,
        "scheduled_at": job.scheduled_at,
        "is_archived": job.is_archived,
    })
}

#[tracing::instrument(skip_all)]
pub async fn get(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<JobDetail> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    tx.commit().await?;
    Ok(job)
}

#[tracing::instrument(skip_all)]
pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    form: JobForm,
    key: Option<IdempotencyKey>,
) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let claim = tx.claim_key(key, "jobs/create").await?;
    if let Claim::Replayed(answer) = claim {
        return Ok(answer);
    }
    let viewer = Viewer::load(&mut tx, admin).await?;
    check_references(&mut tx, &valid, None).await?;
    let tz = viewer.company_tz;
    let company_id = tx.company_id();
    let id = sqlx::query_scalar!(
        "insert into jobs (company_id, customer_id, assigned_worker_id, status_id, title, description, scheduled_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        company_id,
        valid.customer_id,
        valid.worker_id,
        valid.status_id,
        valid.title,
        valid.description,
        valid.scheduled.map(|(date, time)| local_to_utc(tz, date, time)),
    )
    .fetch_one(tx.conn())
    .await?;
    sqlx::query!(
        "insert into job_tasks (company_id, job_id, title, position)
         select $1, $2, t.title, t.position::int from unnest($3::text[]) with ordinality as t(title, position)",
        company_id,
        id,
        &valid.tasks,
    )
    .execute(tx.conn())
    .await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    let mut after = job_json(&job);
    after["tasks"] = json!(valid.tasks);
    tx.audit("job.created", "job", Some(id), None, Some(after)).await?;
    crate::webhooks::emit(&mut tx, "job.created", &job).await?;
    if let Some(worker_id) = valid.worker_id {
        crate::notify::events::job_assigned(&mut tx, state.links(), id, worker_id).await?;
        crate::webhooks::emit(&mut tx, "job.assigned", &job).await?;
    }
    tx.remember(&claim, &job).await?;
    tx.commit().await?;
    Ok(job)
}

/// Locks the job and checks the edit is based on its current version.
async fn lock_current(tx: &mut TenantTx, id: Uuid, version: Option<i32>) -> Result<i32> {
    let company_id = tx.company_id();
    let current = sqlx::query_scalar!(
        "select version from jobs where company_id = $1 and id = $2 and deleted_at is null for update",
        company_id,
        id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    match version {
        Some(version) if version != current => Err(AppError::stale(CONFLICT).into()),
        _ => Ok(current),
    }
}

#[tracing::instrument(skip_all)]
pub async fn update(state: &AppState, admin: &CurrentUser, id: Uuid, form: JobForm) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let Some(version) = form.version else {
        return Err(AppError::BadRequest {
            message: "An edit must say which version of the job it is based on.".into(),
        }
        .into());
    };
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, id, Some(version)).await?;
    let before = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    check_references(&mut tx, &valid, before.worker_id).await?;
    let tz = viewer.company_tz;
    let company_id = tx.company_id();
    sqlx::query!(
        "update jobs set customer_id = $3, assigned_worker_id = $4, status_id = $5, title = $6, description = $7,
                         scheduled_at = $8, version = version + 1
         where company_id = $1 and id = $2",
        company_id,
        id,
        valid.customer_id,
        valid.worker_id,
        valid.status_id,
        valid.title,
        valid.description,
        valid.scheduled.map(|(date, time)| local_to_utc(tz, date, time)),
    )
    .execute(tx.conn())
    .await?;
    let after = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    tx.audit("job.updated", "job", Some(id), Some(job_json(&before)), Some(job_json(&after))).await?;
    crate::webhooks::emit(&mut tx, "job.updated", &after).await?;
    if let Some(worker_id) = valid.worker_id.filter(|w| before.worker_id != Some(*w)) {
        crate::notify::events::job_assigned(&mut tx, state.links(), id, worker_id).await?;
        crate::webhooks::emit(&mut tx, "job.assigned", &after).await?;
    }
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn set_archived(state: &AppState, admin: &CurrentUser, id: Uuid, archived: bool) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, id, None).await?;
    let before = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    if before.is_archived == archived {
        tx.commit().await?;
        return Ok(before);
    }
    let company_id = tx.company_id();
    sqlx::query!(
        "update jobs set is_archived = $3, version = version + 1 where company_id = $1 and id = $2",
        company_id,
        id,
        archived
    )
    .execute(tx.conn())
    .await?;
    let after = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    let action = if archived { "job.archived" } else { "job.restored" };
    tx.audit(action, "job", Some(id), Some(job_json(&before)), Some(job_json(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a job (admins; a soft delete, as the schema keeps jobs). Only a job nobody
/// logged time on may go: hours keep their job, so one with hours is archived instead.
/// With `expected_version` (an API client's `If-Match`), only that version.
#[tracing::instrument(skip_all)]
pub async fn delete(state: &AppState, admin: &CurrentUser, id: Uuid, expected_version: Option<i32>) -> Result<()> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, id, expected_version).await?;
    let before = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    let company_id = tx.company_id();
    let has_hours = sqlx::query_scalar!(
        r#"select exists(select 1 from work_logs where company_id = $1 and job_id = $2) as "found!""#,
        company_id,
        id
    )
    .fetch_one(tx.conn())
    .await?;
    if has_hours {
        return Err(
            AppError::conflict("Time was logged on this job, so it stays on record. Archive it instead.").into()
        );
    }
    sqlx::query!(
        "update jobs set deleted_at = now(), version = version + 1 where company_id = $1 and id = $2",
        company_id,
        id
    )
    .execute(tx.conn())
    .await?;
    tx.audit("job.deleted", "job", Some(id), Some(job_json(&before)), None).await?;
    tx.commit().await?;
    Ok(())
}

/// Locks a job for a field action. Admins may act on any job of their company,
/// workers only on jobs assigned to them (others do not exist for them: 404),
/// customers never (403, whatever the client sends).
async fn lock_for_field_action(tx: &mut TenantTx, user: &CurrentUser, id: Uuid) -> Result<()> {
    match user.role() {
        Role::Customer => Err(AppError::Forbidden.into()),
        Role::Admin => lock_current(tx, id, None).await.map(|_| ()),
        Role::Worker => {
            let company_id = tx.company_id();
            sqlx::query_scalar!(
                "select id from jobs where company_id = $1 and id = $2 and deleted_at is null and assigned_worker_id = $3
                 for update",
                company_id,
                id,
                user.user_id(),
            )
            .fetch_optional(tx.conn())
            .await?
            .ok_or(AppError::NotFound)?;
            Ok(())
        }
    }
}

#[tracing::instrument(skip_all)]
pub async fn change_status(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    status_id: Uuid,
    key: Option<IdempotencyKey>,
) -> Result<JobDetail> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let claim = tx.claim_key(key, "jobs/change_status").await?;
    if let Claim::Replayed(job) = claim {
        tx.commit().await?;
        return Ok(job);
    }
    lock_for_field_action(&mut tx, user, id).await?;
    let before = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    let company_id = tx.company_id();
    let updated = sqlx::query!(
        "update jobs set status_id = $3, version = version + 1
         where company_id = $1 and id = $2 and exists(select 1 from job_statuses where company_id = $1 and id = $3)",
        company_id,
        id,
        status_id,
    )
    .execute(tx.conn())
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::field("status_id", "Choose one of your statuses.").into());
    }
    let after = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    tx.audit(
        "job.status_changed",
        "job",
        Some(id),
        Some(json!({ "status": before.status.name, "status_id": before.status.id })),
        Some(json!({ "status": after.status.name, "status_id": after.status.id })),
    )
    .await?;
    crate::webhooks::emit(&mut tx, "job.status_changed", &after).await?;
    if after.status.kind == StatusKind::Done && before.status.kind != StatusKind::Done {
        crate::webhooks::emit(&mut tx, "job.completed", &after).await?;
    }
    tx.remember(&claim, &after).await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn add_note(
    state: &AppState,
    user: &CurrentUser,
    job_id: Uuid,
    form: NoteForm,
    key: Option<IdempotencyKey>,
) -> Result<JobDetail> {
    if user.role() == Role::Customer {
        return Err(AppError::Forbidden.into());
    }
    let (body, visibility) = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let claim = tx.claim_key(key, "jobs/add_note").await?;
    if let Claim::Replayed(job) = claim {
        tx.commit().await?;
        return Ok(job);
    }
    lock_for_field_action(&mut tx, user, job_id).await?;
    let company_id = tx.company_id();
    let note_id = sqlx::query_scalar!(
        "insert into job_notes (company_id, job_id, author_id, body, visibility) values ($1, $2, $3, $4, $5) returning id",
        company_id,
        job_id,
        user.user_id(),
        body,
        visibility as NoteVisibility,
    )
    .fetch_one(tx.conn())
    .await?;
    tx.audit(
        "job.note_added",
        "job",
        Some(job_id),
        None,
        Some(json!({ "note_id": note_id, "visibility": visibility })),
    )
    .await?;
    let job = load_detail(&mut tx, Audience::Viewer(&viewer), job_id).await?;
    let note = job.notes.iter().find(|n| n.id == note_id);
    crate::webhooks::emit(&mut tx, "note.added", &json!({ "job_id": job_id, "note": note, "job": job })).await?;
    tx.remember(&claim, &job).await?;
    tx.commit().await?;
    Ok(job)
}

/// Assigns, reassigns (`Some`) or unassigns (`None`) the job's worker (admins only).
#[tracing::instrument(skip_all)]
pub async fn assign_worker(
    state: &AppState,
    admin: &CurrentUser,
    id: Uuid,
    worker_id: Option<Uuid>,
) -> Result<JobDetail> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, id, None).await?;
    let before = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    if before.worker_id == worker_id {
        tx.commit().await?;
        return Ok(before);
    }
    let company_id = tx.company_id();
    if let Some(worker_id) = worker_id {
        let active_worker = sqlx::query_scalar!(
            r#"select exists(select 1 from users where company_id = $1 and id = $2 and role = 'WORKER'
                             and deactivated_at is null) as "ok!""#,
            company_id,
            worker_id
        )
        .fetch_one(tx.conn())
        .await?;
        if !active_worker {
            return Err(AppError::field("worker_id", "Choose one of your active field workers.").into());
        }
    }
    sqlx::query!(
        "update jobs set assigned_worker_id = $3, version = version + 1 where company_id = $1 and id = $2",
        company_id,
        id,
        worker_id
    )
    .execute(tx.conn())
    .await?;
    let after = load_detail(&mut tx, Audience::Viewer(&viewer), id).await?;
    tx.audit(
        "job.worker_assigned",
        "job",
        Some(id),
        Some(json!({ "worker_id": before.worker_id, "worker": before.worker_name })),
        Some(json!({ "worker_id": after.worker_id, "worker": after.worker_name })),
    )
    .await?;
    if let Some(worker_id) = worker_id {
        crate::notify::events::job_assigned(&mut tx, state.links(), id, worker_id).await?;
    }
    crate::webhooks::emit(&mut tx, "job.assigned", &after).await?;
    tx.commit().await?;
    Ok(after)
}

/// Statuses (and, for admins, active workers) for a job page's pickers; customers pick nothing.
#[tracing::instrument(skip_all)]
pub async fn choices(state: &AppState, user: &CurrentUser) -> Result<app::jobs::JobChoices> {
    if user.role() == Role::Customer {
        return Err(AppError::Forbidden.into());
    }
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    let statuses = sqlx::query_as!(
        StatusChip,
        r#"select id, name, colour, kind as "kind: StatusKind" from job_statuses where company_id = $1
           order by order_index, id"#,
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    let workers = if user.role() == Role::Admin {
        sqlx::query_as!(
            WorkerOption,
            "select id, name from users where company_id = $1 and role = 'WORKER' and deactivated_at is null
             order by lower(name), id",
            company_id
        )
        .fetch_all(tx.conn())
        .await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    Ok(app::jobs::JobChoices { statuses, workers })
}

/// Active customers and workers and every status, for the job form and list filters (admins only).
#[tracing::instrument(skip_all)]
pub async fn form_options(state: &AppState, admin: &CurrentUser) -> Result<JobFormOptions> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let customers = sqlx::query_as!(
        CustomerOption,
        "select id, name from customers where company_id = $1 and deactivated_at is null order by lower(name), id",
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    let workers = sqlx::query_as!(
        WorkerOption,
        "select id, name from users where company_id = $1 and role = 'WORKER' and deactivated_at is null
         order by lower(name), id",
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    let statuses = sqlx::query_as!(
        StatusChip,
        r#"select id, name, colour, kind as "kind: StatusKind" from job_statuses where company_id = $1
           order by order_index, id"#,
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(JobFormOptions { customers, workers, statuses })
}

/// A worker's assigned jobs or a customer's jobs (by their linked record), grouped
/// into today / upcoming / done by the company's calendar. Admins have the full list.
#[tracing::instrument(skip_all)]
pub async fn mine(state: &AppState, user: &CurrentUser) -> Result<MyJobs> {
    if user.role() == Role::Admin {
        return Err(AppError::Forbidden.into());
    }
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select j.id, j.title, j.customer_id, c.name as customer_name, w.name as "worker_name?",
                  s.id as status_id, s.name as status_name, s.colour as status_colour, s.kind as "status_kind: StatusKind",
                  j.scheduled_at, j.is_archived, j.created_at, j.updated_at
           from jobs j
           join customers c on c.company_id = j.company_id and c.id = j.customer_id
           join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
           left join users w on w.company_id = j.company_id and w.id = j.assigned_worker_id
           where j.company_id = $1 and j.deleted_at is null and not j.is_archived
             and (j.assigned_worker_id = $2 or j.customer_id = $3)
           order by j.scheduled_at nulls last, j.created_at, j.id
           limit 500"#,
        company_id,
        viewer.worker_id(),
        viewer.customer_id(),
    )
    .fetch_all(tx.conn())
    .await?;
    let linked = viewer.worker_id().is_some() || viewer.customer_id().is_some();
    tx.commit().await?;

    let today = today(viewer.company_tz);
    let mut mine = MyJobs { linked, ..MyJobs::default() };
    let mut done = Vec::new();
    for row in rows {
        let job = JobRow {
            id: row.id,
            title: row.title,
            customer_id: row.customer_id,
            customer_name: row.customer_name,
            status: StatusChip {
                id: row.status_id,
                name: row.status_name,
                colour: row.status_colour,
                kind: row.status_kind,
            },
            worker_name: row.worker_name,
            scheduled_at: row.scheduled_at,
            scheduled_label: row.scheduled_at.map(|at| schedule_label(at, viewer.tz)),
            is_archived: row.is_archived,
            created_at: row.created_at,
        };
        let day = row.scheduled_at.map(|at| at.with_timezone(&viewer.company_tz).date_naive());
        match (job.status.kind, day) {
            (StatusKind::Done, _) => done.push((row.updated_at, job)),
            (_, Some(day)) if day <= today => mine.today.push(job),
            _ => mine.upcoming.push(job),
        }
    }
    done.sort_by_key(|(updated_at, _)| std::cmp::Reverse(*updated_at));
    mine.done = done.into_iter().take(50).map(|(_, job)| job).collect();
    Ok(mine)
}
