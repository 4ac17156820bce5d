//! User management: admins list, create, re-role, deactivate and restore the
//! people of their company.

use crate::auth::service::revoke_user_sessions;
use crate::auth::{password, CurrentUser};
use crate::db::{like_pattern, Claim, IdempotencyKey, TenantTx};
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use app::auth::Role;
use app::domain::{Checks, EmailAddress, PersonName};
use app::error::AppError;
use app::users::{NewUserForm, UserCursor, UserListQuery, UserPage, UserSummary};
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

mod backend;

fn summary_json(user: &UserSummary) -> serde_json::Value {
    json!({ "name": user.name, "email": user.email, "role": user.role, "active": user.active, "customer_id": user.customer_id })
}

/// One user of the transaction's company, locked for the change that follows.
async fn find(tx: &mut TenantTx, user_id: Uuid) -> Result<UserSummary> {
    let company_id = tx.company_id();
    let user = sqlx::query_as!(
        UserSummary,
        r#"select u.id, u.name, u.email, u.role as "role: Role", u.deactivated_at is null as "active!",
                  u.customer_id, c.name as "customer_name?", u.created_at
           from users u left join customers c on c.company_id = u.company_id and c.id = u.customer_id
           where u.company_id = $1 and u.id = $2
           for update of u"#,
        company_id,
        user_id,
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(user)
}

/// Checks that `customer_id` is a customer of this company (a field error otherwise,
/// also for another company's id: from here it does not exist).
async fn ensure_customer(tx: &mut TenantTx, customer_id: Uuid) -> Result<()> {
    let company_id = tx.company_id();
    let exists = sqlx::query_scalar!(
        r#"select exists(select 1 from customers where company_id = $1 and id = $2) as "exists!""#,
        company_id,
        customer_id
    )
    .fetch_one(tx.conn())
    .await?;
    if !exists {
        return Err(AppError::field("customer_id", "Choose one of your customers.").into());
    }
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser, query: UserListQuery) -> Result<UserPage> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let pattern = like_pattern(&query.search);
    let (after_name, after_id) = query.after.map(|c| (Some(c.name.to_lowercase()), Some(c.id))).unwrap_or((None, None));
    let mut users = sqlx::query_as!(
        UserSummary,
        r#"select u.id, u.name, u.email, u.role as "role: Role", u.deactivated_at is null as "active!",
                  u.customer_id, c.name as "customer_name?", u.created_at
           from users u left join customers c on c.company_id = u.company_id and c.id = u.customer_id
           where u.company_id = $1
             and ($2::text = 'all' or ($2 = 'active') = (u.deactivated_at is null))
             and ($3::user_role is null or u.role = $3)
             and ($4::text is null or lower(u.name) like $4 or u.email like $4)
             and ($5::text is null or (lower(u.name), u.id) > ($5, $6::uuid))
           order by lower(u.name), u.id
           limit $7"#,
        company_id,
        query.status.as_str(),
        query.role as Option<Role>,
        pattern,
        after_name,
        after_id,
        UserPage::SIZE as i64 + 1,
    )
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    let next = (users.len() > UserPage::SIZE).then(|| {
        users.truncate(UserPage::SIZE);
        let last = users.last().expect("a full page has a last row");
        UserCursor { name: last.name.clone(), id: last.id }
    });
    Ok(UserPage { users, next })
}

#[tracing::instrument(skip_all)]
pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    form: NewUserForm,
    key: Option<IdempotencyKey>,
) -> Result<UserSummary> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let password_hash = password::hash(SecretString::from(valid.password.expose().to_string())).await?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let claim = tx.claim_key(key, "users/create").await?;
    if let Claim::Replayed(user) = claim {
        return Ok(user);
    }
    let company_id = tx.company_id();
    if let Some(customer_id) = valid.customer_id {
        ensure_customer(&mut tx, customer_id).await?;
    }
    let user_id = sqlx::query_scalar!(
        // The admin who creates a login vouches for its address.
        "insert into users (company_id, email, name, role, password_hash, customer_id, email_verified_at)
         values ($1, $2, $3, $4, $5, $6, now())
         returning id",
        company_id,
        valid.email.as_str(),
        valid.name.as_str(),
        valid.role as Role,
        password_hash,
        valid.customer_id,
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("users_company_email_key", || {
        AppError::field("email", "Someone in your company already uses this email.")
    })?;
    let user = find(&mut tx, user_id).await?;
    tx.audit("user.created", "user", Some(user.id), None, Some(summary_json(&user))).await?;
    tx.remember(&claim, &user).await?;
    tx.commit().await?;
    Ok(user)
}

/// Serialises changes to the team (roles, deactivation, customer links) within a
/// company: concurrent ones then neither deadlock nor both pass the "another admin
/// remains" check and leave the company without one.
async fn lock_team(tx: &mut TenantTx) -> Result<()> {
    let company_id = tx.company_id();
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('fieldbook.team:' || $1::text, 0))",
        company_id.to_string()
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Refuses changes that would leave the company without an active admin.
async fn ensure_other_admin(tx: &mut TenantTx, user_id: Uuid) -> Result<()> {
    let company_id = tx.company_id();
    let others = sqlx::query_scalar!(
        r#"select count(*) as "count!" from users
           where company_id = $1 and role = 'ADMIN' and deactivated_at is null and id <> $2"#,
        company_id,
        user_id,
    )
    .fetch_one(tx.conn())
    .await?;
    if others == 0 {
        return Err(AppError::conflict("Your company needs at least one active admin.").into());
    }
    Ok(())
}

/// One person of the company (admins).
#[tracing::instrument(skip_all)]
pub async fn get(state: &AppState, admin: &CurrentUser, user_id: Uuid) -> Result<UserSummary> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let found = find(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(found)
}

#[tracing::instrument(skip_all)]
pub async fn change_role(state: &AppState, admin: &CurrentUser, user_id: Uuid, role: String) -> Result<UserSummary> {
    admin.require(Role::Admin)?;
    let role = Role::parse(&role).map_err(|m| AppError::field("role", m))?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    lock_team(&mut tx).await?;
    let before = find(&mut tx, user_id).await?;
    if user_id == admin.user_id() {
        return Err(AppError::conflict("You can't change your own role. Ask another admin.").into());
    }
    if before.role == Role::Admin && role != Role::Admin {
        ensure_other_admin(&mut tx, user_id).await?;
    }
    let company_id = tx.company_id();
    // Only customer logins keep a customer link.
    sqlx::query!(
        "update users set role = $3::user_role, customer_id = case when $3::user_role = 'CUSTOMER' then customer_id end
         where company_id = $1 and id = $2",
        company_id,
        user_id,
        role as Role,
    )
    .execute(tx.conn())
    .await?;
    let after = find(&mut tx, user_id).await?;
    tx.audit("user.role_changed", "user", Some(user_id), Some(summary_json(&before)), Some(summary_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn deactivate(state: &AppState, admin: &CurrentUser, user_id: Uuid) -> Result<UserSummary> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    lock_team(&mut tx).await?;
    let before = find(&mut tx, user_id).await?;
    if user_id == admin.user_id() {
        return Err(AppError::conflict("You can't deactivate yourself.").into());
    }
    if !before.active {
        return Ok(before);
    }
    if before.role == Role::Admin {
        ensure_other_admin(&mut tx, user_id).await?;
    }
    let company_id = tx.company_id();
    sqlx::query!("update users set deactivated_at = now() where company_id = $1 and id = $2", company_id, user_id)
        .execute(tx.conn())
        .await?;
    let after = find(&mut tx, user_id).await?;
    let ended = revoke_user_sessions(&mut tx, user_id, None, "deactivated").await?;
    let mut after_json = summary_json(&after);
    after_json["sessions_ended"] = json!(ended);
    tx.audit("user.deactivated", "user", Some(user_id), Some(summary_json(&before)), Some(after_json)).await?;
    tx.commit().await?;
    Ok(after)
}

#[tracing::instrument(skip_all)]
pub async fn restore(state: &AppState, admin: &CurrentUser, user_id: Uuid) -> Result<UserSummary> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    lock_team(&mut tx).await?;
    let before = find(&mut tx, user_id).await?;
    if before.active {
        return Ok(before);
    }
    let company_id = tx.company_id();
    sqlx::query!("update users set deactivated_at = null where company_id = $1 and id = $2", company_id, user_id)
        .execute(tx.conn())
        .await?;
    let after = find(&mut tx, user_id).await?;
    tx.audit("user.restored", "user", Some(user_id), Some(summary_json(&before)), Some(summary_json(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

/// Changes a person's name or email address (admins); a field left out keeps its value.
/// The admin vouches for a new address, as when they add someone.
#[tracing::instrument(skip_all)]
pub async fn update_details(
    state: &AppState,
    admin: &CurrentUser,
    user_id: Uuid,
    name: Option<String>,
    email: Option<String>,
) -> Result<UserSummary> {
    admin.require(Role::Admin)?;
    let mut checks = Checks::new();
    let name = name.as_deref().map(|raw| checks.check("name", PersonName::parse(raw)));
    let email = email.as_deref().map(|raw| checks.check("email", EmailAddress::parse(raw)));
    checks.finish(|| Some(()))?;
    let (name, email) = (name.flatten(), email.flatten());
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let before = find(&mut tx, user_id).await?;
    let new_name = name.as_ref().map_or(before.name.as_str(), |n| n.as_str());
    let new_email = email.as_ref().map_or(before.email.as_str(), |e| e.as_str());
    if new_name == before.name && new_email == before.email {
        tx.commit().await?;
        return Ok(before);
    }
    let company_id = tx.company_id();
    sqlx::query!(
        "update users set name = $3, email = $4,
                email_verified_at = case when email = $4 then email_verified_at else now() end
         where company_id = $1 and id = $2",
        company_id,
        user_id,
        new_name,
        new_email
    )
    .execute(tx.conn())
    .await
    .on_constraint("users_company_email_key", || {
        AppError::field("email", "Someone in your company already uses this email.")
    })?;
    let after = find(&mut tx, user_id).await?;
    tx.audit("user.updated", "user", Some(user_id), Some(summary_json(&before)), Some(summary_json(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

/// Links a customer login to a customer record (or unlinks it with `None`).
#[tracing::instrument(skip_all)]
pub async fn link_customer(
    state: &AppState,
    admin: &CurrentUser,
    user_id: Uuid,
    customer_id: Option<Uuid>,
) -> Result<UserSummary> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    lock_team(&mut tx).await?;
    let before = find(&mut tx, user_id).await?;
    if before.role != Role::Customer {
        return Err(AppError::field("customer_id", "Only customer logins are linked to a customer record.").into());
    }
    if let Some(customer_id) = customer_id {
        ensure_customer(&mut tx, customer_id).await?;
    }
    let company_id = tx.company_id();
    sqlx::query!(
        "update users set customer_id = $3 where company_id = $1 and id = $2",
        company_id,
        user_id,
        customer_id
    )
    .execute(tx.conn())
    .await?;
    let after = find(&mut tx, user_id).await?;
    tx.audit("user.customer_linked", "user", Some(user_id), Some(summary_json(&before)), Some(summary_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}
