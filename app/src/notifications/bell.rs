//! The bell in the top bar (unread count), the live stream that keeps it current,
//! and a toast for each notification that arrives while the page is open.

use super::api::unread_notifications;
use super::Notification;
use crate::components::Icon;
use leptos::prelude::*;
use leptos_router::components::A;

/// Shell-wide notification state, provided to every page under `/app`.
#[derive(Clone, Copy)]
pub struct LiveNotifications {
    pub unread: RwSignal<i64>,
    /// The latest notification that arrived live (shown as a toast).
    pub latest: RwSignal<Option<Notification>>,
    /// Bumped on every arrival or re-sync; lists re-read when it changes.
    pub changes: RwSignal<u32>,
    /// Whether the live stream is connected.
    pub connected: RwSignal<bool>,
}

impl LiveNotifications {
    /// Re-reads the unread count from the server.
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            if let Ok(count) = unread_notifications().await {
                if self.unread.get_untracked() != count {
                    self.unread.set(count);
                }
            }
        });
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn arrived(self, notification: Notification) {
        if !notification.read {
            self.unread.update(|n| *n += 1);
        }
        self.latest.set(Some(notification));
        self.changes.update(|n| *n += 1);
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn resync(self) {
        self.refresh();
        self.changes.update(|n| *n += 1);
    }
}

pub fn provide_live_notifications() -> LiveNotifications {
    let live = LiveNotifications {
        unread: RwSignal::new(0),
        latest: RwSignal::new(None),
        changes: RwSignal::new(0),
        connected: RwSignal::new(false),
    };
    provide_context(live);
    live
}

pub fn use_live_notifications() -> Option<LiveNotifications> {
    use_context::<LiveNotifications>()
}

/// The bell: links to the notification centre, shows the unread count, and (in
/// the browser) opens the live stream.
#[component]
pub fn NotificationBell(live: LiveNotifications) -> impl IntoView {
    // A page sent without the WASM (no effects, no stream) shows the count the server
    // knows when it draws the page.
    if use_context::<crate::routes::SentWithoutWasm>().is_some() {
        let unread = Resource::new(|| (), |_| unread_notifications());
        return view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let n = unread.await.unwrap_or(0);
                    view! {
                        <A href="/app/notifications" attr:class="bell" attr:aria-label=bell_label(n)
                            attr:data-testid="notification-bell" attr:data-live="offline">
                            <Icon name="bell" />
                            {unread_badge(n)}
                        </A>
                    }
                })}
            </Suspense>
        }
        .into_any();
    }
    // Effects run only in the browser.
    Effect::new(move |_| {
        live.refresh();
        #[cfg(feature = "hydrate")]
        stream::connect(live, None);
    });
    view! {
        <A href="/app/notifications" attr:class="bell" attr:aria-label=move || bell_label(live.unread.get())
            attr:data-testid="notification-bell"
            attr:data-live=move || if live.connected.get() { "connected" } else { "offline" }>
            <Icon name="bell" />
            {move || unread_badge(live.unread.get())}
        </A>
    }
    .into_any()
}

fn bell_label(unread: i64) -> String {
    match unread {
        0 => "Notifications, none unread".to_string(),
        1 => "Notifications, 1 unread".to_string(),
        n => format!("Notifications, {n} unread"),
    }
}

fn unread_badge(unread: i64) -> Option<impl IntoView> {
    (unread > 0).then(|| {
        let count = if unread > 99 { "99+".to_string() } else { unread.to_string() };
        view! { <span class="bell-count" data-testid="unread-count">{count}</span> }
    })
}

/// A short-lived card for the newest live notification.
#[component]
pub fn NotificationToast(live: LiveNotifications) -> impl IntoView {
    Effect::new(move |_| {
        if live.latest.get().is_some() {
            let shown = live.changes.get_untracked();
            set_timeout(
                move || {
                    if live.changes.get_untracked() == shown {
                        live.latest.set(None);
                    }
                },
                std::time::Duration::from_secs(8),
            );
        }
    });
    move || {
        live.latest.get().map(|n| {
            view! {
                <div class="toast" role="status" aria-live="polite" data-testid="notification-toast">
                    <A href=n.link.clone() attr:class="toast-body">
                        <strong>{n.title.clone()}</strong>
                        <span>{n.body.clone()}</span>
                    </A>
                    <button class="btn btn-ghost btn-small" aria-label="Dismiss" on:click=move |_| live.latest.set(None)>"×"</button>
                </div>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
mod stream {
    use super::LiveNotifications;
    use crate::notifications::Notification;
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    /// Opens `/events/notifications`. The browser reconnects by itself after a
    /// network drop (sending Last-Event-ID, so the server replays what was missed);
    /// if the stream is closed for good (e.g. signed out, server restarted with an
    /// error answer), this reopens it after a pause, asking for what came after the
    /// last notification seen.
    pub fn connect(live: LiveNotifications, after: Option<i64>) {
        let url = match after {
            Some(id) => format!("/events/notifications?after={id}"),
            None => "/events/notifications".to_string(),
        };
        let Ok(source) = EventSource::new(&url) else { return };
        let last_seen = Rc::new(Cell::new(after));

        let seen = last_seen.clone();
        let on_notification = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(data) = event.data().as_string() else { return };
            if let Ok(notification) = serde_json::from_str::<Notification>(&data) {
                seen.set(Some(notification.id));
                live.arrived(notification);
            }
        });
        let on_ready = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            live.connected.set(true);
            // Anything read or missed while away shows in the count.
            live.refresh();
        });
        let on_resync = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| live.resync());
        let watched = source.clone();
        let seen = last_seen.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            live.connected.set(false);
            if watched.ready_state() == EventSource::CLOSED {
                let after = seen.get();
                set_timeout(move || connect(live, after), std::time::Duration::from_secs(5));
            }
        });
        let _ = source.add_event_listener_with_callback("notification", on_notification.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("resync", on_resync.as_ref().unchecked_ref());
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The stream lives as long as the page: its handlers must too.
        on_notification.forget();
        on_ready.forget();
        on_resync.forget();
        on_error.forget();
    }
}
