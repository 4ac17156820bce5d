//! Failed sign-ins, counted per account and per IP address in fixed windows.
//! Kept in PostgreSQL so several server processes share the count.

use crate::db::AppPool;
use crate::error::Result;
use app::error::AppError;
use sha2::{Digest, Sha256};
use std::net::IpAddr;

const WINDOW_MINUTES: i64 = 15;
const MAX_PER_ACCOUNT: i32 = 5;
const MAX_PER_IP: i32 = 30;

pub struct ThrottleKeys {
    account: Vec<u8>,
    ip: Option<Vec<u8>>,
}

fn key(raw: &str) -> Vec<u8> {
    Sha256::digest(raw.as_bytes()).to_vec()
}

impl ThrottleKeys {
    pub fn new(workspace: &str, email: &str, ip: Option<IpAddr>) -> Self {
        Self {
            account: key(&format!("account:{}:{}", workspace.trim().to_lowercase(), email.trim().to_lowercase())),
            ip: ip.map(|ip| key(&format!("ip:{ip}"))),
        }
    }

    fn all(&self) -> Vec<Vec<u8>> {
        std::iter::once(self.account.clone()).chain(self.ip.clone()).collect()
    }
}

/// Refuses the attempt while the account or the address is over its limit.
pub async fn check(pool: &AppPool, keys: &ThrottleKeys) -> Result<()> {
    let rows = sqlx::query!(
        r#"select key_hash, failures,
                  extract(epoch from (window_start + make_interval(mins => $2::int) - now()))::bigint as "seconds_left!"
           from login_throttle
           where key_hash = any($1) and window_start > now() - make_interval(mins => $2::int)"#,
        &keys.all(),
        WINDOW_MINUTES as i32,
    )
    .fetch_all(pool.untenanted())
    .await?;
    for row in rows {
        let limit = if row.key_hash == keys.account { MAX_PER_ACCOUNT } else { MAX_PER_IP };
        if row.failures >= limit {
            return Err(AppError::TooManyRequests { retry_after_secs: row.seconds_left.max(1) as u64 }.into());
        }
    }
    Ok(())
}

pub async fn record_failure(pool: &AppPool, keys: &ThrottleKeys) -> Result<()> {
    // Windows long over are dead weight; prune a few on each failure so the table stays small.
    sqlx::query!(
        "delete from login_throttle where key_hash in
           (select key_hash from login_throttle where window_start < now() - interval '1 day' limit 100)"
    )
    .execute(pool.untenanted())
    .await?;
    sqlx::query!(
        r#"insert into login_throttle (key_hash, window_start, failures)
           select k, now(), 1 from unnest($1::bytea[]) as k
           on conflict (key_hash) do update set
             failures = case when login_throttle.window_start > now() - make_interval(mins => $2::int)
                             then login_throttle.failures + 1 else 1 end,
             window_start = case when login_throttle.window_start > now() - make_interval(mins => $2::int)
                                 then login_throttle.window_start else now() end"#,
        &keys.all(),
        WINDOW_MINUTES as i32,
    )
    .execute(pool.untenanted())
    .await?;
    Ok(())
}

/// A successful sign-in clears the account's count (not the address's).
pub async fn clear_account(pool: &AppPool, keys: &ThrottleKeys) -> Result<()> {
    sqlx::query!("delete from login_throttle where key_hash = $1", &keys.account).execute(pool.untenanted()).await?;
    Ok(())
}
