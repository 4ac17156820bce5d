//! `TenantTx`: the only door to tenant data.

use crate::auth::CurrentUser;
use crate::db::AppPool;
use crate::error::Result;
use serde_json::Value;
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

/// A transaction acting for one company. Beginning it sets `app.company_id`
/// transaction-locally (`set_config(…, true)`), which the row-level security
/// policies compare against, so every statement inside sees and writes only
/// that company's rows; queries also filter by [`TenantTx::company_id`].
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    company_id: Uuid,
    actor_id: Option<Uuid>,
}

impl TenantTx {
    /// Begins a transaction for the signed-in user's company.
    pub async fn begin(pool: &AppPool, user: &CurrentUser) -> Result<Self> {
        Self::begin_inner(pool, user.company_id(), Some(user.user_id())).await
    }

    /// Begins a transaction for a company before anyone is signed in: sign-up,
    /// sign-in and token refresh, where the company comes from a slug lookup or a
    /// signed token. Only the auth service calls it.
    pub(crate) async fn begin_unauthenticated(pool: &AppPool, company_id: Uuid) -> Result<Self> {
        Self::begin_inner(pool, company_id, None).await
    }

    /// Begins a transaction for a company's background work (the auto-approval
    /// sweep), with no actor: audit rows then name nobody.
    pub async fn begin_system(pool: &AppPool, company_id: Uuid) -> Result<Self> {
        Self::begin_inner(pool, company_id, None).await
    }

    async fn begin_inner(pool: &AppPool, company_id: Uuid, actor_id: Option<Uuid>) -> Result<Self> {
        let mut tx = pool.untenanted().begin().await?;
        sqlx::query!("select set_config('app.company_id', $1, true)", company_id.to_string())
            .fetch_one(&mut *tx)
            .await?;
        Ok(Self { tx, company_id, actor_id })
    }

    pub fn company_id(&self) -> Uuid {
        self.company_id
    }

    pub fn actor_id(&self) -> Option<Uuid> {
        self.actor_id
    }

    /// Marks who acts from here on (after sign-up or sign-in created the user).
    pub(crate) fn set_actor(&mut self, user_id: Uuid) {
        self.actor_id = Some(user_id);
    }

    /// The connection to run queries on.
    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    /// Records a mutation in the audit log, inside this transaction.
    pub async fn audit(
        &mut self,
        action: &str,
        entity_type: &str,
        entity_id: Option<Uuid>,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<()> {
        sqlx::query!(
            "insert into audit_log (company_id, actor_user_id, action, entity_type, entity_id, before, after)
             values ($1, $2, $3, $4, $5, $6, $7)",
            self.company_id,
            self.actor_id,
            action,
            entity_type,
            entity_id,
            before,
            after,
        )
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
