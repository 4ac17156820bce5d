//! Contracts: budgets per customer (or worker), their periods and how much is used.

use super::entries::parse_date;
use super::logs::NamedOption;
use crate::domain::Checks;
use crate::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContractPeriod {
    Monthly,
    Total,
}

impl ContractPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractPeriod::Monthly => "MONTHLY",
            ContractPeriod::Total => "TOTAL",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "MONTHLY" => Some(ContractPeriod::Monthly),
            "TOTAL" => Some(ContractPeriod::Total),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContractPeriod::Monthly => "per month",
            ContractPeriod::Total => "in total",
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetLevel {
    Ok,
    /// 80 % or more used.
    Warning,
    /// 100 % or more used.
    Exceeded,
}

impl BudgetLevel {
    pub fn of(used: i64, budget: i64) -> Self {
        if budget <= 0 || used * 100 >= budget * 100 {
            BudgetLevel::Exceeded
        } else if used * 100 >= budget * 80 {
            BudgetLevel::Warning
        } else {
            BudgetLevel::Ok
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BudgetLevel::Ok => "ok",
            BudgetLevel::Warning => "warning",
            BudgetLevel::Exceeded => "exceeded",
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub id: Uuid,
    pub title: String,
    pub worker_id: Uuid,
    pub worker_name: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub budget_minutes: i64,
    pub period: ContractPeriod,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// A contract's hours in its current period. Used = approved + pending + drafts
/// (declined hours do not count).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractUsage {
    pub contract: Contract,
    /// "November 2026" or "1 Jan 2026 – 31 Dec 2026".
    pub period_label: String,
    pub approved_minutes: i64,
    pub pending_minutes: i64,
    pub draft_minutes: i64,
    pub used_minutes: i64,
    pub remaining_minutes: i64,
    pub percent: i64,
    pub level: BudgetLevel,
    pub active: bool,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContractForm {
    pub title: String,
    pub worker_id: String,
    pub customer_id: String,
    /// Hours, "40" or "37.5" or "37:30".
    pub budget_hours: String,
    /// MONTHLY or TOTAL.
    pub period: String,
    pub starts_on: String,
    /// Empty = open-ended.
    pub ends_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContract {
    pub title: String,
    pub worker_id: Uuid,
    pub customer_id: Uuid,
    pub budget_minutes: i64,
    pub period: ContractPeriod,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

fn parse_budget(raw: &str) -> Result<i64, String> {
    let raw = raw.trim();
    let bad = || "Enter the budget in hours, like 40 or 37.5.".to_string();
    let minutes = if let Some((h, m)) = raw.split_once(':') {
        let h: i64 = h.parse().map_err(|_| bad())?;
        let m: i64 = m.parse().map_err(|_| bad())?;
        if !(0..60).contains(&m) {
            return Err(bad());
        }
        h * 60 + m
    } else {
        let hours: f64 = raw.replace(',', ".").parse().map_err(|_| bad())?;
        if !hours.is_finite() {
            return Err(bad());
        }
        (hours * 60.0).round() as i64
    };
    match minutes {
        m if m <= 0 => Err("The budget must be more than zero hours.".into()),
        m if m > 1_000_000 => Err("That budget is too large (at most 16 666 hours).".into()),
        m => Ok(m),
    }
}

impl ContractForm {
    pub fn validate(&self) -> Result<ValidContract, Vec<FieldError>> {
        let mut checks = Checks::new();
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = checks.check(
            "title",
            match title.chars().count() {
                _ if crate::domain::text::has_forbidden_char(&self.title, true) => {
                    Err(crate::domain::text::forbidden_char_message().to_string())
                }
                0 => Err("Give the contract a name, like \"Maintenance 2026\".".to_string()),
                n if n > 120 => Err("Keep the name to 120 characters or fewer.".into()),
                _ => Ok(title),
            },
        );
        let worker_id =
            checks.check("worker_id", self.worker_id.trim().parse::<Uuid>().map_err(|_| "Choose a worker.".into()));
        let customer_id = checks
            .check("customer_id", self.customer_id.trim().parse::<Uuid>().map_err(|_| "Choose a customer.".into()));
        let budget_minutes = checks.check("budget_hours", parse_budget(&self.budget_hours));
        let period = checks.check(
            "period",
            ContractPeriod::parse(&self.period).ok_or_else(|| "Choose per month or in total.".to_string()),
        );
        let starts_on = checks.check("starts_on", parse_date(&self.starts_on));
        let ends_on = if self.ends_on.trim().is_empty() {
            Some(None)
        } else {
            checks.check("ends_on", parse_date(&self.ends_on)).map(Some)
        };
        if let (Some(start), Some(Some(end))) = (starts_on, ends_on) {
            if end < start {
                checks.check::<()>("ends_on", Err("The end date must be on or after the start date.".into()));
            }
        }
        checks.finish(|| {
            Some(ValidContract {
                title: title?,
                worker_id: worker_id?,
                customer_id: customer_id?,
                budget_minutes: budget_minutes?,
                period: period?,
                starts_on: starts_on?,
                ends_on: ends_on?,
            })
        })
    }
}

/// Contracts and what the form can pick from (admins).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractsPage {
    pub contracts: Vec<ContractUsage>,
    pub workers: Vec<NamedOption>,
    pub customers: Vec<NamedOption>,
}
