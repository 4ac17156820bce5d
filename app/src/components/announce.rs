//! One polite live region for the signed-in pages: an action that succeeds without
//! a visible message of its own (a row that disappears, a list that reorders, a
//! badge that changes) says so here, and screen readers read it out.
//!
//! The region is always in the page (rendered by the shell), so a new text is a change
//! a screen reader announces; a region that appears with its text is not announced
//! reliably.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Announcer(RwSignal<String>);

/// Provided by the shell for everything inside it.
pub fn provide_announcer() -> Announcer {
    let announcer = Announcer(RwSignal::new(String::new()));
    provide_context(announcer);
    announcer
}

/// Says `text` through the page's live region (nothing outside the signed-in shell).
pub fn announce(text: impl Into<String>) {
    if let Some(Announcer(said)) = use_context::<Announcer>() {
        said.set(text.into());
    }
}

/// The region itself: visually hidden, read out politely.
#[component]
pub fn Announcements(announcer: Announcer) -> impl IntoView {
    view! { <p class="sr-only" role="status" aria-live="polite" data-testid="announcement">{move || announcer.0.get()}</p> }
}
