//! The signed-in user's profile, password and devices.

pub mod api;
mod pages;
mod types;

pub use pages::AccountPage;
pub use types::*;
