//! Customers' approvals: hours waiting, monthly statements and sign-offs, auto-approval.

use super::contracts::ContractUsage;
use super::logs::{NamedOption, WorkLog};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A customer's month: approved and pending hours and whether it is signed off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthStatement {
    pub customer_id: Uuid,
    pub customer_name: String,
    /// "2026-11".
    pub month: String,
    /// "November 2026".
    pub label: String,
    pub approved_minutes: i64,
    pub pending_count: i64,
    pub signed_off: Option<SignOff>,
    pub can_sign: bool,
    pub can_reopen: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub by_name: String,
    pub at_label: String,
}

/// Submitted entries waiting for a decision: a customer's own, or the whole company's
/// for an admin. Shown on the customer's home page and as a badge on Approvals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursWaiting {
    pub entries: i64,
    pub minutes: i64,
}

/// What a customer (or an admin on their behalf) decides on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approvals {
    pub pending: Vec<WorkLog>,
    pub recent: Vec<WorkLog>,
    pub contracts: Vec<ContractUsage>,
    pub months: Vec<MonthStatement>,
    /// For admins: customers to filter by.
    pub customers: Vec<NamedOption>,
    pub auto_approve_days: Option<i32>,
}

/// Company-wide time settings (admins).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSettings {
    /// Empty = never.
    pub auto_approve_days: String,
}

pub fn parse_auto_approve_days(raw: &str) -> Result<Option<i32>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(d) if (1..=90).contains(&d) => Ok(Some(d)),
        _ => Err("Enter a number of days between 1 and 90, or leave it empty to never approve on its own.".into()),
    }
}
