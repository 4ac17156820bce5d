//! Housekeeping beside the HTTP server: deletes sessions that can no longer be used
//! rate-limit windows long over and idempotency keys older than eight days, so no
//! table grows without end.

use crate::db::{Actor, AppPool, TenantTx};
use crate::error::Result;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60 * 60);

pub fn spawn(pool: AppPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match sweep(&pool).await {
                Ok((0, 0, 0)) => {}
                Ok((sessions, windows, keys)) => {
                    tracing::info!(sessions, windows, keys, "purged dead sessions, old limits and idempotency keys")
                }
                Err(error) => tracing::warn!(error = %error, "maintenance sweep failed"),
            }
        }
    });
}

/// One sweep: (sessions, rate-limit windows, idempotency keys deleted).
pub async fn sweep(pool: &AppPool) -> Result<(u64, u64, u64)> {
    let windows = crate::limits::store::prune(pool).await?;
    let keys = crate::db::purge_idempotency_keys(pool).await?;
    let companies =
        sqlx::query_scalar!(r#"select companies_with_dead_sessions() as "id!""#).fetch_all(pool.untenanted()).await?;
    let mut sessions = 0;
    for company_id in companies {
        let mut tx = TenantTx::begin_as(pool, company_id, Actor::SystemTask).await?;
        let done = sqlx::query!(
            "delete from sessions
             where company_id = $1 and (expires_at < now() - interval '1 day' or revoked_at < now() - interval '30 days')",
            company_id
        )
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        sessions += done.rows_affected();
    }
    Ok((sessions, windows, keys))
}
