//! Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), off the async runtime
//! and on a bounded pool: at most one hash per core runs at a time, so a burst of
//! sign-ins queues here (or is told to come back) instead of taking every blocking
//! thread and 19 MiB for each attempt. Callers hold no database connection meanwhile.

use crate::error::Result;
use anyhow::Context;
use app::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// A hash waiting longer than this for a free core is refused with 429.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(10);

fn slots() -> Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SLOTS
        .get_or_init(|| Arc::new(Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))))
        .clone()
}

/// Runs `work` on a blocking thread once a hashing slot is free. The slot goes with
/// the work: a client that hangs up cancels its request, not the hash already
/// running, so the slot is freed only when the hash is done.
async fn on_hashing_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let slot = match tokio::time::timeout(QUEUE_TIMEOUT, slots().acquire_owned()).await {
        Ok(Ok(slot)) => slot,
        _ => return Err(AppError::TooManyRequests { retry_after_secs: 5 }.into()),
    };
    let task = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    });
    Ok(task.await.context("password hashing task")?)
}

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
    let hash = on_hashing_pool(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await??;
    Ok(hash)
}

/// Verifies `password` against `stored`, or against a dummy hash when there is none.
pub async fn verify(password: SecretString, stored: Option<String>) -> Result<bool> {
    let matched = on_hashing_pool(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        let ok = hasher().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok();
        known && ok
    })
    .await?;
    Ok(matched)
}
