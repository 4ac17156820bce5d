//! Invitations: an admin invites an address with a role (and the customer record of
//! a customer user); the mailed link opens the accept page, where the invitee sets
//! a name and password. Invitations expire after a week, can be revoked, and can be
//! sent again (with a new link; the old one stops working).

use super::{begin_for_token, new_link_token};
use crate::auth::tokens::hash_token;
use crate::auth::{password, CurrentUser};
use crate::db::TenantTx;
use crate::error::{OnConstraint, Result};
use crate::notify::outbox::{enqueue, Recipient};
use crate::notify::templates::EmailContent;
use crate::notify::{company_context, Links};
use crate::state::AppState;
use app::auth::Role;
use app::error::AppError;
use app::notifications::{AcceptInvitationForm, Invitation, InvitationForm, InvitationInfo, SignInHint};
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

pub const INVITATION_TTL: chrono::Duration = chrono::Duration::days(7);
const INVALID: &str = "This invitation link is not valid. Ask your admin to send it again.";

/// Open invitations (not accepted, not revoked), newest first; `only` picks one.
async fn open_invitations(tx: &mut TenantTx, only: Option<Uuid>) -> Result<Vec<Invitation>> {
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select i.id, i.email, i.role as "role: Role", c.name as "customer_name?", u.name as invited_by,
                  i.expires_at, i.sent_count
           from invitations i
           join users u on u.company_id = i.company_id and u.id = i.invited_by
           left join customers c on c.company_id = i.company_id and c.id = i.customer_id
           where i.company_id = $1 and ($2::uuid is null or i.id = $2)
             and i.accepted_at is null and i.revoked_at is null
           order by i.created_at desc
           limit 200"#,
        company_id,
        only
    )
    .fetch_all(tx.conn())
    .await?;
    let now = chrono::Utc::now();
    Ok(rows
        .into_iter()
        .map(|row| Invitation {
            id: row.id,
            email: row.email,
            role: row.role,
            customer_name: row.customer_name,
            invited_by: row.invited_by,
            expired: row.expires_at <= now,
            expires_at: row.expires_at,
            sent_count: row.sent_count,
        })
        .collect())
}

async fn find(tx: &mut TenantTx, id: Uuid) -> Result<Invitation> {
    Ok(open_invitations(tx, Some(id)).await?.pop().ok_or(AppError::NotFound)?)
}

/// Open invitations, newest first; expired ones included so they can be sent again.
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser) -> Result<Vec<Invitation>> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let invitations = open_invitations(&mut tx, None).await?;
    tx.commit().await?;
    Ok(invitations)
}

async fn send(tx: &mut TenantTx, links: Links<'_>, id: Uuid, token: &str) -> Result<()> {
    let invitation = find(tx, id).await?;
    let company = company_context(tx).await?;
    let role = match invitation.role {
        Role::Admin => "an admin".to_string(),
        Role::Worker => "a field worker".to_string(),
        Role::Customer => {
            format!("a customer user for {}", invitation.customer_name.as_deref().unwrap_or("a customer"))
        }
    };
    let content = EmailContent {
        subject: format!("{} invited you to {} on Fieldbook", invitation.invited_by, company.name),
        company: company.name.clone(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            format!("{} invited you to join {} on Fieldbook as {role}.", invitation.invited_by, company.name),
            format!(
                "Choose your name and a password to accept. The invitation is valid until {}.",
                crate::clock::schedule_label(invitation.expires_at, company.tz)
            ),
        ],
        items: Vec::new(),
        action: Some(("Accept the invitation".into(), links.url(&format!("/invitation?token={token}")))),
        reason: "You get this email because an admin of this company invited this address.".into(),
        unsubscribe_url: None,
    };
    enqueue(tx, "account.invitation", &Recipient { user_id: None, email: invitation.email }, &content).await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn invite(state: &AppState, admin: &CurrentUser, form: InvitationForm) -> Result<Invitation> {
    admin.require(Role::Admin)?;
    let valid = form.validate()?;
    let subject = format!("{}:{}", admin.company_id(), valid.email.as_str());
    crate::limits::hit(&state.pool, &[(state.settings.limits.email_per_address, subject.as_str())]).await?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let taken = sqlx::query_scalar!(
        r#"select exists(select 1 from users where company_id = $1 and email = $2) as "taken!""#,
        company_id,
        valid.email.as_str()
    )
    .fetch_one(tx.conn())
    .await?;
    if taken {
        return Err(AppError::field("email", "Someone in your company already uses this email.").into());
    }
    if let Some(customer_id) = valid.customer_id {
        let known = sqlx::query_scalar!(
            r#"select exists(select 1 from customers where company_id = $1 and id = $2 and deactivated_at is null) as "ok!""#,
            company_id,
            customer_id
        )
        .fetch_one(tx.conn())
        .await?;
        if !known {
            return Err(AppError::field("customer_id", "Choose one of your active customers.").into());
        }
    }
    let (token, hash) = new_link_token(company_id);
    let id = sqlx::query_scalar!(
        "insert into invitations (company_id, email, role, customer_id, invited_by, token_hash, expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + $7::float8 * interval '1 second') returning id",
        company_id,
        valid.email.as_str(),
        valid.role as Role,
        valid.customer_id,
        admin.user_id(),
        hash,
        INVITATION_TTL.num_seconds() as f64
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("invitations_open_email_key", || {
        AppError::field("email", "This address already has an open invitation: send that one again instead.")
    })?;
    send(&mut tx, state.links(), id, &token).await?;
    let invitation = find(&mut tx, id).await?;
    tx.audit(
        "invitation.created",
        "invitation",
        Some(id),
        None,
        Some(json!({ "email": invitation.email, "role": invitation.role, "customer_id": valid.customer_id })),
    )
    .await?;
    crate::webhooks::emit(
        &mut tx,
        "user.invited",
        &json!({ "invitation_id": id, "email": invitation.email, "role": invitation.role, "customer_id": valid.customer_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(invitation)
}

#[tracing::instrument(skip_all)]
pub async fn resend(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<Invitation> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let before = find(&mut tx, id).await?;
    // Counted per company and address (one company cannot use up another's), outside the
    // transaction so it holds no second pooled connection meanwhile.
    tx.commit().await?;
    let subject = format!("{company_id}:{}", before.email);
    crate::limits::hit(&state.pool, &[(state.settings.limits.email_per_address, subject.as_str())]).await?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    find(&mut tx, id).await?;
    let (token, hash) = new_link_token(company_id);
    sqlx::query!(
        "update invitations set token_hash = $3, expires_at = now() + $4::float8 * interval '1 second',
                                sent_count = sent_count + 1
         where company_id = $1 and id = $2",
        company_id,
        id,
        hash,
        INVITATION_TTL.num_seconds() as f64
    )
    .execute(tx.conn())
    .await?;
    send(&mut tx, state.links(), id, &token).await?;
    let invitation = find(&mut tx, id).await?;
    tx.audit("invitation.resent", "invitation", Some(id), None, Some(json!({ "sent_count": invitation.sent_count })))
        .await?;
    tx.commit().await?;
    Ok(invitation)
}

#[tracing::instrument(skip_all)]
pub async fn revoke(state: &AppState, admin: &CurrentUser, id: Uuid) -> Result<()> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let invitation = find(&mut tx, id).await?;
    sqlx::query!("update invitations set revoked_at = now() where company_id = $1 and id = $2", company_id, id)
        .execute(tx.conn())
        .await?;
    tx.audit("invitation.revoked", "invitation", Some(id), Some(json!({ "email": invitation.email })), None).await?;
    tx.commit().await
}

struct OpenInvitation {
    id: Uuid,
    email: String,
    role: Role,
    customer_id: Option<Uuid>,
    company_name: String,
    slug: String,
}

/// The invitation behind a link, if it can still be accepted; locked for the
/// transaction so two accepts cannot both succeed.
async fn open(tx: &mut TenantTx, token: &str) -> Result<OpenInvitation> {
    let company_id = tx.company_id();
    let row = sqlx::query!(
        r#"select i.id, i.email, i.role as "role: Role", i.customer_id, i.expires_at, i.accepted_at, i.revoked_at,
                  c.name as company_name, c.slug
           from invitations i join companies c on c.id = i.company_id
           where i.company_id = $1 and i.token_hash = $2
           for update of i"#,
        company_id,
        hash_token(token)
    )
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::field("token", INVALID))?;
    if row.accepted_at.is_some() {
        return Err(AppError::field("token", "This invitation was already accepted. Sign in instead.").into());
    }
    if row.revoked_at.is_some() {
        return Err(
            AppError::field("token", "This invitation was withdrawn. Ask your admin if that's a mistake.").into()
        );
    }
    if row.expires_at <= chrono::Utc::now() {
        return Err(AppError::field("token", "This invitation has expired. Ask your admin to send it again.").into());
    }
    Ok(OpenInvitation {
        id: row.id,
        email: row.email,
        role: row.role,
        customer_id: row.customer_id,
        company_name: row.company_name,
        slug: row.slug,
    })
}

#[tracing::instrument(skip_all)]
pub async fn info(state: &AppState, token: &str) -> Result<InvitationInfo> {
    let mut tx = begin_for_token(&state.pool, token, INVALID).await?;
    let found = open(&mut tx, token).await?;
    tx.commit().await?;
    Ok(InvitationInfo {
        company_name: found.company_name,
        company_slug: found.slug,
        email: found.email,
        role: found.role,
    })
}

#[tracing::instrument(skip_all)]
pub async fn accept(state: &AppState, form: AcceptInvitationForm) -> Result<SignInHint> {
    let (name, password) = form.validate()?;
    let password_hash = password::hash(SecretString::from(password.expose().to_string())).await?;
    let mut tx = begin_for_token(&state.pool, &form.token, INVALID).await?;
    let found = open(&mut tx, &form.token).await?;
    let company_id = tx.company_id();
    // The invitation email proves the address: the account starts verified.
    let user_id = sqlx::query_scalar!(
        "insert into users (company_id, email, name, role, password_hash, customer_id, email_verified_at)
         values ($1, $2, $3, $4, $5, $6, now()) returning id",
        company_id,
        found.email,
        name.as_str(),
        found.role as Role,
        password_hash,
        found.customer_id,
    )
    .fetch_one(tx.conn())
    .await
    .on_constraint("users_company_email_key", || {
        AppError::field("token", "An account with this email already exists. Sign in instead.")
    })?;
    sqlx::query!(
        "update invitations set accepted_at = now(), accepted_user_id = $3 where company_id = $1 and id = $2",
        company_id,
        found.id,
        user_id
    )
    .execute(tx.conn())
    .await?;
    tx.set_actor(user_id);
    tx.audit(
        "invitation.accepted",
        "invitation",
        Some(found.id),
        None,
        Some(json!({ "user_id": user_id, "email": found.email, "role": found.role })),
    )
    .await?;
    tx.audit(
        "user.created",
        "user",
        Some(user_id),
        None,
        Some(json!({ "email": found.email, "name": name.as_str(), "role": found.role })),
    )
    .await?;
    crate::webhooks::emit(
        &mut tx,
        "user.joined",
        &json!({ "user_id": user_id, "email": found.email, "name": name.as_str(), "role": found.role }),
    )
    .await?;
    tx.commit().await?;
    Ok(SignInHint { company_slug: found.slug, email: found.email })
}
