use crate::domain::Checks;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a status means: the system knows "done" from the kind, not the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "job_status_kind", rename_all = "SCREAMING_SNAKE_CASE"))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum StatusKind {
    Open,
    InProgress,
    Done,
}

impl StatusKind {
    pub const ALL: [StatusKind; 3] = [StatusKind::Open, StatusKind::InProgress, StatusKind::Done];

    pub fn label(self) -> &'static str {
        match self {
            StatusKind::Open => "Open",
            StatusKind::InProgress => "In progress",
            StatusKind::Done => "Done",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Open => "OPEN",
            StatusKind::InProgress => "IN_PROGRESS",
            StatusKind::Done => "DONE",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "OPEN" => Ok(StatusKind::Open),
            "IN_PROGRESS" => Ok(StatusKind::InProgress),
            "DONE" => Ok(StatusKind::Done),
            _ => Err("Choose open, in progress or done.".into()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JobStatus {
    pub id: Uuid,
    pub name: String,
    pub colour: String,
    pub kind: StatusKind,
    pub order_index: i32,
    /// Jobs (not deleted) currently in this status.
    pub job_count: i64,
}

/// The defaults every new company starts with: (name, colour, kind).
pub const DEFAULT_STATUSES: [(&str, &str, StatusKind); 4] = [
    ("New", "#64748b", StatusKind::Open),
    ("Scheduled", "#2563eb", StatusKind::Open),
    ("In progress", "#d97706", StatusKind::InProgress),
    ("Done", "#16a34a", StatusKind::Done),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusForm {
    pub name: String,
    pub colour: String,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct ValidStatus {
    pub name: String,
    pub colour: String,
    pub kind: StatusKind,
}

pub fn parse_colour(raw: &str) -> Result<String, String> {
    let colour = raw.trim().to_ascii_lowercase();
    let ok = colour.len() == 7 && colour.starts_with('#') && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(colour)
    } else {
        Err("Pick a colour like #2563eb.".into())
    }
}

pub fn parse_status_name(raw: &str) -> Result<String, String> {
    crate::domain::text::check_chars(raw, true)?;
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("Give the status a name.".into());
    }
    if name.chars().count() > 40 {
        return Err("Keep it to 40 characters or fewer.".into());
    }
    Ok(name)
}

impl StatusForm {
    pub fn validate(&self) -> Result<ValidStatus, Vec<FieldError>> {
        let mut checks = Checks::new();
        let name = checks.check("name", parse_status_name(&self.name));
        let colour = checks.check("colour", parse_colour(&self.colour));
        let kind = checks.check("kind", StatusKind::parse(&self.kind));
        checks.finish(|| Some(ValidStatus { name: name?, colour: colour?, kind: kind? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_forms_name_their_bad_fields() {
        let form = StatusForm { name: "  ".into(), colour: "blue".into(), kind: "MAYBE".into() };
        let fields: Vec<_> = form.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "colour", "kind"]);
        let ok = StatusForm { name: " Waiting  for parts ".into(), colour: "#A1B2C3".into(), kind: "open".into() };
        let valid = ok.validate().unwrap();
        assert_eq!(
            (valid.name.as_str(), valid.colour.as_str(), valid.kind),
            ("Waiting for parts", "#a1b2c3", StatusKind::Open)
        );
    }
}
