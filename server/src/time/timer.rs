//! The worker's timer: start, pause, resume, stop. A running timer is a draft
//! work log without an end; the database allows one per worker and keeps it from
//! overlapping other entries. Each action happens at the server's clock, or at the
//! moment the worker's phone recorded it offline (`at`), within bounds: not ahead of
//! the server by more than a small skew, not before the timer's previous action, not
//! older than a few days.

use super::{ensure_month_open, load_log, lock_log, log_json};
use crate::auth::CurrentUser;
use crate::clock::at_label;
use crate::db::{Claim, IdempotencyKey, TenantTx};
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::time::{RunningTimer, WorkLog};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

const ALREADY_RUNNING: &str = "Your timer is already running. Stop it before you start another one.";
/// How far a phone's clock may run ahead of the server's.
const CLOCK_SKEW: Duration = Duration::minutes(2);
/// How long a timer action recorded offline may wait to reach the server.
const OFFLINE_AGE: Duration = Duration::days(3);

/// When a timer action happened: `at` from the phone (checked), else now.
/// `not_before` is the timer's previous action.
fn action_time(at: Option<DateTime<Utc>>, not_before: Option<DateTime<Utc>>) -> Result<DateTime<Utc>> {
    let now = Utc::now();
    let Some(at) = at else { return Ok(now.max(not_before.unwrap_or(now))) };
    if at > now + CLOCK_SKEW {
        return Err(AppError::field("at", "This time is in the future. Check the phone's clock.").into());
    }
    if at < now - OFFLINE_AGE {
        return Err(AppError::field(
            "at",
            "This was recorded more than 3 days ago and can no longer change the timer. Add the time as an entry instead.",
        )
        .into());
    }
    if not_before.is_some_and(|before| at < before) {
        return Err(AppError::field("at", "This happened before the timer's last change.").into());
    }
    Ok(at)
}

/// The worker's running timer, if any.
#[tracing::instrument(skip_all)]
pub async fn running(tx: &mut TenantTx, viewer: &Viewer) -> Result<Option<RunningTimer>> {
    let company_id = tx.company_id();
    let row = sqlx::query!(
        r#"select l.id, l.job_id, j.title, c.name as customer_name, l.started_at, l.paused_at is not null as "paused!",
                  work_log_seconds(l.started_at, l.ended_at, l.paused_at, l.break_seconds) as "seconds!"
           from work_logs l
           join jobs j on j.company_id = l.company_id and j.id = l.job_id
           join customers c on c.company_id = l.company_id and c.id = l.customer_id
           where l.company_id = $1 and l.worker_id = $2 and l.ended_at is null"#,
        company_id,
        viewer.user_id
    )
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|r| RunningTimer {
        log_id: r.id,
        job_id: r.job_id,
        job_title: r.title,
        customer_name: r.customer_name,
        started_label: at_label(r.started_at, viewer.tz),
        paused: r.paused,
        elapsed_seconds: r.seconds,
    }))
}

#[tracing::instrument(skip_all)]
pub async fn current(state: &AppState, user: &CurrentUser) -> Result<Option<RunningTimer>> {
    if user.role() != Role::Worker {
        return Ok(None);
    }
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let timer = running(&mut tx, &viewer).await?;
    tx.commit().await?;
    Ok(timer)
}

/// The timer as it is after a change, or an error if there is none.
async fn running_or_missing(tx: &mut TenantTx, viewer: &Viewer) -> Result<RunningTimer> {
    running(tx, viewer).await?.ok_or_else(|| AppError::conflict("No timer is running.").into())
}

#[tracing::instrument(skip_all)]
pub async fn start(
    state: &AppState,
    user: &CurrentUser,
    job_id: Uuid,
    at: Option<DateTime<Utc>>,
    key: Option<IdempotencyKey>,
) -> Result<RunningTimer> {
    user.require(Role::Worker)?;
    let at = action_time(at, None)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let claim = tx.claim_key(key, "time/start").await?;
    if let Claim::Replayed(timer) = claim {
        tx.commit().await?;
        return Ok(timer);
    }
    let viewer = Viewer::load(&mut tx, user).await?;
    let company_id = tx.company_id();
    let job = sqlx::query!(
        "select customer_id from jobs
         where company_id = $1 and id = $2 and assigned_worker_id = $3 and deleted_at is null and not is_archived
         for share",
        company_id,
        job_id,
        viewer.user_id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::field("job_id", "Choose one of the jobs assigned to you."))?;
    if running(&mut tx, &viewer).await?.is_some() {
        return Err(AppError::conflict(ALREADY_RUNNING).into());
    }
    ensure_month_open(&mut tx, job.customer_id, at, viewer.company_tz, None).await?;
    let id = sqlx::query_scalar!(
        "insert into work_logs (company_id, worker_id, job_id, customer_id, started_at)
         values ($1, $2, $3, $4, $5) returning id",
        company_id,
        viewer.user_id,
        job_id,
        job.customer_id,
        at
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("work_logs_one_running_idx", || AppError::conflict(ALREADY_RUNNING))
    .on_constraint("work_logs_no_overlap", || {
        AppError::conflict("You already have time logged from now on. Check your entries for today.")
    })?;
    let log = load_log(&mut tx, &viewer, id).await?;
    tx.audit("work_log.timer_started", "work_log", Some(id), None, Some(log_json(&log))).await?;
    let timer = running_or_missing(&mut tx, &viewer).await?;
    tx.remember(&claim, &timer).await?;
    tx.commit().await?;
    Ok(timer)
}

#[tracing::instrument(skip_all)]
pub async fn pause(
    state: &AppState,
    user: &CurrentUser,
    at: Option<DateTime<Utc>>,
    key: Option<IdempotencyKey>,
) -> Result<RunningTimer> {
    set_paused(state, user, true, at, key).await
}

#[tracing::instrument(skip_all)]
pub async fn resume(
    state: &AppState,
    user: &CurrentUser,
    at: Option<DateTime<Utc>>,
    key: Option<IdempotencyKey>,
) -> Result<RunningTimer> {
    set_paused(state, user, false, at, key).await
}

/// The running timer's start and pause moments, locked for the change.
async fn lock_running(
    tx: &mut TenantTx,
    viewer: &Viewer,
) -> Result<Option<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    let company_id = tx.company_id();
    let row = sqlx::query!(
        "select id, started_at, paused_at from work_logs
         where company_id = $1 and worker_id = $2 and ended_at is null for update",
        company_id,
        viewer.user_id
    )
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|r| (r.id, r.started_at, r.paused_at)))
}

/// Pauses or resumes the running timer; doing what is already done changes nothing.
/// On resume the pause joins the breaks, in whole seconds rounded down, so breaks
/// never outgrow the span.
async fn set_paused(
    state: &AppState,
    user: &CurrentUser,
    paused: bool,
    at: Option<DateTime<Utc>>,
    key: Option<IdempotencyKey>,
) -> Result<RunningTimer> {
    user.require(Role::Worker)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let claim = tx.claim_key(key, if paused { "time/pause" } else { "time/resume" }).await?;
    if let Claim::Replayed(timer) = claim {
        tx.commit().await?;
        return Ok(timer);
    }
    let viewer = Viewer::load(&mut tx, user).await?;
    let company_id = tx.company_id();
    let (_, started_at, paused_at) =
        lock_running(&mut tx, &viewer).await?.ok_or_else(|| AppError::conflict("No timer is running."))?;
    let at = action_time(at, Some(paused_at.unwrap_or(started_at)))?;
    let changed = sqlx::query_scalar!(
        "update work_logs
         set break_seconds = case when $3 then break_seconds
                                  else break_seconds + floor(extract(epoch from $4 - paused_at))::int end,
             paused_at = case when $3 then $4 end
         where company_id = $1 and worker_id = $2 and ended_at is null and (paused_at is null) = $3
         returning id",
        company_id,
        viewer.user_id,
        paused,
        at
    )
    .fetch_optional(tx.conn())
    .await?;
    let timer = running_or_missing(&mut tx, &viewer).await?;
    if let Some(id) = changed {
        let action = if paused { "work_log.timer_paused" } else { "work_log.timer_resumed" };
        tx.audit(action, "work_log", Some(id), None, None).await?;
    }
    tx.remember(&claim, &timer).await?;
    tx.commit().await?;
    Ok(timer)
}

/// Stops the timer. A paused timer ends where it was paused; a timer forgotten for
/// more than a day ends after 24 hours (the longest entry there is).
#[tracing::instrument(skip_all)]
pub async fn stop(
    state: &AppState,
    user: &CurrentUser,
    at: Option<DateTime<Utc>>,
    key: Option<IdempotencyKey>,
) -> Result<WorkLog> {
    user.require(Role::Worker)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let claim = tx.claim_key(key, "time/stop").await?;
    if let Claim::Replayed(log) = claim {
        tx.commit().await?;
        return Ok(log);
    }
    let viewer = Viewer::load(&mut tx, user).await?;
    let company_id = tx.company_id();
    let timer = running_or_missing(&mut tx, &viewer).await?;
    let (_, started_at, paused_at) =
        lock_running(&mut tx, &viewer).await?.ok_or_else(|| AppError::conflict("No timer is running."))?;
    let at = action_time(at, Some(paused_at.unwrap_or(started_at)))?;
    lock_log(&mut tx, &viewer, timer.log_id).await?;
    // Breaks longer than what remains (only possible after the 24-hour cap) shrink to fit.
    sqlx::query!(
        "update work_logs l
         set ended_at = e.end_at, paused_at = null,
             break_seconds = least(l.break_seconds, greatest(0, floor(extract(epoch from e.end_at - l.started_at))::int - 1))
         from (select id, least(coalesce(paused_at, $3), started_at + interval '24 hours') as end_at
               from work_logs where company_id = $1 and id = $2) e
         where l.company_id = $1 and l.id = e.id",
        company_id,
        timer.log_id,
        at
    )
    .execute(tx.conn())
    .await?;
    let log = load_log(&mut tx, &viewer, timer.log_id).await?;
    tx.audit("work_log.timer_stopped", "work_log", Some(log.id), None, Some(log_json(&log))).await?;
    super::contracts::announce_thresholds(&mut tx, &viewer, log.worker_id, log.customer_id).await?;
    tx.remember(&claim, &log).await?;
    tx.commit().await?;
    Ok(log)
}
