//! `/app/api` ("API & webhooks"): the company's API keys. A new key's secret is shown
//! once, here, right after it is made.

use super::api::{list_api_keys, CreateApiKey, RevokeApiKey};
use super::{ApiAccess, ApiArea, ApiKeyForm, ApiKeySummary, ApiScope, NewApiKey};
use crate::components::{
    field_error, revealed_by_query, use_confirm, Banner, Confirmation, Field, RevealButton, SubmitButton,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let keys = Resource::new(move || version.get(), |_| list_api_keys());
    let show_form = revealed_by_query("new");
    let created = RwSignal::new(None::<NewApiKey>);
    view! {
        <Title text="API & webhooks" />
        <div class="page-head">
            <div>
                <h1>"API & webhooks"</h1>
                <p class="muted">"Connect your other tools: they call the Fieldbook API with a key you make here."</p>
            </div>
            <div class="row-actions">
                <a class="btn" href="/api/docs">"API reference"</a>
                <RevealButton open=show_form key="new" show_label="New key" hide_label="Close" class="btn btn-primary" />
            </div>
        </div>
        <Show when=move || show_form.get()>
            <NewKeyForm
                default_limit=Signal::derive(move || keys.get().and_then(|k| k.ok()).map(|k| k.default_requests_per_minute))
                on_created=Callback::new(move |key: NewApiKey| {
                    created.set(Some(key));
                    show_form.set(false);
                    version.update(|v| *v += 1);
                })
            />
        </Show>
        {move || created.get().map(|key| view! { <SecretOnce key on_done=Callback::new(move |()| created.set(None)) /> })}
        <section class="card" aria-labelledby="keys-title">
            <h2 id="keys-title" class="card-title">"API keys"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(view) if view.keys.is_empty() => view! {
                            <p class="muted" data-testid="no-keys">"No keys yet. Make one for each tool you connect, with only the access it needs."</p>
                        }.into_any(),
                        Ok(view) => view! {
                            <ul class="key-list" data-testid="key-list">
                                {view.keys.into_iter().map(|key| view! {
                                    <KeyRow key on_revoked=Callback::new(move |()| version.update(|v| *v += 1)) />
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <div class="banner banner-error" role="alert">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
            <p class="hint">
                "Send a key as " <code>"Authorization: Bearer <key>"</code>
                ". Each key may make its number of requests a minute; past it the API answers 429 and says when to try again."
            </p>
        </section>
        <crate::webhooks::WebhooksSection />
    }
}

/// The access chosen for one area: "", "read" or "write".
fn area_options(area: ApiArea) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "No access".to_string()), ("read".to_string(), "Read".to_string())];
    if area.writable() {
        options.push(("write".to_string(), "Read and change".to_string()));
    }
    options
}

#[component]
fn NewKeyForm(#[prop(into)] default_limit: Signal<Option<u32>>, on_created: Callback<NewApiKey>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let expires_on = RwSignal::new(String::new());
    let limit = RwSignal::new(String::new());
    let access: Vec<(ApiArea, RwSignal<String>)> =
        ApiArea::ALL.into_iter().map(|area| (area, RwSignal::new(String::new()))).collect();
    let failure = RwSignal::new(None::<AppError>);
    let action = ServerAction::<CreateApiKey>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(key)) => {
            failure.set(None);
            on_created.run(key);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let chosen = access.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scopes = chosen
            .iter()
            .filter_map(|(area, level)| {
                let level = level.get_untracked();
                (!level.is_empty()).then(|| format!("{}:{level}", area.as_str()))
            })
            .collect();
        action.dispatch(CreateApiKey {
            form: ApiKeyForm {
                name: name.get_untracked(),
                scopes,
                expires_on: expires_on.get_untracked(),
                requests_per_minute: limit.get_untracked(),
            },
        });
    };
    let scopes_error = field_error(failure, "scopes");
    view! {
        <section class="card panel-after" aria-labelledby="new-key-title">
            <h2 id="new-key-title">"New API key"</h2>
            // Without JavaScript the post comes back to this page unread (a key's secret
            // has to be shown in the page): SECURITY.md, known gaps.
            <form method="post" action="/app/api" class="form" on:submit=on_submit novalidate>
                <Banner failure />
                <Field label="Name" name="name" value=name error=field_error(failure, "name") maxlength=100
                    placeholder="Accounting sync" hint="Say which tool uses it, so you know what breaks when you revoke it." />
                <fieldset class="field scope-grid" aria-describedby="scopes-hint" aria-invalid=move || scopes_error.get().is_some().to_string()>
                    <legend>"Access"</legend>
                    <p class="hint" id="scopes-hint">"Give each tool only what it needs."</p>
                    {access.into_iter().map(|(area, level)| {
                        let id = format!("scope-{}", area.as_str());
                        view! {
                            <div class="scope-row">
                                <label for=id.clone()>{area.label()}</label>
                                <select id=id name=format!("scope_{}", area.as_str())
                                    on:change=move |ev| level.set(event_target_value(&ev))
                                    prop:value=move || level.get()>
                                    {area_options(area).into_iter().map(|(value, text)| view! {
                                        <option value=value.clone() selected=move || level.get() == value>{text}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    }).collect_view()}
                    {move || scopes_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                </fieldset>
                <div class="form-grid">
                    <Field label="Expires after (optional)" name="expires_on" kind="date" value=expires_on
                        error=field_error(failure, "expires_on") hint="The last day the key works. Empty: until you revoke it." />
                    <Field label="Requests a minute (optional)" name="requests_per_minute" value=limit
                        error=field_error(failure, "requests_per_minute") maxlength=5 />
                </div>
                <p class="hint">{move || default_limit.get().map(|n| format!("Without a number, the key may make {n} requests a minute."))}</p>
                <div class="form-actions"><SubmitButton label="Create key" busy_label="Creating…" pending=action.pending() /></div>
            </form>
        </section>
    }
}

/// The secret of a key just made, with the one chance to copy it.
#[component]
fn SecretOnce(key: NewApiKey, on_done: Callback<()>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let secret = key.secret.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().navigator().clipboard().write_text(&secret);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &secret;
    };
    view! {
        <section class="card secret-once" role="status" aria-labelledby="secret-title" data-testid="new-key-secret">
            <h2 id="secret-title">{format!("Key \u{201c}{}\u{201d} is ready", key.key.name)}</h2>
            <p>"Copy it now and keep it somewhere safe. Fieldbook stores only a fingerprint of it, so it cannot show it again."</p>
            <div class="share-new">
                <input readonly aria-label="The new API key" data-testid="new-key-value" prop:value=key.secret.clone() />
                <button type="button" class="btn btn-primary btn-small" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            </div>
            <button type="button" class="btn" on:click=move |_| on_done.run(())>"I have copied it"</button>
        </section>
    }
}

fn scope_label(raw: &str) -> String {
    match ApiScope::parse(raw) {
        Some(scope) => {
            let access = if scope.access == ApiAccess::Write { "read and change" } else { "read" };
            format!("{}: {access}", scope.area.label())
        }
        None => raw.to_string(),
    }
}

#[component]
fn KeyRow(key: ApiKeySummary, on_revoked: Callback<()>) -> impl IntoView {
    let confirm = use_confirm();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let failure = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(_)) => on_revoked.run(()),
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let state = if key.revoked {
        "Revoked"
    } else if key.usable {
        "Active"
    } else {
        "Expired"
    };
    let (id, name) = (key.id, key.name.clone());
    view! {
        <li class="key-row" data-testid="key-row">
            <div class="key-head">
                <strong>{key.name.clone()}</strong>
                <span class="role-badge" class:muted-badge=!key.usable>{state}</span>
                <code class="key-prefix">{format!("{}…", key.prefix)}</code>
            </div>
            <ul class="chip-list" aria-label="Access">
                {key.scopes.iter().map(|s| view! { <li class="chip">{scope_label(s)}</li> }).collect_view()}
            </ul>
            <p class="muted small">
                {format!("{} requests a minute · made by {} on {}", key.requests_per_minute, key.created_by_name, key.created_label)}
                {key.expires_label.map(|e| format!(" · expires after {e}"))}
                {format!(" · {}", key.last_used_label.map(|l| format!("last used {l}")).unwrap_or_else(|| "never used".into()))}
            </p>
            <Banner failure />
            {key.usable.then(|| view! {
                <button type="button" class="btn btn-danger btn-small" disabled=move || revoke.pending().get()
                    on:click=move |_| confirm.ask(Confirmation::new(
                        format!("Revoke \u{201c}{name}\u{201d}?"),
                        "Tools using this key stop working at once. This cannot be undone; make a new key instead.",
                        "Revoke",
                        move || { revoke.dispatch(RevokeApiKey { id }); },
                    ))>
                    {move || if revoke.pending().get() { "Revoking…" } else { "Revoke…" }}
                </button>
            })}
        </li>
    }
}
