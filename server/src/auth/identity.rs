//! The authentication middleware and the identity it produces.

use super::cookies::{self, ACCESS_COOKIE, REFRESH_COOKIE};
use super::service::{self, RefreshOutcome};
use super::tokens::AccessError;
use super::ClientInfo;
use crate::state::AppState;
use app::auth::Role;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{AUTHORIZATION, SET_COOKIE};
use uuid::Uuid;

/// A user whose credentials were checked on this request, with a live session.
/// Only this module creates one; [`crate::db::TenantTx::begin`] requires one.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    user_id: Uuid,
    company_id: Uuid,
    family_id: Uuid,
    role: Role,
    email_verified: bool,
}

impl CurrentUser {
    pub(super) fn new(user_id: Uuid, company_id: Uuid, family_id: Uuid, role: Role, email_verified: bool) -> Self {
        Self { user_id, company_id, family_id, role, email_verified }
    }

    /// Acts as a user without a request: trusted server-side tasks only (the demo
    /// data command), never anything a client controls.
    pub(crate) fn trusted(user_id: Uuid, company_id: Uuid, role: Role) -> Self {
        Self { user_id, company_id, family_id: Uuid::nil(), role, email_verified: true }
    }

    pub fn user_id(&self) -> Uuid {
        self.user_id
    }

    pub fn company_id(&self) -> Uuid {
        self.company_id
    }

    /// The session family this request belongs to.
    pub fn session_id(&self) -> Uuid {
        self.family_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Fails with 403 unless the user has `role`.
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.role == role {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the app is closed to this user until they verify their address: an
    /// admin who signed up and has not followed the link yet.
    pub fn must_verify_email(&self) -> bool {
        self.role == Role::Admin && !self.email_verified
    }

    /// Fails with 403 for a user who must verify their email first.
    pub fn ensure_verified(&self) -> Result<(), AppError> {
        if self.must_verify_email() {
            Err(AppError::EmailUnverified)
        } else {
            Ok(())
        }
    }

    /// The identity the middleware attached to a request, or 401; 403 for an
    /// admin who has not verified their email yet.
    pub fn from_extensions(extensions: &http::Extensions) -> Result<Self, AppError> {
        let user = Self::from_extensions_unverified(extensions)?;
        user.ensure_verified()?;
        Ok(user)
    }

    /// The identity even before email verification: only for what the "check your
    /// email" page needs (who am I, send the link again, sign out).
    pub fn from_extensions_unverified(extensions: &http::Extensions) -> Result<Self, AppError> {
        extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthorized)
    }
}

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
