//! Token endpoints for API clients (`Authorization: Bearer`). Browsers use the
//! cookie-based server functions instead.

use super::problem::Problem;
use crate::auth::service::{self, RefreshOutcome};
use crate::auth::{ClientInfo, CurrentUser, IssuedTokens};
use crate::state::AppState;
use app::auth::{LoginForm, SessionUser};
use app::error::AppError;
use axum::extract::{Request, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::StatusCode;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/refresh", post(refresh))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/me", get(me))
}

#[derive(Serialize)]
struct TokenResponse {
    token_type: &'static str,
    access_token: String,
    expires_in: i64,
    refresh_token: String,
}

impl From<IssuedTokens> for TokenResponse {
    fn from(tokens: IssuedTokens) -> Self {
        Self {
            token_type: "Bearer",
            expires_in: (tokens.access_expires_at - chrono::Utc::now()).num_seconds(),
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
        }
    }
}

fn client(request: &Request) -> ClientInfo {
    ClientInfo::from_parts(request.headers(), request.extensions())
}

async fn json_body<T: serde::de::DeserializeOwned>(request: Request) -> Result<T, Problem> {
    let bytes = axum::body::to_bytes(request.into_body(), 64 * 1024)
        .await
        .map_err(|_| AppError::BadRequest { message: "The body is too large.".into() })?;
    serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest { message: e.to_string() }.into())
}

async fn login(State(state): State<AppState>, request: Request) -> Result<Json<TokenResponse>, Problem> {
    let client = client(&request);
    let form: LoginForm = json_body(request).await?;
    let (_, tokens) = service::log_in(&state, form, &client).await?;
    Ok(Json(tokens.into()))
}

#[derive(Deserialize)]
struct RefreshRequest {
    refresh_token: String,
}

/// Strict rotation: any reuse of a rotated token revokes the session family.
async fn refresh(State(state): State<AppState>, request: Request) -> Result<Json<TokenResponse>, Problem> {
    let client = client(&request);
    let body: RefreshRequest = json_body(request).await?;
    match service::refresh(&state, &body.refresh_token, &client, false).await? {
        RefreshOutcome::Rotated { tokens, .. } => Ok(Json(tokens.into())),
        RefreshOutcome::ConcurrentRotation { .. } => Err(AppError::Unauthorized.into()),
    }
}

async fn logout(State(state): State<AppState>, request: Request) -> Result<StatusCode, Problem> {
    let user = CurrentUser::from_extensions_unverified(request.extensions())?;
    service::log_out(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(State(state): State<AppState>, request: Request) -> Result<Json<SessionUser>, Problem> {
    let user = CurrentUser::from_extensions_unverified(request.extensions())?;
    Ok(Json(service::session_user(&state, &user).await?))
}
