use crate::domain::{Checks, EmailAddress};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerSummary {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub active: bool,
    pub open_jobs: i64,
    /// Goes up with every change (API clients send it back as `If-Match`).
    pub version: i32,
}

/// A customer to pick from a list (active customers, by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerOption {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerListQuery {
    pub search: String,
    pub include_inactive: bool,
    /// Keyset cursor: the last row of the previous page.
    pub after: Option<CustomerCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCursor {
    pub name: String,
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub customers: Vec<CustomerSummary>,
    pub next: Option<CustomerCursor>,
}

impl CustomerPage {
    pub const SIZE: usize = 25;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

#[derive(Debug, Clone)]
pub struct ValidCustomer {
    pub name: String,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

fn optional(raw: &str) -> Option<String> {
    let value = raw.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn parse_customer_name(raw: &str) -> Result<String, String> {
    crate::domain::text::check_chars(raw, true)?;
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err("Enter the customer's name.".into()),
        n if n > 200 => Err("Keep it to 200 characters or fewer.".into()),
        _ => Ok(name),
    }
}

fn parse_phone(raw: &str) -> Result<Option<String>, String> {
    let Some(phone) = optional(raw) else { return Ok(None) };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    if !allowed || !(5..=20).contains(&digits) || phone.len() > 40 {
        return Err("Enter a phone number like +49 30 1234567.".into());
    }
    Ok(Some(phone))
}

fn parse_address(raw: &str) -> Result<Option<String>, String> {
    crate::domain::text::check_chars(raw, true)?;
    match optional(raw) {
        Some(address) if address.chars().count() > 500 => Err("Keep the address to 500 characters or fewer.".into()),
        other => Ok(other),
    }
}

impl CustomerForm {
    pub fn validate(&self) -> Result<ValidCustomer, Vec<FieldError>> {
        let mut checks = Checks::new();
        let name = checks.check("name", parse_customer_name(&self.name));
        let email = checks.check("email", optional(&self.email).map(|e| EmailAddress::parse(&e)).transpose());
        let phone = checks.check("phone", parse_phone(&self.phone));
        let address = checks.check("address", parse_address(&self.address));
        checks.finish(|| Some(ValidCustomer { name: name?, email: email?, phone: phone?, address: address? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_optional_but_checked_when_given() {
        let minimal = CustomerForm { name: "Hill Farm".into(), ..Default::default() };
        let valid = minimal.validate().unwrap();
        assert!(valid.email.is_none() && valid.phone.is_none() && valid.address.is_none());

        let bad =
            CustomerForm { name: "".into(), email: "nope".into(), phone: "call me".into(), address: "x".repeat(501) };
        let fields: Vec<_> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email", "phone", "address"]);
        assert!(parse_phone("+49 (30) 123-4567").unwrap().is_some());
    }
}
