//! `/api/v1/customers`: list, read, create, replace, deactivate and restore — thin
//! handlers over `crate::customers`.

use super::support::{
    created, decode_name_cursor, encode_name_cursor, idempotency_key, optional_bool, page, replace_versioned,
    with_etag, Body, Caller, Params, Path,
};
use super::ProblemDetails;
use crate::customers;
use crate::http::problem::Problem;
use crate::state::AppState;
use app::api_keys::{ApiAccess::Read, ApiAccess::Write, ApiArea::Customers};
use app::customers::{CustomerCursor, CustomerForm, CustomerListQuery, CustomerSummary};
use app::error::AppError;
use app::jobs::encode_component;
use axum::extract::State;
use axum::response::Response;
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilters {
    /// Words in the name, email or phone.
    search: Option<String>,
    /// `true`: deactivated customers too.
    include_inactive: Option<String>,
    /// The `next` of the previous page.
    after: Option<String>,
}

/// A page of customers, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerList {
    customers: Vec<CustomerSummary>,
    /// Pass as `after` for the next page; null on the last.
    next: Option<String>,
}

fn encode_cursor(cursor: &CustomerCursor) -> String {
    encode_name_cursor(cursor.id, &cursor.name)
}

fn decode_cursor(raw: &str) -> Result<CustomerCursor, AppError> {
    decode_name_cursor(raw).map(|(id, name)| CustomerCursor { id, name })
}

/// List customers, 25 a page, by name.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerFilters),
    responses(
        (status = 200, description = "A page of customers; `Link: <…>; rel=\"next\"` when there are more", body = CustomerList)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(filters): Params<CustomerFilters>,
) -> Result<Response, Problem> {
    let user = caller.may(Customers, Read)?;
    let include_inactive = optional_bool("include_inactive", &filters.include_inactive)?;
    let after = filters.after.as_deref().filter(|a| !a.is_empty()).map(decode_cursor).transpose()?;
    let search = filters.search.clone().unwrap_or_default();
    let found =
        customers::list(&state, &user, CustomerListQuery { search: search.clone(), include_inactive, after }).await?;
    let next = found.next.as_ref().map(encode_cursor);
    let next_url = next.as_ref().map(|next| {
        let mut url = format!("/api/v1/customers?after={}", encode_component(next));
        if !search.trim().is_empty() {
            url.push_str(&format!("&search={}", encode_component(search.trim())));
        }
        if include_inactive {
            url.push_str("&include_inactive=true");
        }
        url
    });
    Ok(page(&CustomerList { customers: found.customers, next }, next_url))
}

/// Read one customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = Uuid, Path, description = "The customer's id")),
    responses((status = 200, description = "The customer; `ETag` is its version", body = CustomerSummary)))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Response, Problem> {
    let user = caller.may(Customers, Read)?;
    let customer = customers::get(&state, &user, id).await?;
    Ok(with_etag(&customer, customer.version))
}

/// Create a customer. Send `Idempotency-Key` to make a retry safe.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerForm,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID you make per customer")),
    responses((status = 201, description = "Created; `Location` and `ETag` set", body = CustomerSummary)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(form): Body<CustomerForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Customers, Write)?;
    let customer = customers::create(&state, &user, form, idempotency_key(&headers)?).await?;
    Ok(created(format!("/api/v1/customers/{}", customer.id), &customer, Some(customer.version)))
}

/// Replace a customer's details. `If-Match` must carry the customer's `ETag`.
#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "customers", request_body = CustomerForm,
    params(("id" = Uuid, Path, description = "The customer's id"),
           ("If-Match" = String, Header, description = "The `ETag` of the version you changed")),
    responses((status = 200, body = CustomerSummary),
              (status = 412, description = "Changed since that version", body = ProblemDetails, content_type = "application/problem+json"),
              (status = 428, description = "No If-Match", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(form): Body<CustomerForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Customers, Write)?;
    let update = |version| customers::update(&state, &user, id, form, Some(version));
    Ok(replace_versioned(&headers, update, |customer| customer.version).await)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Active {
    /// false: deactivate (keeps their jobs, no new ones); true: restore.
    active: bool,
}

/// Deactivate or restore a customer.
#[utoipa::path(put, path = "/api/v1/customers/{id}/active", tag = "customers", request_body = Active,
    params(("id" = Uuid, Path, description = "The customer's id")),
    responses((status = 200, body = CustomerSummary)))]
pub async fn set_active(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<Active>,
) -> Result<Response, Problem> {
    let user = caller.may(Customers, Write)?;
    let customer = customers::set_active(&state, &user, id, change.active).await?;
    Ok(with_etag(&customer, customer.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_field_error() {
        let cursor = CustomerCursor { id: Uuid::new_v4(), name: "Harbour Café\nLtd".into() };
        assert_eq!(decode_cursor(&encode_cursor(&cursor)).unwrap(), cursor);
        assert!(decode_cursor("!!").unwrap_err().field_message("after").is_some());
    }
}
