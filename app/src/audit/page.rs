//! `/app/audit`: the company's audit log for admins — who changed what, from what to
//! what, and when; filters and paging live in the URL, so a view can be bookmarked,
//! and the same view downloads as CSV.

use super::api::list_audit;
use super::{AuditEntry, AuditPage, AuditQuery};
use crate::components::Reloading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| AuditQuery::from_params(|k| q.get(k))));
    let page = Resource::new(move || query.get(), list_audit);
    let refreshing = RwSignal::new(false);
    view! {
        <Title text="Audit log" />
        <div class="page-head">
            <div>
                <h1>"Audit log"</h1>
                <p class="muted">"Every change in your company: who made it, what changed, and when. Newest first."</p>
            </div>
        </div>
        <Reloading pending=refreshing>
            <Transition set_pending=refreshing fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <AuditView page query=query.get_untracked() /> }.into_any(),
                        Err(error) => view! {
                            <AuditFilters page=AuditPage::default() query=query.get_untracked() />
                            <div class="banner banner-error" role="alert">{error.to_string()}</div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Reloading>
    }
}

/// The filters: a plain GET form, so they work (and land in the URL) with or without the app.
#[component]
fn AuditFilters(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let navigate = use_navigate();
    let person = RwSignal::new(query.person.clone());
    let record = RwSignal::new(query.record.clone());
    let action = RwSignal::new(query.action.clone());
    let from = RwSignal::new(query.from.clone());
    let to = RwSignal::new(query.to.clone());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = AuditQuery {
            person: person.get_untracked(),
            record: record.get_untracked(),
            action: action.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            after: String::new(),
        };
        let params = query.to_params();
        navigate(
            &if params.is_empty() { "/app/audit".into() } else { format!("/app/audit?{params}") },
            Default::default(),
        );
    };
    let select = |label: &'static str, name: &'static str, value: RwSignal<String>, options: Vec<(String, String)>| {
        let id = format!("audit-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {options.into_iter().map(|(v, l)| {
                        let selected = v == value.get_untracked();
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let date = |label: &'static str, name: &'static str, value: RwSignal<String>| {
        let id = format!("audit-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id name=name type="date" value=value.get_untracked() bind:value=value />
            </div>
        }
    };
    let people = page.people.iter().map(|p| (p.value.clone(), p.label.clone())).collect();
    let records = page.records.iter().map(|r| (r.clone(), r.replace('_', " "))).collect();
    let actions = page.actions.iter().map(|a| (a.clone(), a.replace('_', " "))).collect();
    view! {
        <form method="get" action="/app/audit" class="filters" role="search" aria-label="Filter the audit log"
            on:submit=apply data-testid="audit-filters">
            {select("Person", "person", person, people)}
            {select("Record", "record", record, records)}
            {select("Action", "action", action, actions)}
            {date("From", "from", from)}
            {date("To", "to", to)}
            <button type="submit" class="btn btn-primary">"Show"</button>
        </form>
    }
}

#[component]
fn AuditView(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let filters = AuditQuery { after: String::new(), ..query.clone() }.to_params();
    let csv =
        if filters.is_empty() { "/exports/audit.csv".to_string() } else { format!("/exports/audit.csv?{filters}") };
    let next =
        page.next.clone().map(|after| format!("/app/audit?{}", AuditQuery { after, ..query.clone() }.to_params()));
    let first = query.after.trim().is_empty();
    let entries = page.entries.clone();
    view! {
        <AuditFilters page=page.clone() query=query.clone() />
        <div class="toolbar-line">
            <p class="muted">{if first { "Newest first." } else { "Older entries." }}</p>
            <a class="btn" href=csv download="">"Download CSV"</a>
        </div>
        {if entries.is_empty() {
            view! { <p class="muted empty-inline">"No entries match."</p> }.into_any()
        } else {
            view! {
                <ol class="audit-list" data-testid="audit-list">
                    {entries.into_iter().map(|entry| view! { <AuditRow entry /> }).collect_view()}
                </ol>
            }.into_any()
        }}
        <div class="pager">
            {(!first).then(|| {
                let newest = if filters.is_empty() { "/app/audit".to_string() } else { format!("/app/audit?{filters}") };
                view! { <a class="btn" href=newest>"← Newest"</a> }
            })}
            {next.map(|href| view! { <a class="btn" href=href>"Older →"</a> })}
        </div>
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let record = match entry.record_id {
        Some(id) => format!("{} {}", entry.record.replace('_', " "), &id.to_string()[..8]),
        None => entry.record.replace('_', " "),
    };
    // The records that have a page of their own link to it.
    let href = entry.record_id.and_then(|id| match entry.record.as_str() {
        "job" => Some(format!("/app/jobs/{id}")),
        "customer" => Some(format!("/app/customers/{id}")),
        "work_log" => Some(format!("/app/time/{id}")),
        _ => None,
    });
    let record = match href {
        Some(href) => view! { <a href=href class="audit-record">{record}</a> }.into_any(),
        None => view! { <span class="muted audit-record">{record}</span> }.into_any(),
    };
    let changes = entry.changes.clone();
    view! {
        <li class="card audit-entry" data-testid="audit-entry">
            <div class="audit-head">
                <strong>{entry.actor.clone()}</strong>
                <span class="audit-action">{entry.action.replace('_', " ")}</span>
                {record}
                <time class="muted audit-when" datetime=entry.at.to_rfc3339()>{entry.at_label.clone()}</time>
            </div>
            {(!changes.is_empty()).then(|| view! {
                <dl class="audit-changes">
                    {changes.into_iter().map(|change| view! {
                        <div class="audit-change">
                            <dt>{change.field.replace('_', " ")}</dt>
                            <dd>
                                <span class="audit-before">{change.before.unwrap_or_else(|| "—".into())}</span>
                                <span aria-label="changed to">" → "</span>
                                <span class="audit-after">{change.after.unwrap_or_else(|| "—".into())}</span>
                            </dd>
                        </div>
                    }).collect_view()}
                </dl>
            })}
        </li>
    }
}
