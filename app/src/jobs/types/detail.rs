//! A job's page: tasks, notes (with their visibility), the customer card, and history.

use super::list::StatusChip;
use crate::domain::text::{forbidden_char_message, has_forbidden_char};
use crate::domain::Checks;
use crate::error::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "note_visibility", rename_all = "SCREAMING_SNAKE_CASE"))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum NoteVisibility {
    Internal,
    Customer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JobTask {
    pub id: Uuid,
    pub title: String,
    pub position: i32,
    pub is_completed: bool,
    pub completed_by_name: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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

/// One line of a job's history, from the audit log, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// `at` in the viewer's timezone, ready to show.
    pub at_label: String,
    pub actor_name: Option<String>,
    pub summary: String,
}
