//! Approvals: customers (or admins on their behalf) approve or decline pending
//! entries, sign off whole months, and admins reopen them. Pending entries past
//! the company's deadline are approved by a background sweep.

use super::contracts::usages_for_customer;
use super::entries::check_batch;
use super::{load_log, lock_log, log_json, people, LogFilter, LogOrder};
use crate::auth::CurrentUser;
use crate::clock::{at_label, date_label, month_label, month_of, month_range};
use crate::db::{Actor, AppPool, Claim, IdempotencyKey, TenantTx};
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::time::{
    parse_auto_approve_days, parse_month, parse_reason, Approvals, HoursWaiting, LogStatus, MonthStatement, SignOff,
    TimeSettings,
};
use chrono::{Datelike, NaiveDate, Utc};
use serde_json::json;
use uuid::Uuid;

/// The customer record `viewer` decides for: a customer login's own record (whatever
/// the client asks for), or the one an admin picked.
fn customer_scope(viewer: &Viewer, requested: Option<Uuid>) -> Result<Option<Uuid>> {
    match viewer.role() {
        Role::Admin => Ok(requested),
        Role::Customer => Ok(Some(viewer.customer_id().ok_or(AppError::Forbidden)?)),
        Role::Worker => Err(AppError::Forbidden.into()),
    }
}

#[tracing::instrument(skip_all)]
pub async fn decide(
    state: &AppState,
    user: &CurrentUser,
    ids: Vec<Uuid>,
    approve: bool,
    reason: String,
    key: Option<IdempotencyKey>,
) -> Result<u32> {
    if user.role() == Role::Worker {
        return Err(AppError::Forbidden.into());
    }
    check_batch(&ids)?;
    let reason = if approve { None } else { Some(parse_reason(&reason).map_err(|m| AppError::field("reason", m))?) };
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let claim = tx.claim_key(key, if approve { "time/approve" } else { "time/decline" }).await?;
    if let Claim::Replayed(count) = claim {
        return Ok(count);
    }
    let viewer = Viewer::load(&mut tx, user).await?;
    customer_scope(&viewer, None)?;
    let company_id = tx.company_id();
    for &id in &ids {
        let row = lock_log(&mut tx, &viewer, id).await?;
        if row.status != LogStatus::Pending {
            return Err(AppError::conflict(format!(
                "Only entries waiting for approval can be decided. The entry of {} on {} is {}.",
                row.worker_name,
                date_label(row.started_at, viewer.tz),
                row.status.label().to_lowercase()
            ))
            .into());
        }
        let before = row.view(&viewer);
        sqlx::query!(
            "update work_logs
             set status = $3::text::work_log_status, decided_by = $4, decided_at = now(), decline_reason = $5,
                 auto_approve_at = null
             where company_id = $1 and id = $2",
            company_id,
            id,
            if approve { "APPROVED" } else { "DECLINED" },
            viewer.user_id,
            reason
        )
        .execute(tx.conn())
        .await?;
        let after = load_log(&mut tx, &viewer, id).await?;
        let action = if approve { "work_log.approved" } else { "work_log.declined" };
        tx.audit(action, "work_log", Some(id), Some(log_json(&before)), Some(log_json(&after))).await?;
        crate::webhooks::emit(&mut tx, action, &after).await?;
        super::contracts::announce_thresholds(&mut tx, &viewer, after.worker_id, after.customer_id).await?;
    }
    crate::notify::events::work_logs_decided(&mut tx, state.links(), user.user_id(), &ids, approve, reason.as_deref())
        .await?;
    tx.remember(&claim, &(ids.len() as u32)).await?;
    tx.commit().await?;
    Ok(ids.len() as u32)
}

/// The submitted entries waiting for `user`'s decision: a customer's own, all for admins.
#[tracing::instrument(skip_all)]
pub async fn waiting(state: &AppState, user: &CurrentUser) -> Result<HoursWaiting> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let customer = customer_scope(&viewer, None)?;
    let (entries, seconds): (i64, i64) = sqlx::query_as(
        "select count(*), coalesce(sum(work_log_seconds(started_at, ended_at, paused_at, break_seconds)), 0)::bigint
           from work_logs
          where company_id = $1 and status = 'PENDING' and ($2::uuid is null or customer_id = $2)",
    )
    .bind(tx.company_id())
    .bind(customer)
    .fetch_one(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(HoursWaiting { entries, minutes: seconds / 60 })
}

#[tracing::instrument(skip_all)]
pub async fn approvals(state: &AppState, user: &CurrentUser, customer: Option<Uuid>) -> Result<Approvals> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let customer = customer_scope(&viewer, customer)?;
    let pending = LogFilter { customer, statuses: vec![LogStatus::Pending], ..LogFilter::default() }
        .fetch(&mut tx, LogOrder::OldestFirst, Some(500))
        .await?
        .into_iter()
        .map(|r| r.view(&viewer))
        .collect();
    let recent =
        LogFilter { customer, statuses: vec![LogStatus::Approved, LogStatus::Declined], ..LogFilter::default() }
            .fetch(&mut tx, LogOrder::LatestDecisionFirst, Some(20))
            .await?
            .into_iter()
            .map(|r| r.view(&viewer))
            .collect();
    let contracts = match (viewer.role(), customer) {
        (Role::Customer, None) => Vec::new(),
        _ => usages_for_customer(&mut tx, &viewer, customer).await?,
    };
    let months = match customer {
        Some(customer_id) => statements(&mut tx, &viewer, customer_id).await?,
        None => Vec::new(),
    };
    let customers = if viewer.role() == Role::Admin { people(&mut tx).await?.1 } else { Vec::new() };
    let auto_approve_days = super::entries::auto_approve_days(&mut tx).await?;
    tx.commit().await?;
    Ok(Approvals { pending, recent, contracts, months, customers, auto_approve_days })
}

/// The customer's last six months, newest first, with their sign-off state.
async fn statements(tx: &mut TenantTx, viewer: &Viewer, customer_id: Uuid) -> Result<Vec<MonthStatement>> {
    let this_month = month_of(Utc::now(), viewer.company_tz);
    let mut months = Vec::new();
    let mut month = this_month;
    for _ in 0..6 {
        months.push(statement(tx, viewer, customer_id, month, this_month).await?);
        month = previous_month(month);
    }
    Ok(months)
}

fn previous_month(first: NaiveDate) -> NaiveDate {
    if first.month() == 1 {
        NaiveDate::from_ymd_opt(first.year() - 1, 12, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() - 1, 1)
    }
    .unwrap_or(first)
}

async fn statement(
    tx: &mut TenantTx,
    viewer: &Viewer,
    customer_id: Uuid,
    month: NaiveDate,
    this_month: NaiveDate,
) -> Result<MonthStatement> {
    let company_id = tx.company_id();
    let (from, to) = month_range(viewer.company_tz, month.year(), month.month());
    let row = sqlx::query!(
        r#"select c.name,
             (select coalesce(sum(work_log_seconds(started_at, ended_at, paused_at, break_seconds)), 0)::bigint
              from work_logs where company_id = $1 and customer_id = $2 and status = 'APPROVED'
                and started_at >= $3 and started_at < $4) as "approved!",
             (select count(*) from work_logs where company_id = $1 and customer_id = $2 and status = 'PENDING'
                and started_at >= $3 and started_at < $4) as "pending!"
           from customers c where c.company_id = $1 and c.id = $2"#,
        company_id,
        customer_id,
        from,
        to
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    let signed = sqlx::query!(
        r#"select u.name, s.signed_at from month_signoffs s join users u on u.company_id = s.company_id and u.id = s.signed_by
           where s.company_id = $1 and s.customer_id = $2 and s.month = $3 and s.reopened_at is null"#,
        company_id,
        customer_id,
        month
    )
    .fetch_optional(tx.conn())
    .await?;
    let deciders = matches!(viewer.role(), Role::Admin | Role::Customer);
    Ok(MonthStatement {
        customer_id,
        customer_name: row.name,
        month: month.format("%Y-%m").to_string(),
        label: month_label(month),
        approved_minutes: row.approved / 60,
        pending_count: row.pending,
        can_sign: deciders && signed.is_none() && month < this_month && row.pending == 0 && row.approved > 0,
        can_reopen: viewer.role() == Role::Admin && signed.is_some(),
        signed_off: signed.map(|s| SignOff { by_name: s.name, at_label: at_label(s.signed_at, viewer.tz) }),
    })
}

fn month_start(raw: &str) -> Result<NaiveDate> {
    let (year, month) = parse_month(raw).map_err(|m| AppError::field("month", m))?;
    NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| AppError::field("month", "Choose a month like 2026-11.").into())
}

/// Customers sign off their own record; admins any customer's. Only past months
/// with no entries waiting for a decision can be signed off.
#[tracing::instrument(skip_all)]
pub async fn sign_off(
    state: &AppState,
    user: &CurrentUser,
    customer_id: Uuid,
    month: String,
) -> Result<MonthStatement> {
    let month = month_start(&month)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let scope = customer_scope(&viewer, Some(customer_id))?;
    if scope != Some(customer_id) {
        return Err(AppError::NotFound.into());
    }
    let company_id = tx.company_id();
    // Lock the customer so entries cannot be submitted into the month while it is signed.
    sqlx::query_scalar!(
        "select id from customers where company_id = $1 and id = $2 for update",
        company_id,
        customer_id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    let this_month = month_of(Utc::now(), viewer.company_tz);
    let current = statement(&mut tx, &viewer, customer_id, month, this_month).await?;
    if current.signed_off.is_some() {
        return Err(AppError::conflict(format!("{} is already signed off.", current.label)).into());
    }
    if month >= this_month {
        return Err(AppError::field("month", "A month can be signed off once it is over.").into());
    }
    if current.pending_count > 0 {
        return Err(AppError::conflict(format!(
            "{} entries of {} are still waiting for a decision. Approve or decline them first.",
            current.pending_count, current.label
        ))
        .into());
    }
    let id = sqlx::query_scalar!(
        "insert into month_signoffs (company_id, customer_id, month, signed_by) values ($1, $2, $3, $4) returning id",
        company_id,
        customer_id,
        month,
        viewer.user_id
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("month_signoffs_active_key", || AppError::conflict("This month is already signed off."))?;
    tx.audit(
        "month.signed_off",
        "month_signoff",
        Some(id),
        None,
        Some(json!({ "customer_id": customer_id, "customer": current.customer_name, "month": current.month,
                     "approved_minutes": current.approved_minutes })),
    )
    .await?;
    let after = statement(&mut tx, &viewer, customer_id, month, this_month).await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn reopen(state: &AppState, admin: &CurrentUser, customer_id: Uuid, month: String) -> Result<MonthStatement> {
    admin.require(Role::Admin)?;
    let month = month_start(&month)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let company_id = tx.company_id();
    let id = sqlx::query_scalar!(
        "update month_signoffs set reopened_by = $4, reopened_at = now()
         where company_id = $1 and customer_id = $2 and month = $3 and reopened_at is null returning id",
        company_id,
        customer_id,
        month,
        viewer.user_id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    let this_month = month_of(Utc::now(), viewer.company_tz);
    let after = statement(&mut tx, &viewer, customer_id, month, this_month).await?;
    tx.audit(
        "month.reopened",
        "month_signoff",
        Some(id),
        None,
        Some(json!({ "customer_id": customer_id, "customer": after.customer_name, "month": after.month })),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn settings(state: &AppState, admin: &CurrentUser) -> Result<TimeSettings> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let days = super::entries::auto_approve_days(&mut tx).await?;
    tx.commit().await?;
    Ok(TimeSettings { auto_approve_days: days.map(|d| d.to_string()).unwrap_or_default() })
}

#[tracing::instrument(skip_all)]
pub async fn save_settings(state: &AppState, admin: &CurrentUser, settings: TimeSettings) -> Result<TimeSettings> {
    admin.require(Role::Admin)?;
    let days =
        parse_auto_approve_days(&settings.auto_approve_days).map_err(|m| AppError::field("auto_approve_days", m))?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    set_auto_approve_days(&mut tx, days).await?;
    tx.commit().await?;
    Ok(TimeSettings { auto_approve_days: days.map(|d| d.to_string()).unwrap_or_default() })
}

/// Sets the company's auto-approval delay (`None`: never) and moves the deadlines of
/// entries already waiting; audited. Nothing happens when it does not change.
pub async fn set_auto_approve_days(tx: &mut TenantTx, days: Option<i32>) -> Result<()> {
    let before = super::entries::auto_approve_days(tx).await?;
    if before == days {
        return Ok(());
    }
    let company_id = tx.company_id();
    sqlx::query!("update companies set auto_approve_days = $2 where id = $1", company_id, days)
        .execute(tx.conn())
        .await?;
    // Entries already waiting get the new deadline, counted from their submission.
    sqlx::query!(
        "update work_logs set auto_approve_at = submitted_at + make_interval(days => $2)
         where company_id = $1 and status = 'PENDING'",
        company_id,
        days
    )
    .execute(tx.conn())
    .await?;
    tx.audit(
        "company.time_settings_changed",
        "company",
        Some(company_id),
        Some(json!({ "auto_approve_days": before })),
        Some(json!({ "auto_approve_days": days })),
    )
    .await?;
    Ok(())
}

/// Approves every pending entry past its deadline, company by company, each in its
/// own tenant transaction with an audit row per entry. Returns how many.
#[tracing::instrument(skip_all)]
pub async fn auto_approve_due(pool: &AppPool) -> Result<u64> {
    let companies: Vec<Uuid> =
        sqlx::query_scalar!(r#"select companies_with_due_approvals() as "id!""#).fetch_all(pool.untenanted()).await?;
    let mut approved = 0;
    for company_id in companies {
        let mut tx = TenantTx::begin_as(pool, company_id, Actor::SystemTask).await?;
        let rows = sqlx::query!(
            "update work_logs set status = 'APPROVED', decided_at = now(), decided_by = null, auto_approve_at = null
             where company_id = $1 and status = 'PENDING' and auto_approve_at <= now()
             returning id",
            company_id
        )
        .fetch_all(tx.conn())
        .await?;
        for row in &rows {
            tx.audit(
                "work_log.auto_approved",
                "work_log",
                Some(row.id),
                Some(json!({ "status": "PENDING" })),
                Some(json!({ "status": "APPROVED" })),
            )
            .await?;
        }
        approved += rows.len() as u64;
        tx.commit().await?;
    }
    Ok(approved)
}

/// Runs the auto-approval sweep every minute until the server stops.
pub fn spawn_auto_approval(pool: AppPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match auto_approve_due(&pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(approved = n, "auto-approved pending work logs past their deadline"),
                Err(error) => tracing::warn!(error = %error, "auto-approval sweep failed"),
            }
        }
    });
}
