//! A new company: its workspace, its first admin, the default job statuses, the
//! verification email, and the admin's first session — in one transaction.

use crate::auth::{ClientInfo, IssuedTokens};
use crate::db::{Actor, TenantTx};
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use app::auth::{CompanyInfo, Role, SessionUser, SignUpForm};
use app::error::AppError;
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

#[tracing::instrument(skip_all)]
pub async fn sign_up(state: &AppState, form: SignUpForm, client: &ClientInfo) -> Result<(SessionUser, IssuedTokens)> {
    let valid = form.validate()?;
    if crate::clock::timezone(valid.timezone.as_str()).is_err() {
        return Err(AppError::field("timezone", "Choose a timezone from the list.").into());
    }
    // Each sign-up mails a verification link: limited per client and per address, so
    // nobody can make Fieldbook mail a stranger over and over.
    let limits = &state.settings.limits;
    let ip = client.limit_subject();
    let mut attempt = vec![(limits.email_per_address, valid.email.as_str())];
    if let Some(ip) = &ip {
        attempt.push((limits.signup_per_ip, ip.as_str()));
    }
    crate::limits::hit(&state.pool, &attempt).await?;
    let password_hash = crate::auth::password::hash(SecretString::from(valid.password.expose().to_string())).await?;
    let company_id = Uuid::new_v4();
    let mut tx = TenantTx::begin_as(&state.pool, company_id, Actor::PreLogin).await?;

    let company = sqlx::query_as!(
        CompanyInfo,
        "insert into companies (id, name, slug, timezone) values ($1, $2, $3, $4)
         returning id, name, slug, timezone",
        company_id,
        valid.company_name.as_str(),
        valid.slug.as_str(),
        valid.timezone.as_str(),
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("companies_slug_key", || AppError::field("slug", "That address is taken. Try another."))
    .on_constraint("companies_timezone_check", || AppError::field("timezone", "Choose a timezone from the list."))?;

    let user_id = sqlx::query_scalar!(
        "insert into users (company_id, email, name, role, password_hash) values ($1, $2, $3, 'ADMIN', $4)
         returning id",
        company_id,
        valid.email.as_str(),
        valid.admin_name.as_str(),
        password_hash,
    )
    .fetch_one(tx.conn())
    .await?;
    tx.set_actor(user_id);
    tx.audit(
        "company.created",
        "company",
        Some(company_id),
        None,
        Some(json!({ "name": company.name, "slug": company.slug, "timezone": company.timezone })),
    )
    .await?;
    tx.audit(
        "user.created",
        "user",
        Some(user_id),
        None,
        Some(json!({ "email": valid.email.as_str(), "name": valid.admin_name.as_str(), "role": "ADMIN" })),
    )
    .await?;
    crate::statuses::seed_defaults(&mut tx).await?;
    crate::account_emails::verification::send_link(&mut tx, state.links(), user_id).await?;
    let tokens = crate::auth::service::start_session(state, &mut tx, user_id, Role::Admin, client).await?;
    tx.commit().await?;

    let user = SessionUser {
        user_id,
        name: valid.admin_name.as_str().to_string(),
        email: valid.email.as_str().to_string(),
        role: Role::Admin,
        timezone: company.timezone.clone(),
        email_verified: false,
        company,
    };
    Ok((user, tokens))
}
