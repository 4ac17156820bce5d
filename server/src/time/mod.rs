//! Time tracking: who may see which work logs (`Who`), loading logs with what the
//! viewer may do to them, month boundaries and sign-off locks. Timers, entries,
//! approvals, contracts, reports and exports have their own modules.

use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::Result;
use crate::jobs::local_to_utc;
use app::auth::Role;
use app::error::AppError;
use app::time::{format_minutes, LogForm, LogStatus, NamedOption, WorkLog};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde_json::json;
use uuid::Uuid;

pub mod approvals;
mod backend;
pub mod contracts;
pub mod csv;
pub mod entries;
pub mod exports;
pub mod history;
pub mod pdf;
pub mod reports;
pub mod timer;

/// The viewer of work logs: their role, their timezone, and (for customer
/// logins) the customer record they speak for.
#[derive(Debug, Clone)]
pub struct Who {
    pub user_id: Uuid,
    pub role: Role,
    /// The customer record a CUSTOMER login belongs to (None: not linked yet).
    pub customer_id: Option<Uuid>,
    /// The viewer's own timezone (their entries are typed in it).
    pub tz: Tz,
    /// The company's timezone: month boundaries follow it.
    pub company_tz: Tz,
}

impl Who {
    pub async fn load(tx: &mut TenantTx, user: &CurrentUser) -> Result<Self> {
        let company_id = tx.company_id();
        let row = sqlx::query!(
            r#"select u.customer_id, coalesce(u.timezone, c.timezone) as "tz!", c.timezone as company_tz
               from users u join companies c on c.id = u.company_id
               where u.company_id = $1 and u.id = $2"#,
            company_id,
            user.user_id()
        )
        .fetch_one(tx.conn())
        .await?;
        Ok(Self {
            user_id: user.user_id(),
            role: user.role(),
            customer_id: row.customer_id,
            tz: row.tz.parse().unwrap_or(chrono_tz::UTC),
            company_tz: row.company_tz.parse().unwrap_or(chrono_tz::UTC),
        })
    }

    /// The SQL scope of the logs this viewer may see: (role, worker id, customer id).
    /// Customers never see drafts; an unlinked customer login sees nothing.
    pub fn scope(&self) -> (&'static str, Option<Uuid>, Option<Uuid>) {
        match self.role {
            Role::Admin => ("ADMIN", None, None),
            Role::Worker => ("WORKER", Some(self.user_id), None),
            Role::Customer => ("CUSTOMER", None, Some(self.customer_id.unwrap_or(Uuid::nil()))),
        }
    }
}

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
}

/// The select every log listing shares; `$1` is the company id and `$2` the
/// company's timezone name (for the signed-off month of each log). Callers add
/// `where`/`order` clauses on alias `l`.
pub const LOG_SELECT: &str = r#"
    select l.id, l.job_id, j.title as job_title, l.customer_id, c.name as customer_name,
           l.worker_id, w.name as worker_name, l.started_at, l.ended_at, l.paused_at, l.break_seconds,
           work_log_seconds(l.started_at, l.ended_at, l.paused_at, l.break_seconds) as seconds,
           l.description, l.billable, l.status, l.revision, l.decline_reason,
           d.name as decided_by_name, l.decided_at, l.auto_approve_at,
           exists(select 1 from month_signoffs s
                  where s.company_id = l.company_id and s.customer_id = l.customer_id and s.reopened_at is null
                    and s.month = date_trunc('month', l.started_at at time zone $2)::date) as locked
    from work_logs l
    join jobs j on j.company_id = l.company_id and j.id = l.job_id
    join customers c on c.company_id = l.company_id and c.id = l.customer_id
    join users w on w.company_id = l.company_id and w.id = l.worker_id
    left join users d on d.company_id = l.company_id and d.id = l.decided_by
    where l.company_id = $1"#;

/// "Mon 3 Nov 2026".
pub fn date_label(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%a %-d %b %Y").to_string()
}

pub fn at_label(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%-d %b %Y, %H:%M").to_string()
}

/// "09:00–11:30" ("09:00–now" while running).
pub fn time_label(start: DateTime<Utc>, end: Option<DateTime<Utc>>, tz: Tz) -> String {
    let start_local = start.with_timezone(&tz);
    match end {
        Some(end) => {
            let end_local = end.with_timezone(&tz);
            let next_day = if end_local.date_naive() != start_local.date_naive() { " (+1 day)" } else { "" };
            format!("{}–{}{next_day}", start_local.format("%H:%M"), end_local.format("%H:%M"))
        }
        None => format!("{}–now", start_local.format("%H:%M")),
    }
}

impl LogRow {
    pub fn minutes(&self) -> i64 {
        self.seconds / 60
    }

    /// The row as `who` sees it, with what they may do to it.
    pub fn view(self, who: &Who) -> WorkLog {
        let status = self.status;
        let ended = self.ended_at.is_some();
        let own = who.role == Role::Worker && self.worker_id == who.user_id;
        let admin = who.role == Role::Admin;
        let editable_status = status.is_editable_by_worker();
        let can_edit = ended && !self.locked && (admin || (own && editable_status));
        let can_delete = ended && !self.locked && editable_status && (own || admin);
        let can_submit = ended && !self.locked && editable_status && own;
        let can_decide = status == LogStatus::Pending
            && (admin || (who.role == Role::Customer && who.customer_id == Some(self.customer_id)));
        let form = self.form(who.tz);
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
            date_label: date_label(self.started_at, who.tz),
            time_label: time_label(self.started_at, self.ended_at, who.tz),
            minutes: self.seconds / 60,
            break_minutes: i64::from(self.break_seconds) / 60,
            description: self.description,
            billable: self.billable,
            status,
            revision: self.revision,
            decline_reason: self.decline_reason,
            decided_by_name: self.decided_by_name,
            decided_label: self.decided_at.map(|at| at_label(at, who.tz)),
            auto_approve_label: self
                .auto_approve_at
                .filter(|_| status == LogStatus::Pending)
                .map(|at| at_label(at, who.tz)),
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

/// One log as `who` may see it (others' logs do not exist for them: 404).
#[tracing::instrument(skip_all)]
pub async fn load_log(tx: &mut TenantTx, who: &Who, id: Uuid) -> Result<WorkLog> {
    Ok(load_row(tx, who, id).await?.view(who))
}

#[tracing::instrument(skip_all)]
pub async fn load_row(tx: &mut TenantTx, who: &Who, id: Uuid) -> Result<LogRow> {
    let company_id = tx.company_id();
    let (role, worker, customer) = who.scope();
    let sql = format!(
        "{LOG_SELECT} and l.id = $3
           and ($4 <> 'WORKER' or l.worker_id = $5)
           and ($4 <> 'CUSTOMER' or (l.customer_id = $6 and l.status <> 'DRAFT'))"
    );
    sqlx::query_as::<_, LogRow>(&sql)
        .bind(company_id)
        .bind(who.company_tz.name())
        .bind(id)
        .bind(role)
        .bind(worker)
        .bind(customer)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound.into())
}

/// Locks a log row for a change and returns it as `who` sees it.
#[tracing::instrument(skip_all)]
pub async fn lock_log(tx: &mut TenantTx, who: &Who, id: Uuid) -> Result<LogRow> {
    let company_id = tx.company_id();
    sqlx::query_scalar!("select id from work_logs where company_id = $1 and id = $2 for update", company_id, id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    load_row(tx, who, id).await
}

/// First instant of the month and of the next one, in `tz`, as UTC. Daylight-saving
/// changes move the UTC offset of the two ends, never the calendar month.
pub fn month_range(tz: Tz, year: i32, month: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .unwrap_or_default();
    (local_to_utc(tz, first, NaiveTime::MIN), local_to_utc(tz, next, NaiveTime::MIN))
}

/// The calendar month (first day) that `at` falls in, in `tz`.
pub fn month_of(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    let local = at.with_timezone(&tz).date_naive();
    local.with_day(1).unwrap_or(local)
}

pub fn month_label(first: NaiveDate) -> String {
    first.format("%B %Y").to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_months_follow_daylight_saving() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // March 2026: starts in CET (+1), ends in CEST (+2).
        let (from, to) = month_range(tz, 2026, 3);
        assert_eq!(from.to_rfc3339(), "2026-02-28T23:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-03-31T22:00:00+00:00");
        // October 2026: starts in CEST, ends in CET.
        let (from, to) = month_range(tz, 2026, 10);
        assert_eq!(from.to_rfc3339(), "2026-09-30T22:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-10-31T23:00:00+00:00");
    }

    #[test]
    fn new_york_months_follow_daylight_saving() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let (from, to) = month_range(tz, 2026, 11);
        assert_eq!(from.to_rfc3339(), "2026-11-01T04:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-01T05:00:00+00:00");
        let (from, _) = month_range(tz, 2026, 12);
        assert_eq!(from.to_rfc3339(), "2026-12-01T05:00:00+00:00");
    }

    #[test]
    fn the_month_of_an_instant_is_local() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let at: DateTime<Utc> = "2026-12-01T03:00:00Z".parse().unwrap();
        assert_eq!(month_of(at, tz), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    }
}
