//! Sign-up, sign-in and sign-out: shared types, server functions and pages.

pub mod api;
mod pages;
mod types;

pub use pages::{AuthCard, LoginPage, SignUpPage, WorkspaceLoginPage};
pub use types::*;
