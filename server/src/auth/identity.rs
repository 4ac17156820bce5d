//! The identity a request's credentials resolve to (`crate::http::authenticate`).

use app::api_keys::{scopes_allow, ApiScope};
use app::auth::Role;
use app::error::AppError;
use uuid::Uuid;

/// What an API key allows: its scopes and its request budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyGrant {
    pub id: Uuid,
    pub scopes: Vec<ApiScope>,
    pub requests_per_minute: u32,
}

/// A user whose credentials were checked on this request, with a live session, or
/// an API key acting for the admin who made it. Only `crate::auth` and
/// `crate::api_keys` create one; [`crate::db::TenantTx::begin`] requires one.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    user_id: Uuid,
    company_id: Uuid,
    family_id: Uuid,
    role: Role,
    email_verified: bool,
    api_key: Option<ApiKeyGrant>,
}

impl CurrentUser {
    pub(super) fn new(user_id: Uuid, company_id: Uuid, family_id: Uuid, role: Role, email_verified: bool) -> Self {
        Self { user_id, company_id, family_id, role, email_verified, api_key: None }
    }

    /// Acts as a user without a request: trusted server-side tasks only (the demo
    /// data command), never anything a client controls.
    pub(crate) fn trusted(user_id: Uuid, company_id: Uuid, role: Role) -> Self {
        Self { user_id, company_id, family_id: Uuid::nil(), role, email_verified: true, api_key: None }
    }

    /// A checked API key, acting for `maker` (an active admin) within its scopes.
    pub(crate) fn for_api_key(maker: Uuid, company_id: Uuid, grant: ApiKeyGrant) -> Self {
        Self {
            user_id: maker,
            company_id,
            family_id: Uuid::nil(),
            role: Role::Admin,
            email_verified: true,
            api_key: Some(grant),
        }
    }

    /// The key this request came with, if it is an API key's.
    pub fn api_key(&self) -> Option<&ApiKeyGrant> {
        self.api_key.as_ref()
    }

    /// Fails with 403 for an API key without `scope`; people are limited by their role
    /// alone (the services check it).
    pub fn require_scope(&self, scope: ApiScope) -> Result<(), AppError> {
        match &self.api_key {
            Some(grant) if !scopes_allow(&grant.scopes, scope) => Err(AppError::Forbidden),
            _ => Ok(()),
        }
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
