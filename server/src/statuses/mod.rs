//! Job statuses: every company has its own list, each with a kind (open / in
//! progress / done). Admins create, rename, recolour, reorder and delete them.

use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use app::auth::Role;
use app::error::AppError;
use app::statuses::{JobStatus, StatusForm, StatusKind, DEFAULT_STATUSES};
use serde_json::json;
use uuid::Uuid;

mod backend;

fn status_json(status: &JobStatus) -> serde_json::Value {
    json!({ "name": status.name, "colour": status.colour, "kind": status.kind, "order_index": status.order_index })
}

fn name_taken() -> AppError {
    AppError::field("name", "Another status already has this name.")
}

/// Gives a new company its starting statuses (inside the sign-up transaction).
#[tracing::instrument(skip_all)]
pub async fn seed_defaults(tx: &mut TenantTx) -> Result<()> {
    let company_id = tx.company_id();
    for (index, (name, colour, kind)) in DEFAULT_STATUSES.iter().enumerate() {
        sqlx::query!(
            "insert into job_statuses (company_id, name, colour, kind, order_index) values ($1, $2, $3, $4, $5)",
            company_id,
            name,
            colour,
            *kind as StatusKind,
            index as i32,
        )
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

async fn load_all(tx: &mut TenantTx) -> Result<Vec<JobStatus>> {
    load_counted(tx, None).await
}

/// Every status with its job count: the whole company's, or, for a worker or a
/// customer, only the jobs that person can see.
async fn load_counted(tx: &mut TenantTx, viewer: Option<(Role, Uuid)>) -> Result<Vec<JobStatus>> {
    let company_id = tx.company_id();
    let (role, user_id) = match viewer {
        Some((role, user_id)) => (Some(role.as_str()), Some(user_id)),
        None => (None, None),
    };
    Ok(sqlx::query_as!(
        JobStatus,
        r#"select s.id, s.name, s.colour, s.kind as "kind: StatusKind", s.order_index,
                  (select count(*) from jobs j
                   where j.company_id = s.company_id and j.status_id = s.id and j.deleted_at is null
                     and ($2::text is null or $2 = 'ADMIN'
                          or ($2 = 'WORKER' and j.assigned_worker_id = $3)
                          or ($2 = 'CUSTOMER' and j.customer_id =
                                (select customer_id from users where company_id = $1 and id = $3)))) as "job_count!"
           from job_statuses s
           where s.company_id = $1
           order by s.order_index, s.name"#,
        company_id,
        role,
        user_id,
    )
    .fetch_all(tx.conn())
    .await?)
}

async fn find(tx: &mut TenantTx, id: Uuid) -> Result<JobStatus> {
    load_all(tx).await?.into_iter().find(|s| s.id == id).ok_or_else(|| AppError::NotFound.into())
}

/// Every signed-in role may read the list (workers pick a status, customers see names).
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, user: &CurrentUser) -> Result<Vec<JobStatus>> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let statuses = load_counted(&mut tx, Some((user.role(), user.user_id()))).await?;
    tx.commit().await?;
    Ok(statuses)
}

#[tracing::instrument(skip_all)]
pub async fn create(state: &AppState, admin: &CurrentUser, form: StatusForm) -> Result<JobStatus> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let id = sqlx::query_scalar!(
        "insert into job_statuses (company_id, name, colour, kind, order_index)
         values ($1, $2, $3, $4, (select coalesce(max(order_index) + 1, 0) from job_statuses where company_id = $1))
         returning id",
        company_id,
        valid.name,
        valid.colour,
        valid.kind as StatusKind,
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("job_statuses_company_name_key", name_taken)?;
    let status = find(&mut tx, id).await?;
    tx.audit("job_status.created", "job_status", Some(id), None, Some(status_json(&status))).await?;
    tx.commit().await?;
    Ok(status)
}

async fn done_statuses(tx: &mut TenantTx) -> Result<i64> {
    let company_id = tx.company_id();
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from job_statuses where company_id = $1 and kind = 'DONE'"#,
        company_id
    )
    .fetch_one(tx.conn())
    .await?)
}

#[tracing::instrument(skip_all)]
pub async fn update(state: &AppState, admin: &CurrentUser, id: Uuid, form: StatusForm) -> Result<JobStatus> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let before = find(&mut tx, id).await?;
    if before.kind == StatusKind::Done && valid.kind != StatusKind::Done && done_statuses(&mut tx).await? <= 1 {
        return Err(
            AppError::field("kind", "Keep at least one done status, so finished jobs have somewhere to go.").into()
        );
    }
    let company_id = tx.company_id();
    sqlx::query!(
        "update job_statuses set name = $3, colour = $4, kind = $5 where company_id = $1 and id = $2",
        company_id,
        id,
        valid.name,
        valid.colour,
        valid.kind as StatusKind,
    )
    .execute(tx.conn())
    .await
    .on_constraint("job_statuses_company_name_key", name_taken)?;
    let after = find(&mut tx, id).await?;
    tx.audit("job_status.updated", "job_status", Some(id), Some(status_json(&before)), Some(status_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Puts the statuses in the given order; `ids` must be exactly the company's statuses.
#[tracing::instrument(skip_all)]
pub async fn reorder(state: &AppState, admin: &CurrentUser, ids: Vec<Uuid>) -> Result<Vec<JobStatus>> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let current = load_all(&mut tx).await?;
    let mut expected: Vec<Uuid> = current.iter().map(|s| s.id).collect();
    let mut given = ids.clone();
    expected.sort();
    given.sort();
    if expected != given {
        return Err(AppError::field("ids", "List every status exactly once.").into());
    }
    let company_id = tx.company_id();
    sqlx::query!(
        "update job_statuses s set order_index = o.position::int
         from unnest($2::uuid[]) with ordinality as o(id, position)
         where s.company_id = $1 and s.id = o.id",
        company_id,
        &ids,
    )
    .execute(tx.conn())
    .await?;
    tx.audit(
        "job_status.reordered",
        "job_status",
        None,
        Some(json!(current.iter().map(|s| s.id).collect::<Vec<_>>())),
        Some(json!(ids)),
    )
    .await?;
    let statuses = load_all(&mut tx).await?;
    tx.commit().await?;
    Ok(statuses)
}

/// Deletes a status. If jobs use it, `move_to` names the status they move to.
/// The last done status cannot be deleted.
#[tracing::instrument(skip_all)]
pub async fn delete(state: &AppState, admin: &CurrentUser, id: Uuid, move_to: Option<Uuid>) -> Result<()> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let status = find(&mut tx, id).await?;
    if status.kind == StatusKind::Done && done_statuses(&mut tx).await? <= 1 {
        return Err(
            AppError::conflict("This is your only done status; finished jobs need one. Add another first.").into()
        );
    }
    let company_id = tx.company_id();
    let mut moved = 0;
    if status.job_count > 0 {
        let Some(target) = move_to.filter(|target| *target != id) else {
            return Err(AppError::field(
                "move_to",
                format!("{} jobs use this status. Choose the status they move to.", status.job_count),
            )
            .into());
        };
        find(&mut tx, target).await.map_err(|_| AppError::field("move_to", "Choose one of your statuses."))?;
        moved = sqlx::query!(
            "update jobs set status_id = $3, version = version + 1 where company_id = $1 and status_id = $2",
            company_id,
            id,
            target,
        )
        .execute(tx.conn())
        .await?
        .rows_affected();
    }
    sqlx::query!("delete from job_statuses where company_id = $1 and id = $2", company_id, id)
        .execute(tx.conn())
        .await?;
    tx.audit(
        "job_status.deleted",
        "job_status",
        Some(id),
        Some(status_json(&status)),
        Some(json!({ "jobs_moved": moved, "moved_to": move_to })),
    )
    .await?;
    tx.commit().await
}
