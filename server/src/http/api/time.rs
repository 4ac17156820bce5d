//! `/api/v1/work-logs` and `/api/v1/contracts`: time entries (list, read, create,
//! replace, delete, submit, approve and decline in bulk) and contracts with their
//! usage — thin handlers over `crate::time`, which keeps every rule (who may log,
//! change, submit or decide which entry, overlaps, signed-off months).

use super::support::{
    created, decode_name_cursor, encode_name_cursor, idempotency_key, optional_id, page, replace_versioned, with_etag,
    Body, Caller, Params, Path,
};
use super::ProblemDetails;
use crate::http::problem::Problem;
use crate::state::AppState;
use crate::time::entries::{self, LogCursor};
use crate::time::{approvals, contracts};
use app::api_keys::{ApiAccess::Read, ApiAccess::Write, ApiArea::Time};
use app::error::AppError;
use app::jobs::encode_component;
use app::time::{ContractUsage, LogDetail, LogForm, LogQuery, LogStatus, WorkLog};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Work logs a page.
const PAGE_SIZE: i64 = 100;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkLogFilters {
    /// Only this worker's entries (their id).
    worker: Option<String>,
    /// Only entries for this customer (their id).
    customer: Option<String>,
    /// Only entries on this job (its id).
    job: Option<String>,
    /// `DRAFT`, `PENDING`, `APPROVED` or `DECLINED`.
    status: Option<String>,
    /// First day, YYYY-MM-DD, in the company's timezone.
    from: Option<String>,
    /// Last day (inclusive), YYYY-MM-DD.
    to: Option<String>,
    /// The `next` of the previous page.
    after: Option<String>,
}

impl WorkLogFilters {
    fn query(&self) -> Result<(LogQuery, Option<LogCursor>), AppError> {
        let status = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => Some(
                LogStatus::parse(raw)
                    .ok_or_else(|| AppError::field("status", "Use DRAFT, PENDING, APPROVED or DECLINED."))?,
            ),
        };
        let query = LogQuery {
            worker: optional_id("worker", &self.worker)?,
            customer: optional_id("customer", &self.customer)?,
            job: optional_id("job", &self.job)?,
            status,
            from: self.from.clone().unwrap_or_default(),
            to: self.to.clone().unwrap_or_default(),
            page: 0,
        };
        let after = self.after.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(decode_cursor).transpose()?;
        Ok((query, after))
    }
}

/// An opaque cursor: the last entry's id and start.
fn encode_cursor((started_at, id): LogCursor) -> String {
    encode_name_cursor(id, &started_at.to_rfc3339())
}

fn decode_cursor(raw: &str) -> Result<LogCursor, AppError> {
    let (id, at) = decode_name_cursor(raw)?;
    let at = DateTime::parse_from_rfc3339(&at)
        .map_err(|_| AppError::field("after", "Use the next value of the previous page."))?;
    Ok((at.with_timezone(&Utc), id))
}

fn next_url(query: &LogQuery, next: &str) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let ids = [("worker", query.worker), ("customer", query.customer), ("job", query.job)];
    pairs.extend(ids.into_iter().filter_map(|(key, id)| id.map(|id| (key, id.to_string()))));
    if let Some(status) = query.status {
        pairs.push(("status", status.as_str().to_string()));
    }
    for (key, day) in [("from", &query.from), ("to", &query.to)] {
        if !day.trim().is_empty() {
            pairs.push((key, day.trim().to_string()));
        }
    }
    pairs.push(("after", next.to_string()));
    let encoded: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", encode_component(&v))).collect();
    format!("/api/v1/work-logs?{}", encoded.join("&"))
}

/// A page of work logs, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkLogList {
    work_logs: Vec<WorkLog>,
    /// Pass as `after` for the next page; null on the last.
    next: Option<String>,
}

/// List time entries, 100 a page, newest first: an admin's key or token sees every
/// entry, a worker their own, a customer their submitted ones. Running timers are left out.
#[utoipa::path(get, path = "/api/v1/work-logs", tag = "time", params(WorkLogFilters),
    responses(
        (status = 200, description = "A page of entries; `Link: <…>; rel=\"next\"` when there are more", body = WorkLogList),
        (status = 403, description = "A key without time:read", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A filter is invalid (the field is named)", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(filters): Params<WorkLogFilters>,
) -> Result<Response, Problem> {
    let user = caller.may(Time, Read)?;
    let (query, after) = filters.query()?;
    let found = entries::browse(&state, &user, &query, after, PAGE_SIZE).await?;
    let next = found.next.map(encode_cursor);
    let next_link = next.as_deref().map(|next| next_url(&query, next));
    Ok(page(&WorkLogList { work_logs: found.logs, next }, next_link))
}

/// Read one entry with its history.
#[utoipa::path(get, path = "/api/v1/work-logs/{id}", tag = "time",
    params(("id" = Uuid, Path, description = "The entry's id")),
    responses(
        (status = 200, description = "The entry; `ETag` is its version", body = LogDetail),
        (status = 404, description = "No such entry that you may see", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Response, Problem> {
    let user = caller.may(Time, Read)?;
    let detail = entries::detail(&state, &user, id).await?;
    Ok(with_etag(&detail, detail.log.version))
}

/// Log time (field workers, on their jobs; a draft until submitted). Give `end` or
/// `duration`. Send `Idempotency-Key` to make a retry safe.
#[utoipa::path(post, path = "/api/v1/work-logs", tag = "time", request_body = LogForm,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID you make per entry; a retry with it answers the first result")),
    responses(
        (status = 201, description = "Created; `Location` and `ETag` set", body = WorkLog),
        (status = 403, description = "Not a field worker (keys act for an admin, who does not log time)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Field errors name each field", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(form): Body<LogForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Time, Write)?;
    let log = entries::create(&state, &user, form, idempotency_key(&headers)?).await?;
    Ok(created(format!("/api/v1/work-logs/{}", log.id), &log, Some(log.version)))
}

/// Replace an entry's fields (its worker while a draft or declined; admins, which puts
/// changed approved hours back to pending). `If-Match` must carry the entry's `ETag`.
#[utoipa::path(put, path = "/api/v1/work-logs/{id}", tag = "time", request_body = LogForm,
    params(("id" = Uuid, Path, description = "The entry's id"),
           ("If-Match" = String, Header, description = "The `ETag` of the version you changed")),
    responses(
        (status = 200, description = "Saved; the new `ETag` is set", body = WorkLog),
        (status = 409, description = "The entry cannot change now (waiting for approval, approved, timer running, month signed off)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "The entry changed since that version", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(form): Body<LogForm>,
) -> Result<Response, Problem> {
    let user = caller.may(Time, Write)?;
    let update = |version| entries::update(&state, &user, id, form, Some(version));
    Ok(replace_versioned(&headers, update, |log| log.version).await)
}

/// Delete a draft or declined entry (its worker, or an admin).
#[utoipa::path(delete, path = "/api/v1/work-logs/{id}", tag = "time",
    params(("id" = Uuid, Path, description = "The entry's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Only drafts and declined entries can be deleted", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn delete(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Response, Problem> {
    let user = caller.may(Time, Write)?;
    entries::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Entries to act on together: all of them, or none if one cannot.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EntryBatch {
    /// 1 to 200 entry ids, each once.
    ids: Vec<Uuid>,
}

/// Entries to decline, and why (the worker reads the reason).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeclineBatch {
    /// 1 to 200 entry ids, each once.
    ids: Vec<Uuid>,
    reason: String,
}

/// How many entries changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    count: u32,
}

/// Send drafts (and corrected declined entries) for approval (their worker). All or nothing.
#[utoipa::path(post, path = "/api/v1/work-logs/submit", tag = "time", request_body = EntryBatch,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe: a retry with the same key answers the first result")),
    responses(
        (status = 200, body = BatchResult),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(batch): Body<EntryBatch>,
) -> Result<Json<BatchResult>, Problem> {
    let user = caller.may(Time, Write)?;
    let count = entries::submit(&state, &user, batch.ids, idempotency_key(&headers)?).await?;
    Ok(Json(BatchResult { count }))
}

/// Approve entries waiting for approval (admins; a customer their own). All or nothing.
#[utoipa::path(post, path = "/api/v1/work-logs/approve", tag = "time", request_body = EntryBatch,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe: a retry with the same key answers the first result")),
    responses(
        (status = 200, body = BatchResult),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(batch): Body<EntryBatch>,
) -> Result<Json<BatchResult>, Problem> {
    let user = caller.may(Time, Write)?;
    let count = approvals::decide(&state, &user, batch.ids, true, String::new(), idempotency_key(&headers)?).await?;
    Ok(Json(BatchResult { count }))
}

/// Decline entries waiting for approval, with a reason (admins; a customer their own).
#[utoipa::path(post, path = "/api/v1/work-logs/decline", tag = "time", request_body = DeclineBatch,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry safe: a retry with the same key answers the first result")),
    responses(
        (status = 200, body = BatchResult),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(batch): Body<DeclineBatch>,
) -> Result<Json<BatchResult>, Problem> {
    let user = caller.may(Time, Write)?;
    let count = approvals::decide(&state, &user, batch.ids, false, batch.reason, idempotency_key(&headers)?).await?;
    Ok(Json(BatchResult { count }))
}

/// The company's contracts with the hours used in their current period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractList {
    contracts: Vec<ContractUsage>,
}

/// List contracts with their usage (admins).
#[utoipa::path(get, path = "/api/v1/contracts", tag = "time",
    responses(
        (status = 200, body = ContractList)))]
pub async fn contracts(State(state): State<AppState>, caller: Caller) -> Result<Json<ContractList>, Problem> {
    let user = caller.may(Time, Read)?;
    let page = contracts::list(&state, &user).await?;
    Ok(Json(ContractList { contracts: page.contracts }))
}

/// Read one contract with its usage (admins).
#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "time",
    params(("id" = Uuid, Path, description = "The contract's id")),
    responses(
        (status = 200, body = ContractUsage)))]
pub async fn contract(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<ContractUsage>, Problem> {
    let user = caller.may(Time, Read)?;
    let page = contracts::list(&state, &user).await?;
    let found = page.contracts.into_iter().find(|usage| usage.contract.id == id).ok_or(AppError::NotFound)?;
    Ok(Json(found))
}
