//! The browser's session cookies: HttpOnly, SameSite=Lax, Secure outside development.

use http::header::{HeaderMap, COOKIE};
use http::HeaderValue;

pub const ACCESS_COOKIE: &str = "fb_access";
pub const REFRESH_COOKIE: &str = "fb_refresh";

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

fn build(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
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
