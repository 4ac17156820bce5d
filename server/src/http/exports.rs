//! Report downloads (`crate::time::exports`): at most a few at once per process and
//! per user, each with a deadline, never cached.

use crate::auth::CurrentUser;
use crate::http::problem::Problem;
use crate::limits::slots::{KeyedSlot, KeyedSlots};
use crate::state::AppState;
use crate::time::exports;
use app::error::AppError;
use app::time::ReportQuery;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::StreamExt;
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

/// Exports running at once on this process: each holds a pooled connection while it
/// streams, so slow downloads can take at most this many of the pool's 20.
const MAX_EXPORTS: usize = 4;
/// Exports one user may run at once.
const MAX_EXPORTS_PER_USER: usize = 2;
/// No export holds its connection longer than this, however steadily it is read.
pub(super) const EXPORT_DEADLINE: Duration = Duration::from_secs(10 * 60);

/// A running export, counted in the process-wide and the per-user totals until dropped.
pub(super) struct ExportSlot {
    _global: OwnedSemaphorePermit,
    _user: KeyedSlot<Uuid>,
}

impl ExportSlot {
    /// A slot, or 429 when the process or the user runs the most exports already.
    pub(super) fn take(user_id: Uuid) -> Result<Self, AppError> {
        static GLOBAL: OnceLock<Arc<Semaphore>> = OnceLock::new();
        static PER_USER: OnceLock<KeyedSlots<Uuid>> = OnceLock::new();
        let busy = || AppError::TooManyRequests { retry_after_secs: 10 };
        let global = GLOBAL.get_or_init(|| Arc::new(Semaphore::new(MAX_EXPORTS))).clone();
        let permit = global.try_acquire_owned().map_err(|_| busy())?;
        let user = PER_USER.get_or_init(KeyedSlots::default).take(user_id, MAX_EXPORTS_PER_USER).ok_or_else(busy)?;
        Ok(Self { _global: permit, _user: user })
    }
}

pub(super) fn attachment(content_type: &'static str, file_name: &str) -> [(header::HeaderName, HeaderValue); 3] {
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

async fn csv_report(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, Problem> {
    let Extension(user) = user.ok_or(AppError::Unauthorized)?;
    user.ensure_verified()?;
    csv_download(state, user, query).await
}

/// The report as a streamed CSV attachment (also the REST API's `text/csv` answer).
pub(crate) async fn csv_download(state: AppState, user: CurrentUser, query: ReportQuery) -> Result<Response, Problem> {
    let slot = ExportSlot::take(user.user_id())?;
    let spec = exports::report_spec(&state, &user, &query).await?;
    let file_name = format!("{}.csv", spec.file_stem());
    // A small channel: the query only reads ahead as fast as the client downloads.
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    // Set when the export stops early, so the download ends with an error instead of
    // looking complete (the channel may be full, so the error cannot always be sent).
    let cut_short = Arc::new(AtomicBool::new(false));
    let cut = cut_short.clone();
    tokio::spawn(async move {
        let _slot = slot;
        let outcome = tokio::time::timeout(EXPORT_DEADLINE, exports::stream_csv(&state, &user, &spec, &sender)).await;
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

async fn pdf_report(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, Problem> {
    let Extension(user) = user.ok_or(AppError::Unauthorized)?;
    user.ensure_verified()?;
    pdf_download(&state, &user, &query).await
}

/// The report as a PDF attachment (also the REST API's `application/pdf` answer).
pub(crate) async fn pdf_download(
    state: &AppState,
    user: &CurrentUser,
    query: &ReportQuery,
) -> Result<Response, Problem> {
    let _slot = ExportSlot::take(user.user_id())?;
    let (file_name, bytes) = exports::pdf_report(state, user, query).await?;
    Ok((attachment("application/pdf", &file_name), bytes).into_response())
}
