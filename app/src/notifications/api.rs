//! Server functions: the notification centre, email preferences, the outbox for
//! admins, invitations, and the account emails' links (verification, reset).

use super::{
    AcceptInvitationForm, EmailPreferences, Invitation, InvitationForm, InvitationInfo, NotificationPage, OutboxPage,
    PasswordResetForm, PasswordResetRequest, SignInHint, Unsubscribed,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "notifications/list", input = Json)]
pub async fn list_notifications(before: Option<i64>) -> Result<NotificationPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_notifications(&rq, before).await
}

#[server(prefix = "/rpc", endpoint = "notifications/unread", input = Json)]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.unread_notifications(&rq).await
}

/// Marks one notification read; answers the unread count after.
#[server(prefix = "/rpc", endpoint = "notifications/mark_read", input = Json)]
pub async fn mark_notification_read(id: i64) -> Result<i64, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.mark_notification_read(&rq, id).await
}

#[server(prefix = "/rpc", endpoint = "notifications/mark_all_read", input = Json)]
pub async fn mark_all_notifications_read() -> Result<i64, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.mark_all_notifications_read(&rq).await
}

#[server(prefix = "/rpc", endpoint = "notifications/preferences", input = Json)]
pub async fn load_email_preferences() -> Result<EmailPreferences, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.email_preferences(&rq).await
}

#[server(prefix = "/rpc", endpoint = "notifications/save_preferences", input = Json)]
pub async fn save_email_preferences(preferences: EmailPreferences) -> Result<EmailPreferences, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.save_email_preferences(&rq, preferences).await
}

/// The unsubscribe link of a non-essential email (no sign-in needed).
#[server(prefix = "/rpc", endpoint = "notifications/unsubscribe", input = Json)]
pub async fn unsubscribe(token: String) -> Result<Unsubscribed, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.unsubscribe(&rq, token).await
}

#[server(prefix = "/rpc", endpoint = "outbox/list", input = Json)]
pub async fn list_outbox(status: String) -> Result<OutboxPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_outbox(&rq, status).await
}

#[server(prefix = "/rpc", endpoint = "outbox/retry", input = Json)]
pub async fn retry_outbox(id: Uuid) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.retry_outbox(&rq, id).await
}

#[server(prefix = "/rpc", endpoint = "users/invitations", input = Json)]
pub async fn list_invitations() -> Result<Vec<Invitation>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_invitations(&rq).await
}

#[server(prefix = "/rpc", endpoint = "users/invite", input = Json)]
pub async fn invite(form: InvitationForm) -> Result<Invitation, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.invite(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "users/resend_invitation", input = Json)]
pub async fn resend_invitation(id: Uuid) -> Result<Invitation, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.resend_invitation(&rq, id).await
}

#[server(prefix = "/rpc", endpoint = "users/revoke_invitation", input = Json)]
pub async fn revoke_invitation(id: Uuid) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.revoke_invitation(&rq, id).await
}

/// What an invitation link is for (the accept page's header).
#[server(prefix = "/rpc", endpoint = "auth/invitation", input = Json)]
pub async fn load_invitation(token: String) -> Result<InvitationInfo, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.invitation_info(&rq, token).await
}

#[server(prefix = "/rpc", endpoint = "auth/accept_invitation", input = Json)]
pub async fn accept_invitation(form: AcceptInvitationForm) -> Result<SignInHint, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.accept_invitation(&rq, form).await
}

/// Sends the signed-in (unverified) user a new verification link.
#[server(prefix = "/rpc", endpoint = "auth/resend_verification", input = Json)]
pub async fn resend_verification() -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.resend_verification(&rq).await
}

#[server(prefix = "/rpc", endpoint = "auth/verify_email", input = Json)]
pub async fn verify_email(token: String) -> Result<SignInHint, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.verify_email(&rq, token).await
}

/// Always answers the same, whether the address has an account or not.
#[server(prefix = "/rpc", endpoint = "auth/request_password_reset", input = Json)]
pub async fn request_password_reset(form: PasswordResetRequest) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.request_password_reset(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "auth/reset_password", input = Json)]
pub async fn reset_password(form: PasswordResetForm) -> Result<SignInHint, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.reset_password(&rq, form).await
}
