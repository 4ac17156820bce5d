//! The one error type that crosses from server to browser. User-safe by design:
//! internal causes are logged on the server and never serialised.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one input field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Same answer for an unknown email and a wrong password.
    #[error("Incorrect email or password.")]
    InvalidCredentials,
    #[error("You don't have access to this.")]
    Forbidden,
    /// An admin who signed up has not followed the verification link yet.
    #[error("Confirm your email address first: follow the link we emailed you.")]
    EmailUnverified,
    #[error("We couldn't find that.")]
    NotFound,
    #[error("{}", summary(errors))]
    Validation { errors: Vec<FieldError> },
    #[error("{message}")]
    Conflict { message: String },
    /// An edit based on a version of the record that is no longer current (409 in the
    /// app; the REST API answers its `If-Match` with 412).
    #[error("{message}")]
    Stale { message: String },
    #[error("Too many attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60))]
    TooManyRequests { retry_after_secs: u64 },
    /// The request itself could not be read (wrong shape, wrong types).
    #[error("The request was malformed: {message}")]
    BadRequest { message: String },
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The browser could not reach the server or read its answer.
    #[error("Could not reach the server. Check your connection and try again.")]
    Network { detail: String },
}

fn summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        _ => "Please correct the highlighted fields.".to_string(),
    }
}

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { errors: vec![FieldError::new(field, message)] }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict { message: message.into() }
    }

    pub fn stale(message: impl Into<String>) -> Self {
        Self::Stale { message: message.into() }
    }

    /// The message for `field`, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation { errors } => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Unauthorized | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::EmailUnverified => 403,
            Self::NotFound => 404,
            Self::Validation { .. } => 422,
            Self::Conflict { .. } | Self::Stale { .. } => 409,
            Self::TooManyRequests { .. } => 429,
            Self::BadRequest { .. } => 400,
            Self::Internal => 500,
            Self::Network { .. } => 502,
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        Self::Validation { errors }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not deserialise are the caller's fault.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => Self::BadRequest { message },
            ServerFnErrorErr::Request(detail) | ServerFnErrorErr::Response(detail) => Self::Network { detail },
            // On the server this is the request's arguments failing to parse; in the
            // browser it is the response failing to parse.
            ServerFnErrorErr::Deserialization(detail) => {
                if cfg!(feature = "ssr") {
                    Self::BadRequest { message: detail }
                } else {
                    Self::Network { detail }
                }
            }
            _ => Self::Internal,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
