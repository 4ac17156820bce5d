//! Rate limits. Attempts that matter across server processes (sign-in, sign-up,
//! password changes, emails to one address, share-link lookups) are counted in
//! PostgreSQL by one atomic upsert per attempt ([`store`]); the general request
//! budget per client is counted in memory per process ([`budget`]).

pub mod budget;
pub mod slots;
pub mod store;

pub use crate::config::limits::{Limit, Limits};
pub use store::{hit, undo};
