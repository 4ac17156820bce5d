//! The signed-in user's own profile, password and devices.

use crate::auth::client::device_label;
use crate::auth::service::{load_session_user, revoke_user_sessions};
use crate::auth::{password, CurrentUser};
use crate::db::TenantTx;
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use app::account::{DeviceSession, PasswordChangeForm, ProfileForm};
use app::auth::SessionUser;
use app::error::AppError;
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

mod backend;

#[tracing::instrument(skip_all)]
pub async fn update_profile(state: &AppState, user: &CurrentUser, form: ProfileForm) -> Result<SessionUser> {
    let (name, timezone) = form.validate()?;
    if let Some(tz) = &timezone {
        if crate::clock::timezone(tz.as_str()).is_err() {
            return Err(AppError::field("timezone", "Use a timezone name like Europe/Berlin.").into());
        }
    }
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    let before = sqlx::query!(
        "select name, timezone from users where company_id = $1 and id = $2 for update",
        company_id,
        user.user_id()
    )
    .fetch_one(tx.conn())
    .await?;
    sqlx::query!(
        "update users set name = $3, timezone = $4 where company_id = $1 and id = $2",
        company_id,
        user.user_id(),
        name.as_str(),
        timezone.as_ref().map(|t| t.as_str()),
    )
    .execute(tx.conn())
    .await
    .on_constraint("users_timezone_check", || AppError::field("timezone", "Use a timezone name like Europe/Berlin."))?;
    tx.audit(
        "user.profile_updated",
        "user",
        Some(user.user_id()),
        Some(json!({ "name": before.name, "timezone": before.timezone })),
        Some(json!({ "name": name.as_str(), "timezone": timezone.as_ref().map(|t| t.as_str()) })),
    )
    .await?;
    let session = load_session_user(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(session)
}

#[tracing::instrument(skip_all)]
pub async fn change_password(state: &AppState, user: &CurrentUser, form: PasswordChangeForm) -> Result<()> {
    let new_password = form.validate()?;
    let user_key = user.user_id().to_string();
    let attempt = [(state.settings.limits.password_change_per_user, user_key.as_str())];
    crate::limits::hit(&state.pool, &attempt).await?;
    // Read, then check and hash with no transaction open: hashing queues for a core.
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    let stored = sqlx::query_scalar!(
        "select password_hash from users where company_id = $1 and id = $2",
        company_id,
        user.user_id()
    )
    .fetch_one(tx.conn())
    .await?;
    tx.commit().await?;
    if !password::verify(SecretString::from(form.current_password.clone()), Some(stored.clone())).await? {
        return Err(AppError::field("current_password", "That isn't your current password.").into());
    }
    let hash = password::hash(SecretString::from(new_password.expose().to_string())).await?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    // Only over the hash that was checked: a change in between must be checked afresh.
    let updated = sqlx::query!(
        "update users set password_hash = $3 where company_id = $1 and id = $2 and password_hash = $4",
        company_id,
        user.user_id(),
        hash,
        stored,
    )
    .execute(tx.conn())
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::conflict("Your password was changed meanwhile. Sign in again and retry.").into());
    }
    let ended = revoke_user_sessions(&mut tx, user.user_id(), Some(user.session_id()), "password_changed").await?;
    tx.audit(
        "user.password_changed",
        "user",
        Some(user.user_id()),
        None,
        Some(json!({ "other_sessions_ended": ended })),
    )
    .await?;
    tx.commit().await
}

#[tracing::instrument(skip_all)]
pub async fn list_sessions(state: &AppState, user: &CurrentUser) -> Result<Vec<DeviceSession>> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    let timezone = crate::viewer::Viewer::load(&mut tx, user).await?.tz;
    // The live row of each family carries the latest use; the family's first row its start.
    let rows = sqlx::query!(
        r#"select s.family_id, s.user_agent, host(s.ip) as ip, s.last_used_at,
                  (select min(f.created_at) from sessions f where f.company_id = s.company_id and f.family_id = s.family_id) as "signed_in_at!"
           from sessions s
           where s.company_id = $1 and s.user_id = $2
             and s.revoked_at is null and s.rotated_at is null and s.expires_at > now()
           order by s.last_used_at desc"#,
        company_id,
        user.user_id()
    )
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| DeviceSession {
            id: row.family_id,
            device: device_label(row.user_agent.as_deref()),
            ip: row.ip,
            signed_in_at: row.signed_in_at,
            last_active: crate::clock::at_label(row.last_used_at, timezone),
            last_used_at: row.last_used_at,
            current: row.family_id == user.session_id(),
        })
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn revoke_session(state: &AppState, user: &CurrentUser, family_id: Uuid) -> Result<()> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    let done = sqlx::query!(
        "update sessions set revoked_at = now(), revoked_reason = 'logout'
         where company_id = $1 and user_id = $2 and family_id = $3 and revoked_at is null",
        company_id,
        user.user_id(),
        family_id
    )
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    tx.audit("session.revoked", "user", Some(user.user_id()), None, Some(json!({ "family_id": family_id }))).await?;
    tx.commit().await
}
