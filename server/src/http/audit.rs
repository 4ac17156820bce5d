//! The audit log's CSV download of a filtered view (admins only, `audit::require_reader`);
//! `GET /api/v1/audit-log` is `super::api::audit`.

use super::exports::{attachment, ExportSlot, EXPORT_DEADLINE};
use crate::audit::{self, AuditFilter, CSV_HEADER};
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::http::problem::Problem;
use crate::state::AppState;
use crate::viewer::company_timezone;
use app::audit::AuditQuery;
use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

pub fn router() -> Router<AppState> {
    // GET /api/v1/audit-log is routed with the REST resources (`super::api`).
    Router::new().route("/exports/audit.csv", get(csv))
}

/// Entries read per transaction while a CSV streams: the connection goes back to the
/// pool between batches, so a slow reader never holds one.
const CSV_BATCH: i64 = 500;

fn reader(user: Option<Extension<CurrentUser>>) -> Result<CurrentUser, AppError> {
    let Extension(user) = user.ok_or(AppError::Unauthorized)?;
    audit::require_reader(&user)?;
    Ok(user)
}

async fn csv(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, Problem> {
    let user = reader(user)?;
    let slot = ExportSlot::take(user.user_id())?;
    // Checked before the download starts, so a bad filter is a field error, not a broken file.
    let tz = {
        let mut tx = TenantTx::begin(&state.pool, &user).await?;
        let tz = company_timezone(&mut tx).await?;
        tx.commit().await?;
        tz
    };
    let filter = AuditFilter::new(&AuditQuery { after: String::new(), ..query }, tz)?;
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let _slot = slot;
        let streamed = tokio::time::timeout(EXPORT_DEADLINE, async {
            if sender.send(Ok(Bytes::from_static(CSV_HEADER.as_bytes()))).await.is_err() {
                return Ok(());
            }
            let mut cursor = None;
            loop {
                let mut tx = TenantTx::begin(&state.pool, &user).await?;
                let (entries, next) = audit::entries(&mut tx, tz, &filter.clone().after(cursor), CSV_BATCH).await?;
                tx.commit().await?;
                let chunk: String = entries.iter().map(audit::csv_line).collect();
                if sender.send(Ok(Bytes::from(chunk))).await.is_err() {
                    return Ok(());
                }
                match next {
                    Some(next) => cursor = Some(next),
                    None => return Ok::<(), crate::error::Error>(()),
                }
            }
        })
        .await;
        let failure = match streamed {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(error.to_string()),
            Err(_) => Some("the export ran past its deadline".to_string()),
        };
        if let Some(failure) = failure {
            tracing::error!(error = %failure, "audit CSV export stopped early");
            // The download ends with an error instead of looking complete.
            let _ = sender.send(Err(std::io::Error::other(failure))).await;
        }
    });
    let body = Body::from_stream(ReceiverStream::new(receiver));
    Ok((attachment("text/csv; charset=utf-8", "audit-log.csv"), body).into_response())
}
