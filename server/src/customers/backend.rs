//! The customers port of `app::backend`: each server function's call, as the signed-in user.

use super::{create, get, list, options, set_active, update};
use crate::auth::request_user;
use crate::db::idempotency_key;
use crate::state::AppState;
use app::backend::{CustomersBackend, RequestContext};
use app::customers::{CustomerForm, CustomerListQuery, CustomerOption, CustomerPage, CustomerSummary};
use app::error::AppResult;
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl CustomersBackend for AppState {
    async fn customer_options(&self, rq: &RequestContext) -> AppResult<Vec<CustomerOption>> {
        Ok(options(self, &request_user(rq)?).await?)
    }

    async fn list_customers(&self, rq: &RequestContext, query: CustomerListQuery) -> AppResult<CustomerPage> {
        Ok(list(self, &request_user(rq)?, query).await?)
    }

    async fn get_customer(&self, rq: &RequestContext, id: Uuid) -> AppResult<CustomerSummary> {
        Ok(get(self, &request_user(rq)?, id).await?)
    }

    async fn create_customer(&self, rq: &RequestContext, form: CustomerForm) -> AppResult<CustomerSummary> {
        Ok(create(self, &request_user(rq)?, form, idempotency_key(rq)?).await?)
    }

    async fn update_customer(&self, rq: &RequestContext, id: Uuid, form: CustomerForm) -> AppResult<CustomerSummary> {
        Ok(update(self, &request_user(rq)?, id, form, None).await?)
    }

    async fn set_customer_active(&self, rq: &RequestContext, id: Uuid, active: bool) -> AppResult<CustomerSummary> {
        Ok(set_active(self, &request_user(rq)?, id, active).await?)
    }
}
