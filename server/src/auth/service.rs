//! Sign-in, sessions, refresh rotation with reuse detection, and sign-out. A new
//! company's sign-up is `crate::onboarding`.

use super::client::ClientInfo;
use super::identity::CurrentUser;
use super::tokens::{self, AccessClaims};
use super::{password, REFRESH_TTL};
use crate::db::{Actor, AppPool, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use app::auth::{CompanyInfo, LoginForm, Role, SessionUser};
use app::error::AppError;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

/// A rotated refresh token presented again within this window is treated as two
/// browser requests racing at expiry, not theft: it identifies the user for that
/// request but yields no new tokens. Later reuse revokes the whole family.
const CONCURRENT_REFRESH_GRACE: chrono::Duration = chrono::Duration::seconds(30);

#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
}

pub enum RefreshOutcome {
    Rotated { user: CurrentUser, tokens: IssuedTokens },
    ConcurrentRotation { user: CurrentUser },
}

/// Looks a workspace up by slug before anyone is signed in. The transaction
/// declares the slug it resolves; the companies policy then shows that one row.
#[tracing::instrument(skip_all)]
pub async fn company_by_slug(pool: &AppPool, slug: &str) -> Result<Option<CompanyInfo>> {
    let mut tx = crate::db::begin_slug_lookup(pool, slug).await?;
    let company = sqlx::query_as!(CompanyInfo, "select id, name, slug, timezone from companies where slug = $1", slug)
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(company)
}

#[tracing::instrument(skip_all)]
pub async fn log_in(state: &AppState, form: LoginForm, client: &ClientInfo) -> Result<(SessionUser, IssuedTokens)> {
    form.validate()?;
    let workspace = form.workspace.trim().to_lowercase();
    let email = form.email.trim().to_lowercase();
    let limits = &state.settings.limits;
    let account_key = format!("{workspace}:{email}");
    let ip = client.limit_subject();
    // Counted before evaluating: of a burst, exactly the allowed number are evaluated.
    let mut attempt = vec![(limits.login_per_account, account_key.as_str())];
    if let Some(ip) = &ip {
        attempt.push((limits.login_per_ip, ip.as_str()));
    }
    crate::limits::hit(&state.pool, &attempt)
        .await
        .inspect_err(|_| crate::telemetry::metrics::refused_login("throttled"))?;

    // The account is read in a short transaction that ends before the (slow, queued)
    // password check, so a burst of sign-ins holds no pooled connection while it waits.
    let mut found = None;
    if let Some(company) = company_by_slug(&state.pool, &workspace).await? {
        let mut tx = TenantTx::begin_as(&state.pool, company.id, Actor::PreLogin).await?;
        let account = sqlx::query!(
            r#"select id, name, email, role as "role: Role", password_hash, timezone, deactivated_at,
                      email_verified_at is not null as "email_verified!"
               from users where company_id = $1 and email = $2"#,
            company.id,
            email,
        )
        .fetch_optional(tx.conn())
        .await?;
        tx.commit().await?;
        found = Some((company, account));
    }
    // Always verify (against a dummy hash when there is no account), so timing
    // does not reveal which workspaces and emails exist.
    let stored_hash = found.as_ref().and_then(|(_, account)| account.as_ref()).map(|a| a.password_hash.clone());
    let verified = password::verify(SecretString::from(form.password.clone()), stored_hash).await?;
    let Some((company, Some(account))) = found.filter(|_| verified) else {
        crate::telemetry::metrics::refused_login("credentials");
        return Err(AppError::InvalidCredentials.into());
    };
    if account.deactivated_at.is_some() {
        crate::telemetry::metrics::refused_login("credentials");
        return Err(AppError::InvalidCredentials.into());
    }

    let mut tx = TenantTx::begin_as(&state.pool, company.id, Actor::PreLogin).await?;
    tx.set_actor(account.id);
    let tokens = start_session(state, &mut tx, account.id, account.role, client).await?;
    tx.audit("auth.login", "user", Some(account.id), None, None).await?;
    tx.commit().await?;
    // A correct password resets the account's count. The address keeps counting every
    // attempt: refunding successes would let a sprayer interleave logins to an account of
    // their own and guess on for ever.
    crate::limits::undo(&state.pool, &attempt[..1]).await?;
    let user = SessionUser {
        user_id: account.id,
        name: account.name,
        email: account.email,
        role: account.role,
        timezone: account.timezone.unwrap_or_else(|| company.timezone.clone()),
        email_verified: account.email_verified,
        company,
    };
    Ok((user, tokens))
}

/// Starts a session family for the user: a refresh token row and an access
/// token. Beyond the per-user cap, the least recently used sessions end.
pub(crate) async fn start_session(
    state: &AppState,
    tx: &mut TenantTx,
    user_id: Uuid,
    role: Role,
    client: &ClientInfo,
) -> Result<IssuedTokens> {
    let family_id = Uuid::new_v4();
    let tokens = insert_refresh_token(state, tx, user_id, family_id, role, client).await?;
    let company_id = tx.company_id();
    let evicted = sqlx::query_scalar!(
        r#"update sessions set revoked_at = now(), revoked_reason = 'session_cap'
           where company_id = $1 and family_id in (
             select family_id from sessions
             where company_id = $1 and user_id = $2 and revoked_at is null and rotated_at is null and expires_at > now()
             order by last_used_at desc, created_at desc
             offset $3)
           returning family_id"#,
        company_id,
        user_id,
        state.settings.max_sessions_per_user,
    )
    .fetch_all(tx.conn())
    .await?;
    if !evicted.is_empty() {
        tx.audit(
            "session.evicted",
            "user",
            Some(user_id),
            None,
            Some(json!({ "families": evicted, "reason": "session_cap" })),
        )
        .await?;
    }
    Ok(tokens)
}

async fn insert_refresh_token(
    state: &AppState,
    tx: &mut TenantTx,
    user_id: Uuid,
    family_id: Uuid,
    role: Role,
    client: &ClientInfo,
) -> Result<IssuedTokens> {
    let company_id = tx.company_id();
    let refresh_token = tokens::new_company_token(company_id);
    let refresh_expires_at = Utc::now() + REFRESH_TTL;
    sqlx::query!(
        "insert into sessions (company_id, user_id, family_id, refresh_token_hash, user_agent, ip, expires_at)
         values ($1, $2, $3, $4, $5, $6::text::inet, $7)",
        company_id,
        user_id,
        family_id,
        tokens::hash_token(&refresh_token),
        client.user_agent,
        client.ip.map(|ip| ip.to_string()),
        refresh_expires_at,
    )
    .execute(tx.conn())
    .await?;
    let (access_token, access_expires_at) = state.keys.issue(user_id, company_id, family_id, role);
    Ok(IssuedTokens { access_token, access_expires_at, refresh_token, refresh_expires_at })
}

/// Exchanges a refresh token for a new pair. A token that was already rotated
/// is reuse: the whole family is revoked — unless `allow_concurrent` (browsers)
/// and the rotation happened moments ago, see [`CONCURRENT_REFRESH_GRACE`].
#[tracing::instrument(skip_all)]
pub async fn refresh(
    state: &AppState,
    raw: &str,
    client: &ClientInfo,
    allow_concurrent: bool,
) -> Result<RefreshOutcome> {
    let company_id = tokens::token_company(raw).ok_or(AppError::Unauthorized)?;
    let mut tx = TenantTx::begin_as(&state.pool, company_id, Actor::PreLogin).await?;
    let row = sqlx::query!(
        r#"select s.id, s.user_id, s.family_id, s.rotated_at, s.revoked_at, s.expires_at,
                  u.role as "role: Role", u.deactivated_at, u.email_verified_at is not null as "verified!"
           from sessions s join users u on u.company_id = s.company_id and u.id = s.user_id
           where s.company_id = $1 and s.refresh_token_hash = $2
           for update of s"#,
        company_id,
        tokens::hash_token(raw),
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::Unauthorized)?;

    if row.revoked_at.is_some() || row.expires_at <= Utc::now() || row.deactivated_at.is_some() {
        return Err(AppError::Unauthorized.into());
    }
    let user = CurrentUser::new(row.user_id, company_id, row.family_id, row.role, row.verified);
    if let Some(rotated_at) = row.rotated_at {
        let family_live = sqlx::query_scalar!(
            r#"select exists(select 1 from sessions where company_id = $1 and family_id = $2
                             and revoked_at is null and rotated_at is null) as "live!""#,
            company_id,
            row.family_id,
        )
        .fetch_one(tx.conn())
        .await?;
        if allow_concurrent && family_live && Utc::now() - rotated_at < CONCURRENT_REFRESH_GRACE {
            return Ok(RefreshOutcome::ConcurrentRotation { user });
        }
        revoke_family(&mut tx, row.family_id, "reuse_detected").await?;
        tx.audit(
            "session.reuse_detected",
            "user",
            Some(row.user_id),
            None,
            Some(json!({ "family_id": row.family_id })),
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(user_id = %row.user_id, family_id = %row.family_id, "refresh token reuse: session family revoked");
        return Err(AppError::Unauthorized.into());
    }

    sqlx::query!(
        "update sessions set rotated_at = now(), last_used_at = now() where company_id = $1 and id = $2",
        company_id,
        row.id,
    )
    .execute(tx.conn())
    .await?;
    let tokens = insert_refresh_token(state, &mut tx, row.user_id, row.family_id, row.role, client).await?;
    tx.commit().await?;
    Ok(RefreshOutcome::Rotated { user, tokens })
}

async fn revoke_family(tx: &mut TenantTx, family_id: Uuid, reason: &str) -> Result<()> {
    let company_id = tx.company_id();
    sqlx::query!(
        "update sessions set revoked_at = now(), revoked_reason = $3
         where company_id = $1 and family_id = $2 and revoked_at is null",
        company_id,
        family_id,
        reason,
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Ends every session of `user_id` (optionally sparing one family).
#[tracing::instrument(skip_all)]
pub async fn revoke_user_sessions(
    tx: &mut TenantTx,
    user_id: Uuid,
    except_family: Option<Uuid>,
    reason: &str,
) -> Result<u64> {
    let company_id = tx.company_id();
    let done = sqlx::query!(
        "update sessions set revoked_at = now(), revoked_reason = $4
         where company_id = $1 and user_id = $2 and revoked_at is null
           and ($3::uuid is null or family_id <> $3)",
        company_id,
        user_id,
        except_family,
        reason,
    )
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

/// The identity behind valid access-token claims, if its session is still live
/// and the user still active. One indexed lookup per request; the role is read
/// fresh, so role changes apply at once.
#[tracing::instrument(skip_all)]
pub async fn live_identity(state: &AppState, claims: &AccessClaims) -> Result<Option<CurrentUser>> {
    let mut tx = TenantTx::begin_as(&state.pool, claims.cid, Actor::PreLogin).await?;
    let found = sqlx::query!(
        r#"select u.role as "role: Role", u.email_verified_at is not null as "verified!"
           from sessions s join users u on u.company_id = s.company_id and u.id = s.user_id
           where s.company_id = $1 and s.family_id = $2 and s.user_id = $3
             and s.revoked_at is null and s.rotated_at is null and s.expires_at > now()
             and u.deactivated_at is null
           limit 1"#,
        claims.cid,
        claims.sid,
        claims.sub,
    )
    .fetch_optional(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(found.map(|row| CurrentUser::new(claims.sub, claims.cid, claims.sid, row.role, row.verified)))
}

/// Whether the session behind `user` is still live (not signed out, revoked, expired,
/// nor its user deactivated): long-lived streams ask this now and then.
#[tracing::instrument(skip_all)]
pub async fn session_is_live(state: &AppState, user: &CurrentUser) -> Result<bool> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    let live = sqlx::query_scalar!(
        r#"select exists(
             select 1 from sessions s join users u on u.company_id = s.company_id and u.id = s.user_id
             where s.company_id = $1 and s.family_id = $2 and s.user_id = $3
               and s.revoked_at is null and s.rotated_at is null and s.expires_at > now()
               and u.deactivated_at is null) as "live!""#,
        company_id,
        user.session_id(),
        user.user_id(),
    )
    .fetch_one(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(live)
}

#[tracing::instrument(skip_all)]
pub async fn log_out(state: &AppState, user: &CurrentUser) -> Result<()> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    revoke_family(&mut tx, user.session_id(), "logout").await?;
    tx.audit("auth.logout", "user", Some(user.user_id()), None, None).await?;
    tx.commit().await
}

#[tracing::instrument(skip_all)]
pub async fn log_out_everywhere(state: &AppState, user: &CurrentUser) -> Result<()> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let ended = revoke_user_sessions(&mut tx, user.user_id(), None, "logout_all").await?;
    tx.audit("auth.logout_all", "user", Some(user.user_id()), None, Some(json!({ "sessions_ended": ended }))).await?;
    tx.commit().await
}

/// The signed-in user as the UI sees them.
#[tracing::instrument(skip_all)]
pub async fn session_user(state: &AppState, user: &CurrentUser) -> Result<SessionUser> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let session = load_session_user(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(session)
}

#[tracing::instrument(skip_all)]
pub async fn load_session_user(tx: &mut TenantTx, user_id: Uuid) -> Result<SessionUser> {
    let company_id = tx.company_id();
    let row = sqlx::query!(
        r#"select u.id, u.name, u.email, u.role as "role: Role", coalesce(u.timezone, c.timezone) as "timezone!",
                  u.email_verified_at is not null as "email_verified!",
                  c.id as company_id, c.name as company_name, c.slug, c.timezone as company_timezone
           from users u join companies c on c.id = u.company_id
           where u.company_id = $1 and u.id = $2"#,
        company_id,
        user_id,
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(SessionUser {
        user_id: row.id,
        name: row.name,
        email: row.email,
        role: row.role,
        timezone: row.timezone,
        email_verified: row.email_verified,
        company: CompanyInfo {
            id: row.company_id,
            name: row.company_name,
            slug: row.slug,
            timezone: row.company_timezone,
        },
    })
}
