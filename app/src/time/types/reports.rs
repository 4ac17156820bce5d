//! Monthly reports: the query, totals, chart series and lines.

use super::contracts::ContractUsage;
use super::logs::{LogStatus, NamedOption};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Reports list at most this many logs on the page; the exports have them all.
pub const REPORT_PAGE_LINES: usize = 500;

/// Which month and whose hours a report shows.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    /// "2026-11"; empty = this month.
    pub month: String,
    pub customer: Option<Uuid>,
    pub worker: Option<Uuid>,
}

impl ReportQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let id = |key: &str| get(key).and_then(|v| v.parse::<Uuid>().ok());
        Self { month: get("month").unwrap_or_default(), customer: id("customer"), worker: id("worker") }
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs = Vec::new();
        if !self.month.is_empty() {
            pairs.push(format!("month={}", self.month));
        }
        if let Some(c) = self.customer {
            pairs.push(format!("customer={c}"));
        }
        if let Some(w) = self.worker {
            pairs.push(format!("worker={w}"));
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// "2026-11" → (2026, 11).
pub fn parse_month(raw: &str) -> Result<(i32, u32), String> {
    let bad = || "Choose a month like 2026-11.".to_string();
    let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u32 = m.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) {
        return Err(bad());
    }
    Ok((year, month))
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTotals {
    /// Approved + pending (declined hours are not counted).
    pub total_minutes: i64,
    /// The billable part of the total.
    pub billable_minutes: i64,
    pub approved_minutes: i64,
    pub pending_minutes: i64,
    pub declined_minutes: i64,
    pub log_count: i64,
}

/// One bar of a chart.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartBar {
    pub label: String,
    pub minutes: i64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub date_label: String,
    pub time_label: String,
    pub worker_name: String,
    pub customer_name: String,
    pub job_title: String,
    pub description: String,
    pub status: LogStatus,
    pub billable: bool,
    pub minutes: i64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyReport {
    pub company_name: String,
    /// "2026-11".
    pub month: String,
    pub period_label: String,
    pub previous_month: String,
    pub next_month: String,
    pub scope_label: String,
    pub query: ReportQuery,
    pub totals: ReportTotals,
    pub per_day: Vec<ChartBar>,
    pub per_worker: Vec<ChartBar>,
    pub per_customer: Vec<ChartBar>,
    /// Submitted logs (drafts are not reported), oldest first; at most REPORT_PAGE_LINES.
    pub lines: Vec<ReportLine>,
    pub lines_total: i64,
    /// For admins: whose report to pick.
    pub workers: Vec<NamedOption>,
    pub customers: Vec<NamedOption>,
}

/// The admin dashboard's time figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeOverview {
    pub month_label: String,
    pub month_minutes: i64,
    pub pending_count: i64,
    pub per_day: Vec<ChartBar>,
    pub per_worker: Vec<ChartBar>,
    /// Contracts at 80 % or more.
    pub contract_warnings: Vec<ContractUsage>,
    pub contract_count: i64,
}
