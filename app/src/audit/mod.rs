//! The audit log, readable: every change of the company, filtered and paged.

pub mod api;
mod page;
mod types;

pub use page::AuditLogPage;
pub use types::*;
