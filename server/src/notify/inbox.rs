//! The notification centre (list, unread count, mark read), email preferences,
//! unsubscribe links, and the admins' view of the outbox.

use crate::auth::CurrentUser;
use crate::db::{Actor, AppPool, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::notifications::{
    EmailPreferences, EmailTopic, Notification, NotificationPage, OutboxEntry, OutboxPage, Unsubscribed,
    NOTIFICATIONS_PER_PAGE,
};
use serde_json::json;
use uuid::Uuid;

struct Row {
    id: i64,
    kind: String,
    title: String,
    body: String,
    link: String,
    created_at: chrono::DateTime<chrono::Utc>,
    read_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Row {
    fn into_notification(self, tz: chrono_tz::Tz) -> Notification {
        Notification {
            id: self.id,
            kind: self.kind,
            title: self.title,
            body: self.body,
            link: self.link,
            when: self.created_at.with_timezone(&tz).format("%a %-d %b, %H:%M").to_string(),
            created_at: self.created_at,
            read: self.read_at.is_some(),
        }
    }
}

async fn unread(tx: &mut TenantTx, user_id: Uuid) -> Result<i64> {
    let company_id = tx.company_id();
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from notifications where company_id = $1 and user_id = $2 and read_at is null"#,
        company_id,
        user_id
    )
    .fetch_one(tx.conn())
    .await?)
}

#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, user: &CurrentUser, before: Option<i64>) -> Result<NotificationPage> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let tz = Viewer::load(&mut tx, user).await?.tz;
    let company_id = tx.company_id();
    let mut items: Vec<Notification> = sqlx::query_as!(
        Row,
        "select id, kind, title, body, link, created_at, read_at from notifications
         where company_id = $1 and user_id = $2 and ($3::bigint is null or id < $3)
         order by id desc limit $4",
        company_id,
        user.user_id(),
        before,
        NOTIFICATIONS_PER_PAGE + 1
    )
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(|row| row.into_notification(tz))
    .collect();
    let next_before = if items.len() as i64 > NOTIFICATIONS_PER_PAGE {
        items.truncate(NOTIFICATIONS_PER_PAGE as usize);
        items.last().map(|n| n.id)
    } else {
        None
    };
    let unread = unread(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(NotificationPage { items, unread, next_before })
}

#[tracing::instrument(skip_all)]
pub async fn unread_count(state: &AppState, user: &CurrentUser) -> Result<i64> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let count = unread(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(count)
}

/// One of the user's notifications (the live stream loads each one it announces).
#[tracing::instrument(skip_all)]
pub async fn one(pool: &AppPool, user: &CurrentUser, id: i64) -> Result<Option<Notification>> {
    let mut tx = TenantTx::begin(pool, user).await?;
    let tz = Viewer::load(&mut tx, user).await?.tz;
    let user_id = user.user_id();
    let company_id = tx.company_id();
    let found = sqlx::query_as!(
        Row,
        "select id, kind, title, body, link, created_at, read_at from notifications
         where company_id = $1 and user_id = $2 and id = $3",
        company_id,
        user_id,
        id
    )
    .fetch_optional(tx.conn())
    .await?
    .map(|row| row.into_notification(tz));
    tx.commit().await?;
    Ok(found)
}

/// The user's notifications after `after`, oldest first (a reconnecting stream's backlog).
#[tracing::instrument(skip_all)]
pub async fn newer_than(pool: &AppPool, user: &CurrentUser, after: i64) -> Result<Vec<Notification>> {
    let mut tx = TenantTx::begin(pool, user).await?;
    let tz = Viewer::load(&mut tx, user).await?.tz;
    let company_id = tx.company_id();
    let items = sqlx::query_as!(
        Row,
        "select id, kind, title, body, link, created_at, read_at from notifications
         where company_id = $1 and user_id = $2 and id > $3
         order by id limit 100",
        company_id,
        user.user_id(),
        after
    )
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(|row| row.into_notification(tz))
    .collect();
    tx.commit().await?;
    Ok(items)
}

#[tracing::instrument(skip_all)]
pub async fn mark_read(state: &AppState, user: &CurrentUser, id: Option<i64>) -> Result<i64> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    if let Some(id) = id {
        let exists = sqlx::query_scalar!(
            r#"select exists(select 1 from notifications where company_id = $1 and user_id = $2 and id = $3) as "e!""#,
            company_id,
            user.user_id(),
            id
        )
        .fetch_one(tx.conn())
        .await?;
        if !exists {
            return Err(AppError::NotFound.into());
        }
    }
    sqlx::query!(
        "update notifications set read_at = now()
         where company_id = $1 and user_id = $2 and read_at is null and ($3::bigint is null or id = $3)",
        company_id,
        user.user_id(),
        id
    )
    .execute(tx.conn())
    .await?;
    let count = unread(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(count)
}

#[tracing::instrument(skip_all)]
pub async fn preferences(state: &AppState, user: &CurrentUser) -> Result<EmailPreferences> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let prefs = load_preferences(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(prefs)
}

async fn load_preferences(tx: &mut TenantTx, user_id: Uuid) -> Result<EmailPreferences> {
    let company_id = tx.company_id();
    let row = sqlx::query!(
        "select email_on_submitted, email_on_decided, email_on_assigned from users where company_id = $1 and id = $2",
        company_id,
        user_id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(EmailPreferences {
        submitted: row.email_on_submitted,
        decided: row.email_on_decided,
        assigned: row.email_on_assigned,
    })
}

async fn store_preferences(
    tx: &mut TenantTx,
    user_id: Uuid,
    before: EmailPreferences,
    prefs: EmailPreferences,
) -> Result<()> {
    let company_id = tx.company_id();
    sqlx::query!(
        "update users set email_on_submitted = $3, email_on_decided = $4, email_on_assigned = $5
         where company_id = $1 and id = $2",
        company_id,
        user_id,
        prefs.submitted,
        prefs.decided,
        prefs.assigned
    )
    .execute(tx.conn())
    .await?;
    tx.audit("user.email_preferences_changed", "user", Some(user_id), Some(json!(before)), Some(json!(prefs))).await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn save_preferences(
    state: &AppState,
    user: &CurrentUser,
    prefs: EmailPreferences,
) -> Result<EmailPreferences> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let before = load_preferences(&mut tx, user.user_id()).await?;
    store_preferences(&mut tx, user.user_id(), before, prefs).await?;
    tx.commit().await?;
    Ok(prefs)
}

/// Turns one topic off for the user an unsubscribe link was made for.
#[tracing::instrument(skip_all)]
pub async fn unsubscribe(state: &AppState, token: &str) -> Result<Unsubscribed> {
    let claims = state.keys.decode_unsubscribe(token).ok_or_else(|| {
        AppError::field("token", "This unsubscribe link is not valid. Change your email settings in the app instead.")
    })?;
    let topic = EmailTopic::parse(&claims.topic).ok_or_else(|| AppError::field("token", "Unknown kind of email."))?;
    let mut tx = TenantTx::begin_as(&state.pool, claims.cid, Actor::SignedLink).await?;
    tx.set_actor(claims.sub);
    let before = load_preferences(&mut tx, claims.sub).await?;
    let company_id = tx.company_id();
    let email =
        sqlx::query_scalar!("select email from users where company_id = $1 and id = $2", company_id, claims.sub)
            .fetch_one(tx.conn())
            .await?;
    if before.get(topic) {
        let mut after = before;
        after.set(topic, false);
        store_preferences(&mut tx, claims.sub, before, after).await?;
    }
    tx.commit().await?;
    Ok(Unsubscribed { email, topic: topic.label().to_string() })
}

#[tracing::instrument(skip_all)]
pub async fn outbox(state: &AppState, admin: &CurrentUser, status: &str) -> Result<OutboxPage> {
    admin.require(Role::Admin)?;
    let status = match status.trim().to_uppercase().as_str() {
        "" | "ALL" => None,
        s @ ("PENDING" | "SENT" | "DEAD") => Some(s.to_string()),
        _ => return Err(AppError::field("status", "Choose pending, sent, dead or all.").into()),
    };
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let entries = sqlx::query!(
        r#"select id, kind, to_address, subject, status::text as "status!", attempts, last_error, created_at,
                  next_attempt_at, sent_at
           from outbox where company_id = $1 and ($2::text is null or status::text = $2)
           order by created_at desc limit 100"#,
        company_id,
        status
    )
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(|r| OutboxEntry {
        id: r.id,
        kind: r.kind,
        to: r.to_address,
        subject: r.subject,
        status: r.status,
        attempts: r.attempts,
        last_error: r.last_error,
        created_at: r.created_at,
        next_attempt_at: r.next_attempt_at,
        sent_at: r.sent_at,
    })
    .collect();
    let counts = sqlx::query!(
        r#"select count(*) filter (where status = 'PENDING') as "pending!",
                  count(*) filter (where status = 'DEAD') as "dead!",
                  count(*) filter (where status = 'SENT') as "sent!"
           from outbox where company_id = $1"#,
        company_id
    )
    .fetch_one(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(OutboxPage { entries, pending: counts.pending, dead: counts.dead, sent: counts.sent })
}

#[tracing::instrument(skip_all)]
pub async fn retry_outbox(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<()> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let status = sqlx::query_scalar!(
        r#"select status::text as "s!" from outbox where company_id = $1 and id = $2"#,
        company_id,
        id
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or(AppError::NotFound)?;
    if !super::outbox::retry(&mut tx, id).await? {
        return Err(AppError::conflict(format!(
            "Only messages that were given up can be retried; this one is {}.",
            status.to_lowercase()
        ))
        .into());
    }
    tx.audit("outbox.retried", "outbox", Some(id), None, None).await?;
    tx.commit().await?;
    state.live.outbox_wake.notify_waiters();
    Ok(())
}
