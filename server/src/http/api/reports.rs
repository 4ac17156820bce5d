//! `/api/v1/reports/monthly`: a month's hours as JSON, CSV or PDF, chosen by `Accept`
//! — the same report and downloads as the Reports page (`crate::time::reports`,
//! `crate::http::exports`), with the same view rules (a worker their own hours, a
//! customer their record's).

use super::support::{optional_id, Caller, Params};
use super::ProblemDetails;
use crate::http::exports::{csv_download, pdf_download};
use crate::http::problem::{error_response, Problem};
use crate::state::AppState;
use crate::time::reports;
use app::api_keys::{ApiAccess::Read, ApiArea::Reports};
use app::error::AppError;
use app::time::{MonthlyReport, ReportQuery};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFilters {
    /// YYYY-MM; empty: the latest month with hours.
    month: Option<String>,
    /// Only this customer's hours (their id).
    customer: Option<String>,
    /// Only this worker's hours (their id).
    worker: Option<String>,
}

/// The formats the report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    Pdf,
}

/// The first format the `Accept` header lists that we make (JSON without the header or
/// for a wildcard); `None` when it lists only others. Entries with `q=0` are refused ones.
fn negotiate(headers: &HeaderMap) -> Option<Format> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Format::Json);
    };
    if accept.trim().is_empty() {
        return Some(Format::Json);
    }
    accept.split(',').find_map(|entry| {
        let mut parts = entry.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let refused = parts.any(|p| p.replace(' ', "").strip_prefix("q=").is_some_and(|q| q.parse() == Ok(0.0)));
        if refused {
            return None;
        }
        match media.as_str() {
            "application/json" | "application/*" | "*/*" => Some(Format::Json),
            "text/csv" | "text/*" => Some(Format::Csv),
            "application/pdf" => Some(Format::Pdf),
            _ => None,
        }
    })
}

/// A month's report. `Accept: application/json` (the default) gives totals, chart
/// series and lines; `text/csv` every line as a spreadsheet; `application/pdf` the
/// printable report.
#[utoipa::path(get, path = "/api/v1/reports/monthly", tag = "reports", params(ReportFilters),
    responses(
        (status = 200, description = "The report in the format asked for",
            content((MonthlyReport = "application/json"), (String = "text/csv"), (Vec<u8> = "application/pdf"))),
        (status = 403, description = "A key without reports:read", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 406, description = "`Accept` names no format this report comes in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A filter is invalid (the field is named)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many downloads at once", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn monthly(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Params(filters): Params<ReportFilters>,
) -> Result<Response, Problem> {
    let user = caller.may(Reports, Read)?;
    let query = ReportQuery {
        month: filters.month.unwrap_or_default().trim().to_string(),
        customer: optional_id("customer", &filters.customer)?,
        worker: optional_id("worker", &filters.worker)?,
    };
    if !query.month.is_empty() {
        app::time::parse_month(&query.month).map_err(|message| AppError::field("month", message))?;
    }
    let Some(format) = negotiate(&headers) else {
        let error = AppError::BadRequest { message: "Ask for application/json, text/csv or application/pdf.".into() };
        return Ok(error_response("/api/", Some(StatusCode::NOT_ACCEPTABLE), error));
    };
    match format {
        Format::Json => Ok(Json::<MonthlyReport>(reports::monthly(&state, &user, query).await?).into_response()),
        Format::Csv => csv_download(state, user, query).await,
        Format::Pdf => pdf_download(&state, &user, &query).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn accept(value: &str) -> Option<Format> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        negotiate(&headers)
    }

    #[test]
    fn the_accept_header_picks_the_format() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Format::Json));
        assert_eq!(accept("*/*"), Some(Format::Json));
        assert_eq!(accept("text/csv"), Some(Format::Csv));
        assert_eq!(accept("application/pdf, application/json;q=0.5"), Some(Format::Pdf));
        assert_eq!(accept("text/csv;q=0, application/json"), Some(Format::Json));
        assert_eq!(accept("text/html"), None);
    }
}
