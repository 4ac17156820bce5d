//! Connections, migrations and the tenant-scoped transaction.

pub mod due_queue;
mod idempotency;
mod tenant;

pub use idempotency::{idempotency_key, purge as purge_idempotency_keys, Claim, IdempotencyKey};
pub(crate) use tenant::begin_slug_lookup;
pub use tenant::{Actor, TenantTx};

use crate::config::Settings;
use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection};
use std::time::Duration;

/// The role the application runs as: owns no table, cannot bypass row-level security.
pub const APP_ROLE: &str = "fieldbook_app";

/// The owner's connection with the user switched to [`APP_ROLE`].
pub fn app_role_options(owner: &PgConnectOptions, password: Option<&SecretString>) -> PgConnectOptions {
    let options = owner.clone().username(APP_ROLE);
    match password {
        Some(password) => options.password(password.expose_secret()),
        None => options.password(""),
    }
}

/// Where the application connects: `APP_DATABASE_URL` when given, else the owner's
/// database as [`APP_ROLE`] (with `APP_DATABASE_PASSWORD`).
pub fn app_database(settings: &Settings) -> PgConnectOptions {
    settings
        .app_database
        .clone()
        .unwrap_or_else(|| app_role_options(&settings.owner_database, settings.app_database_password.as_ref()))
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The application's pool, connected as [`APP_ROLE`]. Tenant tables are reachable
/// only through [`TenantTx`]; outside one, row-level security shows no rows.
#[derive(Clone, Debug)]
pub struct AppPool(PgPool);

impl AppPool {
    pub async fn connect(settings: &Settings) -> anyhow::Result<Self> {
        let pool = Self::options()
            .max_connections(20)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(app_database(settings))
            .await
            .context("connecting as fieldbook_app (APP_DATABASE_URL, or DATABASE_URL with that role)")?;
        let pool = Self(pool);
        pool.check_role().await?;
        Ok(pool)
    }

    /// Pool options with the guard every application pool needs: a connection handed
    /// back while still inside a transaction (sqlx 0.8.6 can do that when a request is
    /// cancelled in the middle of `begin()`) is closed instead of reused, so the next
    /// request never joins a stranger's transaction.
    pub fn options() -> PgPoolOptions {
        PgPoolOptions::new().after_release(|conn, _meta| {
            Box::pin(async move {
                // `now()` is the transaction's start, `statement_timestamp()` this
                // statement's: equal exactly when this statement began its own transaction.
                // A simple query (one protocol message): with the extended protocol the
                // statement time moves on between Parse and Execute.
                // (A bare string is sent as a simple query.)
                let in_transaction = sqlx::Executor::fetch_one(&mut *conn, "select now() <> statement_timestamp()")
                    .await
                    .and_then(|row| sqlx::Row::try_get::<bool, _>(&row, 0));
                match in_transaction {
                    Ok(false) => Ok(true),
                    Ok(true) => {
                        tracing::warn!("a connection came back inside a transaction: closed, not reused");
                        Ok(false)
                    }
                    Err(error) => {
                        tracing::warn!(error = %error, "a connection came back unusable: closed");
                        Ok(false)
                    }
                }
            })
        })
    }

    pub fn from_pool(pool: PgPool) -> Self {
        Self(pool)
    }

    /// Closes every connection (waits for those in use to come back).
    pub async fn close(&self) {
        self.0.close().await;
    }

    /// Refuses to run as a role that would make row-level security moot.
    async fn check_role(&self) -> anyhow::Result<()> {
        let row = sqlx::query!(
            r#"select current_user as "name!", r.rolsuper as "is_super!", r.rolbypassrls as "bypass!",
                      exists(select 1 from pg_tables where schemaname = 'public' and tableowner = current_user) as "owns_tables!"
               from pg_roles r where r.rolname = current_user"#
        )
        .fetch_one(&self.0)
        .await
        .context("reading the application role")?;
        anyhow::ensure!(
            !(row.is_super || row.bypass || row.owns_tables),
            "the application connects as {:?}, which is a superuser, bypasses RLS or owns tables; \
             it must connect as {APP_ROLE}",
            row.name
        );
        Ok(())
    }

    /// For queries on tables that hold no tenant data (health checks, login throttle).
    pub(crate) fn untenanted(&self) -> &PgPool {
        &self.0
    }
}

/// `%term%` for a case-insensitive LIKE on lowercased columns, with `%`, `_` and `\`
/// in the term escaped; `None` for an empty term.
pub fn like_pattern(term: &str) -> Option<String> {
    // Control characters cannot match any stored text (and NUL cannot even be sent).
    let term: String = term.chars().filter(|c| !c.is_control()).take(200).collect();
    let term = term.trim().to_lowercase();
    (!term.is_empty()).then(|| format!("%{}%", term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
}

/// Applies pending migrations as the owner, and sets the app role's password if configured.
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect_with(&settings.owner_database)
        .await
        .context("connecting as the owner (DATABASE_URL) to migrate")?;
    MIGRATOR.run(&mut conn).await.context("applying migrations")?;
    if let Some(password) = &settings.app_database_password {
        let statement: String = sqlx::query_scalar!(
            r#"select format('alter role %I password %L', $1::text, $2::text) as "statement!""#,
            APP_ROLE,
            password.expose_secret()
        )
        .fetch_one(&mut conn)
        .await?;
        sqlx::raw_sql(&statement).execute(&mut conn).await.context("setting the fieldbook_app password")?;
    }
    conn.close().await.ok();
    Ok(())
}
