use serde::{Deserialize, Serialize};

/// A lowercased, trimmed email address of plausible shape. Deliverability is
/// proven by the verification email, not here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("Enter an email address.".into());
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(format!("Email addresses are at most {} characters.", Self::MAX_LEN));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("Enter a valid email address, like name@example.com.".into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.chars().any(|c| c.is_whitespace() || c == '@' || c.is_control());
        if !(domain_ok && local_ok) {
            return Err("Enter a valid email address, like name@example.com.".into());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::EmailAddress;

    #[test]
    fn accepts_and_lowercases_plausible_addresses() {
        assert_eq!(EmailAddress::parse("  Ana.Lopez@Example.COM ").unwrap().as_str(), "ana.lopez@example.com");
        assert!(EmailAddress::parse("a+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "plain",
            "@example.com",
            "a@",
            "a@example",
            "a@.com",
            "a@example..com",
            "a b@example.com",
            "a@exa mple.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(EmailAddress::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }
}
