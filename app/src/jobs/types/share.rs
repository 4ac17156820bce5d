//! Share links: read-only views of a job for someone without a login.

use super::detail::JobDetail;
use crate::statuses::StatusKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const SHARE_DAYS_DEFAULT: u32 = 30;
pub const SHARE_DAYS_MAX: u32 = 365;

/// A read-only link to a job for someone without a login (the token itself is shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLink {
    pub id: Uuid,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub expires_label: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_viewed_at: Option<DateTime<Utc>>,
    pub active: bool,
}

/// A link just created: the only time its URL is known (only a hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewShareLink {
    pub link: ShareLink,
    pub url: String,
}

/// A job as a share link shows it: exactly what the page displays and nothing more
/// (no ids, no customer contact details, no who-ticked-what), because whoever holds
/// the link receives all of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedJobView {
    pub title: String,
    pub description: String,
    pub customer_name: String,
    pub worker_name: Option<String>,
    pub status_name: String,
    pub status_colour: String,
    pub status_kind: StatusKind,
    /// "2026-05-14 at 08:00", or empty when not scheduled.
    pub schedule_label: String,
    pub tasks: Vec<SharedTask>,
    pub notes: Vec<SharedNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedTask {
    pub title: String,
    pub is_completed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedNote {
    pub author_name: String,
    pub created_label: String,
    pub body: String,
}

impl SharedJobView {
    /// Keeps what the share page shows of a job loaded for a share-link viewer.
    pub fn from_detail(job: JobDetail) -> Self {
        let schedule_label = if job.scheduled_date.is_empty() {
            String::new()
        } else {
            format!("{} at {}", job.scheduled_date, job.scheduled_time)
        };
        Self {
            title: job.title,
            description: job.description,
            customer_name: job.customer.name,
            worker_name: job.worker_name,
            status_name: job.status.name,
            status_colour: job.status.colour,
            status_kind: job.status.kind,
            schedule_label,
            tasks: job.tasks.into_iter().map(|t| SharedTask { title: t.title, is_completed: t.is_completed }).collect(),
            notes: job
                .notes
                .into_iter()
                .map(|n| SharedNote { author_name: n.author_name, created_label: n.created_label, body: n.body })
                .collect(),
        }
    }
}

/// What `/share/{token}` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SharedJob {
    Available { company_name: String, job: Box<SharedJobView> },
    Expired,
    Revoked,
    Unknown,
}

/// How many days a new share link lives: 1 to 365, 30 when left empty.
pub fn parse_share_days(raw: &str) -> Result<u32, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(SHARE_DAYS_DEFAULT);
    }
    match raw.parse::<u32>() {
        Ok(days) if (1..=SHARE_DAYS_MAX).contains(&days) => Ok(days),
        _ => Err(format!("Choose between 1 and {SHARE_DAYS_MAX} days.")),
    }
}
