//! Server functions for authentication. Thin adapters: the server's auth
//! service does the work and decides (see `crate::backend`).

use super::{LoginForm, SessionUser, SignUpForm, WorkspaceInfo};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/rpc", endpoint = "auth/session", input = Json)]
pub async fn get_session() -> Result<Option<SessionUser>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.session(&rq).await
}

#[server(prefix = "/rpc", endpoint = "auth/sign_up", input = Json)]
pub async fn sign_up(form: SignUpForm) -> Result<SessionUser, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.sign_up(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "auth/log_in", input = Json)]
pub async fn log_in(form: LoginForm) -> Result<SessionUser, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.log_in(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "auth/log_out", input = Json)]
pub async fn log_out() -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.log_out(&rq).await
}

/// Ends every session of the signed-in user, on every device.
#[server(prefix = "/rpc", endpoint = "auth/log_out_everywhere", input = Json)]
pub async fn log_out_everywhere() -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.log_out_everywhere(&rq).await
}

#[server(prefix = "/rpc", endpoint = "auth/workspace", input = Json)]
pub async fn get_workspace(slug: String) -> Result<WorkspaceInfo, AppError> {
    let (backend, _) = crate::backend::context()?;
    backend.workspace(slug).await
}

/// IANA timezone names the server accepts.
#[server(prefix = "/rpc", endpoint = "auth/timezones", input = Json)]
pub async fn list_timezones() -> Result<Vec<String>, AppError> {
    let (backend, _) = crate::backend::context()?;
    Ok(backend.timezones())
}
