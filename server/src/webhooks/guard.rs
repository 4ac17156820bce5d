//! The SSRF guard: where a webhook may be sent. In production only `https://` to
//! addresses on the public internet — never loopback, private, link-local, carrier-grade
//! NAT, multicast or unspecified addresses, whatever the name resolves to at the moment
//! of sending (the connection is pinned to the checked address, so a name that re-resolves
//! to 127.0.0.1 between check and connect gains nothing). Development and tests may call
//! local receivers over plain HTTP.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use url::Url;

/// Checks an address's form: `https` (or `http` when `allow_private`), a host, no
/// credentials; an IP literal must be public unless `allow_private`.
pub fn check_url(raw: &str, allow_private: bool) -> Result<Url, String> {
    let url = Url::parse(raw.trim()).map_err(|_| "Enter a full address, like https://example.com/hook.".to_string())?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err("The address must start with https://.".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Put no user name or password in the address; check the signature instead.".into());
    }
    let host = url.host_str().ok_or("The address needs a host name.")?;
    if !allow_private {
        if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            if !is_public(ip) {
                return Err("The address must be reachable on the public internet.".into());
            }
        }
        if host.eq_ignore_ascii_case("localhost") || host.ends_with(".localhost") || host.ends_with(".internal") {
            return Err("The address must be reachable on the public internet.".into());
        }
    }
    Ok(url)
}

/// Resolves the URL's host and returns the address to connect to, refusing (unless
/// `allow_private`) when any address it resolves to is not public.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<SocketAddr, String> {
    let host = url.host_str().ok_or("no host")?.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = url.port_or_known_default().ok_or("no port")?;
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|error| format!("could not resolve {host}: {error}"))?
        .collect();
    let first = *addresses.first().ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private && addresses.iter().any(|a| !is_public(a.ip())) {
        return Err(format!("{host} resolves to an address that is not public"));
    }
    Ok(first)
}

/// Whether `ip` is an ordinary address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || ip.to_ipv4().is_some_and(|v4| !is_public_v4(v4)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_plain_http_and_private_addresses() {
        for refused in [
            "http://example.com/hook",
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://localhost/hook",
            "https://user:pw@example.com/",
            "ftp://example.com/",
            "not a url",
        ] {
            assert!(check_url(refused, false).is_err(), "{refused}");
        }
        assert!(check_url("https://hooks.example.com/fieldbook?x=1", false).is_ok());
        assert!(check_url("https://203.0.114.7/", false).is_ok());
        assert!(is_public("2a00:1450:4001:81c::200e".parse().unwrap()));
    }

    #[test]
    fn development_may_call_a_local_receiver() {
        assert!(check_url("http://127.0.0.1:4000/hook", true).is_ok());
        assert!(check_url("ftp://127.0.0.1/", true).is_err());
    }

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused_when_sending() {
        let url = Url::parse("https://localhost:9/").unwrap();
        assert!(resolve(&url, false).await.is_err());
        assert!(resolve(&url, true).await.is_ok());
    }
}
