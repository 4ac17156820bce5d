//! Attaches the client's address (`crate::net::client_ip`) to every request.

use crate::net::{client_ip, ClientIp};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

pub async fn resolve_client_ip(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(peer) = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) {
        let ip = client_ip(peer, request.headers(), &state.settings.trusted_proxies);
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}
