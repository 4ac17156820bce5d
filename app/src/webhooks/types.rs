//! Webhook endpoints, events and deliveries as the page and the server share them.

use crate::domain::text::check_chars;
use crate::domain::Checks;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every event an endpoint can subscribe to: (type, what it means).
pub const WEBHOOK_EVENTS: [(&str, &str); 13] = [
    ("job.created", "A job was created"),
    ("job.updated", "A job's details were edited"),
    ("job.status_changed", "A job moved to another status"),
    ("job.assigned", "A job was assigned to a worker"),
    ("job.completed", "A job reached a done status"),
    ("task.completed", "A task on a job was ticked"),
    ("note.added", "A note was added to a job"),
    ("work_log.submitted", "Hours were submitted for approval"),
    ("work_log.approved", "Hours were approved"),
    ("work_log.declined", "Hours were declined"),
    ("contract.threshold_reached", "A contract reached 80 % or 100 % of its budget"),
    ("user.invited", "Someone was invited"),
    ("user.joined", "Someone accepted an invitation"),
];

/// The event a "Send test event" sends (never subscribed to).
pub const TEST_EVENT: &str = "webhook.test";
pub const DESCRIPTION_MAX: usize = 200;
pub const URL_MAX: usize = 2000;

/// A new endpoint as typed.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookForm {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidWebhook {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
}

impl WebhookForm {
    /// Checks the shape; whether the address may be called (https, public) is the
    /// server's check, which knows the deployment.
    pub fn validate(&self) -> Result<ValidWebhook, Vec<FieldError>> {
        let mut checks = Checks::new();
        let url = checks.check("url", {
            let url = self.url.trim().to_string();
            check_chars(&url, false).and_then(|()| {
                if url.is_empty() {
                    Err("Enter the address that should receive the events.".to_string())
                } else if url.len() > URL_MAX {
                    Err(format!("Keep the address to {URL_MAX} characters or fewer."))
                } else if !(url.starts_with("https://") || url.starts_with("http://"))
                    || url.contains(char::is_whitespace)
                {
                    Err("Enter a full address, like https://example.com/fieldbook-hook.".to_string())
                } else {
                    Ok(url)
                }
            })
        });
        let description = checks.check("description", {
            let text = self.description.trim().to_string();
            check_chars(&text, false).and_then(|()| {
                if text.chars().count() > DESCRIPTION_MAX {
                    Err(format!("Keep the description to {DESCRIPTION_MAX} characters or fewer."))
                } else {
                    Ok(text)
                }
            })
        });
        let events = checks.check("events", {
            let mut events: Vec<String> = Vec::new();
            let mut unknown = false;
            for raw in &self.events {
                match WEBHOOK_EVENTS.iter().find(|(name, _)| *name == raw.trim()) {
                    Some((name, _)) if !events.iter().any(|e| e == name) => events.push(name.to_string()),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            if unknown {
                Err("Choose events from the list.".to_string())
            } else if events.is_empty() {
                Err("Choose at least one event.".to_string())
            } else {
                Ok(events)
            }
        });
        checks.finish(|| Some(ValidWebhook { url: url?, description: description?, events: events? }))
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: i32,
    pub created_label: String,
    /// Whether an old signing secret still signs (after a rotation).
    pub rotating: bool,
    pub deliveries: Vec<WebhookDelivery>,
}

/// One event sent (or being sent) to one endpoint.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    pub id: Uuid,
    pub event_id: Uuid,
    pub event_type: String,
    /// PENDING, SUCCEEDED or FAILED (gave up).
    pub status: String,
    pub attempts: i32,
    pub response_status: Option<i32>,
    pub latency_ms: Option<i32>,
    pub response_excerpt: Option<String>,
    pub last_error: Option<String>,
    pub at_label: String,
    pub next_attempt_label: Option<String>,
}

/// An endpoint just made, or its secret just rotated: the secret is here only.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSecret {
    pub endpoint: WebhookEndpoint,
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_names_each_bad_field() {
        let form =
            WebhookForm { url: "ftp://x".into(), description: "a\u{7}".into(), events: vec!["job.exploded".into()] };
        let fields: Vec<String> = form.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["url", "description", "events"]);
        let none = WebhookForm { url: "https://example.com/h".into(), ..Default::default() };
        assert_eq!(none.validate().unwrap_err()[0].field, "events");
        let good = WebhookForm {
            url: " https://example.com/h ".into(),
            description: "Slack".into(),
            events: vec!["job.completed".into(), "job.completed".into()],
        };
        let valid = good.validate().unwrap();
        assert_eq!((valid.url.as_str(), valid.events.len()), ("https://example.com/h", 1));
    }
}
