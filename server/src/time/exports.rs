//! Report downloads: CSV streamed row by row from the database (memory stays flat
//! however large the month), and a PDF built in memory. `crate::http::exports`
//! serves them.

use super::reports::{aggregates, report_line, resolve, ReportSpec};
use super::{csv, pdf, LogRow};
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::time::{format_minutes, ReportQuery};
use axum::body::Bytes;
use futures_util::TryStreamExt;
use std::time::Duration;
use tokio::sync::mpsc;

/// Rows per chunk sent to the client.
const CHUNK_ROWS: usize = 200;
/// A client that takes no chunk for this long is dropped and its connection freed.
const STALLED_CLIENT: Duration = Duration::from_secs(20);
/// Sends a chunk unless the client has gone or stalled; false means stop.
async fn deliver(sender: &mpsc::Sender<Result<Bytes, std::io::Error>>, chunk: Bytes) -> bool {
    matches!(tokio::time::timeout(STALLED_CLIENT, sender.send(Ok(chunk))).await, Ok(Ok(())))
}

/// The report `user` asked for, as they may see it.
#[tracing::instrument(skip_all)]
pub async fn report_spec(state: &AppState, user: &CurrentUser, query: &ReportQuery) -> Result<ReportSpec> {
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

/// Streams the report as CSV chunks into `sender`; `Ok(false)` when the client went
/// away or stalled (the connection is freed at once).
#[tracing::instrument(skip_all)]
pub async fn stream_csv(
    state: &AppState,
    user: &CurrentUser,
    spec: &ReportSpec,
    sender: &mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> Result<bool> {
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

/// The report as a PDF: its file name and bytes.
#[tracing::instrument(skip_all)]
pub async fn pdf_report(state: &AppState, user: &CurrentUser, query: &ReportQuery) -> Result<(String, Vec<u8>)> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let spec = resolve(&mut tx, &viewer, query).await?;
    let totals = aggregates(&mut tx, &spec).await?.totals;
    let company_id = tx.company_id();
    let rows: Vec<LogRow> = spec.lines_query(company_id, None).build_query_as().fetch_all(tx.conn()).await?;
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
    Ok((format!("{}.pdf", spec.file_stem()), bytes))
}
