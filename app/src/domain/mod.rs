//! Validated domain values. The same rules run in the browser (for instant
//! feedback) and on the server (whose verdict counts): construction is the
//! only way to get a value, and it fails with a message a person can act on.

mod email;
mod name;
mod password;
mod slug;
pub mod text;
mod timezone;

pub use email::EmailAddress;
pub use name::{CompanyName, PersonName};
pub use password::Password;
pub use slug::CompanySlug;
pub use timezone::Timezone;

use crate::error::FieldError;

/// Collects per-field results so a form reports every problem at once.
#[derive(Default)]
pub struct Checks {
    errors: Vec<FieldError>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of `result` under `field` and returns the value, if any.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.push(FieldError::new(field, message));
                None
            }
        }
    }

    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            // Every field passed, so every `check` returned Some.
            value().ok_or_else(|| vec![FieldError::new("form", "Please check the form.")])
        } else {
            Err(self.errors)
        }
    }
}
