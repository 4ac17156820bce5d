//! Work logs as pages show them, their statuses, the timer, and the admin's log list.

use super::contracts::ContractUsage;
use super::entries::LogForm;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// The row version: every change bumps it (the REST API's `ETag`).
    pub version: i32,
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogDetail {
    pub log: WorkLog,
    pub history: Vec<LogEvent>,
    /// Jobs the log may move to (the worker's jobs), for the edit form.
    pub jobs: Vec<LoggableJob>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEvent {
    pub at_label: String,
    pub actor_name: Option<String>,
    pub summary: String,
    /// "Duration: 2:00 → 2:30" and the like.
    pub changes: Vec<String>,
}
