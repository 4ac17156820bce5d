//! Time tracking: work log rows and what a viewer may do to each, loading one log,
//! and sign-off locks. Listings (`log_rows`), timers, entries, approvals, contracts,
//! reports and exports have their own modules.

use crate::clock::{at_label, date_label, month_label, month_of, time_label};
use crate::db::TenantTx;
use crate::error::Result;
use crate::viewer::Viewer;
use app::error::AppError;
use app::time::{format_minutes, LogForm, LogStatus, NamedOption, WorkLog};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::json;
use uuid::Uuid;

pub use log_rows::{LogFilter, LogOrder};

pub mod approvals;
mod backend;
pub mod contracts;
pub mod csv;
pub mod entries;
pub mod exports;
pub mod history;
pub mod log_rows;
pub mod pdf;
pub mod reports;
pub mod timer;

/// A work log row with the names the pages show. `seconds` is the net worked time.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogRow {
    pub id: Uuid,
    pub job_id: Uuid,
    pub job_title: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub worker_id: Uuid,
    pub worker_name: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub break_seconds: i32,
    pub seconds: i64,
    pub description: String,
    pub billable: bool,
    pub status: LogStatus,
    pub revision: i32,
    pub decline_reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub auto_approve_at: Option<DateTime<Utc>>,
    pub locked: bool,
    pub version: i32,
}

impl LogRow {
    pub fn minutes(&self) -> i64 {
        self.seconds / 60
    }

    /// The row as `viewer` sees it, with what they may do to it.
    pub fn view(self, viewer: &Viewer) -> WorkLog {
        let status = self.status;
        let ended = self.ended_at.is_some();
        let own = viewer.worker_id() == Some(self.worker_id);
        let admin = viewer.is_admin();
        let editable_status = status.is_editable_by_worker();
        let can_edit = ended && !self.locked && (admin || (own && editable_status));
        let can_delete = ended && !self.locked && editable_status && (own || admin);
        let can_submit = ended && !self.locked && editable_status && own;
        let can_decide = status == LogStatus::Pending && (admin || viewer.customer_id() == Some(self.customer_id));
        let form = self.form(viewer.tz);
        WorkLog {
            id: self.id,
            job_id: self.job_id,
            job_title: self.job_title,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            worker_id: self.worker_id,
            worker_name: self.worker_name,
            started_at: self.started_at,
            ended_at: self.ended_at,
            date_label: date_label(self.started_at, viewer.tz),
            time_label: time_label(self.started_at, self.ended_at, viewer.tz),
            minutes: self.seconds / 60,
            break_minutes: i64::from(self.break_seconds) / 60,
            description: self.description,
            billable: self.billable,
            status,
            revision: self.revision,
            version: self.version,
            decline_reason: self.decline_reason,
            decided_by_name: self.decided_by_name,
            decided_label: self.decided_at.map(|at| at_label(at, viewer.tz)),
            auto_approve_label: self
                .auto_approve_at
                .filter(|_| status == LogStatus::Pending)
                .map(|at| at_label(at, viewer.tz)),
            locked: self.locked,
            can_edit,
            can_delete,
            can_submit,
            can_decide,
            form,
        }
    }

    /// The log as edit-form values in `tz`.
    fn form(&self, tz: Tz) -> LogForm {
        let start = self.started_at.with_timezone(&tz);
        let end = self.ended_at.map(|e| e.with_timezone(&tz));
        let same_day = end.is_some_and(|e| e.date_naive() == start.date_naive());
        let span_minutes = self.ended_at.map(|e| (e - self.started_at).num_minutes()).unwrap_or(0);
        LogForm {
            job_id: self.job_id.to_string(),
            date: start.format("%Y-%m-%d").to_string(),
            start: start.format("%H:%M").to_string(),
            end: if same_day { end.map(|e| e.format("%H:%M").to_string()).unwrap_or_default() } else { String::new() },
            duration: if same_day { String::new() } else { format_minutes(span_minutes) },
            break_minutes: if self.break_seconds > 0 { (self.break_seconds / 60).to_string() } else { String::new() },
            description: self.description.clone(),
            billable: self.billable,
        }
    }
}

/// The snapshot of a log the audit trail keeps (history shows before → after).
pub fn log_json(log: &WorkLog) -> serde_json::Value {
    json!({
        "job": log.job_title,
        "job_id": log.job_id,
        "date": log.date_label,
        "time": log.time_label,
        "minutes": log.minutes,
        "break_minutes": log.break_minutes,
        "description": log.description,
        "billable": log.billable,
        "status": log.status.as_str(),
        "revision": log.revision,
        "reason": log.decline_reason,
    })
}

/// One log as `viewer` may see it (others' logs do not exist for them: 404).
#[tracing::instrument(skip_all)]
pub async fn load_log(tx: &mut TenantTx, viewer: &Viewer, id: Uuid) -> Result<WorkLog> {
    Ok(load_row(tx, viewer, id).await?.view(viewer))
}

#[tracing::instrument(skip_all)]
pub async fn load_row(tx: &mut TenantTx, viewer: &Viewer, id: Uuid) -> Result<LogRow> {
    LogFilter { id: Some(id), ..LogFilter::visible_to(viewer) }
        .fetch_one(tx)
        .await?
        .ok_or_else(|| AppError::NotFound.into())
}

/// Locks a log row for a change and returns it as `viewer` sees it.
#[tracing::instrument(skip_all)]
pub async fn lock_log(tx: &mut TenantTx, viewer: &Viewer, id: Uuid) -> Result<LogRow> {
    let company_id = tx.company_id();
    sqlx::query_scalar!("select id from work_logs where company_id = $1 and id = $2 for update", company_id, id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    load_row(tx, viewer, id).await
}

/// Refuses a change to a log in a month the customer has signed off.
#[tracing::instrument(skip_all)]
pub async fn ensure_month_open(
    tx: &mut TenantTx,
    customer_id: Uuid,
    at: DateTime<Utc>,
    tz: Tz,
    field: Option<&str>,
) -> Result<()> {
    let company_id = tx.company_id();
    let month = month_of(at, tz);
    let signed = sqlx::query!(
        r#"select c.name from month_signoffs s join customers c on c.company_id = s.company_id and c.id = s.customer_id
           where s.company_id = $1 and s.customer_id = $2 and s.month = $3 and s.reopened_at is null
           for share of s"#,
        company_id,
        customer_id,
        month
    )
    .fetch_optional(tx.conn())
    .await?;
    match signed {
        None => Ok(()),
        Some(row) => {
            let message = format!(
                "{} is signed off for {}. An admin has to reopen the month before its hours can change.",
                month_label(month),
                row.name
            );
            Err(match field {
                Some(field) => AppError::field(field, message),
                None => AppError::conflict(message),
            }
            .into())
        }
    }
}

/// Active workers and customers, for pickers (admins).
#[tracing::instrument(skip_all)]
pub async fn people(tx: &mut TenantTx) -> Result<(Vec<NamedOption>, Vec<NamedOption>)> {
    let company_id = tx.company_id();
    let workers = sqlx::query_as!(
        NamedOption,
        "select id, name from users where company_id = $1 and role = 'WORKER' and deactivated_at is null
         order by lower(name), id",
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    let customers = sqlx::query_as!(
        NamedOption,
        "select id, name from customers where company_id = $1 and deactivated_at is null order by lower(name), id",
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    Ok((workers, customers))
}
