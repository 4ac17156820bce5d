//! The webhooks part of `/app/api`: endpoints, their secrets (shown once), and each
//! endpoint's delivery log with "Send test event" and "Redeliver".

use super::api::{
    list_webhooks, CreateWebhook, DeleteWebhook, RedeliverWebhook, RotateWebhookSecret, SendTestWebhook,
    SetWebhookEnabled,
};
use super::{WebhookDelivery, WebhookEndpoint, WebhookForm, WebhookSecret, WEBHOOK_EVENTS};
use crate::components::{field_error, use_confirm, Banner, Confirmation, Field, SubmitButton};
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn WebhooksSection() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let endpoints = Resource::new(move || version.get(), |_| list_webhooks());
    let show_form = RwSignal::new(false);
    let secret = RwSignal::new(None::<WebhookSecret>);
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    // Outside the list, which is drawn anew after each change: a notice survives it.
    let notice = RwSignal::new(None::<String>);
    let notify = Callback::new(move |text: String| notice.set(Some(text)));
    let on_secret = Callback::new(move |made: WebhookSecret| {
        secret.set(Some(made));
        show_form.set(false);
        version.update(|v| *v += 1);
    });
    view! {
        <section class="card panel-after" aria-labelledby="webhooks-title">
            <div class="card-head">
                <h2 id="webhooks-title" class="card-title">"Webhooks"</h2>
                <div class="row-actions">
                    <button type="button" class="btn btn-small" on:click=move |_| version.update(|v| *v += 1)>"Refresh"</button>
                    <button type="button" class="btn btn-primary btn-small" aria-expanded=move || show_form.get().to_string()
                        on:click=move |_| show_form.update(|open| *open = !*open)>
                        {move || if show_form.get() { "Close" } else { "Add endpoint" }}
                    </button>
                </div>
            </div>
            <p class="muted small">
                "Fieldbook sends each event you choose to your address as a signed JSON POST, retrying with growing pauses for about a day when your server does not answer 2xx."
            </p>
            <Show when=move || show_form.get()>
                <NewEndpointForm on_created=on_secret />
            </Show>
            {move || secret.get().map(|made| view! { <SigningSecret made on_done=Callback::new(move |()| secret.set(None)) /> })}
            <p role="status" class="small" data-testid="webhook-notice">{move || notice.get()}</p>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match endpoints.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted" data-testid="no-webhooks">"No endpoints yet."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="key-list" data-testid="webhook-list">
                                {list.into_iter().map(|endpoint| view! { <EndpointRow endpoint changed on_secret notify /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <div class="banner banner-error" role="alert">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NewEndpointForm(on_created: Callback<WebhookSecret>) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen: Vec<(&'static str, &'static str, RwSignal<bool>)> =
        WEBHOOK_EVENTS.iter().map(|(name, label)| (*name, *label, RwSignal::new(false))).collect();
    let failure = RwSignal::new(None::<AppError>);
    let action = ServerAction::<CreateWebhook>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(made)) => {
            failure.set(None);
            on_created.run(made);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let picked = chosen.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let events =
            picked.iter().filter(|(_, _, on)| on.get_untracked()).map(|(name, _, _)| name.to_string()).collect();
        action.dispatch(CreateWebhook {
            form: WebhookForm { url: url.get_untracked(), description: description.get_untracked(), events },
        });
    };
    let events_error = field_error(failure, "events");
    view! {
        // Without JavaScript the post comes back to this page unread (SECURITY.md, known gaps).
        <form method="post" action="/app/api" class="form webhook-form" on:submit=on_submit novalidate>
            <Banner failure />
            <Field label="Endpoint address" name="url" kind="url" value=url error=field_error(failure, "url")
                placeholder="https://example.com/fieldbook" hint="HTTPS, reachable from the internet." />
            <Field label="Description (optional)" name="description" value=description
                error=field_error(failure, "description") maxlength=200 placeholder="Slack: jobs done" />
            <fieldset class="field scope-grid" aria-invalid=move || events_error.get().is_some().to_string()>
                <legend>"Events"</legend>
                {chosen.into_iter().map(|(name, label, on)| {
                    let id = format!("event-{}", name.replace('.', "-"));
                    let label_for = id.clone();
                    view! {
                        <label class="check-row" for=label_for>
                            <input type="checkbox" id=id name="events" value=name
                                prop:checked=move || on.get() on:change=move |ev| on.set(event_target_checked(&ev)) />
                            <span>{label}<code class="event-name">{name}</code></span>
                        </label>
                    }
                }).collect_view()}
                {move || events_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
            </fieldset>
            <div class="form-actions"><SubmitButton label="Add endpoint" busy_label="Adding…" pending=action.pending() /></div>
        </form>
    }
}

#[component]
fn SigningSecret(made: WebhookSecret, on_done: Callback<()>) -> impl IntoView {
    view! {
        <div class="secret-once card" role="status" data-testid="webhook-secret">
            <h3>{format!("Signing secret for {}", made.endpoint.url)}</h3>
            <p>"Your server checks each request's signature with this secret (see the API docs). Copy it now: it is not shown again."</p>
            <div class="share-new">
                <input readonly aria-label="Signing secret" data-testid="webhook-secret-value" prop:value=made.secret.clone() />
            </div>
            <button type="button" class="btn" on:click=move |_| on_done.run(())>"I have copied it"</button>
        </div>
    }
}

#[component]
fn EndpointRow(
    endpoint: WebhookEndpoint,
    changed: Callback<()>,
    on_secret: Callback<WebhookSecret>,
    notify: Callback<String>,
) -> impl IntoView {
    let confirm = use_confirm();
    let failure = RwSignal::new(None::<AppError>);
    let test = ServerAction::<SendTestWebhook>::new();
    let toggle = ServerAction::<SetWebhookEnabled>::new();
    let rotate = ServerAction::<RotateWebhookSecret>::new();
    let delete = ServerAction::<DeleteWebhook>::new();
    let short_url = endpoint.url.clone();
    Effect::new(move |_| match test.value().get() {
        Some(Ok(_)) => {
            notify.run(format!("Test event queued for {short_url}: it appears in the log within seconds (Refresh)."));
            changed.run(());
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match toggle.value().get() {
        Some(Ok(endpoint)) => {
            let state = if endpoint.enabled { "enabled" } else { "disabled" };
            notify.run(format!("{} is {state}.", endpoint.url));
            changed.run(());
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match rotate.value().get() {
        Some(Ok(made)) => on_secret.run(made),
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let deleted_url = endpoint.url.clone();
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            notify.run(format!("{deleted_url} was deleted."));
            changed.run(());
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let id = endpoint.id;
    let enabled = endpoint.enabled;
    let url = endpoint.url.clone();
    let url_for_delete = endpoint.url.clone();
    let state = if enabled { "Active".to_string() } else { "Disabled".to_string() };
    view! {
        <li class="key-row" data-testid="webhook-row">
            <div class="key-head">
                <strong class="webhook-url">{endpoint.url.clone()}</strong>
                <span class="role-badge" class:muted-badge=!enabled>{state}</span>
                {endpoint.rotating.then(|| view! { <span class="chip">"Old secret still signs"</span> })}
            </div>
            {(!endpoint.description.is_empty()).then(|| view! { <p class="muted small">{endpoint.description.clone()}</p> })}
            {endpoint.disabled_reason.clone().map(|reason| view! { <p class="banner banner-error small">{reason}</p> })}
            <ul class="chip-list" aria-label="Events">
                {endpoint.events.iter().map(|e| view! { <li class="chip">{e.clone()}</li> }).collect_view()}
            </ul>
            <Banner failure />
            <div class="row-actions">
                <button type="button" class="btn btn-small" disabled=move || test.pending().get()
                    on:click=move |_| { test.dispatch(SendTestWebhook { id }); }>
                    {move || if test.pending().get() { "Sending…" } else { "Send test event" }}
                </button>
                <button type="button" class="btn btn-small" disabled=move || toggle.pending().get()
                    on:click=move |_| { toggle.dispatch(SetWebhookEnabled { id, enabled: !enabled }); }>
                    {if enabled { "Disable" } else { "Enable" }}
                </button>
                <button type="button" class="btn btn-small" disabled=move || rotate.pending().get()
                    on:click=move |_| confirm.ask(Confirmation::new(
                        "Rotate the signing secret?",
                        "You get a new secret now. The old one keeps signing alongside it for 24 hours, so you can update your server without missing events.",
                        "Rotate",
                        move || { rotate.dispatch(RotateWebhookSecret { id }); },
                    ))>
                    "Rotate secret…"
                </button>
                <button type="button" class="btn btn-danger-ghost btn-small" disabled=move || delete.pending().get()
                    on:click=move |_| confirm.ask(Confirmation::new(
                        format!("Delete the endpoint {url_for_delete}?"),
                        "No more events go there, and its delivery log is deleted.",
                        "Delete",
                        move || { delete.dispatch(DeleteWebhook { id }); },
                    ))>
                    "Delete…"
                </button>
            </div>
            <DeliveryLog endpoint_id=id deliveries=endpoint.deliveries changed notify url />
        </li>
    }
}

#[component]
fn DeliveryLog(
    endpoint_id: uuid::Uuid,
    deliveries: Vec<WebhookDelivery>,
    changed: Callback<()>,
    notify: Callback<String>,
    url: String,
) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="muted small">"Nothing sent yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="delivery-log" aria-label=format!("Deliveries to {url}")>
                <thead><tr><th>"Event"</th><th>"Result"</th><th>"Time"</th><th>"Tries"</th><th>"When"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    {deliveries.into_iter().map(|d| view! { <DeliveryRow endpoint_id delivery=d changed notify /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn DeliveryRow(
    endpoint_id: uuid::Uuid,
    delivery: WebhookDelivery,
    changed: Callback<()>,
    notify: Callback<String>,
) -> impl IntoView {
    let redeliver = ServerAction::<RedeliverWebhook>::new();
    let event_type = delivery.event_type.clone();
    Effect::new(move |_| match redeliver.value().get() {
        Some(Ok(_)) => {
            notify.run(format!("The {event_type} event is queued to be sent again."));
            changed.run(());
        }
        Some(Err(error)) => notify.run(error.to_string()),
        None => {}
    });
    let result = match (delivery.status.as_str(), delivery.response_status) {
        ("SUCCEEDED", Some(code)) => format!("{code} delivered"),
        ("PENDING", None) if delivery.attempts == 0 => "Queued".to_string(),
        ("PENDING", code) => {
            format!("{} — retrying", code.map(|c| c.to_string()).unwrap_or_else(|| "No answer".into()))
        }
        (_, code) => format!("{} — gave up", code.map(|c| c.to_string()).unwrap_or_else(|| "No answer".into())),
    };
    let detail = delivery.response_excerpt.clone().or(delivery.last_error.clone()).unwrap_or_default();
    let delivery_id = delivery.id;
    view! {
        <tr data-testid="delivery-row" data-status=delivery.status.clone()>
            <td><code>{delivery.event_type.clone()}</code></td>
            <td>
                <span class:ok-text=delivery.status == "SUCCEEDED" class:error-text=delivery.status == "FAILED">{result}</span>
                {(!detail.is_empty()).then(|| view! { <details><summary class="small">"Response"</summary><pre class="excerpt">{detail}</pre></details> })}
            </td>
            <td>{delivery.latency_ms.map(|ms| format!("{ms} ms"))}</td>
            <td>{delivery.attempts}</td>
            <td class="small">{delivery.at_label.clone()}{delivery.next_attempt_label.clone().map(|n| format!(" · next try {n}"))}</td>
            <td>
                <button type="button" class="btn btn-small" disabled=move || redeliver.pending().get()
                    on:click=move |_| { redeliver.dispatch(RedeliverWebhook { id: endpoint_id, delivery_id }); }>
                    {move || if redeliver.pending().get() { "Queuing…" } else { "Redeliver" }}
                </button>
            </td>
        </tr>
    }
}
