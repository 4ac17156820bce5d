//! What a form posted without JavaScript did, shown on the page it returns to.
//!
//! The server answers such a post (`server/src/http/form_actions.rs`) with a redirect
//! back and a short-lived cookie carrying the outcome; the next page the server renders
//! shows it once and clears it. A cookie rather than the URL: text in a query string
//! could be put there by anyone's link, a cookie only by this site.

use leptos::prelude::*;

/// The cookie's base name (`__Host-` prefixed when cookies are Secure).
pub const FLASH_COOKIE: &str = "fb_flash";

/// A message for the next page: `ok` says what was done, `error` why nothing was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    pub ok: bool,
    pub text: String,
}

impl Flash {
    /// The cookie value: the kind, a dot, the text's UTF-8 bytes in hex (cookie-safe).
    pub fn encode(&self) -> String {
        let text: String = self.text.chars().take(400).collect();
        let hex: String = text.bytes().map(|b| format!("{b:02x}")).collect();
        format!("{}.{hex}", if self.ok { "ok" } else { "error" })
    }

    pub fn decode(value: &str) -> Option<Self> {
        let (kind, hex) = value.split_once('.')?;
        let ok = match kind {
            "ok" => true,
            "error" => false,
            _ => return None,
        };
        if hex.len() % 2 != 0 || hex.len() > 1600 {
            return None;
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let text = String::from_utf8(bytes).ok()?;
        (!text.trim().is_empty()).then_some(Self { ok, text })
    }
}

/// The flash the request carries, if any; the response clears it, so it shows once.
#[cfg(feature = "ssr")]
pub fn take_flash() -> Option<Flash> {
    let parts = use_context::<http::request::Parts>()?;
    let cookies: Vec<(String, String)> = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    let secure_name = format!("__Host-{FLASH_COOKIE}");
    let (name, value) = cookies.into_iter().find(|(name, _)| *name == secure_name || name == FLASH_COOKIE)?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let secure = if name.starts_with("__Host-") { "; Secure" } else { "" };
        if let Ok(clear) =
            http::HeaderValue::from_str(&format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"))
        {
            response.append_header(http::header::SET_COOKIE, clear);
        }
    }
    Flash::decode(&value)
}

/// The flash as a notice in the page's dock (outside the app's root, like the other
/// notices there, so it never takes part in hydration).
#[component]
pub fn FlashNotice(flash: Flash) -> impl IntoView {
    // A success note fades after a while (style: `.flash-done`); a refusal stays.
    let (class, role) = if flash.ok { ("pwa-note flash-done", "status") } else { ("pwa-note pwa-failed", "alert") };
    view! { <div class=class role=role data-testid="flash">{flash.text}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_survives_its_cookie_and_refuses_anything_else() {
        let flash = Flash { ok: false, text: "Enter a title. «Ünïcode» <b>&".into() };
        assert_eq!(Flash::decode(&flash.encode()), Some(flash.clone()));
        assert!(flash.encode().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'));
        assert_eq!(Flash::decode("ok.zz"), None);
        assert_eq!(Flash::decode("warn.6869"), None);
        assert_eq!(Flash::decode("ok.686"), None);
        assert_eq!(Flash::decode("ok."), None);
    }
}
