//! `/api/v1/users`: the company's people — list, add, change role, deactivate and
//! restore — thin handlers over `crate::users` (admins; keys with users scopes).

use super::support::{
    created, decode_name_cursor, encode_name_cursor, idempotency_key, page, Body, Caller, Params, Path,
};
use super::ProblemDetails;
use crate::http::problem::Problem;
use crate::state::AppState;
use crate::users;
use app::api_keys::{ApiAccess::Read, ApiAccess::Write, ApiArea::Users};
use app::auth::Role;
use app::error::AppError;
use app::jobs::encode_component;
use app::users::{NewUserForm, UserCursor, UserListQuery, UserStatusFilter, UserSummary};
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilters {
    /// `active` (default), `deactivated` or `all`.
    status: Option<String>,
    /// `ADMIN`, `WORKER` or `CUSTOMER`.
    role: Option<String>,
    /// Words in the name or email.
    search: Option<String>,
    /// The `next` of the previous page.
    after: Option<String>,
}

/// A page of people, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    users: Vec<UserSummary>,
    /// Pass as `after` for the next page; null on the last.
    next: Option<String>,
}

impl UserFilters {
    fn query(&self) -> Result<UserListQuery, AppError> {
        let status = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => UserStatusFilter::default(),
            Some(raw @ ("active" | "deactivated" | "all")) => UserStatusFilter::parse(raw),
            Some(_) => return Err(AppError::field("status", "Use active, deactivated or all.")),
        };
        let role = match self.role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => Some(
                Role::ALL
                    .into_iter()
                    .find(|r| r.as_str() == raw)
                    .ok_or_else(|| AppError::field("role", "Use ADMIN, WORKER or CUSTOMER."))?,
            ),
        };
        let after = match self.after.as_deref().filter(|a| !a.is_empty()) {
            None => None,
            Some(raw) => Some(decode_name_cursor(raw).map(|(id, name)| UserCursor { id, name })?),
        };
        Ok(UserListQuery { status, role, search: self.search.clone().unwrap_or_default(), after })
    }
}

/// List people, 50 a page, by name.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserFilters),
    responses(
        (status = 200, description = "A page of people; `Link: <…>; rel=\"next\"` when there are more", body = UserList)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(filters): Params<UserFilters>,
) -> Result<Response, Problem> {
    let user = caller.may(Users, Read)?;
    let query = filters.query()?;
    let found = users::list(&state, &user, query.clone()).await?;
    let next = found.next.as_ref().map(|c| encode_name_cursor(c.id, &c.name));
    let next_url = next.as_ref().map(|next| {
        let mut url = format!("/api/v1/users?status={}&after={}", query.status.as_str(), encode_component(next));
        if let Some(role) = query.role {
            url.push_str(&format!("&role={}", role.as_str()));
        }
        if !query.search.trim().is_empty() {
            url.push_str(&format!("&search={}", encode_component(query.search.trim())));
        }
        url
    });
    Ok(page(&UserList { users: found.users, next }, next_url))
}

/// Add a person with a password (admins). `role`: ADMIN, WORKER or CUSTOMER (with `customer_id`).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserForm,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe: a retry with the same key answers the first result")),
    responses((status = 201, body = UserSummary)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(form): Body<NewUserForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Users, Write)?;
    let made = users::create(&state, &user, form, idempotency_key(&headers)?).await?;
    Ok(created(format!("/api/v1/users/{}", made.id), &made, None))
}

/// Read one person (admins).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = Uuid, Path, description = "The person's id")),
    responses((status = 200, body = UserSummary)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<UserSummary>, Problem> {
    let user = caller.may(Users, Read)?;
    Ok(Json(users::get(&state, &user, id).await?))
}

/// New details for a person; a field left out keeps its value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonChange {
    name: Option<String>,
    /// They sign in with it from now on (the admin vouches for it).
    email: Option<String>,
}

/// Change a person's name or email address (admins).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = PersonChange,
    params(("id" = Uuid, Path, description = "The person's id")),
    responses((status = 200, body = UserSummary)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<PersonChange>,
) -> Result<Json<UserSummary>, Problem> {
    let user = caller.may(Users, Write)?;
    Ok(Json(users::update_details(&state, &user, id, change.name, change.email).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerLink {
    /// The customer record whose jobs this customer login sees; null to unlink.
    customer_id: Option<Uuid>,
}

/// Link a customer login to a customer record, or unlink it (admins).
#[utoipa::path(put, path = "/api/v1/users/{id}/customer", tag = "users", request_body = CustomerLink,
    params(("id" = Uuid, Path, description = "The person's id")),
    responses((status = 200, body = UserSummary)))]
pub async fn link_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(link): Body<CustomerLink>,
) -> Result<Json<UserSummary>, Problem> {
    let user = caller.may(Users, Write)?;
    Ok(Json(users::link_customer(&state, &user, id, link.customer_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleChange {
    /// ADMIN, WORKER or CUSTOMER.
    role: String,
}

/// Change a person's role (admins; not your own).
#[utoipa::path(put, path = "/api/v1/users/{id}/role", tag = "users", request_body = RoleChange,
    params(("id" = Uuid, Path, description = "The person's id")),
    responses((status = 200, body = UserSummary), (status = 409, description = "Your own role, or the last active admin", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn set_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<RoleChange>,
) -> Result<Json<UserSummary>, Problem> {
    let user = caller.may(Users, Write)?;
    Ok(Json(users::change_role(&state, &user, id, change.role).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Active {
    /// false: deactivate (signed out at once, cannot sign in); true: restore.
    active: bool,
}

/// Deactivate or restore a person (admins).
#[utoipa::path(put, path = "/api/v1/users/{id}/active", tag = "users", request_body = Active,
    params(("id" = Uuid, Path, description = "The person's id")),
    responses((status = 200, body = UserSummary), (status = 409, description = "Yourself, or the last active admin", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn set_active(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<Active>,
) -> Result<Json<UserSummary>, Problem> {
    let user = caller.may(Users, Write)?;
    let changed = if change.active {
        users::restore(&state, &user, id).await?
    } else {
        users::deactivate(&state, &user, id).await?
    };
    Ok(Json(changed))
}
