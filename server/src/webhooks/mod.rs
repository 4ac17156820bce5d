//! Webhooks: admins register endpoints; changes [`emit`] events into the delivery outbox
//! inside their own transaction; [`delivery::Delivery`] loops send them signed
//! ([`signing`]) to addresses the SSRF guard allows ([`guard`]), with retries, a
//! delivery log, manual redelivery, test events, and automatic disabling.

mod backend;
pub mod delivery;
pub mod guard;
pub mod signing;

use crate::auth::CurrentUser;
use crate::clock::at_label;
use crate::db::TenantTx;
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::company_timezone;
use app::auth::Role;
use app::error::AppError;
use app::webhooks::{WebhookDelivery, WebhookEndpoint, WebhookForm, WebhookSecret, TEST_EVENT};
use chrono::Utc;
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

/// How long an old secret keeps signing after a rotation.
const ROTATION_GRACE_HOURS: i64 = 24;
/// Deliveries shown per endpoint.
const LOG_SIZE: i64 = 25;

/// The body every delivery carries.
#[derive(Serialize)]
struct Envelope<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'a str,
    created_at: chrono::DateTime<Utc>,
    company_id: Uuid,
    data: &'a Value,
}

/// Queues `event` with `data` for every enabled endpoint of the company that wants it,
/// in the caller's transaction: sent if and only if the change commits.
pub async fn emit(tx: &mut TenantTx, event: &str, data: &impl Serialize) -> Result<()> {
    let company_id = tx.company_id();
    let endpoints = sqlx::query_scalar!(
        "select id from webhook_endpoints where company_id = $1 and enabled and $2 = any(events)",
        company_id,
        event
    )
    .fetch_all(tx.conn())
    .await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let data = serde_json::to_value(data).map_err(|error| anyhow::anyhow!(error))?;
    queue(tx, event, &data, &endpoints).await
}

async fn queue(tx: &mut TenantTx, event: &str, data: &Value, endpoints: &[Uuid]) -> Result<()> {
    let company_id = tx.company_id();
    let event_id = Uuid::new_v4();
    let envelope = Envelope { id: event_id, kind: event, created_at: Utc::now(), company_id, data };
    let body = serde_json::to_string(&envelope).map_err(|error| anyhow::anyhow!(error))?;
    sqlx::query!(
        "insert into webhook_deliveries (company_id, endpoint_id, event_id, event_type, body)
         select $1, e, $2, $3, $4 from unnest($5::uuid[]) as e",
        company_id,
        event_id,
        event,
        body,
        endpoints,
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Endpoints are managed by signed-in admins, or API keys with webhooks:write.
fn require_manager(user: &CurrentUser) -> std::result::Result<(), AppError> {
    require_webhooks(user, app::api_keys::ApiAccess::Write)
}

/// Admins, or API keys with webhooks:`access`.
fn require_webhooks(user: &CurrentUser, access: app::api_keys::ApiAccess) -> std::result::Result<(), AppError> {
    user.require(Role::Admin)?;
    user.ensure_verified()?;
    user.require_scope(app::api_keys::ApiScope::new(app::api_keys::ApiArea::Webhooks, access))
}

async fn load(tx: &mut TenantTx, tz: Tz, only: Option<Uuid>) -> Result<Vec<WebhookEndpoint>> {
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select id, url, description, events, enabled, disabled_reason, consecutive_failures, created_at,
                  previous_secret_expires_at is not null and previous_secret_expires_at > now() as "rotating!"
           from webhook_endpoints
           where company_id = $1 and ($2::uuid is null or id = $2)
           order by created_at, id"#,
        company_id,
        only
    )
    .fetch_all(tx.conn())
    .await?;
    let mut endpoints = Vec::with_capacity(rows.len());
    for row in rows {
        let deliveries = sqlx::query!(
            "select id, event_id, event_type, status, attempts, response_status, latency_ms, response_excerpt,
                    last_error, created_at, last_attempt_at, next_attempt_at
             from webhook_deliveries where company_id = $1 and endpoint_id = $2
             order by created_at desc, id desc limit $3",
            company_id,
            row.id,
            LOG_SIZE
        )
        .fetch_all(tx.conn())
        .await?
        .into_iter()
        .map(|d| WebhookDelivery {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type,
            next_attempt_label: (d.status == "PENDING" && d.attempts > 0).then(|| at_label(d.next_attempt_at, tz)),
            status: d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            latency_ms: d.latency_ms,
            response_excerpt: d.response_excerpt,
            last_error: d.last_error,
            at_label: at_label(d.last_attempt_at.unwrap_or(d.created_at), tz),
        })
        .collect();
        endpoints.push(WebhookEndpoint {
            id: row.id,
            url: row.url,
            description: row.description,
            events: row.events,
            enabled: row.enabled,
            disabled_reason: row.disabled_reason,
            consecutive_failures: row.consecutive_failures,
            created_label: at_label(row.created_at, tz),
            rotating: row.rotating,
            deliveries,
        });
    }
    Ok(endpoints)
}

async fn load_one(tx: &mut TenantTx, id: Uuid) -> Result<WebhookEndpoint> {
    let tz = company_timezone(tx).await?;
    Ok(load(tx, tz, Some(id)).await?.into_iter().next().ok_or(AppError::NotFound)?)
}

#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser) -> Result<Vec<WebhookEndpoint>> {
    require_webhooks(admin, app::api_keys::ApiAccess::Read)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let tz = company_timezone(&mut tx).await?;
    let endpoints = load(&mut tx, tz, None).await?;
    tx.commit().await?;
    Ok(endpoints)
}

#[tracing::instrument(skip_all)]
pub async fn create(state: &AppState, admin: &CurrentUser, form: WebhookForm) -> Result<WebhookSecret> {
    require_manager(admin)?;
    let valid = form.validate()?;
    guard::check_url(&valid.url, state.settings.webhooks.allow_private).map_err(|m| AppError::field("url", m))?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let count =
        sqlx::query_scalar!(r#"select count(*) as "n!" from webhook_endpoints where company_id = $1"#, company_id)
            .fetch_one(tx.conn())
            .await?;
    if count >= 20 {
        return Err(AppError::field("url", "A company may have 20 endpoints; delete one first.").into());
    }
    let secret = signing::new_secret();
    let id = sqlx::query_scalar!(
        "insert into webhook_endpoints (company_id, url, description, events, secret, created_by)
         values ($1, $2, $3, $4, $5, $6) returning id",
        company_id,
        valid.url,
        valid.description,
        &valid.events,
        secret,
        admin.user_id(),
    )
    .fetch_one(tx.conn())
    .await?;
    let after = json!({ "url": valid.url, "description": valid.description, "events": valid.events });
    tx.audit("webhook.created", "webhook", Some(id), None, Some(after)).await?;
    let endpoint = load_one(&mut tx, id).await?;
    tx.commit().await?;
    Ok(WebhookSecret { endpoint, secret })
}

#[tracing::instrument(skip_all)]
pub async fn set_enabled(state: &AppState, admin: &CurrentUser, id: Uuid, enabled: bool) -> Result<WebhookEndpoint> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let done = sqlx::query!(
        "update webhook_endpoints
         set enabled = $3, consecutive_failures = 0,
             disabled_reason = case when $3 then null else 'Disabled by an admin.' end
         where company_id = $1 and id = $2",
        company_id,
        id,
        enabled
    )
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    let action = if enabled { "webhook.enabled" } else { "webhook.disabled" };
    tx.audit(action, "webhook", Some(id), None, None).await?;
    let endpoint = load_one(&mut tx, id).await?;
    tx.commit().await?;
    Ok(endpoint)
}

#[tracing::instrument(skip_all)]
pub async fn delete(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<()> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let url = sqlx::query_scalar!(
        "delete from webhook_endpoints where company_id = $1 and id = $2 returning url",
        company_id,
        id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    tx.audit("webhook.deleted", "webhook", Some(id), Some(json!({ "url": url })), None).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn rotate_secret(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<WebhookSecret> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let secret = signing::new_secret();
    let done = sqlx::query!(
        "update webhook_endpoints
         set previous_secret = secret, secret = $3,
             previous_secret_expires_at = now() + $4::float8 * interval '1 hour'
         where company_id = $1 and id = $2",
        company_id,
        id,
        secret,
        ROTATION_GRACE_HOURS as f64,
    )
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    tx.audit("webhook.secret_rotated", "webhook", Some(id), None, None).await?;
    let endpoint = load_one(&mut tx, id).await?;
    tx.commit().await?;
    Ok(WebhookSecret { endpoint, secret })
}

#[tracing::instrument(skip_all)]
pub async fn send_test(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<WebhookEndpoint> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let exists = sqlx::query_scalar!(
        r#"select exists(select 1 from webhook_endpoints where company_id = $1 and id = $2) as "found!""#,
        company_id,
        id
    )
    .fetch_one(tx.conn())
    .await?;
    if !exists {
        return Err(AppError::NotFound.into());
    }
    let data = json!({ "message": "A test event from Fieldbook: your endpoint is reachable." });
    queue(&mut tx, TEST_EVENT, &data, &[id]).await?;
    let endpoint = load_one(&mut tx, id).await?;
    tx.commit().await?;
    state.live.webhook_wake.notify_one();
    Ok(endpoint)
}

/// Queues a delivery's event again for its endpoint: the same event id and body (a
/// receiver that already has it can tell), attempts from zero.
#[tracing::instrument(skip_all)]
pub async fn redeliver(state: &AppState, admin: &CurrentUser, id: Uuid, delivery_id: Uuid) -> Result<WebhookEndpoint> {
    require_manager(admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let copied = sqlx::query!(
        "insert into webhook_deliveries (company_id, endpoint_id, event_id, event_type, body)
         select company_id, endpoint_id, event_id, event_type, body from webhook_deliveries
         where company_id = $1 and endpoint_id = $2 and id = $3",
        company_id,
        id,
        delivery_id
    )
    .execute(tx.conn())
    .await?;
    if copied.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    let endpoint = load_one(&mut tx, id).await?;
    tx.commit().await?;
    state.live.webhook_wake.notify_one();
    Ok(endpoint)
}
