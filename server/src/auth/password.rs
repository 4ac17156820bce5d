//! Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), off the async runtime.

use crate::error::Result;
use anyhow::Context;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use std::sync::OnceLock;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of nothing in particular, verified against when the account does not
/// exist, so unknown emails take as long as wrong passwords.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(b"fieldbook-dummy-password", &salt).expect("hashing works").to_string()
    })
}

pub async fn hash(password: SecretString) -> Result<String> {
    let hash = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("password hashing task")??;
    Ok(hash)
}

/// Verifies `password` against `stored`, or against a dummy hash when there is none.
pub async fn verify(password: SecretString, stored: Option<String>) -> Result<bool> {
    let matched = tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        let ok = hasher().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok();
        known && ok
    })
    .await
    .context("password verification task")?;
    Ok(matched)
}
