//! `/app/outbox` (admins): the company's outgoing email — waiting, sent, and given
//! up after every retry, with the last error and a button to try again.

use super::api::{list_outbox, RetryOutbox};
use crate::components::{on_action_ok, Banner};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

const FILTERS: [(&str, &str); 4] = [("ALL", "All"), ("PENDING", "Waiting"), ("DEAD", "Given up"), ("SENT", "Sent")];

#[component]
pub fn OutboxPage() -> impl IntoView {
    let status = RwSignal::new("ALL".to_string());
    let page = Resource::new(move || status.get(), list_outbox);
    let failure = RwSignal::new(None::<AppError>);
    let retry = ServerAction::<RetryOutbox>::new();
    let notice = RwSignal::new(None::<String>);
    on_action_ok(retry.value(), failure, move |()| {
        notice.set(Some("Queued again: it goes out within moments.".into()));
        page.refetch();
    });
    view! {
        <Title text="Email delivery" />
        <div class="page-head">
            <div>
                <h1>"Email delivery"</h1>
                <p class="muted">"Every email Fieldbook sends for your company. Failed sends are retried with growing pauses; after the last attempt a message is given up and can be retried here."</p>
            </div>
        </div>
        <Banner failure />
        <div role="status" aria-live="polite">
            {move || notice.get().map(|text| view! { <div class="banner banner-success">{text}</div> })}
        </div>
        <div class="toolbar">
            <div class="segmented" role="group" aria-label="Show">
                {FILTERS.into_iter().map(|(key, label)| view! {
                    <button class:active=move || status.get() == key aria-pressed=move || (status.get() == key).to_string()
                        on:click=move |_| status.set(key.to_string())>{label}</button>
                }).collect_view()}
            </div>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <p class="muted" data-testid="outbox-counts">
                            {format!("{} waiting · {} given up · {} sent", page.pending, page.dead, page.sent)}
                        </p>
                        {page.entries.is_empty().then(|| view! { <p class="muted empty-inline">"No emails here."</p> })}
                        <ul class="outbox-list" data-testid="outbox-list" data-ready="true">
                            {page.entries.into_iter().map(|m| {
                                let id = m.id;
                                let dead = m.status == "DEAD";
                                let badge = match m.status.as_str() { "SENT" => "Sent", "DEAD" => "Given up", _ => "Waiting" };
                                view! {
                                    <li class="outbox-row" data-status=m.status.clone()>
                                        <div class="outbox-main">
                                            <strong>{m.subject.clone()}</strong>
                                            <span class="muted">{format!("To {} · {} · {}", m.to, m.kind, m.created_at.format("%Y-%m-%d %H:%M UTC"))}</span>
                                            {m.last_error.clone().map(|e| view! { <span class="outbox-error">{format!("Last error (attempt {}): {e}", m.attempts)}</span> })}
                                        </div>
                                        <span class=format!("status-pill outbox-{}", m.status.to_lowercase())>{badge}</span>
                                        {dead.then(|| view! {
                                            <button class="btn btn-small" on:click=move |_| { retry.dispatch(RetryOutbox { id }); }
                                                disabled=move || retry.pending().get()>"Retry"</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}
