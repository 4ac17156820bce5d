//! The browser's session cookies: HttpOnly, SameSite=Lax, and outside development
//! Secure with the `__Host-` prefix (the browser then refuses them unless they are
//! Secure, for the whole site and set by this host itself — no sibling subdomain can
//! plant or overwrite them).

use http::header::{HeaderMap, COOKIE};
use http::HeaderValue;

pub const ACCESS_COOKIE: &str = "fb_access";
pub const REFRESH_COOKIE: &str = "fb_refresh";

/// The cookie's name as sent: `__Host-` prefixed when cookies are Secure.
pub fn name(base: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// The value of cookie `name` in the request, if present.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

/// A Set-Cookie value with this site's attributes; `value` must be cookie-safe ASCII.
pub fn build(base: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let name = name(base, secure);
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}"))
        .expect("cookie values are base64url or JWT characters")
}

/// Set-Cookie values for a fresh pair of tokens.
pub fn session(access: &str, refresh: &str, secure: bool) -> [HeaderValue; 2] {
    [
        build(ACCESS_COOKIE, access, super::tokens::ACCESS_TTL.num_seconds(), secure),
        build(REFRESH_COOKIE, refresh, super::REFRESH_TTL.num_seconds(), secure),
    ]
}

/// Set-Cookie values that remove both cookies.
pub fn cleared(secure: bool) -> [HeaderValue; 2] {
    [build(ACCESS_COOKIE, "", 0, secure), build(REFRESH_COOKIE, "", 0, secure)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_development_cookies_are_secure_and_host_prefixed() {
        let [access, refresh] = session("a.b.c", "r", true);
        let access = access.to_str().unwrap();
        assert!(access.starts_with("__Host-fb_access=a.b.c; Path=/;"), "{access}");
        assert!(access.contains("HttpOnly") && access.contains("SameSite=Lax") && access.ends_with("; Secure"));
        assert!(refresh.to_str().unwrap().starts_with("__Host-fb_refresh=r;"));
        let [local, _] = session("a.b.c", "r", false);
        assert!(local.to_str().unwrap().starts_with("fb_access=") && !local.to_str().unwrap().contains("Secure"));
    }
}
