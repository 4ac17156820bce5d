//! Time tracking types shared by the browser and the server: work logs, the
//! timer, the entry form and its validation, approvals, contracts and reports.

use crate::domain::Checks;
use crate::error::FieldError;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const DESCRIPTION_MAX: usize = 2_000;
pub const REASON_MAX: usize = 1_000;
/// No single entry is longer than a day.
pub const MAX_ENTRY_MINUTES: i64 = 24 * 60;
/// Reports list at most this many logs on the page; the exports have them all.
pub const REPORT_PAGE_LINES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
// Read from the database as the `work_log_status` enum itself: a value this code does
// not know is a decoding error, never silently a draft.
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "work_log_status", rename_all = "SCREAMING_SNAKE_CASE"))]
pub enum LogStatus {
    Draft,
    Pending,
    Approved,
    Declined,
}

impl LogStatus {
    pub const ALL: [LogStatus; 4] = [LogStatus::Draft, LogStatus::Pending, LogStatus::Approved, LogStatus::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            LogStatus::Draft => "DRAFT",
            LogStatus::Pending => "PENDING",
            LogStatus::Approved => "APPROVED",
            LogStatus::Declined => "DECLINED",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(raw.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            LogStatus::Draft => "Draft",
            LogStatus::Pending => "Waiting for approval",
            LogStatus::Approved => "Approved",
            LogStatus::Declined => "Declined",
        }
    }

    /// The worker may change or delete the entry (approved and pending ones are not theirs to change).
    pub fn is_editable_by_worker(self) -> bool {
        matches!(self, LogStatus::Draft | LogStatus::Declined)
    }
}

/// "2:05" for 125 minutes.
pub fn format_minutes(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.abs();
    format!("{sign}{}:{:02}", minutes / 60, minutes % 60)
}

/// "1:02:05" for a running timer.
pub fn format_elapsed(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}:{:02}", seconds / 3600, (seconds / 60) % 60, seconds % 60)
}

/// One work log as the viewer may see it, with times already in their timezone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkLog {
    pub id: Uuid,
    pub job_id: Uuid,
    pub job_title: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub worker_id: Uuid,
    pub worker_name: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// "Mon 3 Nov 2026".
    pub date_label: String,
    /// "09:00–11:30".
    pub time_label: String,
    /// Net minutes (span less breaks); for a running timer, so far.
    pub minutes: i64,
    pub break_minutes: i64,
    pub description: String,
    pub billable: bool,
    pub status: LogStatus,
    pub revision: i32,
    pub decline_reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_label: Option<String>,
    /// When a pending log is approved on its own, if the company set a deadline.
    pub auto_approve_label: Option<String>,
    /// The month is signed off: nobody changes this log until an admin reopens it.
    pub locked: bool,
    /// What the viewer may do with it (decided by the server).
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_submit: bool,
    pub can_decide: bool,
    /// Form values for editing, in the viewer's timezone.
    pub form: LogForm,
}

/// The running timer, if any. The server is the source of truth; the browser
/// adds the time passed since it asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningTimer {
    pub log_id: Uuid,
    pub job_id: Uuid,
    pub job_title: String,
    pub customer_name: String,
    pub started_label: String,
    pub paused: bool,
    /// Worked seconds so far (pauses excluded), when the server answered.
    pub elapsed_seconds: i64,
}

/// A job the worker can log time on, with the contract budget that applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggableJob {
    pub id: Uuid,
    pub title: String,
    pub customer_name: String,
    pub contract: Option<ContractUsage>,
}

/// The worker's time page: timer, jobs to log on, entries, and contract budgets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTime {
    pub timer: Option<RunningTimer>,
    pub jobs: Vec<LoggableJob>,
    pub logs: Vec<WorkLog>,
    pub contracts: Vec<ContractUsage>,
    /// Today in the worker's timezone, YYYY-MM-DD (the form's default date).
    pub today: String,
}

/// A manual entry as typed; `validate` is shared by the browser and the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogForm {
    pub job_id: String,
    /// YYYY-MM-DD in the worker's timezone.
    pub date: String,
    /// HH:MM.
    pub start: String,
    /// HH:MM; or leave empty and give `duration`.
    pub end: String,
    /// "1:30", "1.5" or "90m"; used when `end` is empty.
    pub duration: String,
    /// Minutes of break inside the span.
    pub break_minutes: String,
    pub description: String,
    pub billable: bool,
}

/// How the entry ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryEnd {
    At(NaiveTime),
    After { minutes: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLog {
    pub job_id: Uuid,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: EntryEnd,
    pub break_minutes: i64,
    pub description: String,
    pub billable: bool,
}

impl ValidLog {
    /// The span in minutes, before breaks.
    pub fn span_minutes(&self) -> i64 {
        match self.end {
            EntryEnd::At(end) => (end - self.start).num_minutes(),
            EntryEnd::After { minutes } => minutes,
        }
    }
}

pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    crate::domain::text::parse_date(raw, "2026-11-21")
}

pub fn parse_time(raw: &str, what: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| format!("Enter the {what} time like 09:30."))
}

/// "1:30", "1.5", "1,5", "90m", "2h" → minutes.
pub fn parse_duration(raw: &str) -> Result<i64, String> {
    let raw = raw.trim().to_lowercase();
    let bad = || "Enter the duration like 1:30 or 1.5 (hours).".to_string();
    let minutes = if let Some((h, m)) = raw.split_once(':') {
        let h: i64 = h.trim().parse().map_err(|_| bad())?;
        let m: i64 = m.trim().parse().map_err(|_| bad())?;
        if !(0..60).contains(&m) || h < 0 {
            return Err(bad());
        }
        h * 60 + m
    } else if let Some(m) = raw.strip_suffix('m').or_else(|| raw.strip_suffix("min")) {
        m.trim().parse::<i64>().map_err(|_| bad())?
    } else {
        let hours: f64 = raw.trim_end_matches('h').trim().replace(',', ".").parse().map_err(|_| bad())?;
        if !hours.is_finite() {
            return Err(bad());
        }
        (hours * 60.0).round() as i64
    };
    if minutes <= 0 {
        return Err("The duration must be more than zero.".into());
    }
    if minutes > MAX_ENTRY_MINUTES {
        return Err("One entry can be at most 24 hours. Split longer work into several entries.".into());
    }
    Ok(minutes)
}

pub fn parse_break(raw: &str) -> Result<i64, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    match raw.parse::<i64>() {
        Ok(m) if (0..=MAX_ENTRY_MINUTES).contains(&m) => Ok(m),
        Ok(_) => Err("Enter the break in minutes, between 0 and 1440.".into()),
        Err(_) => Err("Enter the break in whole minutes, like 30.".into()),
    }
}

pub fn parse_log_description(raw: &str) -> Result<String, String> {
    crate::domain::text::check_chars(raw, true)?;
    let description = raw.trim().to_string();
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(format!("Keep the description to {DESCRIPTION_MAX} characters or fewer."));
    }
    Ok(description)
}

pub fn parse_reason(raw: &str) -> Result<String, String> {
    crate::domain::text::check_chars(raw, true)?;
    let reason = raw.trim().to_string();
    match reason.chars().count() {
        0 => Err("Say why you decline these hours, so the worker can correct them.".into()),
        n if n > REASON_MAX => Err(format!("Keep the reason to {REASON_MAX} characters or fewer.")),
        _ => Ok(reason),
    }
}

impl LogForm {
    pub fn validate(&self) -> Result<ValidLog, Vec<FieldError>> {
        let mut checks = Checks::new();
        let job_id =
            checks.check("job_id", self.job_id.trim().parse::<Uuid>().map_err(|_| "Choose a job.".to_string()));
        let date = checks.check("date", parse_date(&self.date));
        let start = checks.check("start", parse_time(&self.start, "start"));
        let end = if self.end.trim().is_empty() {
            if self.duration.trim().is_empty() {
                checks.check::<EntryEnd>("end", Err("Enter an end time or a duration.".into()))
            } else {
                checks.check("duration", parse_duration(&self.duration).map(|minutes| EntryEnd::After { minutes }))
            }
        } else {
            let end = checks.check("end", parse_time(&self.end, "end"));
            match (start, end) {
                (Some(start), Some(end)) if end <= start => checks.check::<EntryEnd>(
                    "end",
                    Err("The end must be after the start. For work past midnight, give a duration instead.".into()),
                ),
                (_, end) => end.map(EntryEnd::At),
            }
        };
        let break_minutes = checks.check("break_minutes", parse_break(&self.break_minutes));
        let description = checks.check("description", parse_log_description(&self.description));
        if let (Some(start), Some(end), Some(break_minutes)) = (start, end, break_minutes) {
            let span = match end {
                EntryEnd::At(end) => (end - start).num_minutes(),
                EntryEnd::After { minutes } => minutes,
            };
            if break_minutes >= span {
                checks.check::<()>("break_minutes", Err("The break must be shorter than the time worked.".into()));
            }
        }
        checks.finish(|| {
            Some(ValidLog {
                job_id: job_id?,
                date: date?,
                start: start?,
                end: end?,
                break_minutes: break_minutes?,
                description: description?,
                billable: self.billable,
            })
        })
    }
}

/// The admin's log list filters (all optional), from the URL query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    pub worker: Option<Uuid>,
    pub customer: Option<Uuid>,
    pub job: Option<Uuid>,
    pub status: Option<LogStatus>,
    /// YYYY-MM-DD, inclusive, in the company's timezone.
    pub from: String,
    pub to: String,
    /// Zero-based page of 100.
    pub page: u32,
}

pub const LOG_PAGE_SIZE: i64 = 100;

impl LogQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let id = |key: &str| get(key).and_then(|v| v.parse::<Uuid>().ok());
        Self {
            worker: id("worker"),
            customer: id("customer"),
            job: id("job"),
            status: get("status").and_then(|s| LogStatus::parse(&s)),
            from: get("from").unwrap_or_default(),
            to: get("to").unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<String> = Vec::new();
        let mut push = |k: &str, v: String| pairs.push(format!("{k}={v}"));
        if let Some(v) = self.worker {
            push("worker", v.to_string());
        }
        if let Some(v) = self.customer {
            push("customer", v.to_string());
        }
        if let Some(v) = self.job {
            push("job", v.to_string());
        }
        if let Some(v) = self.status {
            push("status", v.as_str().to_lowercase());
        }
        if !self.from.trim().is_empty() {
            push("from", self.from.trim().to_string());
        }
        if !self.to.trim().is_empty() {
            push("to", self.to.trim().to_string());
        }
        if self.page > 0 {
            push("page", self.page.to_string());
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedOption {
    pub id: Uuid,
    pub name: String,
}

/// A page of the company's logs for admins, with what the filters can pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    pub logs: Vec<WorkLog>,
    pub total_minutes: i64,
    pub count: i64,
    pub has_more: bool,
    pub workers: Vec<NamedOption>,
    pub customers: Vec<NamedOption>,
}

/// One log with its history (who changed what, before and after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogDetail {
    pub log: WorkLog,
    pub history: Vec<LogEvent>,
    /// Jobs the log may move to (the worker's jobs), for the edit form.
    pub jobs: Vec<LoggableJob>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEvent {
    pub at_label: String,
    pub actor_name: Option<String>,
    pub summary: String,
    /// "Duration: 2:00 → 2:30" and the like.
    pub changes: Vec<String>,
}

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractsPage {
    pub contracts: Vec<ContractUsage>,
    pub workers: Vec<NamedOption>,
    pub customers: Vec<NamedOption>,
}

/// Which month and whose hours a report shows.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartBar {
    pub label: String,
    pub minutes: i64,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> LogForm {
        LogForm {
            job_id: Uuid::nil().to_string(),
            date: "2026-11-03".into(),
            start: "09:00".into(),
            end: "11:30".into(),
            duration: String::new(),
            break_minutes: "15".into(),
            description: "Fixed the pump".into(),
            billable: true,
        }
    }

    #[test]
    fn a_valid_entry_has_its_span() {
        let valid = form().validate().unwrap();
        assert_eq!(valid.span_minutes(), 150);
        assert_eq!(valid.break_minutes, 15);
    }

    #[test]
    fn end_before_start_names_the_end() {
        let errors = LogForm { end: "08:00".into(), ..form() }.validate().unwrap_err();
        assert_eq!(errors[0].field, "end");
    }

    #[test]
    fn durations_parse_in_several_forms() {
        assert_eq!(parse_duration("1:30"), Ok(90));
        assert_eq!(parse_duration("1.5"), Ok(90));
        assert_eq!(parse_duration("1,25"), Ok(75));
        assert_eq!(parse_duration("45m"), Ok(45));
        assert_eq!(parse_duration("2h"), Ok(120));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("25").is_err());
        assert!(parse_duration("NaN").is_err());
    }

    #[test]
    fn a_break_as_long_as_the_work_is_refused() {
        let errors = LogForm { break_minutes: "150".into(), ..form() }.validate().unwrap_err();
        assert_eq!(errors[0].field, "break_minutes");
    }

    #[test]
    fn budget_levels() {
        assert_eq!(BudgetLevel::of(79, 100), BudgetLevel::Ok);
        assert_eq!(BudgetLevel::of(80, 100), BudgetLevel::Warning);
        assert_eq!(BudgetLevel::of(100, 100), BudgetLevel::Exceeded);
    }

    #[test]
    fn months_parse() {
        assert_eq!(parse_month("2026-03"), Ok((2026, 3)));
        assert!(parse_month("2026-13").is_err());
        assert!(parse_month("march").is_err());
    }

    #[test]
    fn minutes_format() {
        assert_eq!(format_minutes(125), "2:05");
        assert_eq!(format_elapsed(3725), "1:02:05");
    }
}
