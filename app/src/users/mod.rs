//! User management for admins.

pub mod api;
mod pages;
mod types;

pub use pages::UsersPage;
pub use types::*;
