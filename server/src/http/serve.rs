//! The accept loop. axum's own `serve` has no header-read timeout and no limit on
//! open connections, so sockets that never send a byte pile up until the process
//! runs out of file descriptors. Here every connection is HTTP/1.1 (TLS and HTTP/2
//! end at the proxy in front) with a deadline for each request's headers — which
//! also closes idle keep-alive connections — and at most `max_connections` are open:
//! beyond that, new ones wait in the kernel's backlog until one closes. One address
//! (other than a trusted proxy) may hold only a share of them, so a single host
//! cannot take every slot.

use crate::limits::slots::KeyedSlots;
use crate::net::IpRange;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// A client gets this long to send a request's headers (and an idle connection lives this long).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// After shutdown begins, requests in flight get this long to finish.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// How many connections the server keeps open.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    pub max: usize,
    /// Per client address, except for trusted proxies (which carry everyone).
    pub per_address: usize,
    pub trusted_proxies: Vec<IpRange>,
}

impl ConnectionLimits {
    /// A sixteenth of the total per address: a browser uses six, a few devices fit.
    pub fn new(max: usize, trusted_proxies: Vec<IpRange>) -> Self {
        Self { max, per_address: (max / 16).max(8), trusted_proxies }
    }
}

pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.max));
    let per_address = KeyedSlots::default();
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT).keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let ip = peer.ip().to_canonical();
        let address_slot = if limits.trusted_proxies.iter().any(|range| range.contains(ip)) {
            None
        } else {
            match per_address.take(ip, limits.per_address) {
                Some(slot) => Some(slot),
                None => continue, // Dropping the stream closes it: this address has its share.
            }
        };
        // No Nagle delay: streamed bodies (the CSV export) otherwise wait ~40 ms for
        // delayed acknowledgements on their last chunk.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(error = %error, "could not set TCP_NODELAY");
        }
        let service = router.clone().map_request(move |mut request: http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients hanging up or timing out: nothing to report.
            let _ = connection.await;
            drop(address_slot);
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await.is_err() {
        tracing::warn!("some requests were still running when shutdown gave up waiting");
    }
    Ok(())
}
