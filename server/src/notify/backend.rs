//! The notification server functions' implementation.

use crate::auth::request_user;
use crate::state::AppState;
use app::backend::{NotifyBackend, RequestContext};
use app::error::AppResult;
use app::notifications::{EmailPreferences, NotificationPage, OutboxPage, Unsubscribed};
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl NotifyBackend for AppState {
    async fn list_notifications(&self, rq: &RequestContext, before: Option<i64>) -> AppResult<NotificationPage> {
        Ok(super::inbox::list(self, &request_user(rq)?, before).await?)
    }

    async fn unread_notifications(&self, rq: &RequestContext) -> AppResult<i64> {
        Ok(super::inbox::unread_count(self, &request_user(rq)?).await?)
    }

    async fn mark_notification_read(&self, rq: &RequestContext, id: i64) -> AppResult<i64> {
        Ok(super::inbox::mark_read(self, &request_user(rq)?, Some(id)).await?)
    }

    async fn mark_all_notifications_read(&self, rq: &RequestContext) -> AppResult<i64> {
        Ok(super::inbox::mark_read(self, &request_user(rq)?, None).await?)
    }

    async fn email_preferences(&self, rq: &RequestContext) -> AppResult<EmailPreferences> {
        Ok(super::inbox::preferences(self, &request_user(rq)?).await?)
    }

    async fn save_email_preferences(
        &self,
        rq: &RequestContext,
        preferences: EmailPreferences,
    ) -> AppResult<EmailPreferences> {
        Ok(super::inbox::save_preferences(self, &request_user(rq)?, preferences).await?)
    }

    async fn unsubscribe(&self, _rq: &RequestContext, token: String) -> AppResult<Unsubscribed> {
        Ok(super::inbox::unsubscribe(self, &token).await?)
    }

    async fn list_outbox(&self, rq: &RequestContext, status: String) -> AppResult<OutboxPage> {
        Ok(super::inbox::outbox(self, &request_user(rq)?, &status).await?)
    }

    async fn retry_outbox(&self, rq: &RequestContext, id: Uuid) -> AppResult<()> {
        Ok(super::inbox::retry_outbox(self, &request_user(rq)?, id).await?)
    }
}
