//! Server functions for the audit log (admins only; the server checks).

use super::{AuditPage, AuditQuery};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/rpc", endpoint = "audit/list", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_audit(&rq, query).await
}
