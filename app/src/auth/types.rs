use crate::domain::{Checks, CompanyName, CompanySlug, EmailAddress, Password, PersonName, Timezone};
use crate::error::AppError;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "user_role", rename_all = "SCREAMING_SNAKE_CASE"))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    Worker,
    Customer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Worker, Role::Customer];

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Worker => "Field worker",
            Role::Customer => "Customer",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Worker => "WORKER",
            Role::Customer => "CUSTOMER",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "ADMIN" => Ok(Role::Admin),
            "WORKER" => Ok(Role::Worker),
            "CUSTOMER" => Ok(Role::Customer),
            _ => Err("Choose admin, field worker or customer.".into()),
        }
    }

    /// Where this role lands after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Admin => "/app/dashboard",
            Role::Worker => "/app/my-jobs",
            Role::Customer => "/app/portal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyInfo {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub timezone: String,
}

/// The signed-in user as the UI sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The user's own timezone, falling back to the company's.
    pub timezone: String,
    pub company: CompanyInfo,
    /// False until the user follows the link mailed at sign-up; an unverified
    /// admin sees only the "check your email" page.
    pub email_verified: bool,
}

impl SessionUser {
    /// Whether the app is closed to this user until they verify their address.
    pub fn must_verify_email(&self) -> bool {
        self.role == Role::Admin && !self.email_verified
    }
}

/// What the public `/{slug}/login` page shows about a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceInfo {
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignUpForm {
    pub company_name: String,
    pub slug: String,
    pub timezone: String,
    pub admin_name: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct ValidSignUp {
    pub company_name: CompanyName,
    pub slug: CompanySlug,
    pub timezone: Timezone,
    pub admin_name: PersonName,
    pub email: EmailAddress,
    pub password: Password,
}

impl SignUpForm {
    pub fn validate(&self) -> Result<ValidSignUp, Vec<FieldError>> {
        let mut checks = Checks::new();
        let company_name = checks.check("company_name", CompanyName::parse(&self.company_name));
        let slug = checks.check("slug", CompanySlug::parse(&self.slug));
        let timezone = checks.check("timezone", Timezone::parse(&self.timezone));
        let admin_name = checks.check("admin_name", PersonName::parse(&self.admin_name));
        let email = checks.check("email", EmailAddress::parse(&self.email));
        let password = checks.check("password", Password::parse(&self.password));
        checks.finish(|| {
            Some(ValidSignUp {
                company_name: company_name?,
                slug: slug?,
                timezone: timezone?,
                admin_name: admin_name?,
                email: email?,
                password: password?,
            })
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginForm {
    pub workspace: String,
    pub email: String,
    pub password: String,
}

impl LoginForm {
    /// Only presence is checked at sign-in: the password policy applies to new passwords,
    /// and a malformed email simply does not match an account.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.workspace.trim().is_empty() {
            errors.push(FieldError::new("workspace", "Enter your workspace address."));
        }
        if self.email.trim().is_empty() {
            errors.push(FieldError::new("email", "Enter your email address."));
        }
        if self.password.is_empty() {
            errors.push(FieldError::new("password", "Enter your password."));
        }
        // Lengths and characters no account can have: refused before any lookup.
        for (field, value, max) in
            [("workspace", &self.workspace, 64), ("email", &self.email, 254), ("password", &self.password, 1024)]
        {
            if crate::domain::text::has_forbidden_char(value, false) {
                errors.push(FieldError::new(field, crate::domain::text::forbidden_char_message()));
            } else if value.chars().count() > max {
                errors.push(FieldError::new(field, format!("Keep it to {max} characters or fewer.")));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The error a sign-in or sign-up form posted before the page's script loaded was
/// sent back with (`?error=` on the redirect), as the form shows it.
pub fn form_error(code: &str) -> Option<AppError> {
    if let Some(seconds) = code.strip_prefix("throttled-") {
        return Some(AppError::TooManyRequests { retry_after_secs: seconds.parse().unwrap_or(60) });
    }
    if let Some(field) = code.strip_prefix("field-") {
        let field: String = field.chars().filter(|c| c.is_ascii_lowercase() || *c == '_').take(40).collect();
        return Some(AppError::field(field, "Check this field and try again."));
    }
    match code {
        "credentials" => Some(AppError::InvalidCredentials),
        "" => None,
        _ => Some(AppError::Internal),
    }
}
