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
    /// The API key acting, if any: the audit log names it instead of its maker.
    api_key_id: Option<Uuid>,
}

/// Who acts in a transaction that does not come from a signed-in request, which says
/// where its company came from. Audit rows name a user only once one is known
/// ([`TenantTx::set_actor`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A company's background work: the auto-approval sweep, the outbox, purges, the
    /// demo data. Nobody acts.
    SystemTask,
    /// Whoever holds a signed link: a share page, an email confirmation, an invitation,
    /// a password reset, an unsubscribe link. The company is the one the token names.
    SignedLink,
    /// Before sign-in: sign-up, sign-in, token refresh, a password-reset request. The
    /// company comes from a slug lookup or a signed refresh token.
    PreLogin,
}

impl TenantTx {
    /// Begins a transaction for the signed-in user's company: every request's door.
    pub async fn begin(pool: &AppPool, user: &CurrentUser) -> Result<Self> {
        let mut tx = Self::open(pool, user.company_id(), Some(user.user_id())).await?;
        tx.api_key_id = user.api_key().map(|grant| grant.id);
        Ok(tx)
    }

    /// Begins a transaction for `company_id` on behalf of `actor`: everything that is
    /// not a signed-in request.
    pub(crate) async fn begin_as(pool: &AppPool, company_id: Uuid, actor: Actor) -> Result<Self> {
        tracing::debug!(%company_id, ?actor, "tenant transaction");
        Self::open(pool, company_id, None).await
    }

    /// The integration tests' way in, to seed rows as background work would.
    #[cfg(feature = "test-support")]
    pub async fn begin_for_tests(pool: &AppPool, company_id: Uuid) -> Result<Self> {
        Self::begin_as(pool, company_id, Actor::SystemTask).await
    }

    /// The one place `app.company_id` is set: transaction-locally, for the row-level
    /// security policies (a test checks no other file sets it).
    async fn open(pool: &AppPool, company_id: Uuid, actor_id: Option<Uuid>) -> Result<Self> {
        let mut tx = pool.untenanted().begin().await?;
        sqlx::query!("select set_config('app.company_id', $1, true)", company_id.to_string())
            .fetch_one(&mut *tx)
            .await?;
        Ok(Self { tx, company_id, actor_id, api_key_id: None })
    }

    pub fn company_id(&self) -> Uuid {
        self.company_id
    }

    pub fn actor_id(&self) -> Option<Uuid> {
        self.actor_id
    }

    /// Marks who acts from here on (after sign-up or sign-in created the user, or the
    /// user an unsubscribe link names).
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
            "insert into audit_log (company_id, actor_user_id, actor_api_key_id, action, entity_type, entity_id,
                                    before, after)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
            self.company_id,
            // A key acts as itself: the log names the key, not the admin who made it.
            self.actor_id.filter(|_| self.api_key_id.is_none()),
            self.api_key_id,
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

/// Begins the one transaction that may read a company before its id is known: the
/// workspace lookup by slug. It declares the slug (`app.company_slug`), and the companies
/// policy then shows that one row and nothing else.
pub(crate) async fn begin_slug_lookup(pool: &AppPool, slug: &str) -> Result<Transaction<'static, Postgres>> {
    let mut tx = pool.untenanted().begin().await?;
    sqlx::query!("select set_config('app.company_slug', $1, true)", slug).fetch_one(&mut *tx).await?;
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The tenancy settings are set here and nowhere else in the server's code.
    #[test]
    fn only_this_file_sets_the_tenancy_settings() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let this = src.join("db").join("tenant.rs");
        let mut offenders = Vec::new();
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("server/src is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && path != this {
                    let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
                    if text.contains("set_config(") {
                        offenders.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "set_config outside db/tenant.rs: {offenders:?}");
    }
}
