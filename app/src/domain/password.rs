/// A new password that meets the policy. Deliberately not `Serialize`: a
/// password never travels back out, and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Passwords people pick first; refused outright.
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "1234567890",
    "12345678910",
    "123456789012",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "1q2w3e4r5t",
    "iloveyou12",
    "letmein123",
    "welcome123",
    "admin12345",
    "changeme12",
    "abcdefghij",
    "abc1234567",
    "aaaaaaaaaa",
    "0000000000",
    "1111111111",
    "football12",
    "baseball12",
    "sunshine12",
    "princess12",
    "dragon1234",
    "monkey1234",
    "trustno1234",
];

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let length = raw.chars().count();
        if length == 0 {
            return Err("Enter a password.".into());
        }
        if length < Self::MIN_LEN {
            return Err(format!("Use at least {} characters.", Self::MIN_LEN));
        }
        if length > Self::MAX_LEN {
            return Err(format!("Use at most {} characters.", Self::MAX_LEN));
        }
        let lower = raw.to_lowercase();
        let distinct = {
            let mut chars: Vec<char> = lower.chars().collect();
            chars.sort_unstable();
            chars.dedup();
            chars.len()
        };
        if distinct < 4 || COMMON.contains(&lower.as_str()) {
            return Err("That password is too easy to guess. Try a short phrase.".into());
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert_eq!(Password::parse("").unwrap_err(), "Enter a password.");
        assert!(Password::parse("short1").unwrap_err().contains("at least 10"));
        assert!(Password::parse("Password123").unwrap_err().contains("too easy"));
        assert!(Password::parse("abababababab").unwrap_err().contains("too easy"));
        assert!(Password::parse(&"long enough ".repeat(20)).unwrap_err().contains("at most"));
    }

    #[test]
    fn reasonable_passwords_pass() {
        assert!(Password::parse("correct horse battery").is_ok());
        assert!(Password::parse("Tr4ctor-Blue-19").is_ok());
    }
}
