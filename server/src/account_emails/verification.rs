//! Email verification: a link mailed at sign-up (and on request), single use,
//! valid for two days. Until it is followed an admin sees only "check your email".

use super::{begin_for_token, new_link_token};
use crate::auth::tokens::hash_token;
use crate::auth::CurrentUser;
use crate::db::{Actor, TenantTx};
use crate::error::Result;
use crate::notify::outbox::{enqueue, Recipient};
use crate::notify::templates::EmailContent;
use crate::notify::{company_context, Links};
use crate::state::AppState;
use app::error::AppError;
use app::notifications::SignInHint;
use uuid::Uuid;

pub const VERIFY_TTL: chrono::Duration = chrono::Duration::hours(48);
const INVALID: &str = "This link is not valid. Sign in and ask for a new one.";

/// Queues a verification email for `user_id` (in the caller's transaction).
#[tracing::instrument(skip_all)]
pub async fn send_link(tx: &mut TenantTx, links: Links<'_>, user_id: Uuid) -> Result<()> {
    let company_id = tx.company_id();
    let user = sqlx::query!("select name, email from users where company_id = $1 and id = $2", company_id, user_id)
        .fetch_one(tx.conn())
        .await?;
    // A new link replaces any earlier one.
    sqlx::query!(
        "update account_tokens set used_at = now()
         where company_id = $1 and user_id = $2 and purpose = 'VERIFY_EMAIL' and used_at is null",
        company_id,
        user_id
    )
    .execute(tx.conn())
    .await?;
    let (token, hash) = new_link_token(company_id);
    sqlx::query!(
        "insert into account_tokens (company_id, user_id, purpose, token_hash, expires_at)
         values ($1, $2, 'VERIFY_EMAIL', $3, now() + $4::float8 * interval '1 second')",
        company_id,
        user_id,
        hash,
        VERIFY_TTL.num_seconds() as f64
    )
    .execute(tx.conn())
    .await?;
    let company = company_context(tx).await?;
    let content = EmailContent {
        subject: format!("Confirm your email address for {}", company.name),
        company: company.name.clone(),
        greeting: format!("Hello {},", user.name),
        paragraphs: vec![
            format!(
                "Welcome to Fieldbook. Confirm that {} is your address to start using {}.",
                user.email, company.name
            ),
            "The link works once and for 48 hours. If you did not sign up, ignore this email.".into(),
        ],
        items: Vec::new(),
        action: Some(("Confirm my email".into(), links.url(&format!("/verify-email?token={token}")))),
        reason: "You get this email because this address was used to sign up.".into(),
        unsubscribe_url: None,
    };
    enqueue(tx, "account.verify_email", &Recipient { user_id: Some(user_id), email: user.email }, &content).await?;
    Ok(())
}

/// Marks an address verified without a link, and withdraws the pending link and
/// its email: for addresses the server itself vouches for (the demo data).
pub(crate) async fn trust_address(pool: &crate::db::AppPool, company_id: Uuid, user_id: Uuid) -> Result<()> {
    let mut tx = TenantTx::begin_as(pool, company_id, Actor::SystemTask).await?;
    sqlx::query!(
        "update users set email_verified_at = coalesce(email_verified_at, now()) where company_id = $1 and id = $2",
        company_id,
        user_id
    )
    .execute(tx.conn())
    .await?;
    sqlx::query!(
        "update account_tokens set used_at = now() where company_id = $1 and user_id = $2 and used_at is null",
        company_id,
        user_id
    )
    .execute(tx.conn())
    .await?;
    sqlx::query!(
        "delete from outbox where company_id = $1 and recipient_id = $2 and kind = 'account.verify_email' and status = 'PENDING'",
        company_id,
        user_id
    )
    .execute(tx.conn())
    .await?;
    tx.commit().await
}

/// "Send me a new link", from the check-your-email page. At most one every minute.
#[tracing::instrument(skip_all)]
pub async fn resend(state: &AppState, user: &CurrentUser) -> Result<()> {
    let subject = format!("user:{}", user.user_id());
    crate::limits::hit(&state.pool, &[(state.settings.limits.email_per_address, subject.as_str())]).await?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    let row = sqlx::query!(
        r#"select email_verified_at is not null as "verified!",
                  (select max(created_at) from account_tokens t
                   where t.company_id = u.company_id and t.user_id = u.id and t.purpose = 'VERIFY_EMAIL') as last_sent
           from users u where company_id = $1 and id = $2"#,
        company_id,
        user.user_id()
    )
    .fetch_one(tx.conn())
    .await?;
    if row.verified {
        return Err(AppError::conflict("Your email address is already confirmed.").into());
    }
    if row.last_sent.is_some_and(|at| chrono::Utc::now() - at < chrono::Duration::minutes(1)) {
        return Err(AppError::TooManyRequests { retry_after_secs: 60 }.into());
    }
    send_link(&mut tx, state.links(), user.user_id()).await?;
    tx.audit("user.verification_sent", "user", Some(user.user_id()), None, None).await?;
    tx.commit().await
}

/// Follows a verification link: marks the address verified and uses the token up.
#[tracing::instrument(skip_all)]
pub async fn verify(state: &AppState, token: &str) -> Result<SignInHint> {
    let mut tx = begin_for_token(&state.pool, token, INVALID).await?;
    let company_id = tx.company_id();
    let row = sqlx::query!(
        "select t.id, t.user_id, t.expires_at, t.used_at, u.email, c.slug
         from account_tokens t
         join users u on u.company_id = t.company_id and u.id = t.user_id
         join companies c on c.id = t.company_id
         where t.company_id = $1 and t.token_hash = $2 and t.purpose = 'VERIFY_EMAIL'
         for update of t",
        company_id,
        hash_token(token)
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::field("token", INVALID))?;
    if row.used_at.is_some() {
        return Err(AppError::field("token", "This link was already used. Sign in to continue.").into());
    }
    if row.expires_at <= chrono::Utc::now() {
        return Err(AppError::field("token", "This link has expired. Sign in and ask for a new one.").into());
    }
    sqlx::query!("update account_tokens set used_at = now() where company_id = $1 and id = $2", company_id, row.id)
        .execute(tx.conn())
        .await?;
    sqlx::query!(
        "update users set email_verified_at = coalesce(email_verified_at, now()) where company_id = $1 and id = $2",
        company_id,
        row.user_id
    )
    .execute(tx.conn())
    .await?;
    tx.set_actor(row.user_id);
    tx.audit("user.email_verified", "user", Some(row.user_id), None, None).await?;
    tx.commit().await?;
    Ok(SignInHint { company_slug: row.slug, email: row.email })
}
