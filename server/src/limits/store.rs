//! Limits counted in PostgreSQL, so every server process shares them.
//!
//! [`hit`] counts an attempt *before* it is evaluated, in one upsert that returns the
//! new count: parallel attempts are serialised by the row lock, each sees its own
//! count, and exactly `max` of them go ahead. (Reading the count, evaluating, then
//! writing a failure let 28 of 40 parallel wrong passwords through a limit of 5.)

use crate::config::limits::Limit;
use crate::db::AppPool;
use crate::error::Result;
use app::error::AppError;

/// Counts one attempt against each `(limit, subject)`; fails with 429 and the time
/// until the fullest window ends when any of them is now over its maximum.
pub async fn hit(pool: &AppPool, checks: &[(Limit, &str)]) -> Result<()> {
    let keys: Vec<Vec<u8>> = checks.iter().map(|(limit, subject)| limit.key(subject)).collect();
    let windows: Vec<i32> = checks.iter().map(|(limit, _)| limit.window_seconds).collect();
    let rows = sqlx::query!(
        r#"insert into rate_limits as r (key_hash, window_start, hits, window_seconds)
           select k, now(), 1, w from unnest($1::bytea[], $2::int[]) as t(k, w)
           on conflict (key_hash) do update set
             hits = case when r.window_start > now() - make_interval(secs => excluded.window_seconds)
                         then r.hits + 1 else 1 end,
             window_start = case when r.window_start > now() - make_interval(secs => excluded.window_seconds)
                                 then r.window_start else now() end,
             window_seconds = excluded.window_seconds
           returning key_hash, hits,
             greatest(1, ceil(extract(epoch from (window_start + make_interval(secs => window_seconds) - now()))))::bigint
               as "seconds_left!""#,
        &keys,
        &windows,
    )
    .fetch_all(pool.untenanted())
    .await?;
    let retry_after = rows
        .iter()
        .filter(|row| {
            let max = checks.iter().find(|(limit, subject)| limit.key(subject) == row.key_hash).map(|(l, _)| l.max);
            max.is_some_and(|max| row.hits > max)
        })
        .map(|row| row.seconds_left)
        .max();
    match retry_after {
        Some(seconds) => Err(AppError::TooManyRequests { retry_after_secs: seconds.max(1) as u64 }.into()),
        None => Ok(()),
    }
}

/// Forgets the count of each `(limit, subject)`: a correct password resets its account's.
pub async fn undo(pool: &AppPool, clear: &[(Limit, &str)]) -> Result<()> {
    let cleared: Vec<Vec<u8>> = clear.iter().map(|(limit, subject)| limit.key(subject)).collect();
    sqlx::query!("delete from rate_limits where key_hash = any($1)", &cleared).execute(pool.untenanted()).await?;
    Ok(())
}

/// Deletes windows that ended long ago; run by the maintenance sweep.
pub async fn prune(pool: &AppPool) -> Result<u64> {
    let done = sqlx::query!(
        "delete from rate_limits where window_start + make_interval(secs => window_seconds) < now() - interval '1 hour'"
    )
    .execute(pool.untenanted())
    .await?;
    Ok(done.rows_affected())
}
