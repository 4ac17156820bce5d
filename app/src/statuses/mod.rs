//! Job statuses: the company's own workflow steps, each of a kind.

pub mod api;
mod pages;
mod types;

pub use pages::StatusesPage;
pub use types::*;
