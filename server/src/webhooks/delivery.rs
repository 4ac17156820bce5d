//! The webhook delivery loop: like the email outbox, one due delivery at a time is
//! claimed with `FOR UPDATE SKIP LOCKED` in its company's transaction and kept locked
//! while it is sent, so two loops (in one process or several) never send the same one.
//! Success is any 2xx; anything else is retried after `retry_base`, doubling, until
//! `max_attempts`; an endpoint failing `disable_after` attempts in a row is disabled
//! and its company's admins are emailed.

use super::{guard, signing};
use crate::config::WebhookSettings;
use crate::db::due_queue::{self, DueQueue};
use crate::db::{Actor, AppPool, TenantTx};
use crate::error::Result;
use crate::notify::outbox::{enqueue, retry_delay, Recipient};
use crate::notify::templates::EmailContent;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Characters of a receiver's answer kept in the log.
const EXCERPT_CHARS: usize = 500;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered { status: u16 },
    Retry { error: String },
    GaveUp { error: String },
}

struct Answer {
    status: Option<u16>,
    excerpt: Option<String>,
    error: Option<String>,
    latency_ms: i32,
}

#[derive(Clone)]
pub struct Delivery {
    pool: AppPool,
    settings: WebhookSettings,
    base_url: String,
}

impl Delivery {
    pub fn new(pool: AppPool, settings: WebhookSettings, base_url: String) -> Self {
        Self { pool, settings, base_url }
    }

    /// Sends everything due now; how many deliveries it attempted.
    pub async fn deliver_due(&self) -> Result<usize> {
        due_queue::work_due(self).await
    }

    /// Claims, sends and records one due delivery of `company_id`, if one is free.
    pub async fn deliver_one(&self, company_id: Uuid) -> Result<Option<(Uuid, Outcome)>> {
        let mut tx = TenantTx::begin_as(&self.pool, company_id, Actor::SystemTask).await?;
        let claimed = sqlx::query!(
            r#"select d.id, d.endpoint_id, d.event_id, d.body, d.attempts, e.url, e.secret,
                      case when e.previous_secret_expires_at > now() then e.previous_secret end as "previous_secret?"
               from webhook_deliveries d
               join webhook_endpoints e on e.company_id = d.company_id and e.id = d.endpoint_id
               where d.company_id = $1 and d.status = 'PENDING' and d.next_attempt_at <= now() and e.enabled
               order by d.next_attempt_at, d.id
               limit 1
               for update of d skip locked"#,
            company_id
        )
        .fetch_optional(tx.conn())
        .await?;
        let Some(row) = claimed else {
            tx.commit().await?;
            return Ok(None);
        };
        let mut secrets = vec![row.secret.as_str()];
        if let Some(previous) = row.previous_secret.as_deref() {
            secrets.push(previous);
        }
        let answer = self.send(&row.url, &row.body, row.event_id, row.attempts + 1, &secrets).await;
        let attempts = row.attempts + 1;
        let outcome = match (answer.status, &answer.error) {
            (Some(status), _) if (200..300).contains(&status) => Outcome::Delivered { status },
            _ => {
                let error = answer.error.clone().unwrap_or_else(|| format!("answered {}", answer.status.unwrap_or(0)));
                if attempts >= self.settings.max_attempts {
                    Outcome::GaveUp { error }
                } else {
                    Outcome::Retry { error }
                }
            }
        };
        let (status, error) = match &outcome {
            Outcome::Delivered { .. } => ("SUCCEEDED", None),
            Outcome::Retry { error } => ("PENDING", Some(error.as_str())),
            Outcome::GaveUp { error } => ("FAILED", Some(error.as_str())),
        };
        let retry_after = retry_delay(self.settings.retry_base, attempts);
        sqlx::query!(
            "update webhook_deliveries
             set status = $3, attempts = $4, last_attempt_at = now(), response_status = $5, response_excerpt = $6,
                 latency_ms = $7, last_error = $8,
                 next_attempt_at = case when $3 = 'PENDING' then now() + $9::float8 * interval '1 second'
                                        else next_attempt_at end
             where company_id = $1 and id = $2",
            company_id,
            row.id,
            status,
            attempts,
            answer.status.map(i32::from),
            answer.excerpt,
            answer.latency_ms,
            error,
            retry_after.as_secs_f64(),
        )
        .execute(tx.conn())
        .await?;
        self.count_failures(&mut tx, row.endpoint_id, matches!(outcome, Outcome::Delivered { .. })).await?;
        tx.commit().await?;
        match &outcome {
            Outcome::Delivered { status } => tracing::info!(delivery_id = %row.id, status, "webhook delivered"),
            Outcome::Retry { error } => {
                tracing::warn!(delivery_id = %row.id, error = %error, "webhook not delivered; will retry")
            }
            Outcome::GaveUp { error } => tracing::error!(delivery_id = %row.id, error = %error, "webhook given up"),
        }
        Ok(Some((row.id, outcome)))
    }

    /// Keeps the endpoint's count of failures in a row; at the limit it is disabled and
    /// the admins get an email, in the same transaction.
    async fn count_failures(&self, tx: &mut TenantTx, endpoint_id: Uuid, delivered: bool) -> Result<()> {
        let company_id = tx.company_id();
        let failures = sqlx::query_scalar!(
            "update webhook_endpoints
             set consecutive_failures = case when $3 then 0 else consecutive_failures + 1 end
             where company_id = $1 and id = $2 returning consecutive_failures",
            company_id,
            endpoint_id,
            delivered
        )
        .fetch_one(tx.conn())
        .await?;
        if delivered || failures < self.settings.disable_after {
            return Ok(());
        }
        let reason = format!("Disabled after {failures} failed deliveries in a row. Fix the endpoint, then enable it.");
        let url = sqlx::query_scalar!(
            "update webhook_endpoints set enabled = false, disabled_reason = $3 where company_id = $1 and id = $2
             returning url",
            company_id,
            endpoint_id,
            reason
        )
        .fetch_one(tx.conn())
        .await?;
        tx.audit("webhook.disabled", "webhook", Some(endpoint_id), None, Some(serde_json::json!({ "reason": reason })))
            .await?;
        let company =
            sqlx::query_scalar!("select name from companies where id = $1", company_id).fetch_one(tx.conn()).await?;
        let admins = sqlx::query!(
            "select id, name, email from users where company_id = $1 and role = 'ADMIN' and deactivated_at is null",
            company_id
        )
        .fetch_all(tx.conn())
        .await?;
        for admin in admins {
            let content = EmailContent {
                subject: "A webhook endpoint was disabled".into(),
                company: company.clone(),
                greeting: format!("Hello {},", admin.name),
                paragraphs: vec![
                    format!("Fieldbook stopped sending events to {url}: its last {failures} deliveries failed."),
                    "Events that happen meanwhile wait. Once the endpoint answers again, enable it on the API & webhooks page and they go out.".into(),
                ],
                items: Vec::new(),
                action: Some(("Open API & webhooks".into(), format!("{}/app/api", self.base_url.trim_end_matches('/')))),
                reason: "You get this email because you are an admin of this company.".into(),
                unsubscribe_url: None,
            };
            let to = Recipient { user_id: Some(admin.id), email: admin.email };
            enqueue(tx, "webhook.disabled", &to, &content).await?;
        }
        tracing::warn!(%endpoint_id, failures, "webhook endpoint disabled");
        Ok(())
    }

    async fn send(&self, url: &str, body: &str, event_id: Uuid, attempt: i32, secrets: &[&str]) -> Answer {
        let started = Instant::now();
        let failed = |error: String| Answer { status: None, excerpt: None, error: Some(error), latency_ms: 0 };
        let allow_private = self.settings.allow_private;
        let parsed = match guard::check_url(url, allow_private) {
            Ok(parsed) => parsed,
            Err(error) => return failed(error),
        };
        let address = match guard::resolve(&parsed, allow_private).await {
            Ok(address) => address,
            Err(error) => return failed(error),
        };
        let host = parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
        // Pinned to the address just checked; never follows a redirect elsewhere.
        let client = match reqwest::Client::builder()
            .resolve(&host, address)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.settings.timeout)
            .user_agent("Fieldbook-Webhooks/1")
            .build()
        {
            Ok(client) => client,
            Err(error) => return failed(error.to_string()),
        };
        let timestamp = chrono::Utc::now().timestamp();
        let sent = client
            .post(parsed)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(signing::TIMESTAMP_HEADER, timestamp.to_string())
            .header(signing::SIGNATURE_HEADER, signing::signature_header(secrets, timestamp, body))
            .header("fieldbook-event-id", event_id.to_string())
            .header("fieldbook-delivery-attempt", attempt.to_string())
            .body(body.to_string())
            .send()
            .await;
        let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        match sent {
            Ok(response) => {
                let status = response.status().as_u16();
                let text = response.text().await.unwrap_or_default();
                let excerpt: String =
                    text.chars().filter(|c| !c.is_control() || *c == '\n').take(EXCERPT_CHARS).collect();
                Answer {
                    status: Some(status),
                    excerpt: Some(excerpt).filter(|e| !e.is_empty()),
                    error: None,
                    latency_ms,
                }
            }
            Err(error) => Answer {
                status: None,
                excerpt: None,
                error: Some(if error.is_timeout() { "timed out".into() } else { error.to_string() }),
                latency_ms,
            },
        }
    }
}

impl DueQueue for Delivery {
    const NAME: &'static str = "webhook deliveries";

    async fn companies_with_due(&self) -> Result<Vec<Uuid>> {
        Ok(sqlx::query_scalar!(r#"select companies_with_due_webhooks() as "id!""#)
            .fetch_all(self.pool.untenanted())
            .await?)
    }

    async fn work_one(&self, company_id: Uuid) -> Result<bool> {
        Ok(self.deliver_one(company_id).await?.is_some())
    }

    async fn seconds_to_next_due(&self) -> Option<f64> {
        sqlx::query_scalar!(r#"select extract(epoch from next_webhook_due_at() - now())::float8 as "secs""#)
            .fetch_one(self.pool.untenanted())
            .await
            .ok()
            .flatten()
    }

    fn poll_interval(&self) -> Duration {
        self.settings.poll_interval
    }
}
