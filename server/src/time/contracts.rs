//! Contracts: a worker's hour budget with a customer, per month or in total, and
//! how much of it is used (approved, pending and draft hours; declined ones do not count).

use super::people;
use crate::auth::CurrentUser;
use crate::clock::{local_to_utc, month_label, month_of, month_range};
use crate::db::TenantTx;
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::{AppError, FieldError};
use app::time::{BudgetLevel, Contract, ContractForm, ContractPeriod, ContractUsage, ContractsPage, ValidContract};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use serde_json::json;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ContractRow {
    id: Uuid,
    title: String,
    worker_id: Uuid,
    worker_name: String,
    customer_id: Uuid,
    customer_name: String,
    budget_minutes: i32,
    period: String,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
}

const CONTRACT_SELECT: &str = r#"
    select k.id, k.title, k.worker_id, w.name as worker_name, k.customer_id, c.name as customer_name,
           k.budget_minutes, k.period::text as period, k.starts_on, k.ends_on
    from contracts k
    join users w on w.company_id = k.company_id and w.id = k.worker_id
    join customers c on c.company_id = k.company_id and c.id = k.customer_id
    where k.company_id = $1"#;

impl ContractRow {
    fn contract(self) -> Contract {
        Contract {
            id: self.id,
            title: self.title,
            worker_id: self.worker_id,
            worker_name: self.worker_name,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            budget_minutes: i64::from(self.budget_minutes),
            period: ContractPeriod::parse(&self.period).unwrap_or(ContractPeriod::Total),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
    }
}

/// The contract's hours in its current period (this month, or its whole term).
async fn usage(tx: &mut TenantTx, viewer: &Viewer, contract: Contract) -> Result<ContractUsage> {
    let tz = viewer.company_tz;
    let today = Utc::now().with_timezone(&tz).date_naive();
    let (from, to, period_label) = match contract.period {
        ContractPeriod::Monthly => {
            let month = month_of(Utc::now(), tz);
            let (from, to) = month_range(tz, month.year(), month.month());
            (from, to, month_label(month))
        }
        ContractPeriod::Total => {
            let from = local_to_utc(tz, contract.starts_on, NaiveTime::MIN);
            let to = match contract.ends_on {
                Some(end) => local_to_utc(tz, end + Duration::days(1), NaiveTime::MIN),
                None => Utc::now() + Duration::days(36_500),
            };
            let label = match contract.ends_on {
                Some(end) => format!("{} – {}", contract.starts_on.format("%-d %b %Y"), end.format("%-d %b %Y")),
                None => format!("since {}", contract.starts_on.format("%-d %b %Y")),
            };
            (from, to, label)
        }
    };
    let company_id = tx.company_id();
    let sums = sqlx::query!(
        r#"select
             coalesce(sum(s) filter (where status = 'APPROVED'), 0)::bigint as "approved!",
             coalesce(sum(s) filter (where status = 'PENDING'), 0)::bigint as "pending!",
             coalesce(sum(s) filter (where status = 'DRAFT'), 0)::bigint as "draft!"
           from (select status, work_log_seconds(started_at, ended_at, paused_at, break_seconds) as s
                 from work_logs
                 where company_id = $1 and worker_id = $2 and customer_id = $3
                   and started_at >= $4 and started_at < $5) l"#,
        company_id,
        contract.worker_id,
        contract.customer_id,
        from,
        to
    )
    .fetch_one(tx.conn())
    .await?;
    let (approved, pending, draft) = (sums.approved / 60, sums.pending / 60, sums.draft / 60);
    let used = approved + pending + draft;
    let budget = contract.budget_minutes;
    let active = contract.starts_on <= today && contract.ends_on.is_none_or(|end| end >= today);
    Ok(ContractUsage {
        period_label,
        approved_minutes: approved,
        pending_minutes: pending,
        draft_minutes: draft,
        used_minutes: used,
        remaining_minutes: (budget - used).max(0),
        percent: if budget > 0 { used * 100 / budget } else { 100 },
        level: BudgetLevel::of(used, budget),
        active,
        contract,
    })
}

async fn usages(tx: &mut TenantTx, viewer: &Viewer, filter: &str, id: Option<Uuid>) -> Result<Vec<ContractUsage>> {
    let company_id = tx.company_id();
    let sql = format!("{CONTRACT_SELECT} {filter} order by lower(c.name), lower(w.name), k.starts_on, k.id");
    let rows = sqlx::query_as::<_, ContractRow>(&sql).bind(company_id).bind(id).fetch_all(tx.conn()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(usage(tx, viewer, row.contract()).await?);
    }
    Ok(out)
}

/// How far along a budget level is (ok < warning < exceeded).
fn rank(level: &str) -> u8 {
    match level {
        "exceeded" => 2,
        "warning" => 1,
        _ => 0,
    }
}

/// After a change to `worker_id`'s hours for `customer_id`: each of their contracts
/// whose usage reached a higher budget level than already announced for its current
/// period emits `contract.threshold_reached` (in the change's transaction). A lower
/// level is remembered too, so crossing the line again is announced again.
#[tracing::instrument(skip_all)]
pub async fn announce_thresholds(tx: &mut TenantTx, viewer: &Viewer, worker_id: Uuid, customer_id: Uuid) -> Result<()> {
    let company_id = tx.company_id();
    for usage in usages_for_worker(tx, viewer, worker_id).await? {
        if usage.contract.customer_id != customer_id || !usage.active {
            continue;
        }
        let id = usage.contract.id;
        let announced = sqlx::query!(
            "select announced_level, announced_period from contracts where company_id = $1 and id = $2 for update",
            company_id,
            id
        )
        .fetch_one(tx.conn())
        .await?;
        let same_period = announced.announced_period.as_deref() == Some(usage.period_label.as_str());
        let before = if same_period { rank(&announced.announced_level) } else { 0 };
        let now = rank(usage.level.as_str());
        if now == before && same_period {
            continue;
        }
        sqlx::query!(
            "update contracts set announced_level = $3, announced_period = $4 where company_id = $1 and id = $2",
            company_id,
            id,
            usage.level.as_str(),
            usage.period_label
        )
        .execute(tx.conn())
        .await?;
        if now > before {
            crate::webhooks::emit(tx, "contract.threshold_reached", &usage).await?;
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn usages_for_worker(tx: &mut TenantTx, viewer: &Viewer, worker_id: Uuid) -> Result<Vec<ContractUsage>> {
    usages(tx, viewer, "and k.worker_id = $2", Some(worker_id)).await
}

/// A customer's contracts (`None`: every contract of the company).
#[tracing::instrument(skip_all)]
pub async fn usages_for_customer(
    tx: &mut TenantTx,
    viewer: &Viewer,
    customer_id: Option<Uuid>,
) -> Result<Vec<ContractUsage>> {
    usages(tx, viewer, "and ($2::uuid is null or k.customer_id = $2)", customer_id).await
}

async fn page(tx: &mut TenantTx, viewer: &Viewer) -> Result<ContractsPage> {
    let contracts = usages_for_customer(tx, viewer, None).await?;
    let (workers, customers) = people(tx).await?;
    Ok(ContractsPage { contracts, workers, customers })
}

#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser) -> Result<ContractsPage> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let page = page(&mut tx, &viewer).await?;
    tx.commit().await?;
    Ok(page)
}

/// Another company's (or an inactive) worker or customer fails like an unknown one.
async fn check_parties(tx: &mut TenantTx, valid: &ValidContract) -> Result<()> {
    let company_id = tx.company_id();
    let refs = sqlx::query!(
        r#"select
             exists(select 1 from users where company_id = $1 and id = $2 and role = 'WORKER' and deactivated_at is null) as "worker_ok!",
             exists(select 1 from customers where company_id = $1 and id = $3 and deactivated_at is null) as "customer_ok!""#,
        company_id,
        valid.worker_id,
        valid.customer_id
    )
    .fetch_one(tx.conn())
    .await?;
    let mut errors = Vec::new();
    if !refs.worker_ok {
        errors.push(FieldError::new("worker_id", "Choose one of your active field workers."));
    }
    if !refs.customer_ok {
        errors.push(FieldError::new("customer_id", "Choose one of your active customers."));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// What the audit trail keeps of a contract (before and after a change).
fn contract_json(c: &ValidContract) -> serde_json::Value {
    json!({
        "title": c.title,
        "worker_id": c.worker_id,
        "customer_id": c.customer_id,
        "budget_minutes": c.budget_minutes,
        "period": c.period.as_str(),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
    })
}

/// A stored contract in the shape of the form's values, for its audit snapshot.
fn as_valid(c: &Contract) -> ValidContract {
    ValidContract {
        title: c.title.clone(),
        worker_id: c.worker_id,
        customer_id: c.customer_id,
        budget_minutes: c.budget_minutes,
        period: c.period,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
    }
}

#[tracing::instrument(skip_all)]
pub async fn create(state: &AppState, admin: &CurrentUser, form: ContractForm) -> Result<ContractsPage> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    check_parties(&mut tx, &valid).await?;
    let company_id = tx.company_id();
    let id = sqlx::query_scalar!(
        "insert into contracts (company_id, worker_id, customer_id, title, budget_minutes, period, starts_on, ends_on)
         values ($1, $2, $3, $4, $5, $6::text::contract_period, $7, $8) returning id",
        company_id,
        valid.worker_id,
        valid.customer_id,
        valid.title,
        valid.budget_minutes as i32,
        valid.period.as_str(),
        valid.starts_on,
        valid.ends_on
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("contracts_dates_check", || {
        AppError::field("ends_on", "The end date must be on or after the start date.")
    })?;
    tx.audit("contract.created", "contract", Some(id), None, Some(contract_json(&valid))).await?;
    let page = page(&mut tx, &viewer).await?;
    tx.commit().await?;
    Ok(page)
}

async fn lock_contract(tx: &mut TenantTx, id: Uuid) -> Result<Contract> {
    let company_id = tx.company_id();
    sqlx::query_scalar!("select id from contracts where company_id = $1 and id = $2 for update", company_id, id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let sql = format!("{CONTRACT_SELECT} and k.id = $2");
    let row = sqlx::query_as::<_, ContractRow>(&sql).bind(company_id).bind(id).fetch_one(tx.conn()).await?;
    Ok(row.contract())
}

#[tracing::instrument(skip_all)]
pub async fn update(state: &AppState, admin: &CurrentUser, id: Uuid, form: ContractForm) -> Result<ContractsPage> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let before = lock_contract(&mut tx, id).await?;
    check_parties(&mut tx, &valid).await?;
    let company_id = tx.company_id();
    sqlx::query!(
        "update contracts set worker_id = $3, customer_id = $4, title = $5, budget_minutes = $6,
                period = $7::text::contract_period, starts_on = $8, ends_on = $9
         where company_id = $1 and id = $2",
        company_id,
        id,
        valid.worker_id,
        valid.customer_id,
        valid.title,
        valid.budget_minutes as i32,
        valid.period.as_str(),
        valid.starts_on,
        valid.ends_on
    )
    .execute(tx.conn())
    .await?;
    tx.audit(
        "contract.updated",
        "contract",
        Some(id),
        Some(contract_json(&as_valid(&before))),
        Some(contract_json(&valid)),
    )
    .await?;
    let page = page(&mut tx, &viewer).await?;
    tx.commit().await?;
    Ok(page)
}

#[tracing::instrument(skip_all)]
pub async fn delete(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<ContractsPage> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let before = lock_contract(&mut tx, id).await?;
    let company_id = tx.company_id();
    sqlx::query!("delete from contracts where company_id = $1 and id = $2", company_id, id).execute(tx.conn()).await?;
    tx.audit("contract.deleted", "contract", Some(id), Some(contract_json(&as_valid(&before))), None).await?;
    let page = page(&mut tx, &viewer).await?;
    tx.commit().await?;
    Ok(page)
}
