//! Customer records and their contact details.

pub mod api;
mod pages;
mod types;

pub use pages::{CustomerDetailPage, CustomersPage};
pub use types::*;
