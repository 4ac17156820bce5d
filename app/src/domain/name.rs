use serde::{Deserialize, Serialize};

fn clean_text(raw: &str, what: &str, max: usize) -> Result<String, String> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if value.chars().count() > max {
        return Err(format!("Keep it to {max} characters or fewer."));
    }
    if value.chars().any(char::is_control) {
        return Err("Remove the control characters.".into());
    }
    Ok(value)
}

/// A person's display name: trimmed, inner whitespace collapsed, 1–120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, String> {
        clean_text(raw, "a name", Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

/// A company's display name, 1–120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CompanyName(String);

impl CompanyName {
    pub const MAX_LEN: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, String> {
        clean_text(raw, "your company's name", Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CompanyName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CompanyName> for String {
    fn from(value: CompanyName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  Ana   López ").unwrap().as_str(), "Ana López");
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"x".repeat(121)).is_err());
        assert!(PersonName::parse(&"é".repeat(120)).is_ok());
        assert!(CompanyName::parse("").is_err());
    }
}
