use serde::{Deserialize, Serialize};

/// The company's URL name in `/{slug}/login`: 3–40 of a–z, 0–9 and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CompanySlug(String);

/// Top-level paths of the app; a company may not take one as its slug.
const RESERVED: &[&str] = &[
    "app",
    "api",
    "rpc",
    "pkg",
    "assets",
    "static",
    "public",
    "login",
    "logout",
    "signup",
    "sign-up",
    "register",
    "share",
    "health",
    "ready",
    "admin",
    "docs",
    "help",
    "support",
    "www",
    "mail",
    "status",
    "settings",
    "account",
    "auth",
    "invite",
    "reset",
    "verify",
    "favicon-ico",
    "robots-txt",
    "fieldbook",
];

impl CompanySlug {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let slug = raw.trim().to_lowercase();
        if slug.is_empty() {
            return Err("Choose a web address for your workspace.".into());
        }
        if slug.len() < Self::MIN_LEN || slug.len() > Self::MAX_LEN {
            return Err(format!("Use {} to {} characters.", Self::MIN_LEN, Self::MAX_LEN));
        }
        if !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err("Use only letters a–z, digits and hyphens.".into());
        }
        if slug.starts_with('-') || slug.ends_with('-') {
            return Err("Start and end with a letter or digit.".into());
        }
        if RESERVED.contains(&slug.as_str()) {
            return Err("That address is reserved. Pick another.".into());
        }
        Ok(Self(slug))
    }

    /// A slug suggested from a company name ("Acme Plumbing Ltd." → "acme-plumbing-ltd").
    pub fn suggest(name: &str) -> String {
        let mut slug = String::new();
        for c in name.to_lowercase().chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        slug.truncate(Self::MAX_LEN);
        slug.trim_matches('-').to_string()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CompanySlug {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CompanySlug> for String {
    fn from(value: CompanySlug) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::CompanySlug;

    #[test]
    fn slugs_follow_the_url_rules() {
        assert_eq!(CompanySlug::parse(" Acme-Plumbing ").unwrap().as_str(), "acme-plumbing");
        for bad in ["", "ab", "-acme", "acme-", "acme plumbing", "acmé", "login", &"a".repeat(41)] {
            assert!(CompanySlug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn suggestions_are_valid_slugs() {
        assert_eq!(CompanySlug::suggest("Acme Plumbing Ltd."), "acme-plumbing-ltd");
        assert_eq!(CompanySlug::suggest("  Über  Clean! "), "ber-clean");
    }
}
