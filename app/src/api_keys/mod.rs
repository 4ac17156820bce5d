//! API keys: what a company's integrations call `/api/v1` with. Admins make them
//! (the secret is shown once), see when each was last used, and revoke them.

pub mod api;
mod page;
mod types;

pub use page::ApiKeysPage;
pub use types::*;
