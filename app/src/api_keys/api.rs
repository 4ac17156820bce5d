//! Server functions for API keys (admins only; the server checks).

use super::{ApiKeyForm, ApiKeysView, NewApiKey};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "api_keys/list", input = Json)]
pub async fn list_api_keys() -> Result<ApiKeysView, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_api_keys(&rq).await
}

#[server(prefix = "/rpc", endpoint = "api_keys/create", input = Json)]
pub async fn create_api_key(form: ApiKeyForm) -> Result<NewApiKey, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_api_key(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "api_keys/revoke", input = Json)]
pub async fn revoke_api_key(id: Uuid) -> Result<ApiKeysView, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.revoke_api_key(&rq, id).await
}
