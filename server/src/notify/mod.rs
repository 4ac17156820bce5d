//! Notifications: the in-app notification centre with live delivery, the durable
//! email outbox and its delivery loops, templates, and the events that notify.

pub mod backend;
pub mod events;
pub mod inbox;
pub mod live;
pub mod mailer;
pub mod outbox;
pub mod templates;

use crate::auth::tokens::JwtKeys;
use crate::db::TenantTx;
use crate::error::Result;
use crate::state::AppState;
use app::notifications::EmailTopic;
use uuid::Uuid;

/// What building an email needs beyond the transaction: absolute links and signed
/// unsubscribe tokens.
#[derive(Clone, Copy)]
pub struct Links<'a> {
    base_url: &'a str,
    keys: &'a JwtKeys,
}

impl<'a> Links<'a> {
    pub fn new(base_url: &'a str, keys: &'a JwtKeys) -> Self {
        Self { base_url, keys }
    }

    /// An absolute URL for a path of the app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub fn unsubscribe(&self, user_id: Uuid, company_id: Uuid, topic: EmailTopic) -> String {
        self.url(&format!("/unsubscribe?token={}", self.keys.unsubscribe_token(user_id, company_id, topic.key())))
    }
}

impl AppState {
    pub fn links(&self) -> Links<'_> {
        Links::new(&self.settings.base_url, &self.keys)
    }
}

/// The company's name and timezone, for email text.
pub struct CompanyContext {
    pub name: String,
    pub tz: chrono_tz::Tz,
}

pub async fn company_context(tx: &mut TenantTx) -> Result<CompanyContext> {
    let company_id = tx.company_id();
    let row =
        sqlx::query!("select name, timezone from companies where id = $1", company_id).fetch_one(tx.conn()).await?;
    Ok(CompanyContext { name: row.name, tz: crate::clock::timezone(&row.timezone)? })
}

/// Records an in-app notification for `user_id` in the caller's transaction; the
/// database announces it to every server process on commit.
pub async fn notify(tx: &mut TenantTx, user_id: Uuid, kind: &str, title: &str, body: &str, link: &str) -> Result<()> {
    let company_id = tx.company_id();
    sqlx::query!(
        "insert into notifications (company_id, user_id, kind, title, body, link) values ($1, $2, $3, $4, $5, $6)",
        company_id,
        user_id,
        kind,
        truncate(title, 200),
        truncate(body, 2000),
        link
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}
