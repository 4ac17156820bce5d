//! Customer records: admins list, search, create, edit, deactivate and restore them.

use crate::auth::CurrentUser;
use crate::db::{like_pattern, Claim, IdempotencyKey, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use app::auth::Role;
use app::customers::{CustomerCursor, CustomerForm, CustomerListQuery, CustomerOption, CustomerPage, CustomerSummary};
use app::error::AppError;
use serde_json::json;
use uuid::Uuid;

mod backend;

fn customer_json(c: &CustomerSummary) -> serde_json::Value {
    json!({ "name": c.name, "email": c.email, "phone": c.phone, "address": c.address, "active": c.active })
}

#[tracing::instrument(skip_all)]
pub async fn find(tx: &mut TenantTx, id: Uuid) -> Result<CustomerSummary> {
    let company_id = tx.company_id();
    sqlx::query_as!(
        CustomerSummary,
        r#"select c.id, c.name, c.email, c.phone, c.address, c.deactivated_at is null as "active!", c.version,
                  (select count(*) from jobs j join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
                   where j.company_id = c.company_id and j.customer_id = c.id and j.deleted_at is null
                     and not j.is_archived and s.kind <> 'DONE') as "open_jobs!"
           from customers c where c.company_id = $1 and c.id = $2"#,
        company_id,
        id,
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::NotFound.into())
}

#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser, query: CustomerListQuery) -> Result<CustomerPage> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let (after_name, after_id) = query.after.map(|c| (Some(c.name.to_lowercase()), Some(c.id))).unwrap_or((None, None));
    let mut customers = sqlx::query_as!(
        CustomerSummary,
        r#"select c.id, c.name, c.email, c.phone, c.address, c.deactivated_at is null as "active!", c.version,
                  (select count(*) from jobs j join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
                   where j.company_id = c.company_id and j.customer_id = c.id and j.deleted_at is null
                     and not j.is_archived and s.kind <> 'DONE') as "open_jobs!"
           from customers c
           where c.company_id = $1
             and ($2 or c.deactivated_at is null)
             and ($3::text is null or lower(c.name) like $3 or c.email like $3 or c.phone like $3)
             and ($4::text is null or (lower(c.name), c.id) > ($4, $5::uuid))
           order by lower(c.name), c.id
           limit $6"#,
        company_id,
        query.include_inactive,
        like_pattern(&query.search),
        after_name,
        after_id,
        CustomerPage::SIZE as i64 + 1,
    )
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    let next = (customers.len() > CustomerPage::SIZE).then(|| {
        customers.truncate(CustomerPage::SIZE);
        let last = customers.last().expect("a full page has a last row");
        CustomerCursor { name: last.name.clone(), id: last.id }
    });
    Ok(CustomerPage { customers, next })
}

#[tracing::instrument(skip_all)]
pub async fn get(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<CustomerSummary> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let customer = find(&mut tx, id).await?;
    tx.commit().await?;
    Ok(customer)
}

#[tracing::instrument(skip_all)]
pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    form: CustomerForm,
    key: Option<IdempotencyKey>,
) -> Result<CustomerSummary> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let claim = tx.claim_key(key, "customers/create").await?;
    if let Claim::Replayed(answer) = claim {
        return Ok(answer);
    }
    let company_id = tx.company_id();
    let id = sqlx::query_scalar!(
        "insert into customers (company_id, name, email, phone, address) values ($1, $2, $3, $4, $5) returning id",
        company_id,
        valid.name,
        valid.email.as_ref().map(|e| e.as_str()),
        valid.phone,
        valid.address,
    )
    .fetch_one(tx.conn())
    .await?;
    let customer = find(&mut tx, id).await?;
    tx.audit("customer.created", "customer", Some(id), None, Some(customer_json(&customer))).await?;
    tx.remember(&claim, &customer).await?;
    tx.commit().await?;
    Ok(customer)
}

#[tracing::instrument(skip_all)]
/// Saves an edit; with `expected_version` (an API client's `If-Match`), only over that
/// version of the customer (else a conflict).
pub async fn update(
    state: &AppState,
    admin: &CurrentUser,
    id: Uuid,
    form: CustomerForm,
    expected_version: Option<i32>,
) -> Result<CustomerSummary> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let current = sqlx::query_scalar!(
        "select version from customers where company_id = $1 and id = $2 for update",
        company_id,
        id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    if expected_version.is_some_and(|v| v != current) {
        return Err(AppError::stale("Someone changed this customer meanwhile. Reload to see their change.").into());
    }
    let before = find(&mut tx, id).await?;
    sqlx::query!(
        "update customers set name = $3, email = $4, phone = $5, address = $6, version = version + 1
         where company_id = $1 and id = $2",
        company_id,
        id,
        valid.name,
        valid.email.as_ref().map(|e| e.as_str()),
        valid.phone,
        valid.address,
    )
    .execute(tx.conn())
    .await?;
    let after = find(&mut tx, id).await?;
    tx.audit("customer.updated", "customer", Some(id), Some(customer_json(&before)), Some(customer_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn set_active(state: &AppState, admin: &CurrentUser, id: Uuid, active: bool) -> Result<CustomerSummary> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let before = find(&mut tx, id).await?;
    if before.active == active {
        return Ok(before);
    }
    let company_id = tx.company_id();
    sqlx::query!(
        "update customers set deactivated_at = case when $3 then null else now() end, version = version + 1
         where company_id = $1 and id = $2",
        company_id,
        id,
        active,
    )
    .execute(tx.conn())
    .await?;
    let after = find(&mut tx, id).await?;
    let action = if active { "customer.restored" } else { "customer.deactivated" };
    tx.audit(action, "customer", Some(id), Some(customer_json(&before)), Some(customer_json(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn options(state: &AppState, admin: &CurrentUser) -> Result<Vec<CustomerOption>> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let options = sqlx::query_as!(
        CustomerOption,
        "select id, name from customers where company_id = $1 and deactivated_at is null order by lower(name), id limit 1000",
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(options)
}
