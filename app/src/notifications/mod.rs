//! Notifications: the bell and live stream, the notification centre, email
//! settings, the outbox for admins, invitations, and the account-email pages.

pub mod api;
mod types;

pub use types::*;
