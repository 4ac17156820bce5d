//! Password reset by email: the request answers the same whether the address has
//! an account or not; the link works once, for one hour; using it sets the new
//! password, ends every session of the user, and mails a confirmation.

use super::{begin_for_token, new_link_token};
use crate::auth::service::{company_by_slug, revoke_user_sessions};
use crate::auth::ClientInfo;
use crate::auth::{password, tokens::hash_token};
use crate::db::{Actor, TenantTx};
use crate::error::Result;
use crate::notify::company_context;
use crate::notify::outbox::{enqueue, Recipient};
use crate::notify::templates::EmailContent;
use crate::state::AppState;
use app::error::AppError;
use app::notifications::{PasswordResetForm, PasswordResetRequest, SignInHint};
use secrecy::SecretString;
use serde_json::json;

pub const RESET_TTL: chrono::Duration = chrono::Duration::hours(1);
const INVALID: &str = "This reset link is not valid. Ask for a new one.";

#[tracing::instrument(skip_all)]
pub async fn request(state: &AppState, form: PasswordResetRequest, client: &ClientInfo) -> Result<()> {
    form.validate()?;
    let slug = form.workspace.trim().to_lowercase();
    let email = form.email.trim().to_lowercase();
    // Counted for every request, known address or not, so the answer reveals nothing.
    let limits = &state.settings.limits;
    let ip = client.limit_subject();
    let address = format!("{slug}:{email}");
    let mut attempt = vec![(limits.reset_per_account, address.as_str())];
    if let Some(ip) = &ip {
        attempt.push((limits.reset_per_ip, ip.as_str()));
    }
    crate::limits::hit(&state.pool, &attempt).await?;
    let Some(company) = company_by_slug(&state.pool, &slug).await? else {
        return Ok(());
    };
    let mut tx = TenantTx::begin_as(&state.pool, company.id, Actor::PreLogin).await?;
    let company_id = tx.company_id();
    let user = sqlx::query!(
        "select u.id, u.name from users u where company_id = $1 and email = $2 and deactivated_at is null",
        company_id,
        email
    )
    .fetch_optional(tx.conn())
    .await?;
    // Unknown addresses get the same quiet answer as known ones.
    let Some(user) = user else {
        tx.commit().await?;
        return Ok(());
    };
    let (token, hash) = new_link_token(company_id);
    sqlx::query!(
        "insert into account_tokens (company_id, user_id, purpose, token_hash, expires_at)
         values ($1, $2, 'RESET_PASSWORD', $3, now() + $4::float8 * interval '1 second')",
        company_id,
        user.id,
        hash,
        RESET_TTL.num_seconds() as f64
    )
    .execute(tx.conn())
    .await?;
    let links = state.links();
    let content = EmailContent {
        subject: "Reset your Fieldbook password".into(),
        company: company.name.clone(),
        greeting: format!("Hello {},", user.name),
        paragraphs: vec![
            format!("Someone asked to reset the password of {email} at {}.", company.name),
            "The link works once, for one hour. If it wasn't you, ignore this email: your password stays as it is."
                .into(),
        ],
        items: Vec::new(),
        action: Some(("Choose a new password".into(), links.url(&format!("/reset-password?token={token}")))),
        reason: "You get this email because a password reset was requested for your account.".into(),
        unsubscribe_url: None,
    };
    enqueue(&mut tx, "account.password_reset", &Recipient { user_id: Some(user.id), email: email.clone() }, &content)
        .await?;
    tx.set_actor(user.id);
    tx.audit("user.password_reset_requested", "user", Some(user.id), None, None).await?;
    tx.commit().await
}

#[tracing::instrument(skip_all)]
pub async fn reset(state: &AppState, form: PasswordResetForm) -> Result<SignInHint> {
    let password = form.validate()?;
    let mut tx = begin_for_token(&state.pool, &form.token, INVALID).await?;
    let company_id = tx.company_id();
    let row = sqlx::query!(
        "select t.id, t.user_id, t.expires_at, t.used_at, u.email, u.name, u.deactivated_at, c.slug
         from account_tokens t
         join users u on u.company_id = t.company_id and u.id = t.user_id
         join companies c on c.id = t.company_id
         where t.company_id = $1 and t.token_hash = $2 and t.purpose = 'RESET_PASSWORD'
         for update of t",
        company_id,
        hash_token(&form.token)
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::field("token", INVALID))?;
    if row.used_at.is_some() {
        return Err(AppError::field("token", "This reset link was already used. Ask for a new one.").into());
    }
    if row.expires_at <= chrono::Utc::now() || row.deactivated_at.is_some() {
        return Err(AppError::field("token", "This reset link has expired. Ask for a new one.").into());
    }
    let hash = password::hash(SecretString::from(password.expose().to_string())).await?;
    // Every open reset link of this user is used up, not just this one.
    sqlx::query!(
        "update account_tokens set used_at = now()
         where company_id = $1 and user_id = $2 and purpose = 'RESET_PASSWORD' and used_at is null",
        company_id,
        row.user_id
    )
    .execute(tx.conn())
    .await?;
    // Following the link proves the address, too.
    sqlx::query!(
        "update users set password_hash = $3, email_verified_at = coalesce(email_verified_at, now())
         where company_id = $1 and id = $2",
        company_id,
        row.user_id,
        hash
    )
    .execute(tx.conn())
    .await?;
    tx.set_actor(row.user_id);
    let ended = revoke_user_sessions(&mut tx, row.user_id, None, "password_reset").await?;
    let company = company_context(&mut tx).await?;
    let links = state.links();
    let content = EmailContent {
        subject: "Your Fieldbook password was changed".into(),
        company: company.name.clone(),
        greeting: format!("Hello {},", row.name),
        paragraphs: vec![
            format!(
                "The password of {} at {} was just reset, and every device was signed out.",
                row.email, company.name
            ),
            "If this wasn't you, reset your password again at once and tell your admin.".into(),
        ],
        items: Vec::new(),
        action: Some(("Sign in".into(), links.url(&format!("/{}/login", row.slug)))),
        reason: "You get this email because your password changed.".into(),
        unsubscribe_url: None,
    };
    enqueue(
        &mut tx,
        "account.password_changed",
        &Recipient { user_id: Some(row.user_id), email: row.email.clone() },
        &content,
    )
    .await?;
    tx.audit("user.password_reset", "user", Some(row.user_id), None, Some(json!({ "sessions_ended": ended }))).await?;
    tx.commit().await?;
    Ok(SignInHint { company_slug: row.slug, email: row.email })
}
