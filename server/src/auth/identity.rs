//! The identity a request's credentials resolve to (`crate::http::authenticate`).

use app::auth::Role;
use app::error::AppError;
use uuid::Uuid;

/// A user whose credentials were checked on this request, with a live session.
/// Only `crate::auth` creates one; [`crate::db::TenantTx::begin`] requires one.
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
