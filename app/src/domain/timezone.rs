use serde::{Deserialize, Serialize};

/// An IANA timezone name. The shape is checked here (browser and server); the
/// server also checks the name against its timezone database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timezone(String);

impl Timezone {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let tz = raw.trim();
        if tz.is_empty() {
            return Err("Choose a timezone.".into());
        }
        let shape_ok = tz.len() <= 64
            && (tz == "UTC" || tz.contains('/'))
            && tz.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
        if !shape_ok {
            return Err("Choose a timezone from the list, like Europe/Berlin.".into());
        }
        Ok(Self(tz.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Timezone {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Timezone> for String {
    fn from(value: Timezone) -> Self {
        value.0
    }
}
