//! The auth server functions' implementation: cookies in, cookies out.

use super::cookies;
use super::{service, ClientInfo, CurrentUser, IssuedTokens};
use crate::state::AppState;
use app::auth::{LoginForm, SessionUser, SignUpForm, WorkspaceInfo};
use app::backend::{AuthBackend, RequestContext};
use app::domain::CompanySlug;
use app::error::{AppError, AppResult};
use async_trait::async_trait;
use http::header::SET_COOKIE;

pub fn client_info(rq: &RequestContext) -> ClientInfo {
    ClientInfo::from_parts(&rq.parts.headers, &rq.parts.extensions)
}

/// The signed-in user of a server-function request, or 401.
pub fn request_user(rq: &RequestContext) -> AppResult<CurrentUser> {
    CurrentUser::from_extensions(&rq.parts.extensions)
}

impl AppState {
    fn set_session_cookies(&self, rq: &RequestContext, tokens: &IssuedTokens) {
        for cookie in cookies::session(&tokens.access_token, &tokens.refresh_token, self.settings.secure_cookies()) {
            rq.response.append_header(SET_COOKIE, cookie);
        }
    }

    fn clear_session_cookies(&self, rq: &RequestContext) {
        for cookie in cookies::cleared(self.settings.secure_cookies()) {
            rq.response.append_header(SET_COOKIE, cookie);
        }
    }
}

#[async_trait]
impl AuthBackend for AppState {
    async fn session(&self, rq: &RequestContext) -> AppResult<Option<SessionUser>> {
        match CurrentUser::from_extensions_unverified(&rq.parts.extensions) {
            Ok(user) => Ok(Some(service::session_user(self, &user).await?)),
            Err(_) => Ok(None),
        }
    }

    async fn sign_up(&self, rq: &RequestContext, form: SignUpForm) -> AppResult<SessionUser> {
        let (user, tokens) = crate::onboarding::sign_up(self, form, &client_info(rq)).await?;
        self.set_session_cookies(rq, &tokens);
        Ok(user)
    }

    async fn log_in(&self, rq: &RequestContext, form: LoginForm) -> AppResult<SessionUser> {
        let (user, tokens) = service::log_in(self, form, &client_info(rq)).await?;
        self.set_session_cookies(rq, &tokens);
        Ok(user)
    }

    /// Ends this session if there is one; the cookies are cleared either way.
    async fn log_out(&self, rq: &RequestContext) -> AppResult<()> {
        if let Ok(user) = CurrentUser::from_extensions_unverified(&rq.parts.extensions) {
            service::log_out(self, &user).await?;
        }
        self.clear_session_cookies(rq);
        Ok(())
    }

    async fn log_out_everywhere(&self, rq: &RequestContext) -> AppResult<()> {
        let user = request_user(rq)?;
        service::log_out_everywhere(self, &user).await?;
        self.clear_session_cookies(rq);
        Ok(())
    }

    async fn workspace(&self, slug: String) -> AppResult<WorkspaceInfo> {
        let slug = CompanySlug::parse(&slug).map_err(|_| AppError::NotFound)?;
        let company = service::company_by_slug(&self.pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
        Ok(WorkspaceInfo { name: company.name, slug: company.slug })
    }

    fn timezones(&self) -> Vec<String> {
        let mut zones: Vec<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name().to_string())
            .filter(|name| {
                name == "UTC" || (name.contains('/') && !name.starts_with("Etc/") && !name.starts_with("SystemV/"))
            })
            .collect();
        zones.sort();
        zones
    }
}
