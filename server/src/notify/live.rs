//! Live notifications: every server process LISTENs on PostgreSQL channels and fans
//! what it hears out to the browsers connected to it through Server-Sent Events.
//! A notification committed by any process therefore reaches its user's browser
//! whichever process that browser is connected to.

use crate::auth::CurrentUser;
use crate::db::{AppPool, TenantTx};
use crate::http::problem::Problem;
use crate::limits::slots::{KeyedSlot, KeyedSlots};
use crate::state::AppState;
use app::notifications::Notification;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::HeaderMap;
use serde::Deserialize;
use sqlx::postgres::PgListener;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch, Notify};
use tokio_stream::wrappers::ReceiverStream;
use uuid::Uuid;

const NOTIFICATIONS_CHANNEL: &str = "fieldbook_notifications";
const OUTBOX_CHANNEL: &str = "fieldbook_outbox";

/// What the listener passes on to connected browsers.
#[derive(Debug, Clone, Deserialize)]
pub struct NewNotification {
    pub company_id: Uuid,
    pub user_id: Uuid,
    pub id: i64,
}

#[derive(Debug, Clone)]
pub enum Signal {
    Created(NewNotification),
    /// The database connection was lost and regained: anything may have been
    /// missed, so browsers should re-read.
    Resync,
}

/// The process's hub: the listener's fan-out, the outbox wake-up, and the stop
/// flag that ends live streams at shutdown (so graceful shutdown can finish).
#[derive(Clone)]
pub struct LiveHub {
    signals: broadcast::Sender<Signal>,
    pub outbox_wake: Arc<Notify>,
    stop: Arc<watch::Sender<bool>>,
    /// Open streams per user on this process.
    open_streams: KeyedSlots<Uuid>,
}

/// Streams one user may hold open on one process (a few devices and tabs).
pub const MAX_STREAMS_PER_USER: usize = 8;

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveHub {
    pub fn new() -> Self {
        let (signals, _) = broadcast::channel(1024);
        let (stop, _) = watch::channel(false);
        Self { signals, outbox_wake: Arc::new(Notify::new()), stop: Arc::new(stop), open_streams: Default::default() }
    }

    /// A slot for one more stream of `user_id`, unless they hold the maximum already.
    fn open_stream(&self, user_id: Uuid) -> Option<KeyedSlot<Uuid>> {
        self.open_streams.take(user_id, MAX_STREAMS_PER_USER)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.signals.subscribe()
    }

    pub fn stopped(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// Ends live streams and background loops.
    pub fn shut_down(&self) {
        self.stop.send_replace(true);
    }

    /// Listens on the notification and outbox channels until shutdown. Reconnects
    /// on its own after a lost connection and tells browsers to re-read.
    pub fn spawn_listener(&self, pool: &AppPool) -> tokio::task::JoinHandle<()> {
        let hub = self.clone();
        let pool = pool.untenanted().clone();
        let mut stop = self.stopped();
        tokio::spawn(async move {
            let mut listener = loop {
                match PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen_all([NOTIFICATIONS_CHANNEL, OUTBOX_CHANNEL]).await {
                        Ok(()) => break listener,
                        Err(error) => tracing::warn!(error = %error, "LISTEN failed; retrying"),
                    },
                    Err(error) => tracing::warn!(error = %error, "cannot connect the listener; retrying"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = stop.changed() => return,
                }
            };
            let mut lost = false;
            loop {
                let received = tokio::select! {
                    received = listener.try_recv() => received,
                    _ = stop.changed() => break,
                };
                match received {
                    Ok(Some(message)) => {
                        if lost {
                            lost = false;
                            let _ = hub.signals.send(Signal::Resync);
                            hub.outbox_wake.notify_waiters();
                        }
                        if message.channel() == OUTBOX_CHANNEL {
                            hub.outbox_wake.notify_waiters();
                        } else if let Ok(created) = serde_json::from_str::<NewNotification>(message.payload()) {
                            let _ = hub.signals.send(Signal::Created(created));
                        }
                    }
                    // The connection dropped; the next try_recv reconnects and re-LISTENs.
                    Ok(None) => {
                        tracing::warn!("notification listener lost its connection; reconnecting");
                        lost = true;
                    }
                    Err(error) => {
                        tracing::warn!(error = %error, "notification listener failed; retrying");
                        lost = true;
                        tokio::select! {
                            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                            _ = stop.changed() => break,
                        }
                    }
                }
            }
        })
    }
}

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
        Some(after) => super::inbox::newer_than(&state.pool, &user, after).await?,
        None => Vec::new(),
    };
    let (sender, receiver) = mpsc::channel::<Result<Event, Infallible>>(16);
    tokio::spawn(async move {
        let _slot = slot;
        let _counted = crate::http::metrics::LiveStreamGauge::opened();
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
                    match load(&state.pool, &user, created.id).await {
                        Some(notification) => {
                            newest = notification.id;
                            notification_event(&notification)
                        }
                        None => continue,
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

async fn load(pool: &AppPool, user: &CurrentUser, id: i64) -> Option<Notification> {
    let result = async {
        let mut tx = TenantTx::begin(pool, user).await?;
        let found = super::inbox::one(&mut tx, user, id).await?;
        tx.commit().await?;
        Ok::<_, crate::error::Error>(found)
    }
    .await;
    match result {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(error = %error, "loading a live notification");
            None
        }
    }
}
