use crate::domain::text::{check_chars, forbidden_char_message, has_forbidden_char};
use crate::domain::Checks;
use crate::error::FieldError;
use crate::statuses::StatusKind;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const TASK_TITLE_MAX: usize = 200;
pub const MAX_TASKS: usize = 100;

/// A status as shown on a job: name, colour and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChip {
    pub id: Uuid,
    pub name: String,
    pub colour: String,
    pub kind: StatusKind,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
pub struct JobPage {
    pub jobs: Vec<JobRow>,
    pub next: Option<String>,
}

impl JobPage {
    pub const SIZE: usize = 50;
}

/// Create or edit a job. Every field is text as typed; `validate` turns it into values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> JobForm {
        JobForm {
            customer_id: Uuid::new_v4().to_string(),
            title: "Fix the gate".into(),
            status_id: Uuid::new_v4().to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_job_is_valid_and_unscheduled() {
        let valid = form().validate().unwrap();
        assert_eq!((valid.scheduled, valid.worker_id, valid.tasks.len()), (None, None, 0));
    }

    #[test]
    fn dates_and_times_are_checked_and_a_date_alone_means_eight_oclock() {
        let mut f = form();
        f.scheduled_date = "2026-05-14".into();
        let (date, time) = f.validate().unwrap().scheduled.unwrap();
        assert_eq!((date.to_string(), time.to_string()), ("2026-05-14".into(), "08:00:00".into()));

        for (date, time, field) in [
            ("2026-02-30", "", "scheduled_date"),
            ("14/05/2026", "", "scheduled_date"),
            ("1999-12-31", "", "scheduled_date"),
            ("2026-05-14", "25:00", "scheduled_time"),
            ("", "09:00", "scheduled_time"),
        ] {
            let mut f = form();
            f.scheduled_date = date.into();
            f.scheduled_time = time.into();
            let errors = f.validate().unwrap_err();
            assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), [field], "{date} {time}");
        }
    }

    #[test]
    fn bad_input_names_every_field() {
        let f = JobForm {
            customer_id: "nope".into(),
            title: " ".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            worker_id: "nobody".into(),
            status_id: "".into(),
            tasks: vec!["ok".into(), "t".repeat(TASK_TITLE_MAX + 1)],
            ..Default::default()
        };
        let fields: Vec<_> = f.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["customer_id", "title", "description", "worker_id", "status_id", "tasks"]);
    }

    #[test]
    fn list_filters_round_trip_through_the_url() {
        let query = JobListQuery {
            status: Some(Uuid::new_v4()),
            archived: true,
            search: "gate & fence".into(),
            sort: JobSort::Title,
            ..Default::default()
        };
        let qs = query.to_query_string();
        assert!(qs.contains("q=gate%20%26%20fence"));
        let params: Vec<(String, String)> = qs[1..]
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_string(), v.replace("%20", " ").replace("%26", "&"))
            })
            .collect();
        let back = JobListQuery::from_params(|k| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
        assert_eq!(back, query);
        assert_eq!(JobListQuery::default().to_query_string(), "");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "note_visibility", rename_all = "SCREAMING_SNAKE_CASE"))]
pub enum NoteVisibility {
    Internal,
    Customer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobTask {
    pub id: Uuid,
    pub title: String,
    pub position: i32,
    pub is_completed: bool,
    pub completed_by_name: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobNote {
    pub id: Uuid,
    pub author_name: String,
    pub body: String,
    pub visibility: NoteVisibility,
    pub created_at: DateTime<Utc>,
    /// `created_at` in the company's timezone, ready to show.
    pub created_label: String,
}

/// The customer as a job shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// One job, as much of it as the viewer may see: customers and share links get
/// the worker's name only, customer-visible notes only, and no history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDetail {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub customer: CustomerCard,
    /// None for customer views (they get the name only).
    pub worker_id: Option<Uuid>,
    pub worker_name: Option<String>,
    pub status: StatusChip,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// In the company's timezone, for the edit form (YYYY-MM-DD / HH:MM).
    pub scheduled_date: String,
    pub scheduled_time: String,
    pub is_archived: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub tasks: Vec<JobTask>,
    pub notes: Vec<JobNote>,
}

pub const NOTE_MAX: usize = 5_000;

impl NoteVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteVisibility::Internal => "INTERNAL",
            NoteVisibility::Customer => "CUSTOMER",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "INTERNAL" => Ok(NoteVisibility::Internal),
            "CUSTOMER" => Ok(NoteVisibility::Customer),
            _ => Err("Choose who may read the note.".into()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteForm {
    pub body: String,
    /// INTERNAL (team only) or CUSTOMER (also the customer and share links).
    pub visibility: String,
}

impl NoteForm {
    pub fn validate(&self) -> Result<(String, NoteVisibility), Vec<FieldError>> {
        let mut checks = Checks::new();
        let body = checks.check("body", {
            let body = self.body.trim().to_string();
            match body.chars().count() {
                _ if has_forbidden_char(&body, true) => Err(forbidden_char_message().to_string()),
                0 => Err("Write something first.".to_string()),
                n if n > NOTE_MAX => Err(format!("Keep notes to {NOTE_MAX} characters or fewer.")),
                _ => Ok(body),
            }
        });
        let visibility = checks.check("visibility", NoteVisibility::parse(&self.visibility));
        checks.finish(|| Some((body?, visibility?)))
    }
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

/// One line of a job's history, from the audit log, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// `at` in the viewer's timezone, ready to show.
    pub at_label: String,
    pub actor_name: Option<String>,
    pub summary: String,
}

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

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn cursors_survive_keys_with_the_separator() {
        let cursor = JobCursor { key: "fix ~ fence".into(), id: Uuid::new_v4() };
        assert_eq!(JobCursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(JobCursor::decode("no-id"), None);
    }

    #[test]
    fn searches_split_into_lowercase_words() {
        assert_eq!(search_words("  Boiler-SERVICE, boiler 2026 "), ["boiler", "service", "2026"]);
        assert_eq!(search_words("100%_"), ["100"]);
        assert!(search_words("%_ -").is_empty());
    }

    #[test]
    fn share_days_default_and_bounds() {
        assert_eq!(parse_share_days(""), Ok(30));
        assert_eq!(parse_share_days("7"), Ok(7));
        assert!(parse_share_days("0").is_err());
        assert!(parse_share_days("366").is_err());
        assert!(parse_share_days("soon").is_err());
    }
}
