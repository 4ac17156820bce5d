//! The company itself: its name, timezone and time settings, read by everyone in it
//! and changed by admins (through the REST API's `/api/v1/company`).

use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::{OnConstraint, Result};
use crate::state::AppState;
use app::auth::Role;
use app::domain::{Checks, CompanyName, Timezone};
use app::error::AppError;
use app::time::parse_auto_approve_days;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// The company as its people see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CompanyProfile {
    pub id: Uuid,
    pub name: String,
    /// The company's sign-in address is /{slug}/login.
    pub slug: String,
    /// IANA name; months, days and deadlines follow it.
    pub timezone: String,
    /// Pending entries are approved on their own this many days after submission; null: never.
    pub auto_approve_days: Option<i32>,
}

/// A change of the company's settings; each field left out keeps its value.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CompanyChange {
    /// 1–120 characters.
    pub name: Option<String>,
    /// An IANA timezone name, like Europe/Berlin.
    pub timezone: Option<String>,
    /// 1–90 days; an empty string: never approve on their own.
    pub auto_approve_days: Option<String>,
}

struct ValidChange {
    name: Option<CompanyName>,
    timezone: Option<Timezone>,
    auto_approve_days: Option<Option<i32>>,
}

impl CompanyChange {
    fn validate(&self) -> Result<ValidChange> {
        let mut checks = Checks::new();
        let name = self.name.as_deref().map(|raw| checks.check("name", CompanyName::parse(raw)));
        let timezone = self.timezone.as_deref().map(|raw| {
            let known = Timezone::parse(raw).and_then(|tz| match crate::clock::timezone(tz.as_str()) {
                Ok(_) => Ok(tz),
                Err(_) => Err("Choose a timezone from the list, like Europe/Berlin.".to_string()),
            });
            checks.check("timezone", known)
        });
        let days = self
            .auto_approve_days
            .as_deref()
            .map(|raw| checks.check("auto_approve_days", parse_auto_approve_days(raw)));
        // Without errors, every field that was given is valid: `flatten` keeps it.
        Ok(checks.finish(|| {
            Some(ValidChange { name: name.flatten(), timezone: timezone.flatten(), auto_approve_days: days.flatten() })
        })?)
    }
}

async fn load(tx: &mut TenantTx) -> Result<CompanyProfile> {
    let company_id = tx.company_id();
    Ok(sqlx::query_as!(
        CompanyProfile,
        "select id, name, slug, timezone, auto_approve_days from companies where id = $1",
        company_id
    )
    .fetch_one(tx.conn())
    .await?)
}

/// The caller's company.
#[tracing::instrument(skip_all)]
pub async fn profile(state: &AppState, user: &CurrentUser) -> Result<CompanyProfile> {
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let company = load(&mut tx).await?;
    tx.commit().await?;
    Ok(company)
}

/// Changes the company's name, timezone or auto-approval delay (admins), all or nothing.
#[tracing::instrument(skip_all)]
pub async fn update(state: &AppState, admin: &CurrentUser, change: CompanyChange) -> Result<CompanyProfile> {
    admin.require(Role::Admin)?;
    let valid = change.validate()?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let company_id = tx.company_id();
    let before = load(&mut tx).await?;
    let name = valid.name.as_ref().map_or(before.name.as_str(), |n| n.as_str());
    let timezone = valid.timezone.as_ref().map_or(before.timezone.as_str(), |t| t.as_str());
    if name != before.name || timezone != before.timezone {
        sqlx::query!("update companies set name = $2, timezone = $3 where id = $1", company_id, name, timezone)
            .execute(tx.conn())
            .await
            .on_constraint("companies_timezone_check", || {
                AppError::field("timezone", "Choose a timezone from the list, like Europe/Berlin.")
            })?;
        tx.audit(
            "company.updated",
            "company",
            Some(company_id),
            Some(json!({ "name": before.name, "timezone": before.timezone })),
            Some(json!({ "name": name, "timezone": timezone })),
        )
        .await?;
    }
    if let Some(days) = valid.auto_approve_days {
        crate::time::approvals::set_auto_approve_days(&mut tx, days).await?;
    }
    let after = load(&mut tx).await?;
    tx.commit().await?;
    Ok(after)
}
