//! Time tracking: timers and entries for workers, approvals for customers,
//! logs, contracts and reports for admins.

pub mod api;
mod types;

pub use types::*;
