//! Jobs: the work a company does for its customers.

pub mod api;
mod types;

pub use types::*;
