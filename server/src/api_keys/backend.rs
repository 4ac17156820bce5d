//! The API keys port of `app::backend`: each server function's call, as the signed-in admin.

use crate::auth::request_user;
use crate::state::AppState;
use app::api_keys::{ApiKeyForm, ApiKeysView, NewApiKey};
use app::backend::{ApiKeysBackend, RequestContext};
use app::error::AppResult;
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl ApiKeysBackend for AppState {
    async fn list_api_keys(&self, rq: &RequestContext) -> AppResult<ApiKeysView> {
        Ok(super::list(self, &request_user(rq)?).await?)
    }

    async fn create_api_key(&self, rq: &RequestContext, form: ApiKeyForm) -> AppResult<NewApiKey> {
        Ok(super::create(self, &request_user(rq)?, form).await?)
    }

    async fn revoke_api_key(&self, rq: &RequestContext, id: Uuid) -> AppResult<ApiKeysView> {
        Ok(super::revoke(self, &request_user(rq)?, id).await?)
    }
}
