//! The job list: statuses as chips, filters, sorts and keyset cursors, rows, and the
//! grouped lists of workers, customers and the admin's dashboard.

use crate::domain::text::has_forbidden_char;
use crate::statuses::StatusKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A status as shown on a job: name, colour and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusChip {
    pub id: Uuid,
    pub name: String,
    pub colour: String,
    pub kind: StatusKind,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum JobSort {
    #[default]
    Newest,
    Oldest,
    Scheduled,
    Title,
}

impl JobSort {
    pub const ALL: [JobSort; 4] = [JobSort::Newest, JobSort::Oldest, JobSort::Scheduled, JobSort::Title];

    pub fn as_str(self) -> &'static str {
        match self {
            JobSort::Newest => "newest",
            JobSort::Oldest => "oldest",
            JobSort::Scheduled => "scheduled",
            JobSort::Title => "title",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            JobSort::Newest => "Newest first",
            JobSort::Oldest => "Oldest first",
            JobSort::Scheduled => "Scheduled date",
            JobSort::Title => "Title A–Z",
        }
    }

    pub fn parse(raw: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.as_str() == raw).unwrap_or_default()
    }
}

/// The admin's job list filters; they live in the URL query so a list can be bookmarked.
/// Every field may be left out (API callers send only the filters they use).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobListQuery {
    pub status: Option<Uuid>,
    pub worker: Option<Uuid>,
    pub customer: Option<Uuid>,
    pub archived: bool,
    /// Matches the title or the customer's name.
    pub search: String,
    pub sort: JobSort,
    /// Keyset cursor from the previous page (opaque to the browser).
    pub after: Option<String>,
}

impl JobListQuery {
    /// Reads the query from URL parameters (unknown or malformed values are ignored).
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let id = |key: &str| get(key).and_then(|v| v.parse::<Uuid>().ok());
        Self {
            status: id("status"),
            worker: id("worker"),
            customer: id("customer"),
            archived: get("archived").is_some_and(|v| v == "1" || v == "true"),
            search: get("q").unwrap_or_default(),
            sort: get("sort").map(|s| JobSort::parse(&s)).unwrap_or_default(),
            after: get("after").filter(|a| !a.is_empty()),
        }
    }

    /// The URL query string for these filters ("" when all are defaults).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(v) = self.status {
            pairs.push(("status", v.to_string()));
        }
        if let Some(v) = self.worker {
            pairs.push(("worker", v.to_string()));
        }
        if let Some(v) = self.customer {
            pairs.push(("customer", v.to_string()));
        }
        if self.archived {
            pairs.push(("archived", "1".into()));
        }
        if !self.search.trim().is_empty() {
            pairs.push(("q", self.search.trim().to_string()));
        }
        if self.sort != JobSort::default() {
            pairs.push(("sort", self.sort.as_str().into()));
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after.clone()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", encode_component(&v))).collect();
        format!("?{}", encoded.join("&"))
    }
}

/// The words a job search looks for: lowercase runs of letters and digits, at most
/// eight (the database splits titles the same way; see `job_title_terms`).
pub fn search_words(search: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in search.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !words.iter().any(|w| w == word) {
            words.push(word.to_string());
        }
    }
    words.truncate(8);
    words
}

/// Percent-encodes a URL query value (RFC 3986 unreserved characters pass through).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JobRow {
    pub id: Uuid,
    pub title: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub status: StatusChip,
    pub worker_name: Option<String>,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// `scheduled_at` in the viewer's timezone, ready to show.
    pub scheduled_label: Option<String>,
    pub is_archived: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JobPage {
    pub jobs: Vec<JobRow>,
    pub next: Option<String>,
}

impl JobPage {
    pub const SIZE: usize = 50;
}

/// A worker's assigned jobs, or a customer's jobs, grouped the way they plan their day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyJobs {
    /// Not done, scheduled today or earlier (overdue first).
    pub today: Vec<JobRow>,
    /// Not done, scheduled later or not scheduled yet.
    pub upcoming: Vec<JobRow>,
    /// Done, most recent first.
    pub done: Vec<JobRow>,
    /// False for a customer login not linked to a customer record (it sees no jobs).
    pub linked: bool,
}

/// The admin dashboard's view of the work: open jobs per status and today's plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobsOverview {
    /// Every status with its number of active (not archived) jobs, in the company's order.
    pub by_status: Vec<(StatusChip, i64)>,
    /// Active jobs without a worker that are not done.
    pub unassigned: i64,
    /// Jobs scheduled today (company calendar), by start time.
    pub today: Vec<JobRow>,
}

/// Where the next page of the job list starts: the sort key and id of the last
/// row shown, as text for the URL (`key~id`; the key may itself contain `~`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobCursor {
    pub key: String,
    pub id: Uuid,
}

impl JobCursor {
    pub fn encode(&self) -> String {
        format!("{}~{}", self.key, self.id)
    }

    pub fn decode(raw: &str) -> Option<Self> {
        let (key, id) = raw.rsplit_once('~')?;
        if has_forbidden_char(key, false) || key.len() > 512 {
            return None;
        }
        Some(Self { key: key.to_string(), id: id.parse().ok()? })
    }
}
