//! A button that shows or hides a part of the page holding a form (a new customer, an
//! edit form). In the app it toggles in place; without JavaScript it is a link that
//! loads the page with that part shown (`?<key>=1`), so the form is reachable and —
//! posted as a plain form — still works.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query keys that open a part of a page (`?new=1` and so on). After a form posted
/// without JavaScript succeeds, the server drops them so the page shows the result.
pub const REVEAL_KEYS: [&str; 3] = ["new", "edit", "add"];

/// Whether the part is shown when the page loads: when its key is in the query.
pub fn revealed_by_query(key: &'static str) -> RwSignal<bool> {
    let query = use_query_map();
    RwSignal::new(query.with_untracked(|q| q.get(key).is_some()))
}

#[component]
pub fn RevealButton(
    open: RwSignal<bool>,
    /// The query key that shows the part on a page load: one of [`REVEAL_KEYS`].
    key: &'static str,
    show_label: &'static str,
    hide_label: &'static str,
    #[prop(default = "btn")] class: &'static str,
) -> impl IntoView {
    debug_assert!(REVEAL_KEYS.contains(&key), "add {key} to REVEAL_KEYS");
    let toggle = move || open.update(|o| *o = !*o);
    view! {
        <a href=format!("?{key}=1") role="button" class=class aria-expanded=move || open.get().to_string()
            on:click=move |ev| {
                ev.prevent_default();
                toggle();
            }
            // A button answers Space as well as Enter.
            on:keydown=move |ev| {
                if ev.key() == " " {
                    ev.prevent_default();
                    toggle();
                }
            }>
            {move || if open.get() { hide_label } else { show_label }}
        </a>
    }
}
