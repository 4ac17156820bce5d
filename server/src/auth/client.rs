use axum::extract::ConnectInfo;
use http::header::USER_AGENT;
use std::net::{IpAddr, SocketAddr};

/// Who is on the other end: the peer address and the browser, for session
/// lists and per-IP throttling.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn from_parts(headers: &http::HeaderMap, extensions: &http::Extensions) -> Self {
        Self {
            // The address resolved through trusted proxies; the TCP peer when none ran.
            ip: extensions
                .get::<crate::net::ClientIp>()
                .map(|c| c.0)
                .or_else(|| extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())),
            user_agent: headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).map(|v| v.chars().take(400).collect()),
        }
    }
}

impl ClientInfo {
    /// What per-address limits count this client as (its /64 network for IPv6).
    pub fn limit_subject(&self) -> Option<String> {
        self.ip.map(crate::net::limit_subject)
    }
}

/// A short device label from a User-Agent ("Chrome on Android").
pub fn device_label(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent else { return "Unknown device".into() };
    let browser =
        [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
            .iter()
            .find(|(needle, _)| ua.contains(needle))
            .map(|(_, name)| *name);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b.to_string(),
        (None, Some(o)) => o.to_string(),
        (None, None) => ua.split('/').next().unwrap_or("Unknown device").chars().take(40).collect(),
    }
}
