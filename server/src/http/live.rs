//! The live-notification stream (Server-Sent Events) fed by `crate::notify::live`.

use crate::auth::CurrentUser;
use crate::http::problem::Problem;
use crate::notify::live::Signal;
use crate::state::AppState;
use app::notifications::Notification;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::HeaderMap;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

pub fn router() -> Router<AppState> {
    Router::new().route("/events/notifications", get(stream))
}

/// The signed-in user's notifications as Server-Sent Events. Each event's id is the
/// notification's id; a reconnecting browser sends the last one it saw
/// (`Last-Event-ID`) and first gets everything newer, so a dropped connection
/// loses nothing.
async fn stream(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    Query(params): Query<StreamParams>,
) -> Result<Response, Problem> {
    let Extension(user) = user.ok_or(app::error::AppError::Unauthorized)?;
    user.ensure_verified()?;
    let slot =
        state.live.open_stream(user.user_id()).ok_or(app::error::AppError::TooManyRequests { retry_after_secs: 30 })?;
    // The browser's own reconnects send Last-Event-ID; the page's fresh connections
    // after a closed stream say `?after=`.
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(params.after);
    // Subscribe before reading the backlog, so nothing falls between the two.
    let mut signals = state.live.subscribe();
    let mut stop = state.live.stopped();
    let backlog = match last_seen {
        Some(after) => crate::notify::inbox::newer_than(&state.pool, &user, after).await?,
        None => Vec::new(),
    };
    let (sender, receiver) = mpsc::channel::<Result<Event, Infallible>>(16);
    tokio::spawn(async move {
        let _slot = slot;
        let _counted = crate::telemetry::metrics::LiveStreamGauge::opened();
        let mut recheck = tokio::time::interval(state.settings.stream_session_recheck);
        recheck.tick().await;
        let mut newest = last_seen.unwrap_or(0);
        // A first event straight away, so the browser knows the stream is open.
        if sender.send(Ok(Event::default().event("ready").data("{}"))).await.is_err() {
            return;
        }
        for notification in backlog {
            newest = newest.max(notification.id);
            if sender.send(Ok(notification_event(&notification))).await.is_err() {
                return;
            }
        }
        loop {
            let signal = tokio::select! {
                signal = signals.recv() => signal,
                _ = stop.changed() => return,
                _ = sender.closed() => return,
                _ = recheck.tick() => {
                    // Signed out, revoked or deactivated: the stream ends with the session.
                    match crate::auth::service::session_is_live(&state, &user).await {
                        Ok(false) => return,
                        Ok(true) | Err(_) => continue,
                    }
                }
            };
            let event = match signal {
                Ok(Signal::Created(created))
                    if created.user_id == user.user_id()
                        && created.company_id == user.company_id()
                        && created.id > newest =>
                {
                    match crate::notify::inbox::one(&state.pool, &user, created.id).await {
                        Ok(Some(notification)) => {
                            newest = notification.id;
                            notification_event(&notification)
                        }
                        Ok(None) => continue,
                        Err(error) => {
                            tracing::warn!(error = %error, "loading a live notification");
                            continue;
                        }
                    }
                }
                Ok(Signal::Created(_)) => continue,
                // Missed signals (a slow browser, or a lost database connection): re-read.
                Ok(Signal::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    Event::default().event("resync").data("{}")
                }
                Err(broadcast::error::RecvError::Closed) => return,
            };
            if sender.send(Ok(event)).await.is_err() {
                return;
            }
        }
    });
    Ok(Sse::new(ReceiverStream::new(receiver))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response())
}

#[derive(Debug, Deserialize)]
struct StreamParams {
    after: Option<i64>,
}

fn notification_event(notification: &Notification) -> Event {
    Event::default()
        .event("notification")
        .id(notification.id.to_string())
        .data(serde_json::to_string(notification).unwrap_or_else(|_| "{}".into()))
}
