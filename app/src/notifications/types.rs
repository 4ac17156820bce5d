use crate::auth::Role;
use crate::domain::{Checks, EmailAddress, Password, PersonName};
use crate::error::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One entry of the in-app notification centre.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A path inside the app: what the notification is about.
    pub link: String,
    pub created_at: DateTime<Utc>,
    /// When, in the reader's timezone ("Mon 3 Nov, 14:05").
    pub when: String,
    pub read: bool,
}

/// A page of notifications, newest first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub unread: i64,
    /// Pass as `before` for the next (older) page.
    pub next_before: Option<i64>,
}

pub const NOTIFICATIONS_PER_PAGE: i64 = 20;

/// Which non-essential emails a user gets. Account emails (verification, password
/// reset, invitations) always go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPreferences {
    pub submitted: bool,
    pub decided: bool,
    pub assigned: bool,
}

/// The kinds of non-essential email, as unsubscribe links name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailTopic {
    Submitted,
    Decided,
    Assigned,
}

impl EmailTopic {
    pub fn key(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Decided => "decided",
            Self::Assigned => "assigned",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "submitted" => Some(Self::Submitted),
            "decided" => Some(Self::Decided),
            "assigned" => Some(Self::Assigned),
            _ => None,
        }
    }

    /// How the settings page and the unsubscribe page describe it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "Time submitted for approval",
            Self::Decided => "My time approved or declined",
            Self::Assigned => "Jobs assigned to me",
        }
    }

    /// The topics that concern a role.
    pub fn for_role(role: Role) -> &'static [EmailTopic] {
        match role {
            Role::Admin | Role::Customer => &[Self::Submitted],
            Role::Worker => &[Self::Decided, Self::Assigned],
        }
    }
}

impl EmailPreferences {
    pub fn get(&self, topic: EmailTopic) -> bool {
        match topic {
            EmailTopic::Submitted => self.submitted,
            EmailTopic::Decided => self.decided,
            EmailTopic::Assigned => self.assigned,
        }
    }

    pub fn set(&mut self, topic: EmailTopic, on: bool) {
        match topic {
            EmailTopic::Submitted => self.submitted = on,
            EmailTopic::Decided => self.decided = on,
            EmailTopic::Assigned => self.assigned = on,
        }
    }
}

/// What the unsubscribe page reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsubscribed {
    pub email: String,
    pub topic: String,
}

/// The admin's view of outgoing mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub kind: String,
    pub to: String,
    pub subject: String,
    /// PENDING, SENT or DEAD.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub entries: Vec<OutboxEntry>,
    pub pending: i64,
    pub dead: i64,
    pub sent: i64,
}

/// An invitation as the admin's team page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub customer_name: Option<String>,
    pub invited_by: String,
    pub expires_at: DateTime<Utc>,
    pub expired: bool,
    pub sent_count: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationForm {
    pub email: String,
    pub role: String,
    /// A customer record's id for CUSTOMER invitations; empty for none.
    #[serde(default)]
    pub customer_id: String,
}

#[derive(Debug, Clone)]
pub struct ValidInvitation {
    pub email: EmailAddress,
    pub role: Role,
    pub customer_id: Option<Uuid>,
}

impl InvitationForm {
    pub fn validate(&self) -> Result<ValidInvitation, Vec<FieldError>> {
        let mut checks = Checks::new();
        let email = checks.check("email", EmailAddress::parse(&self.email));
        let role = checks.check("role", Role::parse(&self.role));
        let customer_id = checks.check(
            "customer_id",
            crate::users::parse_customer_link(role, &self.customer_id).and_then(|link| match (role, link) {
                (Some(Role::Customer), None) => Err("Choose the customer this person belongs to.".to_string()),
                (_, link) => Ok(link),
            }),
        );
        checks.finish(|| Some(ValidInvitation { email: email?, role: role?, customer_id: customer_id? }))
    }
}

/// What the accept page shows before the invitee chooses a name and password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub company_name: String,
    pub company_slug: String,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptInvitationForm {
    pub token: String,
    pub name: String,
    pub password: String,
}

impl AcceptInvitationForm {
    pub fn validate(&self) -> Result<(PersonName, Password), Vec<FieldError>> {
        let mut checks = Checks::new();
        let name = checks.check("name", PersonName::parse(&self.name));
        let password = checks.check("password", Password::parse(&self.password));
        checks.finish(|| Some((name?, password?)))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetRequest {
    pub workspace: String,
    pub email: String,
}

impl PasswordResetRequest {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut checks = Checks::new();
        if self.workspace.trim().is_empty() {
            checks.check::<()>("workspace", Err("Enter your workspace address.".into()));
        }
        checks.check("email", EmailAddress::parse(&self.email));
        checks.finish(|| Some(()))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetForm {
    pub token: String,
    pub password: String,
}

impl PasswordResetForm {
    pub fn validate(&self) -> Result<Password, Vec<FieldError>> {
        let mut checks = Checks::new();
        let password = checks.check("password", Password::parse(&self.password));
        checks.finish(|| password)
    }
}

/// Where to sign in after an account email's link did its work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInHint {
    pub company_slug: String,
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_forms_name_each_bad_field() {
        let form = InvitationForm { email: "nope".into(), role: "BOSS".into(), customer_id: String::new() };
        let fields: Vec<String> = form.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "role"]);
        let customer =
            InvitationForm { email: "c@x.example".into(), role: "CUSTOMER".into(), customer_id: String::new() };
        let fields: Vec<String> = customer.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["customer_id"]);
    }

    #[test]
    fn topics_round_trip_through_their_keys() {
        for topic in [EmailTopic::Submitted, EmailTopic::Decided, EmailTopic::Assigned] {
            assert_eq!(EmailTopic::parse(topic.key()), Some(topic));
        }
        assert_eq!(EmailTopic::parse("everything"), None);
    }
}
