//! The metrics Fieldbook records, in one place: the process's Prometheus recorder and
//! a function or guard per metric. `crate::http::metrics` serves them at `/metrics`.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Duration;

const REQUESTS: &str = "fieldbook_http_requests_total";
const LATENCY: &str = "fieldbook_http_request_duration_seconds";
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The process's recorder (installed once; every application in a test process shares it).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(LATENCY.into()), LATENCY_BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if ::metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already; /metrics shows only what it records");
        }
        handle
    })
}

/// One answered HTTP request, by method, route pattern (or `other`) and status.
pub fn http_request(method: String, route: String, status: u16, took: Duration) {
    let labels = [("method", method), ("route", route), ("status", status.to_string())];
    ::metrics::counter!(REQUESTS, &labels).increment(1);
    ::metrics::histogram!(LATENCY, &labels).record(took.as_secs_f64());
}

/// A refused sign-in: `credentials` (wrong password, unknown or deactivated account) or
/// `throttled` (too many attempts).
pub fn refused_login(reason: &'static str) {
    ::metrics::counter!("fieldbook_logins_refused_total", "reason" => reason).increment(1);
}

/// Held by each open live-notification stream; the gauge counts them.
pub struct LiveStreamGauge(());

impl LiveStreamGauge {
    pub fn opened() -> Self {
        ::metrics::gauge!("fieldbook_live_streams").increment(1.0);
        Self(())
    }
}

impl Drop for LiveStreamGauge {
    fn drop(&mut self) {
        ::metrics::gauge!("fieldbook_live_streams").decrement(1.0);
    }
}

/// The application pool's connections, idle and in use (set at each scrape).
pub fn pool_connections(idle: f64, in_use: f64) {
    ::metrics::gauge!("fieldbook_db_pool_connections", "state" => "idle").set(idle);
    ::metrics::gauge!("fieldbook_db_pool_connections", "state" => "in_use").set(in_use);
}

/// Emails waiting in the outbox and the age of the oldest (set at each scrape).
pub fn outbox_backlog(pending: f64, oldest_seconds: f64) {
    ::metrics::gauge!("fieldbook_outbox_pending").set(pending);
    ::metrics::gauge!("fieldbook_outbox_oldest_pending_seconds").set(oldest_seconds);
}
