//! Building blocks shared by the pages.

mod announce;
mod dialog;
mod flash;
mod form;
mod icons;
mod reveal;
mod shell;
mod states;

pub use announce::{announce, provide_announcer, Announcements};
pub use dialog::{provide_confirmer, use_confirm, ConfirmDialog, Confirmation, Modal};
#[cfg(feature = "ssr")]
pub use flash::take_flash;
pub use flash::{Flash, FlashNotice, FLASH_COOKIE};
pub use form::{field_error, on_action_ok, textarea_text, Banner, Field, SelectField, SubmitButton, TextAreaField};
pub use icons::Icon;
pub use reveal::{revealed_by_query, RevealButton, REVEAL_KEYS};
pub use shell::{use_user, AppShell, RequireRole};
pub use states::{EmptyState, ErrorPage, Forbidden, NotFound, Reloading};

/// Sets the HTTP status of the server-rendered page (no-op in the browser).
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Awaited in the shell's `Suspend` after the session and before it builds the layout
/// with its page, whose components create resources of their own. On the server,
/// Leptos polls a Suspense's children once or twice before the real render, to find
/// the resources they read (`now_or_never`, with a no-op waker), and drops what those
/// polls build: when the session was already there, each poll built the page again, and
/// every copy ran its queries and put its data into the HTML (two or three times in a
/// third of renders). Polled that way this stays pending; the real render, which
/// polls with a waker of its own, passes at once. Nothing to do in the browser.
pub async fn build_after_discovery() {
    #[cfg(feature = "ssr")]
    std::future::poll_fn(|cx| {
        if cx.waker().will_wake(futures_task::noop_waker_ref()) {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
}

/// Focuses the element `id` when the focus has fallen back to the page itself (the
/// element it was on was drawn anew); never takes it from anywhere else.
pub fn focus_if_lost(id: &str) {
    // Checked after the changes of this turn have been drawn (effects run after it).
    #[cfg(feature = "hydrate")]
    {
        let id = id.to_string();
        leptos::prelude::set_timeout(
            move || {
                let lost = leptos::prelude::document().active_element().is_none_or(|e| e.tag_name() == "BODY");
                if lost {
                    focus_by_id(&id);
                }
            },
            std::time::Duration::ZERO,
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Moves the focus to the element `id`.
pub fn focus_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(element) =
            leptos::prelude::document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Loads `path` as a new document, so the next page is rendered with fresh cookies.
pub fn hard_navigate(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
