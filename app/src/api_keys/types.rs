//! API keys as the page and the server share them: scopes, the form, the list.

use crate::domain::text::{check_chars, parse_date};
use crate::domain::Checks;
use crate::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a key may reach. Each area has a read and a write scope; write includes read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiArea {
    Jobs,
    Customers,
    Time,
    Reports,
    Users,
    Webhooks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiAccess {
    Read,
    Write,
}

impl ApiArea {
    pub const ALL: [ApiArea; 6] =
        [ApiArea::Jobs, ApiArea::Customers, ApiArea::Time, ApiArea::Reports, ApiArea::Users, ApiArea::Webhooks];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiArea::Jobs => "jobs",
            ApiArea::Customers => "customers",
            ApiArea::Time => "time",
            ApiArea::Reports => "reports",
            ApiArea::Users => "users",
            ApiArea::Webhooks => "webhooks",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ApiArea::Jobs => "Jobs, tasks and notes",
            ApiArea::Customers => "Customers",
            ApiArea::Time => "Time and contracts",
            ApiArea::Reports => "Monthly reports",
            ApiArea::Users => "People",
            ApiArea::Webhooks => "Webhooks",
        }
    }

    /// Reports are read only: they are made from the hours, never written.
    pub fn writable(self) -> bool {
        self != ApiArea::Reports
    }
}

/// One scope, written `<area>:<read|write>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApiScope {
    pub area: ApiArea,
    pub access: ApiAccess,
}

impl ApiScope {
    pub fn new(area: ApiArea, access: ApiAccess) -> Self {
        Self { area, access }
    }

    pub fn as_string(self) -> String {
        let access = match self.access {
            ApiAccess::Read => "read",
            ApiAccess::Write => "write",
        };
        format!("{}:{access}", self.area.as_str())
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let (area, access) = raw.trim().split_once(':')?;
        let area = ApiArea::ALL.into_iter().find(|a| a.as_str() == area)?;
        let access = match access {
            "read" => ApiAccess::Read,
            "write" if area.writable() => ApiAccess::Write,
            _ => return None,
        };
        Some(Self { area, access })
    }

    /// Every scope there is, in the order the page lists them.
    pub fn all() -> Vec<ApiScope> {
        ApiArea::ALL
            .into_iter()
            .flat_map(|area| {
                let write = area.writable().then_some(ApiScope::new(area, ApiAccess::Write));
                std::iter::once(ApiScope::new(area, ApiAccess::Read)).chain(write)
            })
            .collect()
    }
}

/// Whether `granted` scopes allow `needed` (write includes read).
pub fn scopes_allow(granted: &[ApiScope], needed: ApiScope) -> bool {
    granted.iter().any(|s| s.area == needed.area && s.access >= needed.access)
}

pub const KEY_NAME_MAX: usize = 100;
/// The most requests a minute a key may be given.
pub const MAX_REQUESTS_PER_MINUTE: u32 = 6_000;

/// A new key as typed on the page (or sent by an API client).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiKeyForm {
    pub name: String,
    /// `<area>:<read|write>` each.
    pub scopes: Vec<String>,
    /// YYYY-MM-DD, the last day the key works (company time); empty = no expiry.
    pub expires_on: String,
    /// Empty = the server's default.
    pub requests_per_minute: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidApiKey {
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub expires_on: Option<NaiveDate>,
    pub requests_per_minute: Option<u32>,
}

impl ApiKeyForm {
    /// Checks the form; `today` is the company's date (an expiry must be later).
    pub fn validate(&self, today: NaiveDate) -> Result<ValidApiKey, Vec<FieldError>> {
        let mut checks = Checks::new();
        let name = checks.check("name", {
            let name = self.name.trim().to_string();
            check_chars(&name, false).and_then(|()| match name.chars().count() {
                0 => Err("Give the key a name, e.g. the tool that will use it.".to_string()),
                n if n > KEY_NAME_MAX => Err(format!("Keep the name to {KEY_NAME_MAX} characters or fewer.")),
                _ => Ok(name),
            })
        });
        let scopes = checks.check("scopes", {
            let mut scopes: Vec<ApiScope> = Vec::new();
            let mut unknown = None;
            for raw in &self.scopes {
                match ApiScope::parse(raw) {
                    Some(scope) if !scopes.contains(&scope) => scopes.push(scope),
                    Some(_) => {}
                    None => unknown = Some(raw.clone()),
                }
            }
            match unknown {
                Some(raw) => Err(format!(
                    "\"{}\" is not a scope; use <area>:read or <area>:write.",
                    raw.chars().filter(|c| !c.is_control()).take(40).collect::<String>()
                )),
                None if scopes.is_empty() => Err("Choose at least one thing the key may do.".to_string()),
                None => Ok(scopes),
            }
        });
        let expires_on = checks.check("expires_on", {
            let raw = self.expires_on.trim();
            if raw.is_empty() {
                Ok(None)
            } else {
                parse_date(raw, "2027-06-30").and_then(|date| {
                    if date < today {
                        Err("The expiry must be today or later.".to_string())
                    } else {
                        Ok(Some(date))
                    }
                })
            }
        });
        let requests_per_minute = checks.check("requests_per_minute", {
            let raw = self.requests_per_minute.trim();
            if raw.is_empty() {
                Ok(None)
            } else {
                match raw.parse::<u32>() {
                    Ok(n) if (1..=MAX_REQUESTS_PER_MINUTE).contains(&n) => Ok(Some(n)),
                    _ => Err(format!("Enter a whole number from 1 to {MAX_REQUESTS_PER_MINUTE}.")),
                }
            }
        });
        checks.finish(|| {
            Some(ValidApiKey {
                name: name?,
                scopes: scopes?,
                expires_on: expires_on?,
                requests_per_minute: requests_per_minute?,
            })
        })
    }
}

/// A key as the list shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    pub id: Uuid,
    pub name: String,
    /// The key's first characters, to recognise it by.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub requests_per_minute: u32,
    pub created_by_name: String,
    pub created_label: String,
    pub expires_label: Option<String>,
    pub last_used_label: Option<String>,
    /// Revoked, or past its expiry.
    pub usable: bool,
    pub revoked: bool,
}

/// A key just made: the secret is in this answer and nowhere else, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: ApiKeySummary,
    pub secret: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeysView {
    pub keys: Vec<ApiKeySummary>,
    /// The limit a key gets when its form leaves it empty.
    pub default_requests_per_minute: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn scopes_read_and_write_and_write_includes_read() {
        assert_eq!(ApiScope::parse("jobs:write"), Some(ApiScope::new(ApiArea::Jobs, ApiAccess::Write)));
        assert_eq!(ApiScope::parse("reports:write"), None, "reports are read only");
        assert_eq!(ApiScope::parse("jobs"), None);
        assert_eq!(ApiScope::all().len(), 11);
        let granted = [ApiScope::new(ApiArea::Jobs, ApiAccess::Write)];
        assert!(scopes_allow(&granted, ApiScope::new(ApiArea::Jobs, ApiAccess::Read)));
        assert!(!scopes_allow(&granted, ApiScope::new(ApiArea::Customers, ApiAccess::Read)));
        let read_only = [ApiScope::new(ApiArea::Jobs, ApiAccess::Read)];
        assert!(!scopes_allow(&read_only, ApiScope::new(ApiArea::Jobs, ApiAccess::Write)));
    }

    #[test]
    fn the_form_names_each_bad_field() {
        let form = ApiKeyForm {
            name: " ".into(),
            scopes: vec!["jobs:admin".into()],
            expires_on: "2026-12-01".into(),
            requests_per_minute: "0".into(),
        };
        let errors = form.validate(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "scopes", "expires_on", "requests_per_minute"]);
        let empty = ApiKeyForm { name: "Books".into(), ..Default::default() };
        assert_eq!(empty.validate(today()).unwrap_err()[0].field, "scopes");
        let nul = ApiKeyForm { name: "a\0b".into(), scopes: vec!["jobs:read".into()], ..Default::default() };
        assert_eq!(nul.validate(today()).unwrap_err()[0].field, "name");
    }

    #[test]
    fn a_good_form_keeps_each_scope_once() {
        let form = ApiKeyForm {
            name: "Accounting".into(),
            scopes: vec!["time:read".into(), "time:read".into(), "reports:read".into()],
            expires_on: "2027-01-31".into(),
            requests_per_minute: "120".into(),
        };
        let valid = form.validate(today()).unwrap();
        assert_eq!(valid.scopes.len(), 2);
        assert_eq!(valid.expires_on, NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(valid.requests_per_minute, Some(120));
    }
}
