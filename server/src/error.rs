//! The server layer's error. Services return it; at the boundary it becomes
//! the user-safe `AppError`, and internal causes are logged, never sent.

use app::error::{AppError, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A user-facing outcome (not found, validation, forbidden…).
    #[error(transparent)]
    App(#[from] AppError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The name of the violated constraint, if this is a constraint violation.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            Error::Database(sqlx::Error::Database(db)) => db.constraint(),
            _ => None,
        }
    }
}

impl From<crate::clock::UnknownTimezone> for Error {
    fn from(error: crate::clock::UnknownTimezone) -> Self {
        Error::Internal(error.into())
    }
}

impl From<Vec<FieldError>> for Error {
    fn from(errors: Vec<FieldError>) -> Self {
        Error::App(AppError::Validation { errors })
    }
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        match error {
            Error::App(app) => app,
            Error::Database(db) => {
                tracing::error!(error = %db, "database error");
                AppError::Internal
            }
            Error::Internal(other) => {
                tracing::error!(error = format!("{other:#}"), "internal error");
                AppError::Internal
            }
        }
    }
}

/// Turns a violation of `constraint` into the given user-facing error.
pub trait OnConstraint<T> {
    fn on_constraint(self, constraint: &str, to: impl FnOnce() -> AppError) -> Result<T>;
}

impl<T, E: Into<Error>> OnConstraint<T> for std::result::Result<T, E> {
    fn on_constraint(self, constraint: &str, to: impl FnOnce() -> AppError) -> Result<T> {
        self.map_err(|e| {
            let error = e.into();
            if error.constraint() == Some(constraint) {
                Error::App(to())
            } else {
                error
            }
        })
    }
}
