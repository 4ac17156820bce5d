//! Server functions for the signed-in user's own account.

use super::{DeviceSession, PasswordChangeForm, ProfileForm};
use crate::auth::SessionUser;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "account/update_profile", input = Json)]
pub async fn update_profile(form: ProfileForm) -> Result<SessionUser, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.update_profile(&rq, form).await
}

/// Changes the password and ends every other session.
#[server(prefix = "/rpc", endpoint = "account/change_password", input = Json)]
pub async fn change_password(form: PasswordChangeForm) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.change_password(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "account/sessions", input = Json)]
pub async fn list_sessions() -> Result<Vec<DeviceSession>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_sessions(&rq).await
}

#[server(prefix = "/rpc", endpoint = "account/revoke_session", input = Json)]
pub async fn revoke_session(session_id: Uuid) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.revoke_session(&rq, session_id).await
}
