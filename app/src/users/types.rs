use crate::auth::Role;
use crate::domain::{Checks, EmailAddress, Password, PersonName};
use crate::error::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// For CUSTOMER logins: the customer record whose jobs they see.
    pub customer_id: Option<Uuid>,
    pub customer_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Which users a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatusFilter {
    #[default]
    Active,
    Deactivated,
    All,
}

impl UserStatusFilter {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "deactivated" => Self::Deactivated,
            "all" => Self::All,
            _ => Self::Active,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deactivated => "deactivated",
            Self::All => "all",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListQuery {
    pub status: UserStatusFilter,
    pub role: Option<Role>,
    /// Matches name or email, case-insensitively.
    pub search: String,
    /// Keyset cursor: the last row of the previous page.
    pub after: Option<UserCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCursor {
    pub name: String,
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub next: Option<UserCursor>,
}

impl UserPage {
    pub const SIZE: usize = 50;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewUserForm {
    pub name: String,
    pub email: String,
    pub role: String,
    pub password: String,
    /// A customer record's id for CUSTOMER logins; empty for none.
    #[serde(default)]
    pub customer_id: String,
}

#[derive(Debug, Clone)]
pub struct ValidNewUser {
    pub name: PersonName,
    pub email: EmailAddress,
    pub role: Role,
    pub password: Password,
    pub customer_id: Option<Uuid>,
}

impl NewUserForm {
    pub fn validate(&self) -> Result<ValidNewUser, Vec<FieldError>> {
        let mut checks = Checks::new();
        let name = checks.check("name", PersonName::parse(&self.name));
        let email = checks.check("email", EmailAddress::parse(&self.email));
        let role = checks.check("role", Role::parse(&self.role));
        let password = checks.check("password", Password::parse(&self.password));
        let customer_id = checks.check("customer_id", parse_customer_link(role, &self.customer_id));
        checks.finish(|| {
            Some(ValidNewUser {
                name: name?,
                email: email?,
                role: role?,
                password: password?,
                customer_id: customer_id?,
            })
        })
    }
}

/// The customer record a login links to: only customer logins have one.
pub fn parse_customer_link(role: Option<Role>, raw: &str) -> Result<Option<Uuid>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if role.is_some_and(|r| r != Role::Customer) {
        return Err("Only customer logins are linked to a customer record.".into());
    }
    raw.parse::<Uuid>().map(Some).map_err(|_| "Choose one of your customers.".into())
}
