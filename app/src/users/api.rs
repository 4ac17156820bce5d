//! Server functions for user management (admins only; the server checks).

use super::{NewUserForm, UserListQuery, UserPage, UserSummary};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "users/list", input = Json)]
pub async fn list_users(query: UserListQuery) -> Result<UserPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_users(&rq, query).await
}

#[server(prefix = "/rpc", endpoint = "users/create", input = Json)]
pub async fn create_user(form: NewUserForm) -> Result<UserSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_user(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "users/change_role", input = Json)]
pub async fn change_user_role(user_id: Uuid, role: String) -> Result<UserSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.change_user_role(&rq, user_id, role).await
}

/// Deactivates a user and ends their sessions at once.
#[server(prefix = "/rpc", endpoint = "users/deactivate", input = Json)]
pub async fn deactivate_user(user_id: Uuid) -> Result<UserSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.deactivate_user(&rq, user_id).await
}

#[server(prefix = "/rpc", endpoint = "users/restore", input = Json)]
pub async fn restore_user(user_id: Uuid) -> Result<UserSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.restore_user(&rq, user_id).await
}

/// Links a customer login to a customer record; `None` unlinks.
#[server(prefix = "/rpc", endpoint = "users/link_customer", input = Json)]
pub async fn link_user_customer(user_id: Uuid, customer_id: Option<Uuid>) -> Result<UserSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.link_user_customer(&rq, user_id, customer_id).await
}
