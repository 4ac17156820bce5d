//! Report downloads: CSV streamed row by row from the database (memory stays flat
//! however large the month), and a PDF built in memory.

use super::reports::{aggregates, report_line, resolve, ReportSpec};
use super::{csv, pdf, LogRow};
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::http::problem::Problem;
use crate::limits::slots::{KeyedSlot, KeyedSlots};
use crate::state::AppState;
use crate::viewer::Viewer;
use app::error::AppError;
use app::time::{format_minutes, ReportQuery};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::StreamExt;
use futures_util::TryStreamExt;
use http::{header, HeaderValue};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio_stream::wrappers::ReceiverStream;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/exports/time-report.csv", get(csv_report)).route("/exports/time-report.pdf", get(pdf_report))
}

/// Rows per chunk sent to the client.
const CHUNK_ROWS: usize = 200;
/// Exports running at once on this process: each holds a pooled connection while it
/// streams, so slow downloads can take at most this many of the pool's 20.
const MAX_EXPORTS: usize = 4;
/// Exports one user may run at once.
const MAX_EXPORTS_PER_USER: usize = 2;
/// A client that takes no chunk for this long is dropped and its connection freed.
const STALLED_CLIENT: Duration = Duration::from_secs(20);
/// No export holds its connection longer than this, however steadily it is read.
const EXPORT_DEADLINE: Duration = Duration::from_secs(10 * 60);

/// A running export, counted in the process-wide and the per-user totals until dropped.
struct ExportSlot {
    _global: OwnedSemaphorePermit,
    _user: KeyedSlot<Uuid>,
}

impl ExportSlot {
    /// A slot, or 429 when the process or the user runs the most exports already.
    fn take(user_id: Uuid) -> Result<Self, AppError> {
        static GLOBAL: OnceLock<Arc<Semaphore>> = OnceLock::new();
        static PER_USER: OnceLock<KeyedSlots<Uuid>> = OnceLock::new();
        let busy = || AppError::TooManyRequests { retry_after_secs: 10 };
        let global = GLOBAL.get_or_init(|| Arc::new(Semaphore::new(MAX_EXPORTS))).clone();
        let permit = global.try_acquire_owned().map_err(|_| busy())?;
        let user = PER_USER.get_or_init(KeyedSlots::default).take(user_id, MAX_EXPORTS_PER_USER).ok_or_else(busy)?;
        Ok(Self { _global: permit, _user: user })
    }
}

/// Sends a chunk unless the client has gone or stalled; false means stop.
async fn deliver(sender: &mpsc::Sender<Result<Bytes, std::io::Error>>, chunk: Bytes) -> bool {
    matches!(tokio::time::timeout(STALLED_CLIENT, sender.send(Ok(chunk))).await, Ok(Ok(())))
}

fn attachment(content_type: &'static str, file_name: &str) -> [(header::HeaderName, HeaderValue); 3] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ]
}

async fn spec_for(state: &AppState, user: &CurrentUser, query: &ReportQuery) -> crate::error::Result<ReportSpec> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let spec = resolve(&mut tx, &viewer, query).await?;
    tx.commit().await?;
    Ok(spec)
}

const CSV_HEADER: [&str; 11] =
    ["Date", "Start", "End", "Worker", "Customer", "Job", "Description", "Status", "Billable", "Hours", "Minutes"];

fn csv_row(out: &mut String, row: LogRow, spec: &ReportSpec) {
    let start = row.started_at.with_timezone(&spec.tz);
    let end = row.ended_at.map(|e| e.with_timezone(&spec.tz));
    let minutes = row.seconds / 60;
    csv::write_record(
        out,
        &[
            start.format("%Y-%m-%d").to_string(),
            start.format("%H:%M").to_string(),
            end.map(|e| e.format("%H:%M").to_string()).unwrap_or_default(),
            row.worker_name.clone(),
            row.customer_name.clone(),
            row.job_title.clone(),
            row.description.clone(),
            row.status.label().to_string(),
            if row.billable { "yes".into() } else { "no".into() },
            format!("{:.2}", minutes as f64 / 60.0),
            minutes.to_string(),
        ],
    );
}

async fn csv_report(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, Problem> {
    let Extension(user) = user.ok_or(app::error::AppError::Unauthorized)?;
    user.ensure_verified()?;
    let slot = ExportSlot::take(user.user_id())?;
    let spec = spec_for(&state, &user, &query).await?;
    let file_name = format!("{}.csv", spec.file_stem());
    // A small channel: the query only reads ahead as fast as the client downloads.
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    // Set when the export stops early, so the download ends with an error instead of
    // looking complete (the channel may be full, so the error cannot always be sent).
    let cut_short = Arc::new(AtomicBool::new(false));
    let cut = cut_short.clone();
    tokio::spawn(async move {
        let _slot = slot;
        let outcome = tokio::time::timeout(EXPORT_DEADLINE, stream_csv(&state, &user, &spec, &sender)).await;
        let complete = match outcome {
            Ok(Ok(complete)) => complete,
            Ok(Err(error)) => {
                tracing::error!(error = %error, "CSV export failed mid-stream");
                false
            }
            Err(_) => {
                tracing::warn!("CSV export ran past its deadline and was stopped");
                false
            }
        };
        cut.store(!complete, Ordering::SeqCst);
    });
    let ending = futures_util::stream::once(async move {
        cut_short.load(Ordering::SeqCst).then(|| Err(std::io::Error::other("the export was stopped early")))
    })
    .filter_map(std::future::ready);
    let body = Body::from_stream(ReceiverStream::new(receiver).chain(ending));
    Ok((attachment("text/csv; charset=utf-8", &file_name), body).into_response())
}

/// Streams the report; `Ok(false)` when the client went away or stalled.
async fn stream_csv(
    state: &AppState,
    user: &CurrentUser,
    spec: &ReportSpec,
    sender: &mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> crate::error::Result<bool> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company_id = tx.company_id();
    // A byte-order mark so spreadsheet programs read the file as UTF-8.
    let mut chunk = String::from("\u{feff}");
    csv::write_record(&mut chunk, &CSV_HEADER);
    let mut query = spec.lines_query(company_id, None);
    {
        let mut rows = query.build_query_as::<LogRow>().fetch(tx.conn());
        let mut in_chunk = 0;
        while let Some(row) = rows.try_next().await? {
            csv_row(&mut chunk, row, spec);
            in_chunk += 1;
            if in_chunk == CHUNK_ROWS {
                if !deliver(sender, Bytes::from(std::mem::take(&mut chunk))).await {
                    return Ok(false); // The client went away or stopped reading: free the connection.
                }
                in_chunk = 0;
            }
        }
    }
    if !chunk.is_empty() && !deliver(sender, Bytes::from(chunk)).await {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

async fn pdf_report(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, Problem> {
    let Extension(user) = user.ok_or(app::error::AppError::Unauthorized)?;
    user.ensure_verified()?;
    let _slot = ExportSlot::take(user.user_id())?;
    let mut tx = TenantTx::begin(&state.pool, &user).await?;
    let viewer = Viewer::load(&mut tx, &user).await?;
    let spec = resolve(&mut tx, &viewer, &query).await?;
    let totals = aggregates(&mut tx, &spec).await?.totals;
    let company_id = tx.company_id();
    let rows: Vec<LogRow> = spec
        .lines_query(company_id, None)
        .build_query_as()
        .fetch_all(tx.conn())
        .await
        .map_err(crate::error::Error::from)?;
    tx.commit().await?;
    let hours = |m: i64| format!("{} h", format_minutes(m));
    let report = pdf::PdfReport {
        company_name: spec.company_name.clone(),
        title: "Time report".into(),
        period_label: spec.period_label(),
        scope_label: spec.scope_label.clone(),
        generated_label: format!(
            "Generated {} ({})",
            chrono::Utc::now().with_timezone(&spec.tz).format("%-d %b %Y %H:%M"),
            spec.tz.name()
        ),
        totals: vec![
            ("Total".into(), hours(totals.total_minutes)),
            ("Billable".into(), hours(totals.billable_minutes)),
            ("Approved".into(), hours(totals.approved_minutes)),
            ("Pending".into(), hours(totals.pending_minutes)),
            ("Declined".into(), hours(totals.declined_minutes)),
        ],
        lines: rows
            .into_iter()
            .map(|row| {
                let line = report_line(row, spec.tz);
                pdf::PdfLine {
                    date: line.date_label,
                    time: line.time_label,
                    worker: line.worker_name,
                    customer: line.customer_name,
                    job: line.job_title,
                    description: line.description,
                    status: line.status.label().to_string(),
                    billable: line.billable,
                    duration: format_minutes(line.minutes),
                }
            })
            .collect(),
    };
    // Layout is CPU work; keep it off the async workers.
    let bytes = tokio::task::spawn_blocking(move || pdf::render(&report))
        .await
        .map_err(|e| crate::error::Error::Internal(anyhow::anyhow!("PDF rendering panicked: {e}")))?;
    let file_name = format!("{}.pdf", spec.file_stem());
    Ok((attachment("application/pdf", &file_name), bytes).into_response())
}
