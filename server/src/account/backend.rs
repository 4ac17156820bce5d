//! The account port of `app::backend`: each server function's call, as the signed-in user.

use super::{change_password, list_sessions, revoke_session, update_profile};
use crate::auth::request_user;
use crate::state::AppState;
use app::account::{DeviceSession, PasswordChangeForm, ProfileForm};
use app::auth::SessionUser;
use app::backend::{AccountBackend, RequestContext};
use app::error::AppResult;
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl AccountBackend for AppState {
    async fn update_profile(&self, rq: &RequestContext, form: ProfileForm) -> AppResult<SessionUser> {
        Ok(update_profile(self, &request_user(rq)?, form).await?)
    }

    async fn change_password(&self, rq: &RequestContext, form: PasswordChangeForm) -> AppResult<()> {
        Ok(change_password(self, &request_user(rq)?, form).await?)
    }

    async fn list_sessions(&self, rq: &RequestContext) -> AppResult<Vec<DeviceSession>> {
        Ok(list_sessions(self, &request_user(rq)?).await?)
    }

    async fn revoke_session(&self, rq: &RequestContext, session_id: Uuid) -> AppResult<()> {
        Ok(revoke_session(self, &request_user(rq)?, session_id).await?)
    }
}
