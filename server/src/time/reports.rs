//! Monthly reports: whose hours (by role), month boundaries in the company's
//! timezone, totals and chart series in one grouping-sets query, and the logs.

use super::{people, LogFilter, LogOrder, LogRow};
use crate::auth::CurrentUser;
use crate::clock::{date_label, month_label, month_of, month_range, time_label};
use crate::db::TenantTx;
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::time::{
    parse_month, ChartBar, MonthlyReport, ReportLine, ReportQuery, ReportTotals, TimeOverview, REPORT_PAGE_LINES,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

/// Whose hours of which month, resolved from the query and the viewer's role.
#[derive(Debug, Clone)]
pub struct ReportSpec {
    pub month: NaiveDate,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub customer: Option<Uuid>,
    pub worker: Option<Uuid>,
    /// "Customer: Harbour Café", "Worker: Walter", "Everyone".
    pub scope_label: String,
    /// The company's timezone; the report's dates are in it.
    pub tz: Tz,
    pub company_name: String,
}

impl ReportSpec {
    /// A short name for files: "2026-11-harbour-cafe".
    pub fn file_stem(&self) -> String {
        let scope: String = self
            .scope_label
            .split_once(": ")
            .map(|(_, name)| name)
            .unwrap_or("all")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let scope = scope.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
        format!("fieldbook-{}-{}", self.month.format("%Y-%m"), if scope.is_empty() { "report".into() } else { scope })
    }

    pub fn period_label(&self) -> String {
        month_label(self.month)
    }

    /// This report's logs: the submitted logs of the month, in scope.
    pub fn filter(&self) -> LogFilter {
        LogFilter {
            customer: self.customer,
            worker: self.worker,
            submitted: true,
            started_from: Some(self.from),
            started_before: Some(self.to),
            ..LogFilter::default()
        }
    }

    /// The report's lines, oldest first.
    pub fn lines_query(&self, company_id: Uuid, limit: Option<i64>) -> QueryBuilder<'static, Postgres> {
        self.filter().rows_query(company_id, LogOrder::OldestFirst, limit, 0)
    }
}

/// Resolves whose report this is: admins pick freely, customers get their own
/// record, workers their own hours, whatever the query says.
#[tracing::instrument(skip_all)]
pub async fn resolve(tx: &mut TenantTx, viewer: &Viewer, query: &ReportQuery) -> Result<ReportSpec> {
    let tz = viewer.company_tz;
    let month = if query.month.trim().is_empty() {
        month_of(Utc::now(), tz)
    } else {
        let (year, month) = parse_month(&query.month).map_err(|m| AppError::field("month", m))?;
        NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| AppError::field("month", "Choose a month like 2026-11."))?
    };
    let (customer, worker) = match viewer.role() {
        Role::Admin => (query.customer, query.worker),
        Role::Customer => (Some(viewer.customer_id().ok_or(AppError::Forbidden)?), None),
        Role::Worker => (None, Some(viewer.user_id)),
    };
    let company_id = tx.company_id();
    let names = sqlx::query!(
        r#"select (select name from companies where id = $1) as "company!",
                  (select name from customers where company_id = $1 and id = $2) as customer,
                  (select name from users where company_id = $1 and id = $3 and role = 'WORKER') as worker"#,
        company_id,
        customer,
        worker
    )
    .fetch_one(tx.conn())
    .await?;
    // Another company's (or an unknown) id is simply not found.
    if (customer.is_some() && names.customer.is_none()) || (worker.is_some() && names.worker.is_none()) {
        return Err(AppError::NotFound.into());
    }
    let scope_label = match (&names.customer, &names.worker) {
        (Some(c), Some(w)) => format!("Customer: {c} · Worker: {w}"),
        (Some(c), None) => format!("Customer: {c}"),
        (None, Some(w)) => format!("Worker: {w}"),
        (None, None) => "All customers and workers".to_string(),
    };
    let (from, to) = month_range(tz, month.year(), month.month());
    Ok(ReportSpec { month, from, to, customer, worker, scope_label, tz, company_name: names.company })
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    grouping: i32,
    day: Option<NaiveDate>,
    worker_name: Option<String>,
    customer_name: Option<String>,
    total: i64,
    billable: i64,
    approved: i64,
    pending: i64,
    declined: i64,
    n: i64,
}

pub struct Aggregates {
    pub totals: ReportTotals,
    pub per_day: Vec<ChartBar>,
    pub per_worker: Vec<ChartBar>,
    pub per_customer: Vec<ChartBar>,
}

/// Totals and the three chart series in one pass over the month's logs.
#[tracing::instrument(skip_all)]
pub async fn aggregates(tx: &mut TenantTx, spec: &ReportSpec) -> Result<Aggregates> {
    let company_id = tx.company_id();
    let mut qb = QueryBuilder::<Postgres>::new(
        "select g.grouping, g.day, w.name as worker_name,
                c.name as customer_name, g.total, g.billable, g.approved, g.pending, g.declined, g.n
         from (select grouping(day, worker_id, customer_id) as grouping, day, worker_id, customer_id,
                 coalesce(sum(s) filter (where status in ('APPROVED', 'PENDING')), 0)::bigint as total,
                 coalesce(sum(s) filter (where status in ('APPROVED', 'PENDING') and billable), 0)::bigint as billable,
                 coalesce(sum(s) filter (where status = 'APPROVED'), 0)::bigint as approved,
                 coalesce(sum(s) filter (where status = 'PENDING'), 0)::bigint as pending,
                 coalesce(sum(s) filter (where status = 'DECLINED'), 0)::bigint as declined,
                 count(*) as n
               from (select (started_at at time zone ",
    );
    qb.push_bind(spec.tz.name().to_string());
    qb.push(
        ")::date as day, worker_id, customer_id, status, billable,
                  work_log_seconds(started_at, ended_at, paused_at, break_seconds) as s
             from work_logs where company_id = ",
    );
    qb.push_bind(company_id);
    spec.filter().push(&mut qb);
    qb.push(
        ") x group by grouping sets ((), (day), (worker_id), (customer_id))) g
         left join users w on w.company_id = ",
    );
    qb.push_bind(company_id);
    qb.push(" and w.id = g.worker_id left join customers c on c.company_id = ");
    qb.push_bind(company_id);
    qb.push(" and c.id = g.customer_id");
    let rows: Vec<GroupRow> = qb.build_query_as().fetch_all(tx.conn()).await?;

    let mut totals = ReportTotals::default();
    let mut by_day = std::collections::HashMap::new();
    let mut per_worker = Vec::new();
    let mut per_customer = Vec::new();
    for row in rows {
        // grouping() sets a bit for each column rolled up: day 4, worker 2, customer 1.
        match row.grouping {
            7 => {
                totals = ReportTotals {
                    total_minutes: row.total / 60,
                    billable_minutes: row.billable / 60,
                    approved_minutes: row.approved / 60,
                    pending_minutes: row.pending / 60,
                    declined_minutes: row.declined / 60,
                    log_count: row.n,
                }
            }
            3 => {
                if let Some(day) = row.day {
                    by_day.insert(day, row.total / 60);
                }
            }
            5 => per_worker.push(ChartBar { label: row.worker_name.unwrap_or_default(), minutes: row.total / 60 }),
            6 => per_customer.push(ChartBar { label: row.customer_name.unwrap_or_default(), minutes: row.total / 60 }),
            _ => {}
        }
    }
    let days_in_month = (month_after(spec.month) - spec.month).num_days();
    let per_day = (0..days_in_month)
        .map(|i| {
            let day = spec.month + Duration::days(i);
            ChartBar { label: day.format("%-d").to_string(), minutes: by_day.get(&day).copied().unwrap_or(0) }
        })
        .collect();
    for bars in [&mut per_worker, &mut per_customer] {
        bars.sort_by(|a, b| b.minutes.cmp(&a.minutes).then_with(|| a.label.cmp(&b.label)));
        bars.truncate(12);
    }
    Ok(Aggregates { totals, per_day, per_worker, per_customer })
}

fn month_after(first: NaiveDate) -> NaiveDate {
    if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .unwrap_or(first)
}

fn month_before(first: NaiveDate) -> NaiveDate {
    if first.month() == 1 {
        NaiveDate::from_ymd_opt(first.year() - 1, 12, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() - 1, 1)
    }
    .unwrap_or(first)
}

pub fn report_line(row: LogRow, tz: Tz) -> ReportLine {
    let status = row.status;
    ReportLine {
        date_label: date_label(row.started_at, tz),
        time_label: time_label(row.started_at, row.ended_at, tz),
        minutes: row.seconds / 60,
        worker_name: row.worker_name,
        customer_name: row.customer_name,
        job_title: row.job_title,
        description: row.description,
        status,
        billable: row.billable,
    }
}

#[tracing::instrument(skip_all)]
pub async fn monthly(state: &AppState, user: &CurrentUser, query: ReportQuery) -> Result<MonthlyReport> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let mut spec = resolve(&mut tx, &viewer, &query).await?;
    // Asked for no month in particular: open on the latest month that has hours, not
    // on a current month that is often still empty.
    if query.month.trim().is_empty() {
        if let Some(latest) = latest_month_with_hours(&mut tx, &spec).await? {
            if latest != spec.month {
                let month = latest.format("%Y-%m").to_string();
                spec = resolve(&mut tx, &viewer, &ReportQuery { month, ..query.clone() }).await?;
            }
        }
    }
    let aggregates = aggregates(&mut tx, &spec).await?;
    let company_id = tx.company_id();
    let rows: Vec<LogRow> =
        spec.lines_query(company_id, Some(REPORT_PAGE_LINES as i64)).build_query_as().fetch_all(tx.conn()).await?;
    let lines = rows.into_iter().map(|r| report_line(r, spec.tz)).collect();
    let (workers, customers) =
        if viewer.role() == Role::Admin { people(&mut tx).await? } else { (Vec::new(), Vec::new()) };
    tx.commit().await?;
    let month = spec.month.format("%Y-%m").to_string();
    Ok(MonthlyReport {
        company_name: spec.company_name.clone(),
        period_label: spec.period_label(),
        previous_month: month_before(spec.month).format("%Y-%m").to_string(),
        next_month: month_after(spec.month).format("%Y-%m").to_string(),
        scope_label: spec.scope_label.clone(),
        query: ReportQuery { month: month.clone(), customer: spec.customer, worker: spec.worker },
        month,
        lines_total: aggregates.totals.log_count,
        totals: aggregates.totals,
        per_day: aggregates.per_day,
        per_worker: aggregates.per_worker,
        per_customer: aggregates.per_customer,
        lines,
        workers,
        customers,
    })
}

/// The latest month, up to the one `spec` is about, with submitted hours in its scope.
async fn latest_month_with_hours(tx: &mut TenantTx, spec: &ReportSpec) -> Result<Option<NaiveDate>> {
    let mut qb = QueryBuilder::<Postgres>::new("select max(started_at) from work_logs where company_id = ");
    qb.push_bind(tx.company_id());
    LogFilter { started_from: None, ..spec.filter() }.push(&mut qb);
    let latest: Option<DateTime<Utc>> = qb.build_query_scalar().fetch_one(tx.conn()).await?;
    Ok(latest.map(|at| month_of(at, spec.tz)))
}

/// This month's hours, approvals waiting, and contracts near their budget (admins).
#[tracing::instrument(skip_all)]
pub async fn overview(state: &AppState, admin: &CurrentUser) -> Result<TimeOverview> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let spec = resolve(&mut tx, &viewer, &ReportQuery::default()).await?;
    let aggregates = aggregates(&mut tx, &spec).await?;
    let company_id = tx.company_id();
    let pending_count = sqlx::query_scalar!(
        r#"select count(*) as "n!" from work_logs where company_id = $1 and status = 'PENDING'"#,
        company_id
    )
    .fetch_one(tx.conn())
    .await?;
    let contracts = super::contracts::usages_for_customer(&mut tx, &viewer, None).await?;
    tx.commit().await?;
    let contract_count = contracts.iter().filter(|c| c.active).count() as i64;
    let contract_warnings =
        contracts.into_iter().filter(|c| c.active && c.level != app::time::BudgetLevel::Ok).collect();
    Ok(TimeOverview {
        month_label: spec.period_label(),
        month_minutes: aggregates.totals.total_minutes,
        pending_count,
        per_day: aggregates.per_day,
        per_worker: aggregates.per_worker,
        contract_warnings,
        contract_count,
    })
}
