//! The durable email outbox: [`enqueue`] inside a business transaction, and the
//! delivery loop that works it.
//!
//! A loop claims one due message at a time with `FOR UPDATE SKIP LOCKED` inside a
//! transaction of that message's company and keeps the row locked while it talks
//! SMTP, then records the outcome and commits. Other loops (in this process or
//! another) skip locked rows, so nothing is sent twice while its sender lives; a
//! sender that dies releases the lock with its connection and the message goes out
//! again later (at least once, same idempotency key).

use super::mailer::{Mailer, OutgoingMail};
use super::templates::EmailContent;
use crate::config::DeliverySettings;
use crate::db::due_queue::{self, DueQueue};
use crate::db::{Actor, AppPool, TenantTx};
use crate::error::Result;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Who an email goes to.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: Option<Uuid>,
    pub email: String,
}

/// Queues an email in the caller's transaction: it exists if and only if the
/// change that caused it commits. Returns the message id (its idempotency key).
pub async fn enqueue(tx: &mut TenantTx, kind: &str, to: &Recipient, content: &EmailContent) -> Result<Uuid> {
    let company_id = tx.company_id();
    let id = sqlx::query_scalar!(
        "insert into outbox (company_id, kind, recipient_id, to_address, subject, body_text, body_html, unsubscribe_url)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        company_id,
        kind,
        to.user_id,
        to.email,
        content.subject,
        content.text(),
        content.html(),
        content.unsubscribe_url,
    )
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

/// The wait before attempt `attempts + 1`, after `attempts` failures: the base,
/// doubled each time, at most six hours.
pub fn retry_delay(base: Duration, attempts: i32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.clamp(1, 20) as u32 - 1);
    base.saturating_mul(factor).min(Duration::from_secs(6 * 3600))
}

/// What one attempt at a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Sent,
    Retry { error: String },
    Dead { error: String },
}

/// One delivery worker: a mailer, a pool, and the retry policy.
#[derive(Clone)]
pub struct Delivery {
    pool: AppPool,
    mailer: Arc<Mailer>,
    settings: DeliverySettings,
}

impl Delivery {
    pub fn new(pool: AppPool, mailer: Arc<Mailer>, settings: DeliverySettings) -> Self {
        Self { pool, mailer, settings }
    }

    /// Sends everything due now, one message per transaction. Returns how many
    /// messages it attempted.
    pub async fn deliver_due(&self) -> Result<usize> {
        due_queue::work_due(self).await
    }

    /// Claims, sends and records one due message of `company_id`, if there is one
    /// that no other worker holds.
    pub async fn deliver_one(&self, company_id: Uuid) -> Result<Option<(Uuid, Attempt)>> {
        let mut tx = TenantTx::begin_as(&self.pool, company_id, Actor::SystemTask).await?;
        let claimed = sqlx::query!(
            "select id, to_address, subject, body_text, body_html, unsubscribe_url, attempts
             from outbox
             where company_id = $1 and status = 'PENDING' and next_attempt_at <= now()
             order by next_attempt_at, id
             limit 1
             for update skip locked",
            company_id
        )
        .fetch_optional(tx.conn())
        .await?;
        let Some(row) = claimed else {
            tx.commit().await?;
            return Ok(None);
        };
        let mail = OutgoingMail {
            id: row.id,
            to: row.to_address,
            subject: row.subject,
            text: row.body_text,
            html: row.body_html,
            unsubscribe_url: row.unsubscribe_url,
        };
        let outcome = match self.mailer.send(&mail).await {
            Ok(()) => Attempt::Sent,
            Err(error) if row.attempts + 1 >= self.settings.max_attempts => Attempt::Dead { error },
            Err(error) => Attempt::Retry { error },
        };
        let retry_after = retry_delay(self.settings.retry_base, row.attempts + 1);
        let (status, error) = match &outcome {
            Attempt::Sent => ("SENT", None),
            Attempt::Retry { error } => ("PENDING", Some(error.as_str())),
            Attempt::Dead { error } => ("DEAD", Some(error.as_str())),
        };
        sqlx::query!(
            "update outbox
             set status = $3::text::outbox_status, attempts = attempts + 1, last_attempt_at = now(),
                 last_error = coalesce($4, last_error),
                 sent_at = case when $3 = 'SENT' then now() end,
                 next_attempt_at = case when $3 = 'PENDING' then now() + $5::float8 * interval '1 second'
                                        else next_attempt_at end
             where company_id = $1 and id = $2",
            company_id,
            mail.id,
            status,
            error,
            retry_after.as_secs_f64(),
        )
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        match &outcome {
            Attempt::Sent => tracing::info!(message_id = %mail.id, "email sent"),
            Attempt::Retry { error } => {
                tracing::warn!(message_id = %mail.id, error = %error, retry_in = ?retry_after, "email not sent; will retry")
            }
            Attempt::Dead { error } => tracing::error!(message_id = %mail.id, error = %error, "email given up"),
        }
        Ok(Some((mail.id, outcome)))
    }
}

impl DueQueue for Delivery {
    const NAME: &'static str = "email outbox";

    async fn companies_with_due(&self) -> Result<Vec<Uuid>> {
        Ok(sqlx::query_scalar!(r#"select companies_with_due_mail() as "id!""#)
            .fetch_all(self.pool.untenanted())
            .await?)
    }

    async fn work_one(&self, company_id: Uuid) -> Result<bool> {
        Ok(self.deliver_one(company_id).await?.is_some())
    }

    async fn seconds_to_next_due(&self) -> Option<f64> {
        sqlx::query_scalar!(r#"select extract(epoch from next_mail_due_at() - now())::float8 as "secs""#)
            .fetch_one(self.pool.untenanted())
            .await
            .ok()
            .flatten()
    }

    fn poll_interval(&self) -> Duration {
        self.settings.poll_interval
    }
}

/// Makes a dead message pending again (an admin's retry). Returns false if the
/// message is not dead (or not this company's).
pub async fn retry(tx: &mut TenantTx, id: Uuid) -> Result<bool> {
    let company_id = tx.company_id();
    let done = sqlx::query!(
        "update outbox set status = 'PENDING', attempts = 0, next_attempt_at = now()
         where company_id = $1 and id = $2 and status = 'DEAD'",
        company_id,
        id
    )
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_and_stop_growing_at_six_hours() {
        let base = Duration::from_secs(30);
        assert_eq!(retry_delay(base, 1), Duration::from_secs(30));
        assert_eq!(retry_delay(base, 2), Duration::from_secs(60));
        assert_eq!(retry_delay(base, 3), Duration::from_secs(120));
        assert_eq!(retry_delay(base, 30), Duration::from_secs(6 * 3600));
    }
}
