//! Who is looking at the company's data, and on which clocks. Jobs, time, reports,
//! notifications and the account pages all decide what a person sees from this one
//! type, loaded once per request inside the request's tenant transaction.

use crate::auth::CurrentUser;
use crate::clock;
use crate::db::TenantTx;
use crate::error::Result;
use app::auth::Role;
use chrono_tz::Tz;
use uuid::Uuid;

/// What kind of person is looking, with the ids their view is scoped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerKind {
    /// Sees the whole company.
    Admin,
    /// Sees the jobs assigned to them and their own hours.
    Worker,
    /// Sees their customer record's jobs and submitted hours. `customer_id` is the
    /// customer *record* (not the login); a login not linked to one yet sees nothing.
    Customer { customer_id: Option<Uuid> },
}

/// A signed-in person looking at the company's data.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The person's login.
    pub user_id: Uuid,
    pub kind: ViewerKind,
    /// The timezone they read times in and type them in: their own, else the company's.
    pub tz: Tz,
    /// The company's timezone: calendars (today's jobs, months, sign-offs) follow it.
    pub company_tz: Tz,
}

impl Viewer {
    /// The viewer behind a signed-in request (one query).
    #[tracing::instrument(skip_all)]
    pub async fn load(tx: &mut TenantTx, user: &CurrentUser) -> Result<Self> {
        let company_id = tx.company_id();
        let row = sqlx::query!(
            r#"select u.customer_id, u.timezone, c.timezone as company_timezone
               from users u join companies c on c.id = u.company_id
               where u.company_id = $1 and u.id = $2"#,
            company_id,
            user.user_id()
        )
        .fetch_one(tx.conn())
        .await?;
        let company_tz = clock::timezone(&row.company_timezone)?;
        let tz = match row.timezone {
            Some(own) => clock::timezone(own.as_str())?,
            None => company_tz,
        };
        let kind = match user.role() {
            Role::Admin => ViewerKind::Admin,
            Role::Worker => ViewerKind::Worker,
            Role::Customer => ViewerKind::Customer { customer_id: row.customer_id },
        };
        Ok(Self { user_id: user.user_id(), kind, tz, company_tz })
    }

    pub fn role(&self) -> Role {
        match self.kind {
            ViewerKind::Admin => Role::Admin,
            ViewerKind::Worker => Role::Worker,
            ViewerKind::Customer { .. } => Role::Customer,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.kind == ViewerKind::Admin
    }

    /// The worker's own id, for a worker.
    pub fn worker_id(&self) -> Option<Uuid> {
        (self.kind == ViewerKind::Worker).then_some(self.user_id)
    }

    /// The customer record a customer login speaks for (None: not a customer, or not linked).
    pub fn customer_id(&self) -> Option<Uuid> {
        match self.kind {
            ViewerKind::Customer { customer_id } => customer_id,
            _ => None,
        }
    }
}

/// The company's timezone, for work done without a signed-in viewer (share pages,
/// emails, background tasks).
pub async fn company_timezone(tx: &mut TenantTx) -> Result<Tz> {
    let company_id = tx.company_id();
    let name =
        sqlx::query_scalar!("select timezone from companies where id = $1", company_id).fetch_one(tx.conn()).await?;
    Ok(clock::timezone(&name)?)
}
