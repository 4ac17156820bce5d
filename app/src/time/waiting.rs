//! The customer's count of submitted entries waiting for their decision, shown as a
//! badge on the Approvals tab. Fetched in the browser only (the badge is not part of
//! the server-rendered page), again on every page change and after each decision.

use super::api::load_hours_waiting;
use super::HoursWaiting;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[derive(Clone, Copy)]
pub struct WaitingBadge {
    waiting: LocalResource<Result<HoursWaiting, crate::error::AppError>>,
    decided: RwSignal<u32>,
}

impl WaitingBadge {
    /// Entries waiting, once known; none while loading or on an error.
    pub fn entries(&self) -> Option<i64> {
        self.waiting.get().and_then(Result::ok).map(|w| w.entries).filter(|n| *n > 0)
    }
}

/// Provided by the shell for customers.
pub fn provide_waiting_badge() -> WaitingBadge {
    let location = use_location();
    let decided = RwSignal::new(0u32);
    let waiting = LocalResource::new(move || {
        location.pathname.track();
        decided.track();
        load_hours_waiting()
    });
    let badge = WaitingBadge { waiting, decided };
    provide_context(badge);
    badge
}

/// Called after a decision, so the badge follows at once.
pub fn waiting_changed() {
    if let Some(badge) = use_context::<WaitingBadge>() {
        badge.decided.update(|n| *n += 1);
    }
}
