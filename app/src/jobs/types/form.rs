//! Creating and editing a job: the form as typed, its validation, and what it offers to pick.

use super::list::StatusChip;
use crate::domain::text::check_chars;
use crate::domain::Checks;
use crate::error::FieldError;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const TASK_TITLE_MAX: usize = 200;
pub const MAX_TASKS: usize = 100;

/// Create or edit a job. Every field is text as typed; `validate` turns it into values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JobForm {
    pub customer_id: String,
    pub title: String,
    pub description: String,
    /// YYYY-MM-DD in the company's timezone; empty = not scheduled.
    pub scheduled_date: String,
    /// HH:MM; empty = any time that day (stored as 08:00 local).
    pub scheduled_time: String,
    /// Empty = unassigned.
    pub worker_id: String,
    pub status_id: String,
    /// Initial checklist (create only; blank lines are skipped).
    #[serde(default)]
    pub tasks: Vec<String>,
    /// The version the edit is based on (edit only); a newer version in the database is a conflict.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidJob {
    pub customer_id: Uuid,
    pub title: String,
    pub description: String,
    pub scheduled: Schedule,
    pub worker_id: Option<Uuid>,
    pub status_id: Uuid,
    pub tasks: Vec<String>,
}

fn required_id(raw: &str, message: &str) -> Result<Uuid, String> {
    raw.trim().parse::<Uuid>().map_err(|_| message.to_string())
}

fn optional_id(raw: &str, message: &str) -> Result<Option<Uuid>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        Ok(None)
    } else {
        raw.parse::<Uuid>().map(Some).map_err(|_| message.to_string())
    }
}

pub fn parse_title(raw: &str) -> Result<String, String> {
    check_chars(raw, true)?;
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match title.chars().count() {
        0 => Err("Give the job a title.".into()),
        n if n > TITLE_MAX => Err(format!("Keep the title to {TITLE_MAX} characters or fewer.")),
        _ => Ok(title),
    }
}

pub fn parse_description(raw: &str) -> Result<String, String> {
    check_chars(raw, true)?;
    let description = raw.trim().to_string();
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(format!("Keep the description to {DESCRIPTION_MAX} characters or fewer."));
    }
    Ok(description)
}

pub fn parse_task_title(raw: &str) -> Result<String, String> {
    check_chars(raw, true)?;
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match title.chars().count() {
        0 => Err("Describe the task.".into()),
        n if n > TASK_TITLE_MAX => Err(format!("Keep each task to {TASK_TITLE_MAX} characters or fewer.")),
        _ => Ok(title),
    }
}

/// A planned local date and start time.
pub type Schedule = Option<(NaiveDate, NaiveTime)>;

/// Parses date and time separately, so each field gets its own error.
fn parse_schedule(date: &str, time: &str) -> (Result<Schedule, String>, Result<(), String>) {
    let (date, time) = (date.trim(), time.trim());
    let parsed_time = if time.is_empty() {
        Ok(None)
    } else {
        NaiveTime::parse_from_str(time, "%H:%M").map(Some).map_err(|_| "Enter a time like 14:30.".to_string())
    };
    if date.is_empty() {
        let time_result = if time.is_empty() { Ok(()) } else { Err("Pick a date for this time.".to_string()) };
        return (Ok(None), time_result);
    }
    let parsed_date = crate::domain::text::parse_date(date, "2026-05-14");
    let date_result = parsed_date.and_then(|d| {
        if (2000..=2100).contains(&chrono::Datelike::year(&d)) {
            Ok(d)
        } else {
            Err("Pick a date between 2000 and 2100.".to_string())
        }
    });
    match (date_result, parsed_time) {
        (Ok(d), Ok(t)) => {
            (Ok(Some((d, t.unwrap_or_else(|| NaiveTime::from_hms_opt(8, 0, 0).expect("valid time"))))), Ok(()))
        }
        (Err(e), Ok(_)) => (Err(e), Ok(())),
        (Ok(_), Err(e)) => (Ok(None), Err(e)),
        (Err(e), Err(t)) => (Err(e), Err(t)),
    }
}

impl JobForm {
    pub fn validate(&self) -> Result<ValidJob, Vec<FieldError>> {
        let mut checks = Checks::new();
        let customer_id = checks.check("customer_id", required_id(&self.customer_id, "Choose a customer."));
        let title = checks.check("title", parse_title(&self.title));
        let description = checks.check("description", parse_description(&self.description));
        let (date, time) = parse_schedule(&self.scheduled_date, &self.scheduled_time);
        let scheduled = checks.check("scheduled_date", date);
        let time_ok = checks.check("scheduled_time", time);
        let worker_id = checks.check("worker_id", optional_id(&self.worker_id, "Choose a field worker."));
        let status_id = checks.check("status_id", required_id(&self.status_id, "Choose a status."));
        let tasks = checks.check("tasks", {
            let given: Vec<&String> = self.tasks.iter().filter(|t| !t.trim().is_empty()).collect();
            if given.len() > MAX_TASKS {
                Err(format!("Add at most {MAX_TASKS} tasks at once."))
            } else {
                given.into_iter().map(|t| parse_task_title(t)).collect::<Result<Vec<_>, _>>()
            }
        });
        checks.finish(|| {
            time_ok?;
            Some(ValidJob {
                customer_id: customer_id?,
                title: title?,
                description: description?,
                scheduled: scheduled?,
                worker_id: worker_id?,
                status_id: status_id?,
                tasks: tasks?,
            })
        })
    }
}

/// A field worker to pick from a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerOption {
    pub id: Uuid,
    pub name: String,
}

/// What the job form and the list filters offer: active customers and workers, and every status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFormOptions {
    pub customers: Vec<crate::customers::CustomerOption>,
    pub workers: Vec<WorkerOption>,
    pub statuses: Vec<StatusChip>,
}

/// What a job page offers to pick: every status, and (for admins) the active workers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobChoices {
    pub statuses: Vec<StatusChip>,
    pub workers: Vec<WorkerOption>,
}
