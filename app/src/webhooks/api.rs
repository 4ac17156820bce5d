//! Server functions for webhooks (admins only; the server checks).

use super::{WebhookEndpoint, WebhookForm, WebhookSecret};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "webhooks/list", input = Json)]
pub async fn list_webhooks() -> Result<Vec<WebhookEndpoint>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_webhooks(&rq).await
}

#[server(prefix = "/rpc", endpoint = "webhooks/create", input = Json)]
pub async fn create_webhook(form: WebhookForm) -> Result<WebhookSecret, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_webhook(&rq, form).await
}

/// Turns an endpoint on (clearing its failures) or off.
#[server(prefix = "/rpc", endpoint = "webhooks/set_enabled", input = Json)]
pub async fn set_webhook_enabled(id: Uuid, enabled: bool) -> Result<WebhookEndpoint, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.set_webhook_enabled(&rq, id, enabled).await
}

#[server(prefix = "/rpc", endpoint = "webhooks/delete", input = Json)]
pub async fn delete_webhook(id: Uuid) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.delete_webhook(&rq, id).await
}

/// A new signing secret; the old one keeps signing for a day.
#[server(prefix = "/rpc", endpoint = "webhooks/rotate_secret", input = Json)]
pub async fn rotate_webhook_secret(id: Uuid) -> Result<WebhookSecret, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.rotate_webhook_secret(&rq, id).await
}

#[server(prefix = "/rpc", endpoint = "webhooks/send_test", input = Json)]
pub async fn send_test_webhook(id: Uuid) -> Result<WebhookEndpoint, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.send_test_webhook(&rq, id).await
}

/// Sends one delivery's event again (a new delivery with the same event id and body).
#[server(prefix = "/rpc", endpoint = "webhooks/redeliver", input = Json)]
pub async fn redeliver_webhook(id: Uuid, delivery_id: Uuid) -> Result<WebhookEndpoint, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.redeliver_webhook(&rq, id, delivery_id).await
}
