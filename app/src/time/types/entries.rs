//! A manual time entry as typed, and its validation (shared by browser and server).

use crate::domain::Checks;
use crate::error::FieldError;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const DESCRIPTION_MAX: usize = 2_000;
pub const REASON_MAX: usize = 1_000;
/// No single entry is longer than a day.
pub const MAX_ENTRY_MINUTES: i64 = 24 * 60;

/// A manual entry as typed; `validate` is shared by the browser and the server.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
