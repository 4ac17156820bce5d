//! The webhooks port of `app::backend`: each server function's call, as the signed-in admin.

use crate::auth::request_user;
use crate::state::AppState;
use app::backend::{RequestContext, WebhooksBackend};
use app::error::AppResult;
use app::webhooks::{WebhookEndpoint, WebhookForm, WebhookSecret};
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl WebhooksBackend for AppState {
    async fn list_webhooks(&self, rq: &RequestContext) -> AppResult<Vec<WebhookEndpoint>> {
        Ok(super::list(self, &request_user(rq)?).await?)
    }

    async fn create_webhook(&self, rq: &RequestContext, form: WebhookForm) -> AppResult<WebhookSecret> {
        Ok(super::create(self, &request_user(rq)?, form).await?)
    }

    async fn set_webhook_enabled(&self, rq: &RequestContext, id: Uuid, enabled: bool) -> AppResult<WebhookEndpoint> {
        Ok(super::set_enabled(self, &request_user(rq)?, id, enabled).await?)
    }

    async fn delete_webhook(&self, rq: &RequestContext, id: Uuid) -> AppResult<()> {
        Ok(super::delete(self, &request_user(rq)?, id).await?)
    }

    async fn rotate_webhook_secret(&self, rq: &RequestContext, id: Uuid) -> AppResult<WebhookSecret> {
        Ok(super::rotate_secret(self, &request_user(rq)?, id).await?)
    }

    async fn send_test_webhook(&self, rq: &RequestContext, id: Uuid) -> AppResult<WebhookEndpoint> {
        Ok(super::send_test(self, &request_user(rq)?, id).await?)
    }

    async fn redeliver_webhook(&self, rq: &RequestContext, id: Uuid, delivery_id: Uuid) -> AppResult<WebhookEndpoint> {
        Ok(super::redeliver(self, &request_user(rq)?, id, delivery_id).await?)
    }
}
