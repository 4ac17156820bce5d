//! The account emails and the links in them: email verification at sign-up,
//! password reset, and invitations. Every link carries an opaque single-use token
//! (company id + 32 random bytes; only its SHA-256 is stored).

mod backend;
pub mod invitations;
pub mod reset;
pub mod verification;

use crate::auth::tokens::{hash_token, new_company_token, token_company};
use crate::db::{Actor, AppPool, TenantTx};
use crate::error::Result;
use app::error::AppError;
use uuid::Uuid;

/// A fresh token for a link, and the hash to store.
pub fn new_link_token(company_id: Uuid) -> (String, Vec<u8>) {
    let token = new_company_token(company_id);
    let hash = hash_token(&token);
    (token, hash)
}

/// Opens a transaction in the company a link's token names, or fails with a
/// field error on `token` (the same one for every malformed or unknown token).
#[tracing::instrument(skip_all)]
pub async fn begin_for_token(pool: &AppPool, token: &str, invalid: &str) -> Result<TenantTx> {
    let company_id = token_company(token).ok_or_else(|| AppError::field("token", invalid))?;
    TenantTx::begin_as(pool, company_id, Actor::SignedLink).await
}
