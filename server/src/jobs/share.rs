//! Share links: a read-only view of one job for someone without a login.
//!
//! The token is random, carries its company id (so the lookup knows its tenant
//! before anyone is signed in) and is stored only as a SHA-256 hash; the URL is
//! shown once, when the link is created.

use super::{load_detail, lock_current, Audience};
use crate::auth::{tokens, CurrentUser};
use crate::clock::schedule_label;
use crate::db::{Actor, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::jobs::{parse_share_days, NewShareLink, ShareLink, SharedJob, SharedJobView};
use chrono::Utc;
use chrono_tz::Tz;
use serde_json::json;
use uuid::Uuid;

async fn links(tx: &mut TenantTx, job_id: Uuid, tz: Tz) -> Result<Vec<ShareLink>> {
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select l.id, u.name as created_by_name, l.created_at, l.expires_at, l.revoked_at, l.last_viewed_at
           from customer_links l join users u on u.company_id = l.company_id and u.id = l.created_by
           where l.company_id = $1 and l.job_id = $2
           order by l.created_at desc, l.id"#,
        company_id,
        job_id
    )
    .fetch_all(tx.conn())
    .await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|r| ShareLink {
            id: r.id,
            created_by_name: r.created_by_name,
            created_at: r.created_at,
            expires_at: r.expires_at,
            expires_label: schedule_label(r.expires_at, tz),
            revoked_at: r.revoked_at,
            last_viewed_at: r.last_viewed_at,
            active: r.revoked_at.is_none() && r.expires_at > now,
        })
        .collect())
}

/// The job's share links, newest first (admins only).
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser, job_id: Uuid) -> Result<Vec<ShareLink>> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, job_id, None).await?;
    let tz = viewer.tz;
    let links = links(&mut tx, job_id, tz).await?;
    tx.commit().await?;
    Ok(links)
}

/// Creates a link valid for `days` (1–365, default 30).
#[tracing::instrument(skip_all)]
pub async fn create(state: &AppState, admin: &CurrentUser, job_id: Uuid, days: String) -> Result<NewShareLink> {
    admin.require(Role::Admin)?;
    let days = parse_share_days(&days).map_err(|m| AppError::field("days", m))?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, job_id, None).await?;
    let company_id = tx.company_id();
    let token = tokens::new_company_token(company_id);
    let link_id = sqlx::query_scalar!(
        "insert into customer_links (company_id, job_id, token_hash, expires_at, created_by)
         values ($1, $2, $3, now() + make_interval(days => $4), $5) returning id",
        company_id,
        job_id,
        tokens::hash_token(&token),
        days as i32,
        admin.user_id(),
    )
    .fetch_one(tx.conn())
    .await?;
    tx.audit("job.share_link_created", "job", Some(job_id), None, Some(json!({ "link_id": link_id, "days": days })))
        .await?;
    let tz = viewer.tz;
    let link = links(&mut tx, job_id, tz).await?.into_iter().find(|l| l.id == link_id).ok_or(AppError::Internal)?;
    tx.commit().await?;
    let url = format!("{}/share/{token}", state.settings.base_url.trim_end_matches('/'));
    Ok(NewShareLink { link, url })
}

/// Revokes a link at once; it then shows a "revoked" page.
#[tracing::instrument(skip_all)]
pub async fn revoke(state: &AppState, admin: &CurrentUser, job_id: Uuid, link_id: Uuid) -> Result<Vec<ShareLink>> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    lock_current(&mut tx, job_id, None).await?;
    let company_id = tx.company_id();
    let revoked = sqlx::query_scalar!(
        "update customer_links set revoked_at = coalesce(revoked_at, now())
         where company_id = $1 and job_id = $2 and id = $3 returning id",
        company_id,
        job_id,
        link_id
    )
    .fetch_optional(tx.conn())
    .await?;
    if revoked.is_none() {
        return Err(AppError::NotFound.into());
    }
    tx.audit("job.share_link_revoked", "job", Some(job_id), None, Some(json!({ "link_id": link_id }))).await?;
    let tz = viewer.tz;
    let links = links(&mut tx, job_id, tz).await?;
    tx.commit().await?;
    Ok(links)
}

/// What a share link shows, for anyone holding it.
#[tracing::instrument(skip_all)]
pub async fn view(state: &AppState, token: &str, client: &crate::auth::ClientInfo) -> Result<SharedJob> {
    // Tokens cannot be guessed, but lookups are still limited per client.
    if let Some(ip) = client.limit_subject() {
        crate::limits::hit(&state.pool, &[(state.settings.limits.share_per_ip, ip.as_str())]).await?;
    }
    let Some(company_id) = tokens::token_company(token) else {
        return Ok(SharedJob::Unknown);
    };
    let mut tx = TenantTx::begin_as(&state.pool, company_id, Actor::SignedLink).await?;
    let link = sqlx::query!(
        r#"select l.id, l.job_id, l.revoked_at, l.expires_at < now() as "expired!", c.name as company_name
           from customer_links l join companies c on c.id = l.company_id
           where l.company_id = $1 and l.token_hash = $2"#,
        company_id,
        tokens::hash_token(token),
    )
    .fetch_optional(tx.conn())
    .await?;
    let Some(link) = link else {
        return Ok(SharedJob::Unknown);
    };
    if link.revoked_at.is_some() {
        return Ok(SharedJob::Revoked);
    }
    if link.expired {
        return Ok(SharedJob::Expired);
    }
    let job = match load_detail(&mut tx, Audience::ShareLink, link.job_id).await {
        Ok(job) => job,
        Err(crate::error::Error::App(AppError::NotFound)) => return Ok(SharedJob::Unknown),
        Err(other) => return Err(other),
    };
    sqlx::query!(
        "update customer_links set last_viewed_at = now() where company_id = $1 and id = $2",
        company_id,
        link.id
    )
    .execute(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(SharedJob::Available { company_name: link.company_name, job: Box::new(SharedJobView::from_detail(job)) })
}
