//! The customer's count of submitted entries waiting for their decision, shown as a
//! badge on the Approvals tab. Fetched in the browser only (the badge is not part of
//! the server-rendered page), again on every page change and after each decision.

use super::api::load_hours_waiting;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[derive(Clone, Copy)]
pub struct WaitingBadge {
    entries: RwSignal<Option<i64>>,
    decided: RwSignal<u32>,
}

impl WaitingBadge {
    /// Entries waiting, once known; none while loading or on an error.
    pub fn entries(&self) -> Option<i64> {
        self.entries.get().filter(|n| *n > 0)
    }
}

/// Provided by the shell for customers.
pub fn provide_waiting_badge() -> WaitingBadge {
    let location = use_location();
    let decided = RwSignal::new(0u32);
    // Fetched by a plain task, not a resource: the shell's navigation reads a signal, so the
    // fetch never counts as pending for the shell's `Suspense` — which swapped the whole
    // server-rendered page for "Loading…" at hydration and drew it again.
    let entries = RwSignal::new(None);
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        location.pathname.track();
        decided.track();
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        leptos::task::spawn_local(async move {
            let waiting = load_hours_waiting().await;
            // Only the latest question's answer counts.
            if asked.try_get_value() == Some(this) {
                entries.try_set(waiting.ok().map(|w| w.entries));
            }
        });
    });
    let badge = WaitingBadge { entries, decided };
    provide_context(badge);
    badge
}

/// Called after a decision, so the badge follows at once.
pub fn waiting_changed() {
    if let Some(badge) = use_context::<WaitingBadge>() {
        badge.decided.update(|n| *n += 1);
    }
}
