//! Sends one outbox message over SMTP (lettre): a multipart text + HTML email whose
//! Message-ID and `X-Fieldbook-Idempotency-Key` are the outbox id, so a message sent
//! twice (a crash between the SMTP answer and the commit) is recognisably the same.

use crate::config::MailSettings;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use std::time::Duration;
use uuid::Uuid;

pub const IDEMPOTENCY_HEADER: &str = "X-Fieldbook-Idempotency-Key";

/// What the delivery loop hands to the mailer.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub unsubscribe_url: Option<String>,
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str, timeout: Duration) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
            .timeout(Some(timeout))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| anyhow::anyhow!("MAIL_FROM: {e}"))?;
        Ok(Self { transport, from })
    }

    /// The mailer the settings describe, if they name an SMTP server.
    pub fn from_settings(mail: &MailSettings) -> anyhow::Result<Option<Self>> {
        mail.smtp_url
            .as_ref()
            .map(|url| Self::new(url.expose_secret(), &mail.from, mail.delivery.send_timeout))
            .transpose()
    }

    /// Sends, or says why not (the text is stored as the message's last error).
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), String> {
        let message = self.build(mail)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        })
    }

    fn build(&self, mail: &OutgoingMail) -> Result<Message, String> {
        let to = mail.to.parse::<Mailbox>().map_err(|e| format!("recipient {:?}: {e}", mail.to))?;
        let host = self.from.email.domain().to_string();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{}@{host}>", mail.id)))
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str(IDEMPOTENCY_HEADER), mail.id.to_string()));
        if let Some(url) = &mail.unsubscribe_url {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
            .map_err(|e| format!("building the message: {e}"))
    }
}

/// Checks the mail settings at start-up, so a mistyped `SMTP_URL` or `MAIL_FROM`
/// stops the server instead of failing every email later.
pub fn check_settings(mail: &MailSettings) -> anyhow::Result<()> {
    if let Some(url) = &mail.smtp_url {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(|e| anyhow::anyhow!("SMTP_URL is invalid: {e}"))?;
    }
    mail.from.parse::<Mailbox>().map_err(|e| anyhow::anyhow!("MAIL_FROM is not an address: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_settings;
    use crate::config::{DeliverySettings, MailSettings, DEFAULT_MAIL_FROM};
    use secrecy::SecretString;

    fn mail(smtp_url: Option<&str>, from: &str) -> MailSettings {
        MailSettings {
            smtp_url: smtp_url.map(|u| SecretString::from(u.to_string())),
            from: from.into(),
            deliver: smtp_url.is_some(),
            delivery: DeliverySettings::default(),
        }
    }

    #[test]
    fn a_mistyped_smtp_url_or_sender_stops_the_start() {
        assert!(check_settings(&mail(Some("smtp://127.0.0.1:2525"), DEFAULT_MAIL_FROM)).is_ok());
        assert!(check_settings(&mail(None, DEFAULT_MAIL_FROM)).is_ok());
        let bad_url = check_settings(&mail(Some("smtpx://nowhere"), DEFAULT_MAIL_FROM)).unwrap_err();
        assert!(bad_url.to_string().contains("SMTP_URL"), "{bad_url}");
        let bad_from = check_settings(&mail(None, "not an address")).unwrap_err();
        assert!(bad_from.to_string().contains("MAIL_FROM"), "{bad_from}");
    }
}
