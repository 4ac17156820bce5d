//! API keys: made by admins, presented by integrations as `Authorization: Bearer fbk_…`.
//!
//! A key is `fbk_` + 43 characters of randomness (256 bits) + 22 naming its company
//! (not secret: it says which tenant to look in, as refresh tokens do). Only its
//! SHA-256 is stored. A key acts for the admin who made it, within its scopes, and
//! stops working when revoked, past its expiry, or when its maker is no longer an
//! active admin (a person who leaves takes their keys' power with them).

mod backend;

use crate::auth::{ApiKeyGrant, CurrentUser};
use crate::clock::{self, at_label, date_label};
use crate::db::{Actor, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::company_timezone;
use app::api_keys::{ApiKeyForm, ApiKeySummary, ApiKeysView, ApiScope, NewApiKey};
use app::auth::Role;
use app::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const KEY_MARK: &str = "fbk_";
const SECRET_CHARS: usize = 43;
const COMPANY_CHARS: usize = 22;
/// How many characters of a key the list shows.
const PREFIX_CHARS: usize = KEY_MARK.len() + 8;
/// `last_used_at` is written at most this often per key, so a busy key does not
/// turn every read into a write.
const LAST_USED_EVERY: Duration = Duration::minutes(1);

/// A new key for `company_id`.
fn new_key(company_id: Uuid) -> String {
    let mut secret = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut secret);
    format!("{KEY_MARK}{}{}", URL_SAFE_NO_PAD.encode(secret), URL_SAFE_NO_PAD.encode(company_id.as_bytes()))
}

/// The company a presented key names, if it has the shape of a key.
fn key_company(key: &str) -> Option<Uuid> {
    let body = key.strip_prefix(KEY_MARK)?;
    if body.len() != SECRET_CHARS + COMPANY_CHARS || !body.is_ascii() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(&body[SECRET_CHARS..]).ok()?;
    Uuid::from_slice(&bytes).ok()
}

fn key_hash(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

/// Whether a bearer credential is an API key (rather than an access token).
pub fn is_api_key(credential: &str) -> bool {
    credential.starts_with(KEY_MARK)
}

/// The identity a presented key stands for, or None for an unknown, revoked or
/// expired key, or one whose maker is no longer an active admin.
#[tracing::instrument(skip_all)]
pub async fn authenticate(state: &AppState, key: &str) -> Result<Option<CurrentUser>> {
    let Some(company_id) = key_company(key) else { return Ok(None) };
    let mut tx = TenantTx::begin_as(&state.pool, company_id, Actor::PreLogin).await?;
    let found = sqlx::query!(
        r#"select k.id, k.scopes, k.requests_per_minute, k.created_by, k.last_used_at
           from api_keys k join users u on u.company_id = k.company_id and u.id = k.created_by
           where k.company_id = $1 and k.secret_hash = $2
             and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
             and u.deactivated_at is null and u.role = 'ADMIN'"#,
        company_id,
        key_hash(key),
    )
    .fetch_optional(tx.conn())
    .await?;
    let Some(row) = found else {
        tx.commit().await?;
        return Ok(None);
    };
    if row.last_used_at.is_none_or(|at| Utc::now() - at > LAST_USED_EVERY) {
        sqlx::query!("update api_keys set last_used_at = now() where company_id = $1 and id = $2", company_id, row.id)
            .execute(tx.conn())
            .await?;
    }
    tx.commit().await?;
    let grant = ApiKeyGrant {
        id: row.id,
        scopes: row.scopes.iter().filter_map(|s| ApiScope::parse(s)).collect(),
        requests_per_minute: u32::try_from(row.requests_per_minute).unwrap_or(1),
    };
    Ok(Some(CurrentUser::for_api_key(row.created_by, company_id, grant)))
}

/// Keys are managed by signed-in admins, never by another key.
fn require_manager(user: &CurrentUser) -> std::result::Result<(), AppError> {
    user.require(Role::Admin)?;
    user.ensure_verified()?;
    if user.api_key().is_some() {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser) -> Result<ApiKeysView> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let keys = load(&mut tx).await?;
    tx.commit().await?;
    Ok(ApiKeysView { keys, default_requests_per_minute: state.settings.limits.requests_per_api_key_per_minute })
}

async fn load(tx: &mut TenantTx) -> Result<Vec<ApiKeySummary>> {
    let tz = company_timezone(tx).await?;
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select k.id, k.name, k.prefix, k.scopes, k.requests_per_minute, u.name as creator, k.created_at,
                  k.expires_at, k.last_used_at, k.revoked_at
           from api_keys k join users u on u.company_id = k.company_id and u.id = k.created_by
           where k.company_id = $1
           order by k.revoked_at is not null, k.created_at desc, k.id
           limit 500"#,
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|row| ApiKeySummary {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            scopes: row.scopes,
            requests_per_minute: u32::try_from(row.requests_per_minute).unwrap_or(1),
            created_by_name: row.creator,
            created_label: date_label(row.created_at, tz),
            // The key works through the last day; expires_at is the start of the next.
            expires_label: row.expires_at.map(|at| date_label(at - Duration::seconds(1), tz)),
            last_used_label: row.last_used_at.map(|at| at_label(at, tz)),
            usable: row.revoked_at.is_none() && row.expires_at.is_none_or(|at| at > now),
            revoked: row.revoked_at.is_some(),
        })
        .collect())
}

fn expiry(tz: Tz, last_day: chrono::NaiveDate) -> DateTime<Utc> {
    clock::local_to_utc(tz, last_day + Duration::days(1), NaiveTime::MIN)
}

#[tracing::instrument(skip_all)]
pub async fn create(state: &AppState, admin: &CurrentUser, form: ApiKeyForm) -> Result<NewApiKey> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let tz = company_timezone(&mut tx).await?;
    let valid = form.validate(clock::today(tz))?;
    let company_id = tx.company_id();
    let secret = new_key(company_id);
    let scopes: Vec<String> = valid.scopes.iter().map(|s| s.as_string()).collect();
    let limit = valid.requests_per_minute.unwrap_or(state.settings.limits.requests_per_api_key_per_minute);
    let id = sqlx::query_scalar!(
        "insert into api_keys (company_id, name, prefix, secret_hash, scopes, requests_per_minute, created_by, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        company_id,
        valid.name,
        &secret[..PREFIX_CHARS],
        key_hash(&secret),
        &scopes,
        i32::try_from(limit).unwrap_or(i32::MAX),
        admin.user_id(),
        valid.expires_on.map(|day| expiry(tz, day)),
    )
    .fetch_one(tx.conn())
    .await?;
    let after = json!({ "name": valid.name, "prefix": &secret[..PREFIX_CHARS], "scopes": scopes,
                        "requests_per_minute": limit, "expires_on": valid.expires_on });
    tx.audit("api_key.created", "api_key", Some(id), None, Some(after)).await?;
    let key = load(&mut tx).await?.into_iter().find(|k| k.id == id).ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(NewApiKey { key, secret })
}

#[tracing::instrument(skip_all)]
pub async fn revoke(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<ApiKeysView> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let revoked = sqlx::query_scalar!(
        "update api_keys set revoked_at = coalesce(revoked_at, now()) where company_id = $1 and id = $2
         returning name",
        company_id,
        id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    tx.audit("api_key.revoked", "api_key", Some(id), Some(json!({ "name": revoked })), None).await?;
    let keys = load(&mut tx).await?;
    tx.commit().await?;
    Ok(ApiKeysView { keys, default_requests_per_minute: state.settings.limits.requests_per_api_key_per_minute })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_its_company_and_nothing_else_passes_for_one() {
        let company = Uuid::new_v4();
        let key = new_key(company);
        assert!(is_api_key(&key));
        assert_eq!(key.len(), KEY_MARK.len() + SECRET_CHARS + COMPANY_CHARS);
        assert_eq!(key_company(&key), Some(company));
        assert_ne!(new_key(company)[..PREFIX_CHARS], key[..PREFIX_CHARS], "prefixes tell keys apart");
        assert_eq!(key_company("fbk_short"), None);
        assert_eq!(key_company(&key.replace(KEY_MARK, "xyz_")), None);
        assert_eq!(key_company(&format!("{key}x")), None);
    }
}
