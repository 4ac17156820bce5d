//! Work log entries: manual entries, edits (an admin's edit of an approved entry
//! makes a new revision that needs approval again), deletion, submission, the
//! worker's time page, one entry with its history, and the admin's list.

use super::contracts::usages_for_worker;
use super::{ensure_month_open, load_log, load_row, lock_log, log_json, people, LogFilter, LogOrder, LogRow};
use crate::auth::CurrentUser;
use crate::clock::{date_label, local_to_utc, time_label};
use crate::db::{Claim, IdempotencyKey, TenantTx};
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::time::{
    parse_date, ContractUsage, EntryEnd, LogDetail, LogForm, LogPage, LogQuery, LogStatus, LoggableJob, MyTime,
    ValidLog, WorkLog, LOG_PAGE_SIZE,
};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

/// Entries may end at most this far in the future (clock drift between devices).
const FUTURE_SLACK_MINUTES: i64 = 5;
const MAX_BATCH: usize = 500;

/// The entry's span in UTC, from the form's local date and times in `viewer`'s timezone.
fn span(valid: &ValidLog, viewer: &Viewer) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = local_to_utc(viewer.tz, valid.date, valid.start);
    let end = match valid.end {
        EntryEnd::At(end) => local_to_utc(viewer.tz, valid.date, end),
        EntryEnd::After { minutes } => start + Duration::minutes(minutes),
    };
    (start, end)
}

/// The jobs a worker may log time on: assigned to them, not archived. The pickers
/// offer the first one, so unfinished jobs come first, today's (in the company's
/// calendar) before the others, then by schedule.
async fn loggable_jobs(
    tx: &mut TenantTx,
    worker_id: Uuid,
    company_tz: Tz,
    usages: &[ContractUsage],
) -> Result<Vec<LoggableJob>> {
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select j.id, j.title, j.customer_id, c.name as customer_name
           from jobs j
           join customers c on c.company_id = j.company_id and c.id = j.customer_id
           join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
           where j.company_id = $1 and j.assigned_worker_id = $2 and j.deleted_at is null and not j.is_archived
           order by s.kind = 'DONE',
                    coalesce((j.scheduled_at at time zone $3)::date = (now() at time zone $3)::date, false) desc,
                    j.scheduled_at nulls last, lower(j.title), j.id"#,
        company_id,
        worker_id,
        company_tz.name()
    )
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LoggableJob {
            id: r.id,
            title: r.title,
            customer_name: r.customer_name,
            contract: usages.iter().find(|u| u.contract.customer_id == r.customer_id && u.active).cloned(),
        })
        .collect())
}

/// Checks the job is the worker's and the span is sensible and free; returns the job's customer.
async fn check_entry(
    tx: &mut TenantTx,
    viewer: &Viewer,
    worker_id: Uuid,
    valid: &ValidLog,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    existing: Option<Uuid>,
    current_job: Option<Uuid>,
) -> Result<Uuid> {
    let company_id = tx.company_id();
    // An entry may stay on its job even if the job was archived or reassigned since.
    let customer_id = sqlx::query_scalar!(
        "select customer_id from jobs
         where company_id = $1 and id = $2 and deleted_at is null
           and ((assigned_worker_id = $3 and not is_archived) or id = $4)",
        company_id,
        valid.job_id,
        worker_id,
        current_job
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::field("job_id", "Choose one of the jobs assigned to you."))?;
    if end > Utc::now() + Duration::minutes(FUTURE_SLACK_MINUTES) {
        return Err(AppError::field("end", "That is in the future. Log time once it is worked.").into());
    }
    if start < Utc::now() - Duration::days(400) {
        return Err(AppError::field("date", "That is more than a year ago. Ask an admin to add such old time.").into());
    }
    let clash = sqlx::query!(
        r#"select l.started_at, l.ended_at, j.title
           from work_logs l join jobs j on j.company_id = l.company_id and j.id = l.job_id
           where l.company_id = $1 and l.worker_id = $2 and l.id <> $3
             and tstzrange(l.started_at, coalesce(l.ended_at, 'infinity'), '[)') && tstzrange($4, $5, '[)')
           order by l.started_at limit 1"#,
        company_id,
        worker_id,
        existing.unwrap_or(Uuid::nil()),
        start,
        end
    )
    .fetch_optional(tx.conn())
    .await?;
    if let Some(clash) = clash {
        let what = if clash.ended_at.is_none() { "your running timer" } else { "your entry" };
        return Err(AppError::field(
            "start",
            format!(
                "This overlaps {what} on {}, {} ({}). Change the times so they do not overlap.",
                date_label(clash.started_at, viewer.tz),
                time_label(clash.started_at, clash.ended_at, viewer.tz),
                clash.title
            ),
        )
        .into());
    }
    ensure_month_open(tx, customer_id, start, viewer.company_tz, Some("date")).await?;
    Ok(customer_id)
}

const OVERLAP: &str = "This overlaps another of your entries. Change the times so they do not overlap.";

#[tracing::instrument(skip_all)]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    form: LogForm,
    key: Option<IdempotencyKey>,
) -> Result<WorkLog> {
    user.require(Role::Worker)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let claim = tx.claim_key(key, "time/create").await?;
    if let Claim::Replayed(log) = claim {
        tx.commit().await?;
        return Ok(log);
    }
    let viewer = Viewer::load(&mut tx, user).await?;
    let span = span(&valid, &viewer);
    let customer_id = check_entry(&mut tx, &viewer, viewer.user_id, &valid, span, None, None).await?;
    let company_id = tx.company_id();
    let id = sqlx::query_scalar!(
        "insert into work_logs (company_id, worker_id, job_id, customer_id, started_at, ended_at, break_seconds,
                                description, billable)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        company_id,
        viewer.user_id,
        valid.job_id,
        customer_id,
        span.0,
        span.1,
        (valid.break_minutes * 60) as i32,
        valid.description,
        valid.billable
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("work_logs_no_overlap", || AppError::field("start", OVERLAP))?;
    let log = load_log(&mut tx, &viewer, id).await?;
    tx.audit("work_log.created", "work_log", Some(id), None, Some(log_json(&log))).await?;
    super::contracts::announce_thresholds(&mut tx, &viewer, viewer.user_id, customer_id).await?;
    tx.remember(&claim, &log).await?;
    tx.commit().await?;
    Ok(log)
}

/// Refuses a change `viewer` may not make to `row` (403 for the wrong role, 409 for the wrong state).
fn check_editable(viewer: &Viewer, row: &LogRow) -> Result<()> {
    if row.ended_at.is_none() {
        return Err(AppError::conflict("Stop the timer before you change this entry.").into());
    }
    match viewer.role() {
        Role::Customer => Err(AppError::Forbidden.into()),
        Role::Admin => Ok(()),
        Role::Worker if row.status.is_editable_by_worker() => Ok(()),
        Role::Worker => Err(AppError::conflict(match row.status {
            LogStatus::Approved => "This entry is approved and locked. Ask an admin if it needs to change.",
            _ => "This entry is waiting for approval and cannot change now.",
        })
        .into()),
    }
}

/// Saves an edit; with `expected_version` (an API client's `If-Match`), only over that
/// version of the log.
#[tracing::instrument(skip_all)]
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: LogForm,
    expected_version: Option<i32>,
) -> Result<WorkLog> {
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let row = lock_log(&mut tx, &viewer, id).await?;
    check_editable(&viewer, &row)?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(AppError::stale("This entry changed since you read it. Read it again and redo your change.").into());
    }
    ensure_month_open(&mut tx, row.customer_id, row.started_at, viewer.company_tz, None).await?;
    let before = row.clone().view(&viewer);
    let span = span(&valid, &viewer);
    let customer_id = check_entry(&mut tx, &viewer, row.worker_id, &valid, span, Some(id), Some(row.job_id)).await?;
    // Changing approved hours reopens the question: a new revision, pending again.
    let revised = row.status == LogStatus::Approved;
    let auto_days = auto_approve_days(&mut tx).await?;
    let company_id = tx.company_id();
    sqlx::query!(
        "update work_logs
         set job_id = $3, customer_id = $4, started_at = $5, ended_at = $6, break_seconds = $7, description = $8,
             billable = $9,
             revision = revision + case when $10 then 1 else 0 end,
             status = case when $10 then 'PENDING'::work_log_status else status end,
             submitted_at = case when $10 then now() else submitted_at end,
             auto_approve_at = case when $10 then now() + make_interval(days => $11) else auto_approve_at end,
             decided_by = case when $10 then null else decided_by end,
             decided_at = case when $10 then null else decided_at end
         where company_id = $1 and id = $2",
        company_id,
        id,
        valid.job_id,
        customer_id,
        span.0,
        span.1,
        (valid.break_minutes * 60) as i32,
        valid.description,
        valid.billable,
        revised,
        auto_days,
    )
    .execute(tx.conn())
    .await
    .on_constraint("work_logs_no_overlap", || AppError::field("start", OVERLAP))?;
    if revised {
        // The new revision belongs to the (possibly new) customer's open month as well.
        ensure_month_open(&mut tx, customer_id, span.0, viewer.company_tz, Some("date")).await?;
    }
    let after = load_log(&mut tx, &viewer, id).await?;
    let action = if revised { "work_log.revised" } else { "work_log.updated" };
    tx.audit(action, "work_log", Some(id), Some(log_json(&before)), Some(log_json(&after))).await?;
    super::contracts::announce_thresholds(&mut tx, &viewer, row.worker_id, customer_id).await?;
    if row.customer_id != customer_id {
        super::contracts::announce_thresholds(&mut tx, &viewer, row.worker_id, row.customer_id).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// The company's auto-approval delay in days (None: never; a null interval then).
#[tracing::instrument(skip_all)]
pub async fn auto_approve_days(tx: &mut TenantTx) -> Result<Option<i32>> {
    let company_id = tx.company_id();
    Ok(sqlx::query_scalar!("select auto_approve_days from companies where id = $1", company_id)
        .fetch_one(tx.conn())
        .await?)
}

#[tracing::instrument(skip_all)]
pub async fn delete(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let row = lock_log(&mut tx, &viewer, id).await?;
    let log = row.clone().view(&viewer);
    if !log.can_delete {
        check_editable(&viewer, &row)?;
        ensure_month_open(&mut tx, row.customer_id, row.started_at, viewer.company_tz, None).await?;
        return Err(AppError::conflict("Only drafts and declined entries can be deleted.").into());
    }
    let company_id = tx.company_id();
    sqlx::query!("delete from work_logs where company_id = $1 and id = $2", company_id, id).execute(tx.conn()).await?;
    tx.audit("work_log.deleted", "work_log", Some(id), Some(log_json(&log)), None).await?;
    super::contracts::announce_thresholds(&mut tx, &viewer, row.worker_id, row.customer_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends the worker's drafts and corrected declined entries for approval. All or nothing.
#[tracing::instrument(skip_all)]
pub async fn submit(state: &AppState, user: &CurrentUser, ids: Vec<Uuid>, key: Option<IdempotencyKey>) -> Result<u32> {
    user.require(Role::Worker)?;
    check_batch(&ids)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let claim = tx.claim_key(key, "time/submit").await?;
    if let Claim::Replayed(count) = claim {
        return Ok(count);
    }
    let viewer = Viewer::load(&mut tx, user).await?;
    let auto_days = auto_approve_days(&mut tx).await?;
    let company_id = tx.company_id();
    for &id in &ids {
        let row = lock_log(&mut tx, &viewer, id).await?;
        if row.ended_at.is_none() {
            return Err(AppError::conflict("Stop the timer before you submit its time.").into());
        }
        if !row.status.is_editable_by_worker() {
            return Err(AppError::conflict(format!(
                "The entry of {} on {} is already {}.",
                date_label(row.started_at, viewer.tz),
                row.job_title,
                row.status.label().to_lowercase()
            ))
            .into());
        }
        ensure_month_open(&mut tx, row.customer_id, row.started_at, viewer.company_tz, None).await?;
        let before = row.view(&viewer);
        sqlx::query!(
            "update work_logs
             set status = 'PENDING', submitted_at = now(), auto_approve_at = now() + make_interval(days => $3),
                 decided_by = null, decided_at = null, decline_reason = null
             where company_id = $1 and id = $2",
            company_id,
            id,
            auto_days
        )
        .execute(tx.conn())
        .await?;
        let after = load_log(&mut tx, &viewer, id).await?;
        tx.audit("work_log.submitted", "work_log", Some(id), Some(log_json(&before)), Some(log_json(&after))).await?;
        crate::webhooks::emit(&mut tx, "work_log.submitted", &after).await?;
        super::contracts::announce_thresholds(&mut tx, &viewer, after.worker_id, after.customer_id).await?;
    }
    crate::notify::events::work_logs_submitted(&mut tx, state.links(), user.user_id(), &ids).await?;
    tx.remember(&claim, &(ids.len() as u32)).await?;
    tx.commit().await?;
    Ok(ids.len() as u32)
}

pub fn check_batch(ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() {
        return Err(AppError::field("ids", "Choose at least one entry.").into());
    }
    if ids.len() > MAX_BATCH {
        return Err(AppError::field("ids", format!("Choose at most {MAX_BATCH} entries at a time.")).into());
    }
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    if unique.len() != ids.len() {
        return Err(AppError::field("ids", "An entry is listed twice.").into());
    }
    Ok(())
}

/// The worker's time page.
#[tracing::instrument(skip_all)]
pub async fn mine(state: &AppState, user: &CurrentUser) -> Result<MyTime> {
    user.require(Role::Worker)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let timer = super::timer::running(&mut tx, &viewer).await?;
    let contracts = usages_for_worker(&mut tx, &viewer, viewer.user_id).await?;
    let jobs = loggable_jobs(&mut tx, viewer.user_id, viewer.company_tz, &contracts).await?;
    // Open work first (drafts, declined, pending), then the last 60 days of decided entries.
    let logs = LogFilter {
        worker: Some(viewer.user_id),
        ended: true,
        approved_since: Some(Utc::now() - Duration::days(60)),
        ..LogFilter::default()
    }
    .fetch(&mut tx, LogOrder::NewestFirst, Some(300))
    .await?
    .into_iter()
    .map(|row| row.view(&viewer))
    .collect();
    tx.commit().await?;
    let today = Utc::now().with_timezone(&viewer.tz).format("%Y-%m-%d").to_string();
    Ok(MyTime { timer, jobs, logs, contracts, today })
}

#[tracing::instrument(skip_all)]
pub async fn detail(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<LogDetail> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let row = load_row(&mut tx, &viewer, id).await?;
    let worker_id = row.worker_id;
    let log = row.view(&viewer);
    let history = super::history::events(&mut tx, &viewer, id).await?;
    let jobs = if log.can_edit {
        let usages = usages_for_worker(&mut tx, &viewer, worker_id).await?;
        loggable_jobs(&mut tx, worker_id, viewer.company_tz, &usages).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    Ok(LogDetail { log, history, jobs })
}

/// Every entry of the company, filtered, newest first (admins). Running timers are left out.
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser, query: LogQuery) -> Result<LogPage> {
    admin.require(Role::Admin)?;
    let days = DayRange::of(&query)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let (from, to) = days.in_utc(viewer.company_tz);

    let filter = LogFilter {
        worker: query.worker,
        customer: query.customer,
        job: query.job,
        statuses: query.status.into_iter().collect(),
        ended: true,
        started_from: from,
        started_before: to,
        ..LogFilter::default()
    };
    let (count, seconds) = filter.count_and_seconds(&mut tx).await?;
    let rows: Vec<LogRow> = filter
        .rows_query(
            tx.company_id(),
            LogOrder::NewestFirst,
            Some(LOG_PAGE_SIZE + 1),
            i64::from(query.page) * LOG_PAGE_SIZE,
        )
        .build_query_as()
        .fetch_all(tx.conn())
        .await?;
    let has_more = rows.len() as i64 > LOG_PAGE_SIZE;
    let logs = rows.into_iter().take(LOG_PAGE_SIZE as usize).map(|r| r.view(&viewer)).collect();
    let (workers, customers) = people(&mut tx).await?;
    tx.commit().await?;
    Ok(LogPage { logs, total_minutes: seconds / 60, count, has_more, workers, customers })
}

/// A log query's `from`..=`to` days, checked; both optional.
struct DayRange {
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
}

impl DayRange {
    fn of(query: &LogQuery) -> Result<Self> {
        let from = optional_date(&query.from, "from")?;
        let to = optional_date(&query.to, "to")?;
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                return Err(AppError::field("to", "The end date must be on or after the start date.").into());
            }
        }
        Ok(Self { from, to })
    }

    /// The first instant of `from` and the first after `to`, as days of the company's calendar.
    fn in_utc(&self, tz: Tz) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        (
            self.from.map(|d| local_to_utc(tz, d, NaiveTime::MIN)),
            self.to.map(|d| local_to_utc(tz, d + Duration::days(1), NaiveTime::MIN)),
        )
    }
}

/// Where a page of [`browse`] ends: the last log's start and id.
pub type LogCursor = (DateTime<Utc>, Uuid);

/// A page of [`browse`].
pub struct LogBrowse {
    pub logs: Vec<WorkLog>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<LogCursor>,
}

/// The ended logs `user` may see (an admin every log, a worker their own, a customer
/// their record's submitted ones), filtered, newest first, `limit` a page after `after`.
/// A filter naming someone else's records finds nothing rather than widening the view.
#[tracing::instrument(skip_all)]
pub async fn browse(
    state: &AppState,
    user: &CurrentUser,
    query: &LogQuery,
    after: Option<LogCursor>,
    limit: i64,
) -> Result<LogBrowse> {
    let days = DayRange::of(query)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let (started_from, started_before) = days.in_utc(viewer.company_tz);
    let mut filter = LogFilter {
        job: query.job,
        statuses: query.status.into_iter().collect(),
        ended: true,
        started_from,
        started_before,
        after,
        ..LogFilter::visible_to(&viewer)
    };
    let mut contradicts_scope = false;
    for (allowed, wanted) in [(&mut filter.worker, query.worker), (&mut filter.customer, query.customer)] {
        match (*allowed, wanted) {
            (Some(own), Some(wanted)) if own != wanted => contradicts_scope = true,
            (_, Some(wanted)) => *allowed = Some(wanted),
            _ => {}
        }
    }
    filter.none |= contradicts_scope;
    let rows: Vec<LogRow> = filter
        .rows_query(tx.company_id(), LogOrder::NewestFirst, Some(limit + 1), 0)
        .build_query_as()
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    let more = rows.len() as i64 > limit;
    let logs: Vec<WorkLog> = rows.into_iter().take(limit as usize).map(|row| row.view(&viewer)).collect();
    let next = if more { logs.last().map(|log| (log.started_at, log.id)) } else { None };
    Ok(LogBrowse { logs, next })
}

fn optional_date(raw: &str, field: &str) -> Result<Option<chrono::NaiveDate>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    parse_date(raw).map(Some).map_err(|m| AppError::field(field, m).into())
}
