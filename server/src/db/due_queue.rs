//! The loop every outbox runs (emails, webhook deliveries): find the companies with
//! something due, work their items one at a time (each claimed with `FOR UPDATE SKIP
//! LOCKED` in its company's transaction by the queue itself), then sleep until the next
//! item falls due, a new one is committed (`wake`), or the poll interval passes.

use crate::error::Result;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use uuid::Uuid;

/// A queue of work due at a time, kept per company.
pub trait DueQueue: Send + Sync {
    /// What the logs call it.
    const NAME: &'static str;

    /// The companies with an item due now (read untenanted, by a definer function).
    fn companies_with_due(&self) -> impl Future<Output = Result<Vec<Uuid>>> + Send;

    /// Claims and works one due item of `company_id`; false when none is free.
    fn work_one(&self, company_id: Uuid) -> impl Future<Output = Result<bool>> + Send;

    /// Seconds until the next item falls due (≤ 0: one is due), `None` when nothing waits.
    fn seconds_to_next_due(&self) -> impl Future<Output = Option<f64>> + Send;

    /// The longest sleep between looks.
    fn poll_interval(&self) -> Duration;
}

/// Works everything due now; how many items it attempted.
pub async fn work_due(queue: &impl DueQueue) -> Result<usize> {
    let mut attempted = 0;
    for company_id in queue.companies_with_due().await? {
        while queue.work_one(company_id).await? {
            attempted += 1;
        }
    }
    Ok(attempted)
}

/// How long to sleep before the next look.
async fn idle_time(queue: &impl DueQueue, attempted: usize) -> Duration {
    let idle = match queue.seconds_to_next_due().await {
        Some(secs) if secs > 0.0 => Duration::from_secs_f64(secs).min(queue.poll_interval()),
        Some(_) => Duration::from_millis(50),
        None => queue.poll_interval(),
    };
    // Due items this loop could not claim are being worked by another loop: look again
    // in a moment rather than spinning.
    if attempted == 0 {
        idle.max(Duration::from_millis(500))
    } else {
        idle
    }
}

/// Works the queue until `stop` turns true; an item being worked when it comes is finished.
pub async fn run<Q: DueQueue>(queue: Q, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            break;
        }
        let attempted = match work_due(&queue).await {
            Ok(n) => n,
            Err(error) => {
                tracing::error!(error = %error, queue = Q::NAME, "delivery failed");
                0
            }
        };
        let idle = idle_time(&queue, attempted).await;
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(idle) => {}
            _ = stop.changed() => {}
        }
    }
    tracing::info!(queue = Q::NAME, "delivery stopped");
}
