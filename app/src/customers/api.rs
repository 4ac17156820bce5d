//! Server functions for customer records (admins only; the server checks).

use super::{CustomerForm, CustomerListQuery, CustomerOption, CustomerPage, CustomerSummary};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "customers/list", input = Json)]
pub async fn list_customers(query: CustomerListQuery) -> Result<CustomerPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_customers(&rq, query).await
}

#[server(prefix = "/rpc", endpoint = "customers/get", input = Json)]
pub async fn get_customer(id: Uuid) -> Result<CustomerSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.get_customer(&rq, id).await
}

#[server(prefix = "/rpc", endpoint = "customers/create", input = Json)]
pub async fn create_customer(form: CustomerForm) -> Result<CustomerSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_customer(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "customers/update", input = Json)]
pub async fn update_customer(id: Uuid, form: CustomerForm) -> Result<CustomerSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.update_customer(&rq, id, form).await
}

/// Deactivates (`active = false`) or restores a customer.
#[server(prefix = "/rpc", endpoint = "customers/set_active", input = Json)]
pub async fn set_customer_active(id: Uuid, active: bool) -> Result<CustomerSummary, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.set_customer_active(&rq, id, active).await
}

/// Active customers by name, for pickers.
#[server(prefix = "/rpc", endpoint = "customers/options", input = Json)]
pub async fn customer_options() -> Result<Vec<CustomerOption>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.customer_options(&rq).await
}
