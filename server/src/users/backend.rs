//! The users port of `app::backend`: each server function's call, as the signed-in user.

use super::{change_role, create, deactivate, link_customer, list, restore};
use crate::state::AppState;
use app::backend::{RequestContext, UsersBackend};
use app::error::AppResult;
use app::users::{NewUserForm, UserListQuery, UserPage, UserSummary};
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl UsersBackend for AppState {
    async fn link_user_customer(
        &self,
        rq: &RequestContext,
        user_id: Uuid,
        customer_id: Option<Uuid>,
    ) -> AppResult<UserSummary> {
        Ok(link_customer(self, &crate::auth::request_user(rq)?, user_id, customer_id).await?)
    }

    async fn list_users(&self, rq: &RequestContext, query: UserListQuery) -> AppResult<UserPage> {
        Ok(list(self, &crate::auth::request_user(rq)?, query).await?)
    }

    async fn create_user(&self, rq: &RequestContext, form: NewUserForm) -> AppResult<UserSummary> {
        Ok(create(self, &crate::auth::request_user(rq)?, form, crate::db::idempotency_key(rq)?).await?)
    }

    async fn change_user_role(&self, rq: &RequestContext, user_id: Uuid, role: String) -> AppResult<UserSummary> {
        Ok(change_role(self, &crate::auth::request_user(rq)?, user_id, role).await?)
    }

    async fn deactivate_user(&self, rq: &RequestContext, user_id: Uuid) -> AppResult<UserSummary> {
        Ok(deactivate(self, &crate::auth::request_user(rq)?, user_id).await?)
    }

    async fn restore_user(&self, rq: &RequestContext, user_id: Uuid) -> AppResult<UserSummary> {
        Ok(restore(self, &crate::auth::request_user(rq)?, user_id).await?)
    }
}
