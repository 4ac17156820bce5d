//! The authentication middleware: turns a request's credentials into a
//! [`CurrentUser`] extension.

use crate::auth::cookies::{self, ACCESS_COOKIE, REFRESH_COOKIE};
use crate::auth::tokens::AccessError;
use crate::auth::{service, ClientInfo, RefreshOutcome};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{AUTHORIZATION, SET_COOKIE};

/// Resolves the request's credentials into a [`CurrentUser`] extension:
/// `Authorization: Bearer` for API clients, else the access cookie; a browser
/// whose access token expired is refreshed transparently from its refresh cookie
/// (new cookies go out on the response). No credentials is not an error here;
/// server functions that need a user answer 401 themselves.
pub async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_string());
    // API keys open the REST resources only: never pages, server functions, or the
    // session endpoints (a key has no session to refresh or end).
    if let Some(key) = bearer.as_deref().filter(|b| crate::api_keys::is_api_key(b)) {
        if accepts_api_keys(request.uri().path()) {
            match crate::api_keys::authenticate(&state, key).await {
                Ok(Some(user)) => {
                    tracing::Span::current().record("user_id", tracing::field::display(user.user_id()));
                    request.extensions_mut().insert(user);
                }
                Ok(None) => {}
                Err(error) => tracing::error!(error = %error, "checking an API key"),
            }
        }
        return next.run(request).await;
    }
    let from_cookie = bearer.is_none();
    let secure = state.settings.secure_cookies();
    let access = bearer.or_else(|| cookies::read(headers, &cookies::name(ACCESS_COOKIE, secure)));
    let refresh_cookie = cookies::read(headers, &cookies::name(REFRESH_COOKIE, secure));

    let mut identity = None;
    let mut set_cookies = Vec::new();
    let mut access_failed = access.is_none();
    if let Some(token) = access {
        match state.keys.decode(&token) {
            Ok(claims) => match service::live_identity(&state, &claims).await {
                Ok(found) => {
                    access_failed = found.is_none();
                    identity = found;
                }
                Err(error) => tracing::error!(error = %error, "checking the session"),
            },
            Err(AccessError::Expired | AccessError::Invalid) => access_failed = true,
        }
    }

    // Browsers: an expired or missing access token with a refresh cookie gets a new pair.
    if access_failed && from_cookie {
        if let Some(refresh) = refresh_cookie {
            let client = ClientInfo::from_parts(request.headers(), request.extensions());
            match service::refresh(&state, &refresh, &client, true).await {
                Ok(RefreshOutcome::Rotated { user, tokens }) => {
                    set_cookies.extend(cookies::session(
                        &tokens.access_token,
                        &tokens.refresh_token,
                        state.settings.secure_cookies(),
                    ));
                    identity = Some(user);
                }
                Ok(RefreshOutcome::ConcurrentRotation { user }) => identity = Some(user),
                Err(_) => set_cookies.extend(cookies::cleared(state.settings.secure_cookies())),
            }
        }
    }

    if let Some(user) = identity {
        tracing::Span::current().record("user_id", tracing::field::display(user.user_id()));
        request.extensions_mut().insert(user);
    }
    let mut response = next.run(request).await;
    for cookie in set_cookies {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// Where an API key is a credential: `/api/v1/…` except the session endpoints.
pub fn accepts_api_keys(path: &str) -> bool {
    path.starts_with("/api/v1/") && !path.starts_with("/api/v1/auth/") && path != "/api/v1/me"
}

#[cfg(test)]
mod tests {
    use super::accepts_api_keys;

    #[test]
    fn keys_open_the_rest_resources_only() {
        assert!(accepts_api_keys("/api/v1/jobs"));
        assert!(accepts_api_keys("/api/v1/audit-log"));
        assert!(!accepts_api_keys("/api/v1/auth/logout"));
        assert!(!accepts_api_keys("/api/v1/me"));
        assert!(!accepts_api_keys("/rpc/jobs/create"));
        assert!(!accepts_api_keys("/app/jobs"));
    }
}
