//! The audit port of `app::backend`: the server function's call, as the signed-in user.

use crate::auth::request_user;
use crate::state::AppState;
use app::audit::{AuditPage, AuditQuery};
use app::backend::{AuditBackend, RequestContext};
use app::error::AppResult;
use async_trait::async_trait;

#[async_trait]
impl AuditBackend for AppState {
    async fn list_audit(&self, rq: &RequestContext, query: AuditQuery) -> AppResult<AuditPage> {
        Ok(super::list(self, &request_user(rq)?, query).await?)
    }
}
