//! Email templates: one layout, rendered as plain text and as HTML (every value
//! escaped), with the company's name, a link into the app, and for non-essential
//! mail the reason it was sent and an unsubscribe link.

use app::escape_html as escape;

/// The content of one email, independent of its two renderings.
#[derive(Debug, Clone)]
pub struct EmailContent {
    pub subject: String,
    pub company: String,
    /// "Hello Carla,"
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// A short list under the paragraphs (entries submitted, …).
    pub items: Vec<String>,
    /// The button: label and absolute URL.
    pub action: Option<(String, String)>,
    /// Why the recipient gets this email.
    pub reason: String,
    /// Set for non-essential mail.
    pub unsubscribe_url: Option<String>,
}

impl EmailContent {
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for paragraph in &self.paragraphs {
            out.push_str(paragraph);
            out.push_str("\n\n");
        }
        for item in &self.items {
            out.push_str(&format!("  - {item}\n"));
        }
        if !self.items.is_empty() {
            out.push('\n');
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!("{label}: {url}\n\n"));
        }
        out.push_str(&format!("-- \n{} on Fieldbook\n{}\n", self.company, self.reason));
        if let Some(url) = &self.unsubscribe_url {
            out.push_str(&format!("Unsubscribe from these emails: {url}\n"));
        }
        out
    }

    pub fn html(&self) -> String {
        let mut body = format!("<p>{}</p>", escape(&self.greeting));
        for paragraph in &self.paragraphs {
            body.push_str(&format!("<p>{}</p>", escape(paragraph)));
        }
        if !self.items.is_empty() {
            body.push_str("<ul>");
            for item in &self.items {
                body.push_str(&format!("<li>{}</li>", escape(item)));
            }
            body.push_str("</ul>");
        }
        if let Some((label, url)) = &self.action {
            body.push_str(&format!(
                r#"<p style="margin:24px 0"><a href="{url}" style="background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600;display:inline-block">{label}</a></p><p style="font-size:13px;color:#555">Or open this address: <a href="{url}">{url}</a></p>"#,
                url = escape(url),
                label = escape(label)
            ));
        }
        let mut footer = format!("{} on Fieldbook<br>{}", escape(&self.company), escape(&self.reason));
        if let Some(url) = &self.unsubscribe_url {
            footer.push_str(&format!(
                r#"<br><a href="{}" style="color:#555">Unsubscribe from these emails</a>"#,
                escape(url)
            ));
        }
        format!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{title}</title></head><body style="margin:0;background:#f4f5f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2933"><div style="max-width:560px;margin:0 auto;padding:24px"><p style="font-weight:700;font-size:18px;margin:0 0 16px">{company}</p><div style="background:#ffffff;border-radius:8px;padding:24px;line-height:1.5">{body}</div><p style="font-size:12px;color:#6b7280;margin-top:16px;line-height:1.5">{footer}</p></div></body></html>"#,
            title = escape(&self.subject),
            company = escape(&self.company),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EmailContent {
        EmailContent {
            subject: "Time waiting".into(),
            company: "Northwind <Services>".into(),
            greeting: "Hello Carla,".into(),
            paragraphs: vec!["Walter submitted 2 entries.".into()],
            items: vec!["Mon 3 Nov: 1:30 on \"Boiler\"".into()],
            action: Some(("Review".into(), "https://app.example/app/approvals?x=1&y=2".into())),
            reason: "You approve time for Harbour Café.".into(),
            unsubscribe_url: Some("https://app.example/unsubscribe?token=abc".into()),
        }
    }

    #[test]
    fn text_has_every_part_and_the_links() {
        let text = sample().text();
        for part in [
            "Hello Carla,",
            "Walter submitted",
            "  - Mon 3 Nov",
            "Review: https://app.example/app/approvals?x=1&y=2",
            "Northwind <Services> on Fieldbook",
            "Unsubscribe from these emails: https://app.example/unsubscribe?token=abc",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
    }

    #[test]
    fn html_escapes_values() {
        let html = sample().html();
        assert!(html.contains("Northwind &lt;Services&gt;"));
        assert!(html.contains("&quot;Boiler&quot;"));
        assert!(html.contains(r#"href="https://app.example/app/approvals?x=1&amp;y=2""#));
        assert!(!html.contains("<Services>"));
    }

    #[test]
    fn essential_mail_has_no_unsubscribe_link() {
        let mut content = sample();
        content.unsubscribe_url = None;
        assert!(!content.text().contains("Unsubscribe"));
        assert!(!content.html().contains("Unsubscribe"));
    }
}
