//! The client's address. Behind a TLS proxy every TCP peer is the proxy, so the
//! address comes from `X-Forwarded-For` — but only when the peer is one of the
//! configured trusted proxies (`TRUSTED_PROXIES`), and then the right-most entry
//! that is not itself a trusted proxy: entries further left are whatever the
//! client chose to send.

use std::net::IpAddr;

pub use crate::config::ip_range::{parse_ranges, IpRange};

/// The resolved client address, attached to every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The client address of a request from `peer` with these headers.
pub fn client_ip(peer: IpAddr, headers: &http::HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // From the right: each trusted hop vouches for the entry before it. The first entry
    // that is not a trusted proxy is the client; an unreadable one ends the trust.
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(ip) = parse_entry(entry) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let ip = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[').and_then(|e| e.strip_suffix(']')).and_then(|e| e.parse().ok()))?;
    Some(ip.to_canonical())
}

/// Whom per-address limits count: the address itself for IPv4, its /64 network for
/// IPv6 (one client usually holds a whole /64 and could otherwise rotate through it).
pub fn limited_network(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// [`limited_network`] as the subject of a stored limit.
pub fn limit_subject(ip: IpAddr) -> String {
    match limited_network(ip) {
        IpAddr::V6(network) => format!("{network}/64"),
        v4 => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_match_by_prefix() {
        let range: IpRange = "10.1.0.0/16".parse().unwrap();
        assert!(range.contains(ip("10.1.200.3")));
        assert!(!range.contains(ip("10.2.0.1")));
        assert!("::1".parse::<IpRange>().unwrap().contains(ip("::1")));
        assert!("0.0.0.0/0".parse::<IpRange>().unwrap().contains(ip("8.8.8.8")));
        assert!("10.0.0.0/33".parse::<IpRange>().is_err());
        assert!("proxy".parse::<IpRange>().is_err());
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7, 10.0.0.2"));
        let trusted = parse_ranges("10.0.0.0/8").unwrap();
        // From the proxy: the right-most untrusted entry (the spoofed left one is ignored).
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &trusted), ip("203.0.113.7"));
        // From anyone else: the header is the client's own claim, ignored.
        assert_eq!(client_ip(ip("198.51.100.1"), &headers, &trusted), ip("198.51.100.1"));
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &[]), ip("10.0.0.1"));
        // Junk the client put in front changes nothing; ports and mapped IPv4 are read.
        headers.insert("x-forwarded-for", HeaderValue::from_static("unknown, 203.0.113.7:5123, 10.0.0.2"));
        assert_eq!(client_ip(ip("::ffff:10.0.0.1"), &headers, &trusted), ip("203.0.113.7"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("[2001:db8::1]:443"));
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &trusted), ip("2001:db8::1"));
        // An unreadable last entry: the proxy itself is all we know.
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7, garbage"));
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &trusted), ip("10.0.0.1"));
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64_network() {
        assert_eq!(limit_subject(ip("2001:db8:1:2:aaaa::1")), limit_subject(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(limit_subject(ip("2001:db8:1:2::1")), limit_subject(ip("2001:db8:1:3::1")));
        assert_eq!(limit_subject(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }
}
