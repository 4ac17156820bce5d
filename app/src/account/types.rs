use crate::domain::{Checks, Password, PersonName, Timezone};
use crate::error::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub name: String,
    /// Empty means "use the company's timezone".
    pub timezone: String,
}

impl ProfileForm {
    pub fn validate(&self) -> Result<(PersonName, Option<Timezone>), Vec<FieldError>> {
        let mut checks = Checks::new();
        let name = checks.check("name", PersonName::parse(&self.name));
        let timezone = if self.timezone.trim().is_empty() {
            Some(None)
        } else {
            checks.check("timezone", Timezone::parse(&self.timezone)).map(Some)
        };
        checks.finish(|| Some((name?, timezone?)))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeForm {
    pub current_password: String,
    pub new_password: String,
}

impl PasswordChangeForm {
    pub fn validate(&self) -> Result<Password, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.current_password.is_empty() {
            errors.push(FieldError::new("current_password", "Enter your current password."));
        }
        let new = Password::parse(&self.new_password).map_err(|m| FieldError::new("new_password", m));
        match new {
            Ok(password) if errors.is_empty() => Ok(password),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.push(e);
                Err(errors)
            }
        }
    }
}

/// One signed-in device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    pub id: Uuid,
    pub device: String,
    pub ip: Option<String>,
    pub signed_in_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    /// `last_used_at` in the user's timezone, ready to show ("21 Nov 2026, 09:23").
    pub last_active: String,
    pub current: bool,
}
