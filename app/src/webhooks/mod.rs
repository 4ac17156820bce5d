//! Webhooks: admins register HTTPS endpoints that hear about changes (a job done, hours
//! approved, …), signed so the receiver knows they came from Fieldbook.

pub mod api;
mod page;
mod types;

pub use page::WebhooksSection;
pub use types::*;
