//! The account-email server functions' implementation.

use crate::auth::{request_user, CurrentUser};
use crate::state::AppState;
use app::backend::{AccountEmailsBackend, RequestContext};
use app::error::AppResult;
use app::notifications::{
    AcceptInvitationForm, Invitation, InvitationForm, InvitationInfo, PasswordResetForm, PasswordResetRequest,
    SignInHint,
};
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl AccountEmailsBackend for AppState {
    async fn list_invitations(&self, rq: &RequestContext) -> AppResult<Vec<Invitation>> {
        Ok(super::invitations::list(self, &request_user(rq)?).await?)
    }

    async fn invite(&self, rq: &RequestContext, form: InvitationForm) -> AppResult<Invitation> {
        Ok(super::invitations::invite(self, &request_user(rq)?, form).await?)
    }

    async fn resend_invitation(&self, rq: &RequestContext, id: Uuid) -> AppResult<Invitation> {
        Ok(super::invitations::resend(self, &request_user(rq)?, id).await?)
    }

    async fn revoke_invitation(&self, rq: &RequestContext, id: Uuid) -> AppResult<()> {
        Ok(super::invitations::revoke(self, &request_user(rq)?, id).await?)
    }

    async fn invitation_info(&self, _rq: &RequestContext, token: String) -> AppResult<InvitationInfo> {
        Ok(super::invitations::info(self, &token).await?)
    }

    async fn accept_invitation(&self, _rq: &RequestContext, form: AcceptInvitationForm) -> AppResult<SignInHint> {
        Ok(super::invitations::accept(self, form).await?)
    }

    async fn resend_verification(&self, rq: &RequestContext) -> AppResult<()> {
        let user = CurrentUser::from_extensions_unverified(&rq.parts.extensions)?;
        Ok(super::verification::resend(self, &user).await?)
    }

    async fn verify_email(&self, _rq: &RequestContext, token: String) -> AppResult<SignInHint> {
        Ok(super::verification::verify(self, &token).await?)
    }

    async fn request_password_reset(&self, rq: &RequestContext, form: PasswordResetRequest) -> AppResult<()> {
        Ok(super::reset::request(self, form, &crate::auth::client_info(rq)).await?)
    }

    async fn reset_password(&self, _rq: &RequestContext, form: PasswordResetForm) -> AppResult<SignInHint> {
        Ok(super::reset::reset(self, form).await?)
    }
}
