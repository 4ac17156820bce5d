//! Building blocks shared by the pages.

mod form;
mod icons;
mod shell;
mod states;

pub use form::{field_error, on_action_ok, Banner, Field, SelectField, SubmitButton, TextAreaField};
pub use icons::Icon;
pub use shell::{use_user, AppShell, RequireRole};
pub use states::{EmptyState, ErrorPage, Forbidden, NotFound};

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

/// Loads `path` as a new document, so the next page is rendered with fresh cookies.
pub fn hard_navigate(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
