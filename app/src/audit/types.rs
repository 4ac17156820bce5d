//! The audit log as admins read it: every recorded change of their company, who made
//! it, what changed from what to what, newest first.

use crate::domain::text::{check_chars, parse_date};
use crate::domain::Checks;
use crate::error::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Entries per page.
pub const AUDIT_PAGE_SIZE: i64 = 50;
/// The longest record type or action name a filter takes.
const NAME_MAX: usize = 60;

/// Which entries to list. Empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Who made the change: a user's id, or `system` for changes without a person.
    #[serde(default)]
    pub person: String,
    /// The kind of record, e.g. `job`, `customer`.
    #[serde(default)]
    pub record: String,
    /// The action, e.g. `job.status_changed`.
    #[serde(default)]
    pub action: String,
    /// YYYY-MM-DD, inclusive, in the company's timezone.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The page after the one that ended with this entry (`AuditPage::next`).
    #[serde(default)]
    pub after: String,
}

/// Who a query asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonFilter {
    Anyone,
    User(Uuid),
    System,
}

/// A query with every value checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAuditQuery {
    pub person: PersonFilter,
    pub record: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub after: Option<AuditCursor>,
}

/// Where a page ends: the last entry's time and id (entries are ordered by both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl AuditCursor {
    /// `<microseconds since 1970>_<id>`: opaque to readers, stable in URLs.
    pub fn encode(&self) -> String {
        format!("{}_{}", self.at.timestamp_micros(), self.id)
    }

    pub fn decode(raw: &str) -> Option<Self> {
        let (micros, id) = raw.trim().split_once('_')?;
        let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        Some(Self { at, id: id.parse().ok()? })
    }
}

fn optional(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|v| !v.is_empty())
}

/// A record type or action name: short, letters, digits, `.`, `_` and `-`.
fn name(raw: &str) -> Result<Option<String>, String> {
    let Some(value) = optional(raw) else { return Ok(None) };
    check_chars(value, false)?;
    if value.chars().count() > NAME_MAX {
        return Err(format!("At most {NAME_MAX} characters."));
    }
    if !value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        return Err("Choose one from the list.".into());
    }
    Ok(Some(value.to_string()))
}

impl AuditQuery {
    pub fn validate(&self) -> Result<ValidAuditQuery, Vec<FieldError>> {
        let mut checks = Checks::new();
        let person = checks.check(
            "person",
            match optional(&self.person) {
                None => Ok(PersonFilter::Anyone),
                Some("system") => Ok(PersonFilter::System),
                Some(raw) => check_chars(raw, false).and_then(|_| {
                    raw.parse().map(PersonFilter::User).map_err(|_| "Choose a person from the list.".into())
                }),
            },
        );
        let record = checks.check("record", name(&self.record));
        let action = checks.check("action", name(&self.action));
        let from = checks.check("from", optional(&self.from).map(|d| parse_date(d, "2026-11-01")).transpose());
        let to = checks.check("to", optional(&self.to).map(|d| parse_date(d, "2026-11-30")).transpose());
        let after = checks.check(
            "after",
            match optional(&self.after) {
                None => Ok(None),
                Some(raw) => check_chars(raw, false)
                    .and_then(|_| AuditCursor::decode(raw).map(Some).ok_or_else(|| "This page link is broken.".into())),
            },
        );
        if let (Some(Some(from)), Some(Some(to))) = (from, to) {
            if to < from {
                checks.check::<()>("to", Err("The end comes before the start.".into()));
            }
        }
        checks.finish(|| {
            Some(ValidAuditQuery {
                person: person?,
                record: record?,
                action: action?,
                from: from?,
                to: to?,
                after: after?,
            })
        })
    }

    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let get = |key: &str| get(key).unwrap_or_default();
        Self {
            person: get("person"),
            record: get("record"),
            action: get("action"),
            from: get("from"),
            to: get("to"),
            after: get("after"),
        }
    }

    /// The query as URL parameters (without `?`), empty values left out.
    pub fn to_params(&self) -> String {
        [
            ("person", &self.person),
            ("record", &self.record),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
            ("after", &self.after),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| format!("{key}={}", crate::jobs::encode_component(value.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One field of a record before and after a change (`None`: not there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub at_label: String,
    /// The person's id; `None` for the system.
    pub actor_id: Option<Uuid>,
    /// The person's name, or "System".
    pub actor: String,
    pub action: String,
    pub record: String,
    pub record_id: Option<Uuid>,
    pub changes: Vec<FieldChange>,
}

/// A choice in a filter: its value and what the menu shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChoice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The `after` of the next page, when there is one.
    pub next: Option<String>,
    /// What the filters offer: the people, record types and actions of the company's log.
    pub people: Vec<AuditChoice>,
    pub records: Vec<String>,
    pub actions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_checked_field_by_field() {
        let good = AuditQuery {
            person: "system".into(),
            record: "job".into(),
            from: "2026-11-01".into(),
            ..Default::default()
        };
        let valid = good.validate().unwrap();
        assert_eq!(valid.person, PersonFilter::System);
        assert_eq!(valid.record.as_deref(), Some("job"));
        let bad = AuditQuery {
            person: "nobody".into(),
            record: "job\u{0}".into(),
            action: "x".repeat(100),
            from: "+262142-01-01".into(),
            to: "1899-12-31".into(),
            after: "garbage".into(),
        };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["person", "record", "action", "from", "to", "after"]);
        let backwards = AuditQuery { from: "2026-11-30".into(), to: "2026-11-01".into(), ..Default::default() };
        assert_eq!(backwards.validate().unwrap_err()[0].field, "to");
    }

    #[test]
    fn a_cursor_survives_its_url_and_the_query_its_parameters() {
        let cursor =
            AuditCursor { at: DateTime::from_timestamp_micros(1_796_000_000_123_456).unwrap(), id: Uuid::nil() };
        assert_eq!(AuditCursor::decode(&cursor.encode()), Some(cursor));
        let query = AuditQuery {
            record: "job".into(),
            from: "2026-11-01".into(),
            after: cursor.encode(),
            ..Default::default()
        };
        let params = query.to_params();
        let parsed = AuditQuery::from_params(|key| {
            params.split('&').find_map(|pair| pair.strip_prefix(&format!("{key}="))).map(str::to_string)
        });
        assert_eq!(parsed, query);
    }
}
