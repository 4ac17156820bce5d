//! Live notifications: every server process LISTENs on PostgreSQL channels and fans
//! what it hears out to the browsers connected to it through Server-Sent Events.
//! A notification committed by any process therefore reaches its user's browser
//! whichever process that browser is connected to. The stream itself is served by
//! `crate::http::live`.

use crate::db::AppPool;
use crate::limits::slots::{KeyedSlot, KeyedSlots};
use serde::Deserialize;
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};
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
    /// Wakes this process's webhook loop (a test event, a redelivery).
    pub webhook_wake: Arc<Notify>,
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
        Self {
            signals,
            outbox_wake: Arc::new(Notify::new()),
            webhook_wake: Arc::new(Notify::new()),
            stop: Arc::new(stop),
            open_streams: Default::default(),
        }
    }

    /// A slot for one more stream of `user_id`, unless they hold the maximum already.
    pub fn open_stream(&self, user_id: Uuid) -> Option<KeyedSlot<Uuid>> {
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
